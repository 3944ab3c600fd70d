"""Markup planted in every label source of the registry (district, town and department names,
campaign titles, enterprise names, people's names and titles, standards, the city's name, hazard
text) never runs in the built site, public or internal: not in the register's cells, not in the
items of its header-filter drop-downs, not in chart tooltips, not on record pages, not in search
results. Each payload sets ``window.__pwned`` or requests a URL containing ``pwned`` if it ever
becomes markup; the tests also find it shown literally, as text."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from rectify.site.html import plain
from tests.site.conftest import LABELS, PAYLOAD_HAZARD, PHONE, STANDARD_TITLE, Built, explain, serve
from tests.site.test_browser import Watch, browser, search  # noqa: F401  (the browser fixture)

FILTERS = ("district", "industry", "status", "campaign", "supervision", "overdue")
# any element a payload could create, or any attribute that runs script
ACTIVE = (
    "script:not([type='application/json']), iframe, object, embed, svg[onload], img[onerror], details[ontoggle], "
    "a[href^='javascript'], [onerror], [onload], [ontoggle], [onclick]"
)


def label(rel: str, field: str) -> str:
    """The full planted text of one label source."""
    return next(before + markup for r, f, before, markup in LABELS if (r, f) == (rel, field))


DISTRICT = label("organizations/xiangshan.yaml", "name")
DEPARTMENT = label("organizations/city-fire.yaml", "name")
CAMPAIGN = label("campaigns/CAMP-2023-005.yaml", "title")
ENTERPRISE = label("enterprises/91340603MA2LU3RJWK.yaml", "name")
PERSON = label("people/fang-lin-yh.yaml", "name")
TOWN = label("organizations/shitai.yaml", "name")
CITY = label("jurisdiction.yaml", "name")


class PwnWatch(Watch):
    """Also records every request a payload would make (its URL contains ``pwned``)."""

    pwned: list[str]

    def attach(self, page: Any) -> None:
        super().attach(page)
        self.pwned = []
        page.on("request", lambda r: self.pwned.append(r.url) if "pwned" in r.url else None)

    def safe(self, page: Any, where: str) -> None:
        assert page.evaluate("window.__pwned") is None, f"{where}: {page.evaluate('window.__pwned')}"
        assert not self.pwned, f"{where}: {self.pwned}"
        assert not self.dialogs, f"{where}: {self.dialogs}"
        assert not self.errors, f"{where}: {self.errors}"
        where_data = "article, .tabulator-edit-list, .md-search-result, .rectify-chart"
        active = page.locator(f":is({where_data}) :is({ACTIVE})")
        assert active.count() == 0, f"{where}: {active.first.evaluate('e => e.outerHTML')}"


@pytest.fixture(scope="module", params=["public", "internal"])
def site(request: pytest.FixtureRequest) -> Iterator[str]:
    built: Built = request.getfixturevalue(f"planted_{request.param}")
    assert built.proc.returncode == 0, explain(built.proc)
    yield from serve(built.out)


def open_watched(browser: Any, base: str, path: str) -> tuple[Any, PwnWatch]:  # noqa: F811
    watch = PwnWatch(base)
    page = browser.new_page()
    watch.attach(page)
    page.goto(base + path, wait_until="load")
    return page, watch


@pytest.mark.parametrize("register", ["hazards/index.html", "hazards/general.html"])
def test_every_filter_drop_down_shows_labels_as_text(browser: Any, site: str, register: str) -> None:  # noqa: F811
    page, watch = open_watched(browser, site, register)
    page.wait_for_selector(".rectify-register[data-ready=true]")
    shown: dict[str, list[str]] = {}
    for field in FILTERS:
        box = page.locator(f'.tabulator-col[tabulator-field="{field}"] .tabulator-header-filter input')
        box.click()
        page.wait_for_selector(".tabulator-edit-list .tabulator-edit-list-item")
        items = page.locator(".tabulator-edit-list .tabulator-edit-list-item")
        shown[field] = items.all_inner_texts()
        assert page.locator(f".tabulator-edit-list :is({ACTIVE}), .tabulator-edit-list img").count() == 0
        watch.safe(page, f"{register} {field}")
        page.keyboard.press("Escape")
        page.locator("h1").click()
    if register == "hazards/index.html":  # the planted hazard is a major one
        assert DISTRICT in shown["district"], shown["district"]
        assert CAMPAIGN in shown["campaign"], shown["campaign"]
        # choosing the planted label filters by it, and the cells show it as text
        box = page.locator('.tabulator-col[tabulator-field="district"] .tabulator-header-filter input')
        box.click()
        page.locator(".tabulator-edit-list-item").filter(has_text="相山区人民政府").first.click()
        page.wait_for_function(
            "Number(document.querySelector('.rectify-register').dataset.count) > 0"
            " && document.querySelectorAll('.tabulator-row').length > 0"
        )
        cells = page.locator('.tabulator-row .tabulator-cell[tabulator-field="district"]').all_inner_texts()
        assert cells and all(c == DISTRICT for c in cells), cells
        titles = page.locator('.tabulator-row .tabulator-cell[tabulator-field="title"]').all_inner_texts()
        assert any("<script>window.__pwned = 'script'</script>" in t for t in titles), titles
        assert box.input_value() == DISTRICT
    watch.safe(page, register)
    page.close()


@pytest.mark.parametrize("register", ["hazards/index.html", "hazards/general.html"])
def test_phone_cards_and_selects_show_labels_as_text(browser: Any, site: str, register: str) -> None:  # noqa: F811
    """On a phone the register is drawn again, as cards and selects: the same labels, as text."""
    page = browser.new_page()
    page.set_viewport_size(PHONE)
    watch = PwnWatch(site)
    watch.attach(page)
    page.goto(site + register, wait_until="load")
    page.wait_for_selector(".rectify-register[data-ready=true]")
    page.locator("details.rectify-phone summary").click()
    options = {
        field: page.locator(f'.rectify-controls select[name="{field}"] option').all_inner_texts()
        for field in ("district", "campaign", "department")
    }
    assert page.locator(f".rectify-controls :is({ACTIVE}), .rectify-controls img").count() == 0
    watch.safe(page, f"{register} selects")
    if register == "hazards/index.html":
        assert DISTRICT in options["district"] and CAMPAIGN in options["campaign"], options
        assert DEPARTMENT in options["department"], options
        page.locator('select[name="district"]').select_option(DISTRICT)
        page.wait_for_function("location.search.includes('district=')")
        cards = page.locator(".rectify-hazard-card")
        assert cards.count() > 0
        text = "\n".join(cards.all_inner_texts())
        assert DISTRICT in text and "<script>window.__pwned = 'script'</script>" in text, text[:500]
        assert cards.locator(f":is({ACTIVE}), img").count() == 0
    watch.safe(page, f"{register} cards")
    page.close()


def test_chart_tooltips_show_labels_as_text(browser: Any, site: str) -> None:  # noqa: F811
    page, watch = open_watched(browser, site, "index.html")
    page.wait_for_selector('.rectify-chart[data-rendered="true"]')
    charts = page.locator(".rectify-chart")
    seen: list[str] = []
    for i in range(charts.count()):
        chart = charts.nth(i)
        chart.scroll_into_view_if_needed()
        for path in chart.locator("svg path").all()[:40]:  # a real mouse over bars and slices
            if path.is_visible():
                path.hover(force=True, timeout=2000)
                seen.append(chart.inner_text())
        # and every data item through ECharts' own tooltip action
        tips = page.evaluate(
            """el => {
                const chart = echarts.getInstanceByDom(el), out = [];
                chart.getOption().series.forEach((s, si) => s.data.forEach((_, di) => {
                    chart.dispatchAction({type: 'showTip', seriesIndex: si, dataIndex: di});
                    out.push(el.innerText);
                }));
                return out;
            }""",
            chart.element_handle(),
        )
        seen.extend(tips)
        watch.safe(page, f"chart {chart.get_attribute('data-chart')}")
    text = "\n".join(seen)
    assert DISTRICT in text, "the district's tooltip shows its name as text"
    assert DEPARTMENT in text, "the department's tooltip shows its name as text"
    # headings and page titles show registry text through html.plain (look-alike full-width brackets)
    assert plain(CITY) in page.locator("article h1").inner_text()
    watch.safe(page, "index.html")
    page.close()


PAGES = {
    f"hazards/2023/{PAYLOAD_HAZARD}.html": [DISTRICT, DEPARTMENT, CAMPAIGN, ENTERPRISE, STANDARD_TITLE],
    "enterprises/91340603MA2LU3RJWK.html": [ENTERPRISE, DISTRICT, DEPARTMENT],
    "organizations/xiangshan.html": [DISTRICT],
    "organizations/shitai.html": [TOWN],
    "campaigns/CAMP-2023-005.html": [CAMPAIGN],
    "campaigns/index.html": [CAMPAIGN],
    "reports/summary.html": [DISTRICT],
    "enterprises/index.html": [ENTERPRISE],
    "organizations/index.html": [DISTRICT, TOWN, DEPARTMENT],
    "hazards/general.html": [],
    "actions/index.html": [],
    "inspections/index.html": [],
    "downloads.html": [],
}


@pytest.mark.parametrize("path", sorted(PAGES))
def test_record_and_index_pages_show_labels_as_text(browser: Any, site: str, path: str) -> None:  # noqa: F811
    page, watch = open_watched(browser, site, path)
    page.wait_for_load_state("networkidle")
    text = page.locator("article").inner_text()
    for expected in PAGES[path]:
        assert expected in text, f"{path}: {expected!r} not shown as text"
    title = page.title()
    assert "<" not in title and "{{" not in title, title
    watch.safe(page, path)
    page.close()


def test_person_names_are_text_where_shown(browser: Any, site: str) -> None:  # noqa: F811
    page, watch = open_watched(browser, site, "enterprises/91340603MA2LU3RJWK.html")
    text = page.locator("article").inner_text()
    assert PERSON in text or "总经理" in text  # shown by name, or by role where anonymized
    watch.safe(page, "enterprise page")
    page.close()


@pytest.mark.parametrize("query", ["pwned"])  # in the payloads: results show them
def test_search_results_show_labels_as_text(browser: Any, site: str, query: str) -> None:  # noqa: F811
    for _attempt in range(3):  # a fresh page when the search worker never answered (busy machine)
        page, watch = open_watched(browser, site, "index.html")
        found = search(page, query)
        if found:
            break
        meta = page.locator(".md-search-result__meta").inner_text()
        page.close()
    assert found > 0, f"{query}: {meta}"
    page.wait_for_timeout(500)
    results = page.locator(".md-search-result")
    assert query in results.inner_text()
    active = results.locator(ACTIVE)
    assert active.count() == 0, active.first.evaluate("e => e.outerHTML")
    watch.safe(page, f"search {query}")
    page.close()
