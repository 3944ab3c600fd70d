"""The photo appendix of the register and the periodic reports: the before/after photos of closed
major hazards (整改前后照片), side by side in a two-column table, from the web-sized copies made by
``rectify evidence add``. Documents are internal: every photo is included, public or not."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx.oxml.ns import qn
from docx.shared import Mm

from rectify.documents.figures import closed_by
from rectify.documents.layout import FANGSONG, Official, chinese_date
from rectify.evidence import derivatives, entries
from rectify.evidence.files import is_pointer, sniff
from rectify.facts import date
from rectify.ids import sort_key as id_sort_key
from rectify.model import Document

PHOTO_WIDTH_MM = 72


def closed_major(hazards: list[Document], start: dt.date | None, end: dt.date) -> list[Document]:
    """Major hazards closed by ``end`` (and not before ``start``) that have before/after photos."""
    out = []
    for doc in sorted(hazards, key=lambda d: id_sort_key(d.id or "")):
        closed = closed_by(doc.data, end)
        if doc.data.get("level") != "major" or closed is None or (start is not None and closed < start):
            continue
        if any(e.get("kind") in ("before", "after") for _, e in entries("hazard", doc.data)):
            out.append(doc)
    return out


def _picture(official: Official, cell: object, folder: Path, entry: dict[str, object]) -> None:
    web = folder / derivatives(str(entry["file"]))[0]
    paragraph = cell.paragraphs[0]  # type: ignore[attr-defined]
    data = web.read_bytes() if web.is_file() else b""
    if sniff(data[:16]) == "jpeg" and not is_pointer(data[:100]):
        paragraph.add_run().add_picture(str(web), width=Mm(PHOTO_WIDTH_MM))
    else:
        official._cell(paragraph, "（照片未取回或缺少网页副本）", FANGSONG)
    day = date(entry.get("taken_on"))
    caption = f"{entry.get('caption') or ''}{'（' + chinese_date(day) + '）' if day else ''}"
    official._cell(cell.add_paragraph(), caption, FANGSONG)  # type: ignore[attr-defined]


def _imprint(body: list[object]) -> object | None:
    """The first element of the 版记 (the blank line before 抄送 or 印发), if the document has one."""
    for index, element in enumerate(body):
        text = "".join(element.itertext()) if hasattr(element, "itertext") else ""
        if text.startswith("抄送：") or text.endswith("印发"):
            return body[index - 1] if index else element
    return None


def appendix(official: Official, evidence_dir: Path, hazards: list[Document], title: str) -> None:
    """The appendix on a new page, after the signature and before the 版记 (GB/T 9704: 附件
    comes before the imprint); nothing when no hazard has photos."""
    if not hazards:
        return
    body = official.doc.element.body
    before = list(body)
    anchor = _imprint(before)
    _write(official, evidence_dir, hazards, title)
    if anchor is not None:
        for element in [e for e in list(body) if e not in before and e.tag != qn("w:sectPr")]:
            anchor.addprevious(element)  # type: ignore[attr-defined]


def _write(official: Official, evidence_dir: Path, hazards: list[Document], title: str) -> None:
    official.doc.add_page_break()  # type: ignore[no-untyped-call]
    official.heading1(title)
    for doc in hazards:
        official.heading2(f"{doc.id} {doc.data.get('title', '')}")
        photos = [e for _, e in entries("hazard", doc.data)]
        befores = [e for e in photos if e.get("kind") == "before"]
        afters = [e for e in photos if e.get("kind") == "after"]
        sheets = [e for e in photos if e.get("kind") == "acceptance_sheet"]
        table = official.table(["整改前", "整改后"], [], [PHOTO_WIDTH_MM + 8] * 2)
        for index in range(max(len(befores), len(afters))):
            row = table.add_row()  # type: ignore[no-untyped-call]
            for cell, column in zip(row.cells, (befores, afters), strict=True):
                if index < len(column):
                    _picture(official, cell, evidence_dir / str(doc.id), column[index])
        if sheets:
            official.paragraph(f"验收单扫描件{len(sheets)}份，已随登记册记录归档备查。", indent=False)
