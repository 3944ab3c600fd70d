"""What an attachment's bytes are, whatever its name says: the type by magic numbers, a Git LFS
pointer instead of the content, GPS data left in an image, active content in a PDF. Used by the
loader stage (facts for the rules) and by ``rectify evidence add`` (refusals)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

LFS_POINTER = b"version https://git-lfs.github.com/spec/v1"
GPS_IFD = 0x8825
_XMP_GPS = (b"GPSLatitude", b"GPSLongitude")

# Names that make a PDF act rather than show: scripts, launching programs, embedded files,
# automatic actions, rich media, XFA forms, submitting or importing data.
ACTIVE_NAMES = {
    "JavaScript": "JavaScript 脚本",
    "JS": "JavaScript 脚本",
    "Launch": "启动外部程序（Launch）",
    "EmbeddedFile": "嵌入文件（EmbeddedFile）",
    "EmbeddedFiles": "嵌入文件（EmbeddedFiles）",
    "AA": "自动触发的动作（AA）",
    "RichMedia": "富媒体（RichMedia）",
    "XFA": "XFA 动态表单",
    "SubmitForm": "提交表单数据（SubmitForm）",
    "ImportData": "导入数据（ImportData）",
    "GoToE": "跳转到嵌入文档（GoToE）",
}
# Long enough not to turn up by chance inside compressed image data (short ones are left to the
# object walk): found in the raw bytes, after #xx escapes are decoded.
_RAW_NAMES = {name for name in ACTIVE_NAMES if len(name) >= 5}
_NAME = re.compile(rb"/([A-Za-z0-9#]{2,40})")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


def sniff(head: bytes) -> str | None:
    """jpeg | png | webp | pdf by the first bytes; None for anything else."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:1024].lstrip(b"\x00\t\n\r\x0c ").startswith(b"%PDF-"):
        return "pdf"
    return None


def is_pointer(head: bytes) -> bool:
    """A Git LFS pointer file: the content itself was not fetched (``git lfs pull``)."""
    return head.startswith(LFS_POINTER)


def image_facts(data: bytes) -> tuple[bool, int, int]:
    """(GPS present, width, height) of an image: GPS is an EXIF GPS block with any tag, or GPS in
    XMP. Only the headers are read, not the pixels."""
    from PIL import Image

    gps = any(marker in data for marker in _XMP_GPS)
    try:
        with Image.open(io.BytesIO(data)) as image:
            return gps or bool(image.getexif().get_ifd(GPS_IFD)), image.width, image.height
    except (OSError, ValueError, SyntaxError):
        return gps, 0, 0  # not a readable image: V-type says so


def has_gps(data: bytes) -> bool:
    return image_facts(data)[0]


def _raw_active(data: bytes) -> set[str]:
    found = set()
    for match in _NAME.finditer(data):
        raw = match.group(1)
        name = _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw) if b"#" in raw else raw
        text = name.decode("latin-1")
        if text in _RAW_NAMES or (b"#" in raw and text in ACTIVE_NAMES):
            found.add(ACTIVE_NAMES[text])
    return found


def _walk(root: Any) -> Iterator[dict[Any, Any]]:
    """Every dictionary reachable from ``root`` (indirect objects resolved once each)."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            yield item
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)


def pdf_active(data: bytes) -> list[str]:
    """What in a PDF could run or carry other files; empty for a plain document. A PDF that
    cannot be parsed counts as active: what a viewer would make of it cannot be told."""
    from pypdf import PdfReader

    found = _raw_active(data)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        for obj in _walk(reader.trailer):
            for key in obj:
                name = str(key).lstrip("/")
                if name in ACTIVE_NAMES:
                    found.add(ACTIVE_NAMES[name])
            for key in ("/S", "/Type", "/Subtype"):
                value = str(obj.get(key, "")).lstrip("/")
                if value in ACTIVE_NAMES:
                    found.add(ACTIVE_NAMES[value])
    except Exception:
        found.add("无法解析的 PDF 结构")
    return sorted(found)


@dataclass(frozen=True, slots=True)
class FileFacts:
    """What the loader found out about one file under ``registry/evidence/``."""

    size: int
    sniffed: str | None  # jpeg | png | webp | pdf | None
    pointer: bool = False  # a Git LFS pointer: the content is not here
    gps: bool = False
    active: tuple[str, ...] = ()  # a PDF's active content
    unreadable: str | None = None  # why the file could not be read
    width: int = 0  # images: pixels (for the site's width/height attributes)
    height: int = 0


def inspect(data: bytes, size: int, max_bytes: int | None) -> FileFacts:
    """Facts about one file's bytes; the deep checks are skipped for a file over its limit."""
    if is_pointer(data[:100]):
        return FileFacts(size, None, pointer=True)
    kind = sniff(data[:1024])
    if max_bytes is not None and size > max_bytes:
        return FileFacts(size, kind)
    if kind == "pdf":
        return FileFacts(size, kind, active=tuple(pdf_active(data)))
    if kind is not None:
        gps, width, height = image_facts(data)
        return FileFacts(size, kind, gps=gps, width=width, height=height)
    return FileFacts(size, kind)
