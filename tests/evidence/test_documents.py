"""The register and the monthly report carry the before/after photos of closed major hazards as an
appendix with ``--photos`` (real .docx written by ``rectify doc``, read back with python-docx); without
it, the documents are as before."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from tests.conftest import REPO
from tests.helpers import cli, explain


def _write(tmp_path: Path, *args: str) -> docx.document.Document:
    out = tmp_path / "out.docx"
    proc = cli("--root", str(REPO), "doc", *args, "--today", "2023-12-31", "--out", str(out))
    assert proc.returncode == 0, explain(proc)
    return docx.Document(str(out))


def _headings(document: docx.document.Document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text.startswith(("附件：", "HAZ-"))]


@pytest.mark.parametrize(
    ("args", "pictures", "hazards"),
    [
        (
            ("register", "--campaign", "CAMP-2023-001"),
            6,
            ["HAZ-2023-00038", "HAZ-2023-00045", "HAZ-2023-00053"],
        ),
        (("monthly", "--month", "2023-11"), 5, ["HAZ-2023-00045", "HAZ-2023-00049"]),
    ],
)
def test_photo_appendix(tmp_path: Path, args: tuple[str, ...], pictures: int, hazards: list[str]) -> None:
    document = _write(tmp_path, *args, "--photos")
    assert len(document.inline_shapes) == pictures
    for shape in document.inline_shapes:
        assert 70 <= shape.width.mm <= 74  # the web copy, scaled to the column
    headings = _headings(document)
    start = next(i for i, text in enumerate(headings) if text.startswith("附件：") and "照片" in text)
    assert [h.split()[0] for h in headings[start + 1 :]] == hazards
    text = "\n".join(p.text for p in document.paragraphs)
    assert "验收单扫描件1份，已随登记册记录归档备查。" in text
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert any("更换后的传感器及监控画面（2023年11月6日）" in cell for cell in cells)
    if args[0] == "monthly":  # the 版记 stays last, after the appendix
        assert document.paragraphs[-1].text.endswith("印发")
        assert text.index("整改前后照片") < text.index("抄送：")


def test_no_photos_by_default(tmp_path: Path) -> None:
    document = _write(tmp_path, "register", "--campaign", "CAMP-2023-001")
    assert len(document.inline_shapes) == 0
    assert not any("照片" in h for h in _headings(document))
