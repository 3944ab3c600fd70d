"""Legible for older readers (GB/T 37668, the 适老化 guidance for government sites) in Debian's
chromium: text set to 200 % loses nothing, body text on a phone is 16 px at least, and the
register's controls, cards and the pages' standalone links are 44×44 px targets on a phone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.site.conftest import Built, explain, serve
from tests.site.test_browser import Watch
from tests.site.test_register_phone import DESK, PHONE

TEXT_200 = ["index.html", "hazards/index.html", "hazards/general.html", "hazards/2023/HAZ-2023-00001.html"]
TEXT_200 += [
    "campaigns/index.html",
    "campaigns/CAMP-2023-001.html",
    "organizations/suixi.html",
    "duties.html",
]
TARGET = 44

# elements whose text is cut (overflow hidden or clipped while their content is wider): a box may
# scroll (the register's table), a cell may not cut its id
CLIPPED = """() => Array.from(document.querySelectorAll('.md-content *')).filter(e => {
    const s = getComputedStyle(e);
    if (!e.clientWidth || ['visible', 'auto', 'scroll'].includes(s.overflowX)) return false;
    return e.scrollWidth > e.clientWidth + 1 || (s.overflowY !== 'visible' && e.scrollHeight > e.clientHeight + 1
           && !['auto', 'scroll'].includes(s.overflowY));
  }).map(e => e.tagName + '.' + e.className + ' ' + e.textContent.trim().slice(0, 30))"""
# the page's main blocks and the article's blocks, as boxes: none may overlap another
BLOCKS = """() => {
  const box = e => { const r = e.getBoundingClientRect();
    return {name: e.tagName + '.' + e.className.toString().slice(0, 30) + ' ' + e.textContent.trim().slice(0, 20),
            left: r.left, right: r.right, top: r.top + scrollY, bottom: r.bottom + scrollY}; };
  const shown = e => { const s = getComputedStyle(e); const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && !['absolute', 'fixed'].includes(s.position)
           && r.right > 0 && r.left < innerWidth; };
  const lean = document.body.classList.contains('rectify-lean');  // a record page: its own small frame
  const frame = lean ? ['.rectify-lean-header', 'main', '.rectify-lean-footer']
    : ['.md-header', '.md-sidebar--primary', '.md-content', '.md-sidebar--secondary', '.md-footer'];
  const main = frame.map(q => document.querySelector(q)).filter(e => e && shown(e));
  let root = document.querySelector('article');
  while (root.children.length === 1) root = root.children[0];  // a record page's wrapper
  const article = Array.from(root.children).filter(shown);
  return {main: main.map(box), article: article.map(box)};
}"""


@pytest.fixture(scope="module")
def site(sample_site: Built) -> Iterator[str]:
    assert sample_site.proc.returncode == 0, explain(sample_site.proc)
    yield from serve(sample_site.out)


def overlapping(boxes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    out = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if min(a["right"], b["right"]) - max(a["left"], b["left"]) > 1 and (
                min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 1
            ):
                out.append((a["name"], b["name"]))
    return out


def settle(page: Any) -> None:
    if page.locator(".rectify-register").count():
        page.wait_for_selector(".rectify-register[data-ready=true]")
    if page.locator(".rectify-chart").count():
        page.wait_for_selector('.rectify-chart[data-rendered="true"]')
    page.wait_for_load_state("networkidle")


WIDE = {"width": 1920, "height": 1080}  # wide enough for the register's table at 200 % text


@pytest.mark.parametrize(
    "path, window",
    [(p, DESK) for p in TEXT_200] + [("hazards/index.html", WIDE)],
    ids=[p for p in TEXT_200] + ["hazards/index.html@1920"],
)
def test_text_at_200_percent_loses_nothing(
    chromium: Any, site: str, path: str, window: dict[str, int]
) -> None:
    """WCAG 1.4.4 (resize text) as a reader does it: the browser's text size setting doubled
    (Chromium's default font size 16 → 32 px and fixed 13 → 26 px, set through the DevTools
    protocol's ``Page.setFontSizes`` — the setting behind chrome://settings/fonts), in a
    1366×900 window. Material sizes everything from the root's 125 % and its breakpoints in em,
    so all text doubles and the layout reflows as at 683 px. Nothing may be lost: the page does
    not scroll sideways (the register's table may scroll in its own box), the title and the
    hazard's answer to "when" are whole and in view, no text is cut by its box, and no block
    overlaps another. At 1920 px the register keeps its table, whose cells show ids and dates
    whole at the doubled size."""
    watch = Watch(site)
    page = chromium.new_page()
    page.set_viewport_size(window)
    watch.attach(page)
    page.goto(site + path, wait_until="load")
    settle(page)
    normal = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset')).fontSize)")
    cdp = page.context.new_cdp_session(page)
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
    try:
        page.reload(wait_until="load")
        settle(page)
        big = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset')).fontSize)")
        assert normal >= 16 and big >= 32, (normal, big)  # twice the 16 px body text at least
        assert page.evaluate("document.documentElement.scrollWidth") <= window["width"]
        if window is WIDE:
            assert page.locator(".rectify-table").is_visible(), "the table, not the cards"
        for selector in ["article h1"] + ([".rectify-when"] if path.startswith("hazards/20") else []):
            element = page.locator(selector).first
            assert element.is_visible(), selector
            box = element.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= window["width"], (selector, box)
            assert element.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), selector
        clipped = page.evaluate(CLIPPED)
        assert not clipped, clipped[:10]
        blocks = page.evaluate(BLOCKS)
        assert len(blocks["main"]) >= 3 and len(blocks["article"]) >= 2, blocks
        for group in ("main", "article"):
            assert not overlapping(blocks[group]), (group, overlapping(blocks[group])[:5])
        watch.clean()
    finally:
        cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 16, "fixed": 13}})
        cdp.detach()
        page.close()


def font_sizes(page: Any, selector: str) -> list[tuple[str, float]]:
    found: list[tuple[str, float]] = page.evaluate(
        """s => Array.from(document.querySelectorAll(s)).filter(e => e.getClientRects().length && e.textContent.trim())
              .map(e => [e.tagName + ' ' + e.textContent.trim().slice(0, 20), parseFloat(getComputedStyle(e).fontSize)])""",
        selector,
    )
    return found


def small_targets(page: Any, selector: str) -> list[tuple[str, float, float]]:
    found: list[tuple[str, float, float]] = page.evaluate(
        """s => Array.from(document.querySelectorAll(s)).filter(e => e.getClientRects().length)
              .map(e => { const r = e.getBoundingClientRect(); return [e.tagName + ' ' + e.textContent.trim().slice(0, 20), r.width, r.height]; })
              .filter(t => t[1] < 44 || t[2] < 44)""",
        selector,
    )
    return found


def test_phone_register_text_and_targets(chromium: Any, site: str) -> None:
    watch = Watch(site)
    page = chromium.new_page()
    page.set_viewport_size(PHONE)
    watch.attach(page)
    page.goto(site + "hazards/index.html", wait_until="load")
    settle(page)
    page.locator("details.rectify-phone summary").click()
    text = ".md-typeset p, .md-typeset li, .md-typeset dd, .md-typeset dt, .rectify-controls label span, .rectify-controls select"
    small = [(what, size) for what, size in font_sizes(page, text) if size < 16]
    assert not small, small[:10]
    controls = ".rectify-controls select, .rectify-controls summary, .rectify-hazard-card a, .rectify-more"
    assert page.locator(controls).count() > 20
    small_t = small_targets(page, controls)
    assert not small_t, small_t[:10]
    watch.clean()
    page.close()


@pytest.mark.parametrize(
    "path, targets",
    [
        ("index.html", "a.rectify-card"),
        ("hazards/2023/HAZ-2023-00001.html", ".rectify-breadcrumb a"),
        ("inspections/2023/INSP-2023-0001.html", ".rectify-breadcrumb a"),
    ],
)
def test_phone_pages_text_and_targets(chromium: Any, site: str, path: str, targets: str) -> None:
    watch = Watch(site)
    page = chromium.new_page()
    page.set_viewport_size(PHONE)
    watch.attach(page)
    page.goto(site + path, wait_until="load")
    settle(page)
    small = [
        (what, size) for what, size in font_sizes(page, "article p, article li, article dd") if size < 16
    ]
    assert not small, small[:10]
    assert page.locator(targets).count() >= 2, targets
    small_t = small_targets(page, targets)
    assert not small_t, small_t[:10]
    watch.clean()
    page.close()
