"""The dashboard's charts on a phone (390×844) and a desk (1366×900) in Debian's chromium: each
fills its column (Material's ``figure { width: fit-content }`` once squeezed them to ~120 px), its
category labels do not overlap, and its numbers are in a table right after it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.site.conftest import Built, explain, serve
from tests.site.test_browser import Watch, browser  # noqa: F401  (the browser fixture)
from tests.site.test_register_phone import DESK, PHONE

CATEGORY_CHARTS = {"by_district", "by_industry", "by_department"}


@pytest.fixture(scope="module")
def site(sample_site: Built) -> Iterator[str]:
    assert sample_site.proc.returncode == 0, explain(sample_site.proc)
    yield from serve(sample_site.out)


def _overlaps(a: dict[str, float], b: dict[str, float]) -> bool:
    """Glyph boxes overlapping by more than a pixel or two (lines of one label may touch)."""
    return not (
        a["right"] <= b["left"] + 2
        or b["right"] <= a["left"] + 2
        or a["bottom"] <= b["top"] + 2
        or b["bottom"] <= a["top"] + 2
    )


@pytest.mark.parametrize("viewport", [PHONE, DESK], ids=["phone", "desk"])
@pytest.mark.parametrize("path", ["index.html"])
def test_charts_fill_their_column_with_readable_labels_and_a_table(
    browser: Any,  # noqa: F811
    site: str,
    sample_site: Built,
    viewport: dict[str, int],
    path: str,
) -> None:
    watch = Watch(site)
    page = browser.new_page()
    page.set_viewport_size(viewport)
    watch.attach(page)
    page.goto(site + path, wait_until="load")
    page.wait_for_selector('.rectify-chart[data-rendered="true"]')
    data = json.loads(page.locator("#rectify-dashboard-data").text_content() or "{}")
    charts = page.locator(".rectify-chart")
    assert charts.count() == 6
    column = page.evaluate("document.querySelector('.md-content__inner').clientWidth")
    for i in range(charts.count()):
        chart = charts.nth(i)
        name = chart.get_attribute("data-chart")
        svg = chart.locator("svg").first
        width = svg.evaluate("e => e.getBoundingClientRect().width")
        assert width >= 0.9 * column, f"{name}: {width:.0f} px in a column of {column} px"
        # its numbers in a table right after the figure (screen readers, print)
        follows = chart.evaluate(
            "e => { const n = e.closest('figure').nextElementSibling; return n ? n.tagName + '.' + n.className : ''; }"
        )
        assert follows == "TABLE.rectify-data", f"{name}: {follows}"
        if name in CATEGORY_CHARTS:
            names = list(data[name])
            boxes = chart.evaluate(
                """(e, names) => Array.from(e.querySelectorAll('svg text'))
                    .filter(t => names.some(n => n.startsWith(t.textContent) || t.textContent && n.includes(t.textContent)))
                    .map(t => { const r = t.getBoundingClientRect();
                                return {text: t.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom}; })""",
                names,
            )
            shown = "".join(b["text"] for b in boxes)
            for category in names:  # every category is labelled in full (wrapped, not cut)
                assert all(ch in shown for ch in category), (name, category, shown)
            for a in range(len(boxes)):
                for b in range(a + 1, len(boxes)):
                    assert not _overlaps(boxes[a], boxes[b]), (name, boxes[a], boxes[b])
            # labels stay inside the chart
            left = chart.evaluate("e => e.getBoundingClientRect().left")
            assert min(b["left"] for b in boxes) >= left - 1, name
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    watch.clean()
    page.close()
