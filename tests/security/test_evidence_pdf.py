"""PDFs with active content are refused by ``rectify evidence add`` and reported by ``check``
(V-active), however the script is spelled: plain, #xx-escaped names, inside an object stream
(where the raw bytes never show the name), as an additional action, a launch, an embedded file."""

from __future__ import annotations

from pathlib import Path

import pytest

from rectify.evidence.files import pdf_active
from tests.evidence.images import ACTIVE_PDFS, PLAIN_PDF, object_stream_pdf
from tests.helpers import check, cli, explain

VARIANTS = {
    **ACTIVE_PDFS,
    "object-stream": object_stream_pdf(),
    "object-stream-launch": object_stream_pdf(b"<< /S /Launch /F (cmd.exe) >>"),
}


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_active_pdf_is_refused(repo: Path, tmp_path: Path, name: str) -> None:
    source = tmp_path / "验收单.pdf"
    source.write_bytes(VARIANTS[name])
    assert pdf_active(VARIANTS[name]), name
    hazard = repo / "registry/hazards/2023/HAZ-2023-00001.yaml"
    before = hazard.read_bytes()
    proc = cli(
        "--root", str(repo), "evidence", "add", "HAZ-2023-00001", str(source), "--kind", "acceptance_sheet"
    )
    assert proc.returncode == 1, explain(proc)
    assert "含有可执行或嵌入内容" in proc.stderr and "Traceback" not in proc.stderr
    assert hazard.read_bytes() == before
    assert not (repo / "registry/evidence").exists()


def test_script_hidden_in_object_stream_is_not_visible_in_raw_bytes() -> None:
    """The object-stream variant really hides the name: only the object walk can find it."""
    data = VARIANTS["object-stream"]
    assert b"/JavaScript" not in data and b"/JS" not in data
    assert "JavaScript 脚本" in pdf_active(data)


def test_plain_pdf_is_accepted_and_checked_clean(repo: Path, tmp_path: Path) -> None:
    source = tmp_path / "sheet.pdf"
    source.write_bytes(PLAIN_PDF)
    proc = cli(
        "--root", str(repo), "evidence", "add", "HAZ-2023-00001", str(source), "--kind", "acceptance_sheet"
    )
    assert proc.returncode == 0, explain(proc)
    assert (repo / "registry/evidence/HAZ-2023-00001/acceptance-sheet-1.pdf").read_bytes() == PLAIN_PDF
    assert [d for d in check(repo) if d.rule.startswith("V-")] == []


def test_active_pdf_copied_in_by_hand_is_an_error(repo: Path) -> None:
    folder = repo / "registry/evidence/HAZ-2023-00001"
    folder.mkdir(parents=True)
    (folder / "acceptance-sheet-1.pdf").write_bytes(VARIANTS["object-stream"])
    hazard = repo / "registry/hazards/2023/HAZ-2023-00001.yaml"
    hazard.write_text(
        hazard.read_text(encoding="utf-8")
        + "evidence:\n  - {file: acceptance-sheet-1.pdf, kind: acceptance_sheet}\n",
        encoding="utf-8",
    )
    found = [(d.rule, d.file) for d in check(repo) if d.rule.startswith("V-")]
    assert found == [("V-active", "registry/hazards/2023/HAZ-2023-00001.yaml")]


def test_harmless_open_action_in_object_stream_is_accepted() -> None:
    assert pdf_active(object_stream_pdf(b"<< /S /GoTo /D [3 0 R /Fit] >>")) == []
