"""Word refuses a file whose paragraph or run properties are out of schema order (LibreOffice does
not mind, so the PDF test cannot catch it): check every w:pPr, w:rPr and w:pBdr of every part."""

from __future__ import annotations

import zipfile
from xml.etree import ElementTree

import pytest

from tests.documents.conftest import SAMPLES, Generated

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ORDER = {
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
    "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
    "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
    "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
    "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText "
    "vertAlign rtl cs em lang eastAsianLayout specVanish oMath",
    "pBdr": "top left bottom right between bar",
}


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_properties_in_schema_order(generated: Generated, kind: str) -> None:
    checked = 0
    with zipfile.ZipFile(generated.path(kind)) as package:
        for name in package.namelist():
            if not name.startswith("word/") or not name.endswith(".xml"):
                continue
            root = ElementTree.fromstring(package.read(name))
            for parent, order in ORDER.items():
                rank = {tag: i for i, tag in enumerate(order.split())}
                for element in root.iter(W + parent):
                    tags = [child.tag.removeprefix(W) for child in element]
                    known = [rank[t] for t in tags if t in rank]
                    assert known == sorted(known), (name, parent, tags)
                    checked += 1
    assert checked > 100
