"""Real test files made here: photos with real EXIF GPS and Orientation tags (Pillow), PDFs with
and without active content (hand-built, several ways of hiding a script)."""

from __future__ import annotations

import io

from PIL import Image

GPS_IFD, ORIENTATION, MAKE, ARTIST = 0x8825, 0x0112, 0x010F, 0x013B


def photo(width: int = 64, height: int = 48, orientation: int | None = None, gps: bool = True) -> bytes:
    """A JPEG whose top-left quarter is red and the rest blue, with GPS, device and owner tags."""
    image = Image.new("RGB", (width, height), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, width // 2, height // 2))
    exif = Image.Exif()
    exif[MAKE] = "TestPhone"
    exif[ARTIST] = "张三"
    if orientation is not None:
        exif[ORIENTATION] = orientation
    if gps:
        exif[GPS_IFD] = {1: "N", 2: (33.0, 57.0, 36.0), 3: "E", 4: (116.0, 47.0, 24.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95, exif=exif)
    return out.getvalue()


def png(width: int = 32, height: int = 32) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (0, 128, 0)).save(out, "PNG")
    return out.getvalue()


def pdf(*objects: str, catalog_extra: str = "") -> bytes:
    """A small well-formed PDF: catalog, pages, one page, then ``objects`` (numbered from 4),
    with a correct cross-reference table."""
    bodies = [
        f"<< /Type /Catalog /Pages 2 0 R {catalog_extra}>>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        *objects,
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(bodies, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(bodies) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(bodies) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


PLAIN_PDF = pdf()
ACTIVE_PDFS = {
    "openaction-javascript": pdf(
        "<< /S /JavaScript /JS (app.alert(1)) >>", catalog_extra="/OpenAction 4 0 R "
    ),
    "obfuscated-name": pdf("<< /S /J#61vaScript /J#53 (app.alert(1)) >>", catalog_extra="/OpenAction 4 0 R "),
    "launch": pdf("<< /S /Launch /F (cmd.exe) >>", catalog_extra="/OpenAction 4 0 R "),
    "embedded-file": pdf(
        "<< /EmbeddedFiles << /Names [(a.exe) 5 0 R] >> >>",
        "<< /Type /Filespec /F (a.exe) /EF << /F 6 0 R >> >>",
        "<< /Type /EmbeddedFile /Length 2 >>\nstream\nMZ\nendstream",
        catalog_extra="/Names 4 0 R ",
    ),
    "additional-actions": pdf(
        "<< /O << /S /JavaScript /JS 5 0 R >> >>", "(this.print())", catalog_extra="/AA 4 0 R "
    ),
    "xfa-form": pdf("<< /Fields [] /XFA 5 0 R >>", "(<xdp/>)", catalog_extra="/AcroForm 4 0 R "),
}


def object_stream_pdf(action: bytes = b"<< /S /JavaScript /JS (app.alert(1)) >>") -> bytes:
    """A PDF 1.5 whose open action sits compressed inside an object stream (/ObjStm) and whose
    cross-references are an xref stream: the raw bytes never show the action's names."""
    import struct
    import zlib

    header = b"4 0 "
    packed = zlib.compress(header + action)
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    plain = {
        1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    }
    for number, body in plain.items():
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    offsets[5] = len(out)
    out += b"5 0 obj\n<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n" % (
        len(header),
        len(packed),
    )
    out += packed + b"\nendstream\nendobj\n"
    offsets[6] = len(out)
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    for number in range(1, 7):
        if number == 4:
            rows.append(struct.pack(">BIH", 2, 5, 0))
        else:
            rows.append(struct.pack(">BIH", 1, offsets[number], 0))
    table = b"".join(rows)
    out += b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(table)
    out += table + b"\nendstream\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[6]
    return bytes(out)
