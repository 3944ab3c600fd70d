"""``rectify evidence add``: real photos with real EXIF GPS and Orientation tags come out without
any GPS, device or owner tag and upright; the record gains the entry with its comments kept; a
refused file leaves nothing behind."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from PIL import Image

from rectify.evidence.files import has_gps
from tests.evidence.images import ARTIST, GPS_IFD, MAKE, ORIENTATION, photo, png
from tests.helpers import check, cli, explain

HAZARD = "registry/hazards/2023/HAZ-2023-00001.yaml"
FOLDER = "registry/evidence/HAZ-2023-00001"


def add(repo: Path, source: Path, *options: str) -> object:
    return cli("--root", str(repo), "evidence", "add", "HAZ-2023-00001", str(source), *options)


@pytest.mark.parametrize(
    ("orientation", "size", "red_corner"),
    [
        (None, (64, 48), (0, 0)),  # no tag: as stored, red top-left
        (1, (64, 48), (0, 0)),
        (3, (64, 48), (63, 47)),  # rotate 180: red ends bottom-right
        (6, (48, 64), (47, 0)),  # rotate 90 clockwise: red top-right, portrait
        (8, (48, 64), (0, 63)),  # rotate 270: red bottom-left
    ],
)
def test_add_strips_metadata_and_keeps_the_picture_upright(
    repo: Path, tmp_path: Path, orientation: int | None, size: tuple[int, int], red_corner: tuple[int, int]
) -> None:
    original = photo(orientation=orientation)
    source = tmp_path / "IMG_20231012.JPG"
    source.write_bytes(original)
    with Image.open(io.BytesIO(original)) as check_source:
        assert check_source.getexif().get_ifd(GPS_IFD)  # the test photo really carries GPS
    proc = add(repo, source, "--kind", "before", "--caption", "砂光车间除尘器", "--taken-on", "2023-10-12")
    assert proc.returncode == 0, explain(proc)
    for name in ("before-1.jpg", "before-1.web.jpg", "before-1.thumb.jpg"):
        data = (repo / FOLDER / name).read_bytes()
        assert not has_gps(data), name
        with Image.open(io.BytesIO(data)) as image:
            exif = image.getexif()
            assert GPS_IFD not in exif and MAKE not in exif and ARTIST not in exif and ORIENTATION not in exif
            assert "icc_profile" not in image.info and "xmp" not in image.info
            if name == "before-1.jpg":
                assert image.size == size
                red, green, blue = image.convert("RGB").getpixel(red_corner)  # type: ignore[misc]
                assert red > 200 and blue < 60, (name, red_corner, (red, green, blue))
    text = (repo / HAZARD).read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server")  # comments kept
    assert "  - file: before-1.jpg\n    kind: before\n    taken_on: 2023-10-12\n" in text
    assert "    public: false\n" in text
    assert f"    sha256: {hashlib.sha256(original).hexdigest()}\n" in text
    assert [d for d in check(repo) if d.rule.startswith("V-")] == []


def test_second_photo_gets_the_next_name_and_public_flag(repo: Path, tmp_path: Path) -> None:
    source = tmp_path / "a.jpg"
    source.write_bytes(photo())
    assert add(repo, source, "--kind", "after").returncode == 0
    proc = add(repo, source, "--kind", "after", "--public")
    assert proc.returncode == 0, explain(proc)
    assert (repo / FOLDER / "after-2.jpg").is_file()
    assert "file: after-2.jpg\n    kind: after\n    public: true" in (repo / HAZARD).read_text(
        encoding="utf-8"
    )


def _refused(repo: Path, source: Path, *options: str) -> str:
    before = (repo / HAZARD).read_bytes()
    proc = add(repo, source, *options)
    assert proc.returncode == 1, explain(proc)
    assert "Traceback" not in proc.stderr
    assert (repo / HAZARD).read_bytes() == before
    assert not (repo / FOLDER).exists() or not any((repo / FOLDER).iterdir())
    return proc.stderr


def test_png_renamed_pdf_is_refused(repo: Path, tmp_path: Path) -> None:
    source = tmp_path / "验收单.pdf"
    source.write_bytes(png())
    assert "内容是PNG 图片，扩展名却是 .pdf" in _refused(repo, source, "--kind", "acceptance_sheet")


def test_unknown_type_is_refused(repo: Path, tmp_path: Path) -> None:
    source = tmp_path / "scan.pdf"
    source.write_bytes(b"MZ\x90\x00" + b"\x00" * 100)
    assert "不是 JPEG、PNG、WebP 图片或 PDF 文件" in _refused(repo, source, "--kind", "other")


def test_oversize_is_refused(repo: Path, tmp_path: Path) -> None:
    jurisdiction = repo / "registry/jurisdiction.yaml"
    text = jurisdiction.read_text(encoding="utf-8").replace(
        "evidence:\n", "evidence:\n  image_max_bytes: 2048\n"
    )
    jurisdiction.write_text(text, encoding="utf-8")
    source = tmp_path / "big.jpg"
    source.write_bytes(photo(1200, 900))
    assert len(source.read_bytes()) > 2048
    assert "超过JPEG 图片的上限" in _refused(repo, source, "--kind", "before")


def test_scans_cannot_be_public(repo: Path, tmp_path: Path) -> None:
    source = tmp_path / "sheet.jpg"
    source.write_bytes(photo())
    assert "不能公开" in _refused(repo, source, "--kind", "acceptance_sheet", "--public")


def test_lfs_pointer_is_refused(repo: Path, tmp_path: Path) -> None:
    source = tmp_path / "after.jpg"
    source.write_bytes(b"version https://git-lfs.github.com/spec/v1\noid sha256:" + b"a" * 64 + b"\nsize 5\n")
    assert "Git LFS 指针" in _refused(repo, source, "--kind", "after")


def test_unknown_record_and_bad_date(repo: Path, tmp_path: Path) -> None:
    source = tmp_path / "a.jpg"
    source.write_bytes(photo())
    proc = cli("--root", str(repo), "evidence", "add", "HAZ-2023-09999", str(source), "--kind", "after")
    assert proc.returncode == 1 and "找不到记录 HAZ-2023-09999" in proc.stderr, explain(proc)
    for bad in ("HAZ-2023-../../../etc/x", "HAZ-2023-00001/../../x", "PLAN-2023-001"):
        proc = cli("--root", str(repo), "evidence", "add", bad, str(source), "--kind", "after")
        assert proc.returncode == 1 and "不是可以附佐证材料的记录" in proc.stderr, explain(proc)
    assert "2023-02-30" in _refused(repo, source, "--kind", "after", "--taken-on", "2023-02-30")
