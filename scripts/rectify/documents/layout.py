"""The format engine: a Word document laid out as GB/T 9704-2012 《党政机关公文格式》 asks.

A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm, 22 lines of 28 characters; body 3号 仿宋, level-one
headings 黑体, level-two 楷体, title 2号 小标宋; the 版头 (red issuing-authority mark, 发文字号 with
〔〕, red separator line), 主送机关, 附件说明, the signature with a marked seal place and the 成文日期,
the 版记 (抄送, 印发机关和印发日期) and page numbers "— 1 —" in 4号 宋体 on the outside edge.
Kinds build their content through :class:`Official`; nothing here knows about the registry.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document as new_document
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

# font names as offices have them, each with the fallback Word and WPS use when it is missing
FANGSONG, HEITI, KAITI, XIAOBIAOSONG, SONGTI = "仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体", "宋体"
FALLBACK = {FANGSONG: "FangSong", KAITI: "KaiTi", XIAOBIAOSONG: "SimSun", HEITI: "SimHei", SONGTI: "SimSun"}
SIZE_2, SIZE_3, SIZE_4, SIZE_5 = Pt(22), Pt(16), Pt(14), Pt(10.5)  # 2号, 3号, 4号, 5号
MARK_SIZE = Pt(26)
RED = RGBColor(0xFF, 0x00, 0x00)
LINE_PITCH_TWIPS = 579  # 225 mm / 22 lines
LINE = Pt(LINE_PITCH_TWIPS / 20)
CHAR_SPACING_TWIPS = -5  # 28 characters of 16 pt in 156 mm: each a quarter point narrower
BLANK = "\u3000"  # 全角空格: 空一字

# what follows an element in its parent, in the order the OOXML schema requires (Word refuses files
# whose w:pPr or w:rPr children are out of order)
_AFTER_SNAP = (
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
    "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
_AFTER_BORDER = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
    *_AFTER_SNAP,
)  # fmt: skip
_AFTER_CHAR_SPACING = (
    "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
    "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish",
    "w:oMath",
)  # fmt: skip


def chinese_date(day: dt.date) -> str:
    """成文日期: 年月日 in Arabic numerals, no leading zeros (2023年9月1日)."""
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(slots=True)
class Masthead:
    """What the registry says about the issuing body (registry/jurisdiction.yaml → documents)."""

    issuer: str  # 发文机关署名
    mark: str  # 发文机关标志, e.g. …办公室文件
    number: str  # 发文字号, e.g. 淮安办〔2023〕12号 (blank sequence if not yet assigned)
    recipients: str = ""  # 主送机关
    cc: list[str] = field(default_factory=list)  # 抄送机关
    printer: str = ""  # 印发机关
    contact: str = ""  # 联系人及电话 (附注)


def _fonts(rpr_owner: object, name: str) -> None:
    rpr = rpr_owner.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    fonts.set(qn("w:hint"), "eastAsia")


def _border(paragraph: Paragraph, edge: str, size_eighths: int, color: str, space: int = 1) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.insert_element_before(borders, *_AFTER_BORDER)
    line = OxmlElement(f"w:{edge}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size_eighths))
    line.set(qn("w:space"), str(space))
    line.set(qn("w:color"), color)
    borders.append(line)


def _off_grid(paragraph: Paragraph) -> None:
    """Table cells and display lines keep their own spacing instead of the 22-line grid."""
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    paragraph._p.get_or_add_pPr().insert_element_before(snap, *_AFTER_SNAP)


def _font_table(doc: Document) -> None:
    """Declare each font with its fallback (``w:altName``) in the font table."""
    part = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable"))
    xml = part.blob.decode("utf-8")
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
        f'<w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'
        for name, alt in FALLBACK.items()
    )
    part._blob = xml.replace("</w:fonts>", entries + "</w:fonts>").encode("utf-8")


class Official:
    """One 公文 being written: call the parts in reading order, then :meth:`save`."""

    def __init__(self, masthead: Masthead, landscape: bool = False) -> None:
        self.masthead = masthead
        self.doc = new_document()
        self.landscape = landscape
        _font_table(self.doc)
        self._page()
        self._styles()
        self._page_numbers()

    # -- page -----------------------------------------------------------------------------------
    def _page(self) -> None:
        section = self.doc.sections[0]
        if self.landscape:  # 横排表格页: the 版心 turned, 225 × 156 mm
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Mm(297), Mm(210)
            section.top_margin, section.bottom_margin = Mm(28), Mm(26)
            section.left_margin, section.right_margin = Mm(37), Mm(35)
        else:
            section.page_width, section.page_height = Mm(210), Mm(297)
            section.top_margin, section.bottom_margin = Mm(37), Mm(35)
            section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.header_distance = Mm(15)
        section.footer_distance = Mm(25)
        grid = section._sectPr.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            section._sectPr.append(grid)
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))

    def _styles(self) -> None:
        normal = self.doc.styles["Normal"]
        normal.font.size = SIZE_3
        _fonts(normal.element, FANGSONG)
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(CHAR_SPACING_TWIPS))
        normal.element.get_or_add_rPr().insert_element_before(spacing, *_AFTER_CHAR_SPACING)
        fmt = normal.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE
        fmt.space_before = fmt.space_after = Pt(0)

    def _page_numbers(self) -> None:
        """Page numbers "— 1 —" in 4号 宋体: odd pages right, even pages left, one character in."""
        self.doc.settings.odd_and_even_pages_header_footer = True
        section = self.doc.sections[0]
        for footer, align in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
        ):
            footer.is_linked_to_previous = False
            p = footer.paragraphs[0]
            p.alignment = align
            if align == WD_ALIGN_PARAGRAPH.RIGHT:
                p.paragraph_format.right_indent = SIZE_4
            else:
                p.paragraph_format.left_indent = SIZE_4
            self._run(p, "— ", SONGTI, SIZE_4)
            field_ = OxmlElement("w:fldSimple")
            field_.set(qn("w:instr"), "PAGE")
            inner = OxmlElement("w:r")
            text = OxmlElement("w:t")
            text.text = "1"
            inner.append(text)
            field_.append(inner)
            p._p.append(field_)
            self._run(p, " —", SONGTI, SIZE_4)
            rpr = inner.get_or_add_rPr()
            size = OxmlElement("w:sz")
            size.set(qn("w:val"), "28")
            rpr.append(size)
            _fonts(inner, SONGTI)

    # -- text -----------------------------------------------------------------------------------
    @staticmethod
    def _run(
        p: Paragraph, text: str, font: str = FANGSONG, size: Pt | None = None, color: RGBColor | None = None
    ) -> None:
        run = p.add_run(text)
        _fonts(run._r, font)
        run.font.size = size or SIZE_3
        if color is not None:
            run.font.color.rgb = color

    def paragraph(
        self,
        text: str = "",
        font: str = FANGSONG,
        size: Pt | None = None,
        align: WD_ALIGN_PARAGRAPH | None = None,
        indent: bool = True,
        color: RGBColor | None = None,
    ) -> Paragraph:
        p = self.doc.add_paragraph()
        if align is not None:
            p.alignment = align
        elif indent:
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if indent and align is None:
            p.paragraph_format.first_line_indent = (size or SIZE_3) * 2
        if text:
            self._run(p, text, font, size, color)
        return p

    def masthead_block(self) -> None:
        """版头: the red mark, a blank line, 发文字号 centred, then the red separator line."""
        mark = self.paragraph(
            self.masthead.mark, XIAOBIAOSONG, MARK_SIZE, WD_ALIGN_PARAGRAPH.CENTER, color=RED
        )
        mark.paragraph_format.line_spacing = Pt(40)
        _off_grid(mark)
        mark.paragraph_format.space_before = Pt(24)
        self.paragraph()
        number = self.paragraph(self.masthead.number, align=WD_ALIGN_PARAGRAPH.CENTER)
        _border(number, "bottom", 12, "FF0000", space=8)
        self.paragraph()

    def title(self, text: str) -> None:
        p = self.paragraph(text, XIAOBIAOSONG, SIZE_2, WD_ALIGN_PARAGRAPH.CENTER)
        p.paragraph_format.line_spacing = Pt(35)
        _off_grid(p)
        self.paragraph()

    def recipients(self, text: str | None = None) -> None:
        """主送机关: top left, no indent, ending with a full-width colon."""
        shown = text if text is not None else self.masthead.recipients
        if shown:
            self.paragraph(f"{shown}：", indent=False)

    def heading1(self, text: str) -> None:
        self.paragraph(text, HEITI).paragraph_format.keep_with_next = True

    def heading2(self, text: str) -> None:
        self.paragraph(text, KAITI).paragraph_format.keep_with_next = True

    def body(self, text: str) -> None:
        self.paragraph(text)

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[object]],
        widths_mm: Sequence[float] | None = None,
    ) -> Table:
        """A table in 5号 仿宋 whose header row repeats on every page (``w:tblHeader``)."""
        table: Table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        head = table.rows[0]
        head_pr = head._tr.get_or_add_trPr()
        for tag in ("w:tblHeader", "w:cantSplit"):
            element = OxmlElement(tag)
            element.set(qn("w:val"), "true")
            head_pr.append(element)
        for cell, text in zip(head.cells, headers, strict=True):
            self._cell(cell.paragraphs[0], text, HEITI)
        for values in rows:
            row = table.add_row()  # type: ignore[no-untyped-call]
            cant_split = OxmlElement("w:cantSplit")
            cant_split.set(qn("w:val"), "true")
            row._tr.get_or_add_trPr().append(cant_split)
            for cell, value in zip(row.cells, values, strict=True):
                self._cell(cell.paragraphs[0], "" if value is None else str(value), FANGSONG)
        if widths_mm:
            table.autofit = False
            for column, width in zip(table.columns, widths_mm, strict=True):
                column.width = Mm(width)
            for row in table.rows:
                for cell, width in zip(row.cells, widths_mm, strict=True):
                    cell.width = Mm(width)
        self.paragraph()
        return table

    def _cell(self, p: Paragraph, text: str, font: str) -> None:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER if font == HEITI else WD_ALIGN_PARAGRAPH.LEFT
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        _off_grid(p)
        self._run(p, text, font, SIZE_5)

    def attachments(self, names: Sequence[str]) -> None:
        """附件说明: a blank line, then 附件：1. … with the following items aligned under the first."""
        if not names:
            return
        self.paragraph()
        for index, name in enumerate(names, start=1):
            lead = "附件：" if index == 1 else BLANK * 3
            number = f"{index}. " if len(names) > 1 else ""
            self.paragraph(f"{lead}{number}{name}")

    def signature(self, day: dt.date) -> None:
        """署名 and 成文日期 (右空四字), with the marked place for the seal pressing on both."""
        self.paragraph()
        self.paragraph()
        seal = self.paragraph("（印章）", align=WD_ALIGN_PARAGRAPH.RIGHT, color=RED)
        seal.paragraph_format.right_indent = SIZE_3 * 6
        bookmark_start = OxmlElement("w:bookmarkStart")
        bookmark_start.set(qn("w:id"), "0")
        bookmark_start.set(qn("w:name"), "seal")
        bookmark_end = OxmlElement("w:bookmarkEnd")
        bookmark_end.set(qn("w:id"), "0")
        seal._p.insert(1, bookmark_start)
        seal._p.append(bookmark_end)
        issuer = self.paragraph(self.masthead.issuer, align=WD_ALIGN_PARAGRAPH.RIGHT)
        issuer.paragraph_format.right_indent = SIZE_3 * 2
        dated = self.paragraph(chinese_date(day), align=WD_ALIGN_PARAGRAPH.RIGHT)
        dated.paragraph_format.right_indent = SIZE_3 * 4
        if self.masthead.contact:
            self.paragraph()
            self.paragraph(f"（联系人：{self.masthead.contact}）")

    def record(self, printed_on: dt.date) -> None:
        """版记: 抄送 and 印发机关和印发日期 between black lines (thick outside, thin between)."""
        self.paragraph()
        first = True
        if self.masthead.cc:
            cc = self.paragraph(f"抄送：{'，'.join(self.masthead.cc)}。", size=SIZE_4, indent=False)
            cc.paragraph_format.left_indent = cc.paragraph_format.right_indent = SIZE_4
            _border(cc, "top", 8, "000000")
            _border(cc, "bottom", 4, "000000")
            first = False
        printed = self.paragraph(size=SIZE_4, indent=False)
        printed.paragraph_format.left_indent = printed.paragraph_format.right_indent = SIZE_4
        printed.paragraph_format.tab_stops.add_tab_stop(
            Mm(225 if self.landscape else 156) - SIZE_4 * 2, alignment=WD_TAB_ALIGNMENT.RIGHT
        )
        self._run(printed, self.masthead.printer, size=SIZE_4)
        self._run(printed, f"\t{chinese_date(printed_on)}印发", size=SIZE_4)
        if first:
            _border(printed, "top", 8, "000000")
        _border(printed, "bottom", 8, "000000")

    # -- output ---------------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename: never a half-written document."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
