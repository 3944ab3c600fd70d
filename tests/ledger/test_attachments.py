"""附件 in the ledger: the folder beside the workbook read by hazard id and kind, and the 附件 sheet.
Attaching itself is the evidence feature's (``rectify.evidence.add``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook
from PIL import Image

from rectify.cli import main
from rectify.ledger.attachments import find_photos
from rectify.schema import Schemas
from tests.conftest import REPO
from tests.evidence.images import GPS_IFD, photo


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    root = tmp_path / "sample"
    shutil.copytree(REPO / "registry", root / "registry")
    shutil.copytree(REPO / "schemas", root / "schemas")
    return root


def put(folder: Path, *names: str) -> None:
    for name in names:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"\xff\xd8\xff\xe0 not really a photo")


def test_photos_are_found_by_hazard_folder_and_kind_prefix_and_the_rest_is_named(tmp_path: Path) -> None:
    book = tmp_path / "台账.xlsx"
    put(tmp_path / "附件" / "HAZ-2023-00006", "after-1.jpg", "整改前照片-东侧.PNG", "Acceptance_Sheet_1.pdf",
        "photo.jpg", "说明.txt", ".DS_Store")  # fmt: skip
    put(tmp_path / "附件" / "HAZ-2023-09999", "after-1.jpg")
    put(tmp_path / "附件", "loose.jpg")

    photos, problems = find_photos(book, Schemas(REPO / "schemas"), "hazard", {"HAZ-2023-00006"})

    assert [(p.record_id, p.path.name, p.kind) for p in photos] == [
        ("HAZ-2023-00006", "Acceptance_Sheet_1.pdf", "acceptance_sheet"),
        ("HAZ-2023-00006", "after-1.jpg", "after"),
        ("HAZ-2023-00006", "整改前照片-东侧.PNG", "before"),
    ]
    assert problems == [
        "附件：附件/HAZ-2023-00006/photo.jpg 的文件名应以材料类型开头（如 after-1.jpg、整改后照片-1.jpg），未导入",
        "附件：附件/HAZ-2023-00006/说明.txt 不是照片或 PDF（可用 .jpg、.png、.webp、.pdf），未导入",
        "附件：文件夹 附件/HAZ-2023-09999 不是已登记的记录编号，其中的文件未导入",
        "附件：附件/loose.jpg 不是文件夹，未导入（文件应放在 附件/<记录编号>/ 下）",
    ]


def test_photos_beside_the_workbook_are_attached_without_their_gps(sample: Path, tmp_path: Path) -> None:
    """A GPS-tagged phone photo in 附件/<id>/ is attached through the evidence feature on import: the
    record gains the entry, the file lands in registry/evidence/<id>/, no GPS tag remains."""
    book = tmp_path / "台账" / "隐患台账.xlsx"
    assert main(["--root", str(sample), "ledger", "export", "--kind", "hazards", "--out", str(book)]) == 0
    folder = book.parent / "附件" / "HAZ-2023-00006"
    folder.mkdir(parents=True)
    (folder / "after-1.jpg").write_bytes(photo())

    assert main(["--root", str(sample), "ledger", "import", str(book), "--today", "2023-12-31"]) in (0, 1)

    record = yaml.safe_load(
        (sample / "registry/hazards/2023/HAZ-2023-00006.yaml").read_text(encoding="utf-8")
    )
    entries = [e for e in record.get("evidence", []) if e["kind"] == "after"]
    assert len(entries) == 1 and entries[0]["public"] is False
    stored = sample / "registry" / "evidence" / "HAZ-2023-00006" / entries[0]["file"]
    with Image.open(stored) as image:
        assert GPS_IFD not in image.getexif()
    # importing the same folder again attaches nothing twice (same SHA-256)
    assert main(["--root", str(sample), "ledger", "import", str(book), "--today", "2023-12-31"]) in (0, 1)
    again = yaml.safe_load((sample / "registry/hazards/2023/HAZ-2023-00006.yaml").read_text(encoding="utf-8"))
    assert len([e for e in again.get("evidence", []) if e["kind"] == "after"]) == 1


def test_the_attachment_sheet_lists_every_attachment_and_is_not_imported(
    sample: Path, tmp_path: Path
) -> None:
    book = tmp_path / "h.xlsx"
    assert main(["--root", str(sample), "ledger", "export", "--kind", "hazards", "--out", str(book)]) == 0
    sheet = load_workbook(book)["附件"]
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["记录编号", "所在位置"] and header[3] == "材料类型"
    expected = 0
    for path in (sample / "registry" / "hazards").rglob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        expected += len(data.get("evidence") or [])
        acceptance = data.get("acceptance") or {}
        expected += len(acceptance.get("evidence") or [])
    assert expected > 0 and sheet.max_row - 1 == expected
    guide = [str(c.value) for row in load_workbook(book)["填写说明"].iter_rows() for c in row if c.value]
    assert any("附件/HAZ-2023-00017/after-1.jpg" in line for line in guide)


def test_records_with_evidence_list_each_attachment(sample: Path, tmp_path: Path) -> None:
    path = sample / "registry/hazards/2023/HAZ-2023-00001.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "evidence:\n  - file: after-1.jpg\n    kind: after\n    caption: 恢复后的第二安全出口\n    public: true\n",
        encoding="utf-8",
    )
    book = tmp_path / "h.xlsx"
    assert main(["--root", str(sample), "ledger", "export", "--kind", "hazards", "--out", str(book)]) == 0
    rows = [[c.value for c in row] for row in load_workbook(book)["附件"].iter_rows(min_row=2)]
    assert [r[:4] for r in rows if r[0] == "HAZ-2023-00001"] == [
        ["HAZ-2023-00001", "本记录", "after-1.jpg", "整改后照片"]
    ]
