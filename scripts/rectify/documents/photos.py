"""The photo appendix of the register and the periodic reports: the before/after photos of closed
major hazards (整改前后照片), side by side in a two-column table, from the web-sized copies made by
``rectify evidence add``. Documents are internal: every photo is included, public or not."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx.shared import Mm

from rectify.documents.figures import closed_by
from rectify.documents.layout import FANGSONG, Official
from rectify.evidence import derivatives, entries
from rectify.evidence.files import is_pointer, sniff
from rectify.load import Document

PHOTO_WIDTH_MM = 72


def closed_major(hazards: list[Document], start: dt.date | None, end: dt.date) -> list[Document]:
    """Major hazards closed by ``end`` (and not before ``start``) that have before/after photos."""
    out = []
    for doc in sorted(hazards, key=lambda d: d.id or ""):
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
    caption = f"{entry.get('caption') or ''}{('（' + str(entry['taken_on']) + '）') if entry.get('taken_on') else ''}"
    official._cell(cell.add_paragraph(), caption, FANGSONG)  # type: ignore[attr-defined]


def appendix(official: Official, evidence_dir: Path, hazards: list[Document], title: str) -> None:
    """Append the appendix on a new page (nothing when no hazard has photos)."""
    if not hazards:
        return
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
            names = "、".join(str(e["file"]) for e in sheets)
            official.paragraph(f"验收单扫描件已归档：registry/evidence/{doc.id}/{names}", indent=False)
