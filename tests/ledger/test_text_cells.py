"""The import reads a text cell's string item itself (openpyxl's objects per run made text the
costliest part of reading a sheet): it must give exactly openpyxl's text, for inline strings and
shared ones, plain, in rich-text runs, with phonetic guides and empty parts."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path
from xml.etree.ElementTree import fromstring

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.text import Text

from rectify.ledger.columns import ledger_for
from rectify.ledger.read import read_workbook
from rectify.ledger.untrusted import text_content
from rectify.schema import Schemas
from tests.conftest import REPO

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PIECES = ["", "除尘系统", " 前后空格 ", "第一行\n第二行", "a&amp;b", "&lt;x&gt;", "_x000D_", "x005F_"]


def _t(rng: random.Random, name: str = "t") -> str:
    text = rng.choice(PIECES)
    space = ' xml:space="preserve"' if rng.random() < 0.5 else ""
    return f"<{name}{space}>{text}</{name}>" if text or rng.random() < 0.5 else f"<{name}/>"


def _item(rng: random.Random, tag: str) -> str:
    parts: list[str] = []
    for _ in range(rng.randint(0, 4)):
        choice = rng.random()
        if choice < 0.3:
            parts.append(_t(rng))
        elif choice < 0.7:
            font = '<rPr><b/><sz val="11"/><rFont val="宋体"/></rPr>' if rng.random() < 0.5 else ""
            parts.append(f"<r>{font}{_t(rng)}</r>")
        elif choice < 0.9:
            parts.append(f'<rPh sb="0" eb="1">{_t(rng)}</rPh>')
        else:
            parts.append('<phoneticPr fontId="1"/>')
    return f'<{tag} xmlns="{NS}">{"".join(parts)}</{tag}>'


@pytest.mark.parametrize("tag", ["si", "is"])
def test_string_items_read_as_openpyxl_reads_them(tag: str) -> None:
    rng = random.Random(13)
    seen = set()
    for _ in range(2000):
        xml = _item(rng, tag)
        node = fromstring(xml)
        expected = Text.from_tree(node).content
        assert text_content(node) == expected, xml
        seen.add(expected)
    assert len(seen) > 100  # the variants are varied: runs, plain text, both, neither


def _shared_strings_workbook(path: Path) -> Path:
    """A workbook as Excel saves it: text in the shared string table, one item in rich-text runs
    (part bold), one with a phonetic guide, and a number cell between them."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "隐患台账"
    book.save(path)
    strings = [
        "<si><t>隐患编号</t></si>",
        "<si><t>隐患名称</t></si>",
        "<si><t>隐患点</t></si>",
        "<si><t>HAZ-2023-00001</t></si>",
        '<si><r><rPr><b/></rPr><t>除尘系统</t></r><r><t xml:space="preserve">未采用 防爆设计</t></r></si>',
        '<si><t>砂光车间</t><rPh sb="0" eb="2"><t>シャコウ</t></rPh><phoneticPr fontId="1"/></si>',
    ]
    table = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NS}" count="6" uniqueCount="6">'
        + "".join(strings)
        + "</sst>"
    )
    cells = [("A1", 0), ("B1", 1), ("C1", 2), ("A2", 3), ("B2", 4), ("C2", 5)]
    rows = "".join(
        f'<row r="{r}">'
        + "".join(f'<c r="{ref}" t="s"><v>{i}</v></c>' for ref, i in cells if ref[1:] == str(r))
        + (f'<c r="D{r}"><v>12</v></c>' if r == 2 else "")
        + "</row>"
        for r in (1, 2)
    )
    with zipfile.ZipFile(path) as old:
        parts = {info.filename: old.read(info) for info in old.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    head, _, tail = sheet.partition("<sheetData")
    tail = tail.split("/>", 1)[1] if tail.startswith("/>") else tail.split("</sheetData>", 1)[1]
    parts["xl/worksheets/sheet1.xml"] = f"{head}<sheetData>{rows}</sheetData>{tail}".encode()
    parts["xl/sharedStrings.xml"] = table.encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    parts["xl/_rels/workbook.xml.rels"] = rels.replace(
        "</Relationships>",
        '<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    ).encode()
    types = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = types.replace(
        "</Types>",
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in parts.items():
            new.writestr(name, data)
    return path


def test_a_workbook_with_shared_rich_strings_reads_as_openpyxl_reads_it(tmp_path: Path) -> None:
    path = _shared_strings_workbook(tmp_path / "excel.xlsx")
    opened = load_workbook(path)  # openpyxl's own reading, in full mode
    sheet = opened["隐患台账"]
    assert [c.value for c in sheet[2]] == ["HAZ-2023-00001", "除尘系统未采用 防爆设计", "砂光车间", 12]
    schemas = Schemas(REPO / "schemas")
    sheets, _ = read_workbook(path, [ledger_for(schemas, "hazard")])
    [read] = sheets
    assert [(c.header, read.rows[0].cells[n]) for n, c in sorted(read.columns.items())] == [
        ("隐患编号", "HAZ-2023-00001"),
        ("隐患名称", "除尘系统未采用 防爆设计"),
        ("隐患点", "砂光车间"),
    ]
