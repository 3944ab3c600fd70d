"""PDF through LibreOffice: A4, the page count the page numbers say, and a rendered first page kept
under tests/documents/artifacts/ (git-ignored) to look at."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.documents.conftest import ARTIFACTS
from tests.helpers import cli, explain

if not (shutil.which("soffice") and shutil.which("pdfinfo") and shutil.which("pdftoppm")):
    if os.environ.get("CI"):
        raise RuntimeError(
            "CI needs LibreOffice and poppler-utils for the PDF tests (scripts/test.sh installs them)"
        )
    pytest.skip("LibreOffice or poppler-utils is not installed", allow_module_level=True)


def _pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


@pytest.mark.parametrize(
    ("args", "orientation", "pages"),
    [
        (["supervision-notice", "HAZ-2023-00001"], "portrait", range(2, 5)),
        (["register", "--campaign", "CAMP-2023-003"], "landscape", range(1, 4)),
    ],
)
def test_pdf_is_a4_with_numbered_pages(
    tmp_path: Path, args: list[str], orientation: str, pages: range
) -> None:
    out = tmp_path / f"{args[0]}.pdf"
    proc = cli(
        "--root", str(REPO), "doc", *args, "--today", "2023-12-31", "--format", "pdf", "--out", str(out)
    )
    assert proc.returncode == 0, explain(proc)
    assert out.read_bytes().startswith(b"%PDF-")
    info = _pdfinfo(out)
    width, height = (float(v) for v in re.findall(r"[\d.]+", info["Page size"])[:2])
    expected = (595.3, 841.9) if orientation == "portrait" else (841.9, 595.3)
    assert abs(width - expected[0]) < 1 and abs(height - expected[1]) < 1  # A4 in points
    assert "(A4)" in info["Page size"]
    count = int(info["Pages"])
    assert count in pages
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    numbers = [int(n) for n in re.findall(r"—\s*(\d+)\s*—", text)]
    assert numbers == list(range(1, count + 1))  # "— 1 —" on every page, in order
    assert "淮北市" in text  # the Chinese font rendered as text, not boxes
    if args[0] == "register":  # the header row repeats on every page of the table
        pages_text = text.split("\f")[:count]
        assert len(pages_text) == count and all(
            "隐患内容" in page and "销号情况" in page for page in pages_text
        )
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(out),
            str(ARTIFACTS / args[0]),
        ],
        check=True,
    )
    assert (ARTIFACTS / f"{args[0]}.png").stat().st_size > 5000
