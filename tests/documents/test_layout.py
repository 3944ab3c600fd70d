"""The GB/T 9704-2012 layout numbers, read back from every generated document with python-docx."""

from __future__ import annotations

import re

import pytest
from docx.document import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from tests.documents.conftest import SAMPLES, Generated

PORTRAIT = ["supervision-notice", "referral", "monthly", "quarterly", "plan"]
LANDSCAPE = ["register", "consultation-feedback"]
MM = Mm(1)


def _close(value: int | None, mm: float) -> bool:
    return value is not None and abs(value - Mm(mm)) < MM / 10


def _east_asia(element: object) -> str | None:
    fonts = element.find(qn("w:rPr") + "/" + qn("w:rFonts"))  # type: ignore[attr-defined]
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def _runs(paragraph: Paragraph) -> list[tuple[str, str | None, float | None]]:
    return [
        (run.text, _east_asia(run._r), run.font.size.pt if run.font.size else None)
        for run in paragraph.runs
        if run.text.strip()
    ]


def _title(document: Document) -> Paragraph:
    """The title: the first paragraph in 2号 (22 pt)."""
    return next(p for p in document.paragraphs if p.runs and p.runs[0].font.size == Pt(22))


@pytest.mark.parametrize("kind", PORTRAIT)
def test_portrait_page_margins_and_text_area(generated: Generated, kind: str) -> None:
    section = generated.open(kind).sections[0]
    assert _close(section.page_width, 210) and _close(section.page_height, 297)
    assert _close(section.top_margin, 37)  # 天头
    assert _close(section.left_margin, 28)  # 订口
    assert _close(section.page_width - section.left_margin - section.right_margin, 156)
    assert _close(section.page_height - section.top_margin - section.bottom_margin, 225)
    grid = section._sectPr.find(qn("w:docGrid"))
    assert int(grid.get(qn("w:linePitch"))) * 22 <= Mm(225) / 635  # 22 lines fit the text area (twips)
    assert int(grid.get(qn("w:linePitch"))) * 23 > Mm(225) / 635


@pytest.mark.parametrize("kind", LANDSCAPE)
def test_tables_are_landscape_a4_with_the_text_area_turned(generated: Generated, kind: str) -> None:
    section = generated.open(kind).sections[0]
    assert _close(section.page_width, 297) and _close(section.page_height, 210)
    assert _close(section.page_width - section.left_margin - section.right_margin, 225)
    assert _close(section.page_height - section.top_margin - section.bottom_margin, 156)


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_body_is_3hao_fangsong_with_fallback_and_28_characters(generated: Generated, kind: str) -> None:
    document = generated.open(kind)
    normal = document.styles["Normal"]
    assert normal.font.size == Pt(16)
    assert _east_asia(normal.element) == "仿宋_GB2312"
    spacing = normal.element.find(qn("w:rPr") + "/" + qn("w:spacing"))
    pitch = 16 + int(spacing.get(qn("w:val"))) / 20  # points per character
    assert 28 * pitch <= Mm(156).pt < 29 * pitch
    table = next(r.target_part for r in document.part.rels.values() if r.reltype.endswith("/fontTable"))
    xml = table.blob.decode("utf-8")
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="FangSong"/>' in xml
    assert '<w:font w:name="楷体_GB2312"><w:altName w:val="KaiTi"/>' in xml


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_title_is_2hao_xiaobiaosong_centred(generated: Generated, kind: str) -> None:
    title = _title(generated.open(kind))
    assert title.alignment == 1  # centre
    assert {(font, size) for _, font, size in _runs(title)} == {("方正小标宋简体", 22.0)}


@pytest.mark.parametrize("kind", ["supervision-notice", "referral", "monthly", "quarterly", "plan"])
def test_masthead_red_mark_number_and_separator(generated: Generated, kind: str) -> None:
    paragraphs = generated.open(kind).paragraphs
    mark = paragraphs[0]
    assert mark.text == "淮北市安全生产委员会办公室文件"  # from registry/jurisdiction.yaml
    assert {str(r.font.color.rgb) for r in mark.runs} == {"FF0000"}
    number = next(p for p in paragraphs if "〔" in p.text)
    assert re.fullmatch(r"淮安办〔202[34]〕\u3000\u3000号", number.text)  # the clerk fills in the sequence
    bottom = number._p.find(qn("w:pPr") + "/" + qn("w:pBdr") + "/" + qn("w:bottom"))
    assert bottom is not None and bottom.get(qn("w:color")) == "FF0000"


@pytest.mark.parametrize("kind", ["monthly", "supervision-notice"])
def test_headings_heiti_then_kaiti(generated: Generated, kind: str) -> None:
    paragraphs = generated.open(kind).paragraphs
    level_one = [p for p in paragraphs if p.text[:2] in ("一、", "二、", "三、")]
    level_two = [p for p in paragraphs if p.text.startswith("（一）")]
    assert level_one and level_two
    assert {_runs(p)[0][1] for p in level_one} == {"黑体"}
    assert {_runs(p)[0][1] for p in level_two} == {"楷体_GB2312"}
    body = next(p for p in paragraphs if p.text.startswith(("现将", "你单位")))
    assert {font for _, font, _ in _runs(body)} == {"仿宋_GB2312"}


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_page_numbers_4hao_songti_outside_edge(generated: Generated, kind: str) -> None:
    document = generated.open(kind)
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, alignment in ((section.footer, 2), (section.even_page_footer, 0)):  # odd right, even left
        (paragraph,) = footer.paragraphs
        assert paragraph.alignment == alignment
        field = paragraph._p.find(qn("w:fldSimple"))
        assert field is not None and field.get(qn("w:instr")).strip() == "PAGE"
        texts = [r.text for r in paragraph.runs]
        assert texts == ["— ", " —"]
        assert {(r.font.size, _east_asia(r._r)) for r in paragraph.runs} == {(Pt(14), "宋体")}


@pytest.mark.parametrize("kind", ["supervision-notice", "referral", "monthly", "quarterly", "plan"])
def test_seal_place_date_and_imprint(generated: Generated, kind: str) -> None:
    paragraphs = generated.open(kind).paragraphs
    texts = [p.text for p in paragraphs]
    seal = texts.index("（印章）")
    assert texts[seal + 1] == "淮北市安全生产委员会办公室"
    assert texts[seal + 2].endswith("日") and "年" in texts[seal + 2] and "-" not in texts[seal + 2]
    assert paragraphs[seal]._p.find(qn("w:bookmarkStart")).get(qn("w:name")) == "seal"
    cc = next(p for p in paragraphs if p.text.startswith("抄送："))
    assert "市安委会" in cc.text and cc.text.endswith("。")
    printed = paragraphs[-1]
    assert printed.text.startswith("淮北市安全生产委员会办公室\t") and printed.text.endswith("印发")
