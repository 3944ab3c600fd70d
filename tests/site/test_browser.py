"""The built site in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright):
the register filter narrows the table, Chinese search finds hazard pages, charts render, a record
page shows its timeline, the feed a page announces has absolute links — on a phone (390×844) and a
desk (1366×900) — no page logs a JavaScript error, nothing is loaded from outside the site, and
markup planted in the registry never runs. (Every page template at both sizes: test_a11y.py.)"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO
from tests.helpers import CHROMIUM
from tests.site.conftest import DESK, PAYLOAD_HAZARD, PHONE, Built, explain, serve

playwright_api = pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI needs chromium for the site's browser tests (scripts/test.sh installs it)")
    pytest.skip("chromium is not installed", allow_module_level=True)


@dataclass
class Watch:
    """Console errors, page errors, dialogs and requests that left the site."""

    base: str
    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def attach(self, page: Any) -> None:
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on(
            "request",
            lambda r: None if r.url.startswith((self.base, "data:", "blob:")) else self.outside.append(r.url),
        )

    def clean(self) -> None:
        assert not self.errors, self.errors
        assert not self.outside, self.outside
        assert not self.dialogs, self.dialogs


@pytest.fixture(scope="module")
def browser(chromium: Any) -> Any:
    """The session's one chromium (conftest ``chromium``): modules import this name."""
    return chromium


@pytest.fixture(scope="module")
def site(sample_site: Built) -> Iterator[str]:
    assert sample_site.proc.returncode == 0, explain(sample_site.proc)
    yield from serve(sample_site.out)


SIZES = {"argvalues": [PHONE, DESK], "ids": ["phone", "desk"]}


def open_page(
    browser: Any, base: str, path: str, viewport: dict[str, int] | None = None
) -> tuple[Any, Watch]:
    watch = Watch(base)
    page = browser.new_page()
    if viewport:
        page.set_viewport_size(viewport)
    watch.attach(page)
    page.goto(base + path, wait_until="load")
    return page, watch


def search(page: Any, query: str) -> int:
    """Type ``query`` once the page has settled; nudge the box (a space typed and removed) while
    the search worker is still building its index (a query typed before that is not answered)."""
    page.wait_for_load_state("networkidle")
    box = page.locator("input.md-search__input")
    opener = page.locator('label.md-header__button[for="__search"]')
    if opener.is_visible():  # on a phone the box opens from the header's search button
        opener.click()
    box.click()
    box.fill(query)
    for attempt in range(120):  # the worker builds its index in the page: slow on a busy machine
        page.wait_for_timeout(1000)
        count = int(page.locator(".md-search-result__item").count())
        if count:
            return count
        if attempt % 10 == 9:
            box.press("End")
            box.type(" ")
            box.press("Backspace")
    return 0


def test_register_filter_narrows_the_table(browser: Any, site: str) -> None:
    """The desk's header filters (the phone's selects: test_register_phone.py)."""
    page, watch = open_page(browser, site, "hazards/index.html", DESK)
    page.wait_for_selector(".rectify-register[data-ready=true]")
    box = page.locator(".rectify-register")
    total = int(box.get_attribute("data-count") or 0)
    assert total > 10
    rows_before = page.locator(".tabulator-row").count()
    header = page.locator('.tabulator-col[tabulator-field="district"] .tabulator-header-filter input')
    header.click()
    option = page.locator(".tabulator-edit-list-item").filter(has_text="濉溪县").first
    option.click()
    page.wait_for_function(f"Number(document.querySelector('.rectify-register').dataset.count) < {total}")
    narrowed = int(box.get_attribute("data-count") or 0)
    assert 0 < narrowed < total
    assert page.locator(".tabulator-row").count() <= min(rows_before, narrowed)
    cells = page.locator('.tabulator-row .tabulator-cell[tabulator-field="district"]').all_inner_texts()
    assert cells and all("濉溪县" in c for c in cells), cells
    # sorting by deadline keeps the filtered rows
    page.locator('.tabulator-col[tabulator-field="deadline"] .tabulator-col-title').click()
    assert int(box.get_attribute("data-count") or 0) == narrowed
    # a link in the table opens the hazard's page
    first = page.locator('.tabulator-row .tabulator-cell[tabulator-field="id"] a').first
    href = first.get_attribute("href") or ""
    assert href.startswith("../hazards/2023/HAZ-") or href.startswith("2023/HAZ-"), href
    first.click()
    page.wait_for_selector(".rectify-timeline")
    watch.clean()
    page.close()


@pytest.mark.parametrize("viewport", **SIZES)
@pytest.mark.parametrize("query", ["隐患", "燃气", "濉溪县", "挂牌督办"])
def test_chinese_search_finds_pages(browser: Any, site: str, query: str, viewport: dict[str, int]) -> None:
    page, watch = open_page(browser, site, "index.html", viewport)
    assert search(page, query) > 0, f"no result for {query}"
    meta = page.locator(".md-search-result__meta").inner_text()
    assert any(ch.isdigit() for ch in meta), meta
    titles = " ".join(page.locator(".md-search-result__item").all_inner_texts()).replace("\u200b", "")
    assert query in titles, titles[:500]
    links = [a.get_attribute("href") or "" for a in page.locator(".md-search-result__item a").all()]
    assert any(re.search(r"hazards/20\d\d/HAZ-", link) for link in links), links[:10]
    # the results are on screen, within the window
    first = page.locator(".md-search-result__item").first.bounding_box()
    assert first and first["x"] >= 0 and first["x"] + first["width"] <= viewport["width"], first
    watch.clean()
    page.close()


@pytest.mark.parametrize("viewport", **SIZES)
def test_dashboard_charts_render(browser: Any, site: str, viewport: dict[str, int]) -> None:
    page, watch = open_page(browser, site, "index.html", viewport)
    page.wait_for_selector('.rectify-chart[data-rendered="true"]')
    charts = page.locator(".rectify-chart")
    assert charts.count() == 6
    for i in range(charts.count()):
        chart = charts.nth(i)
        assert chart.get_attribute("data-rendered") == "true"
        assert chart.locator("svg path").count() > 3, chart.get_attribute("data-chart")
    assert page.locator("table.rectify-data").count() >= 6, "the numbers are also in tables"
    watch.clean()
    page.close()


@pytest.mark.parametrize("viewport", **SIZES)
def test_record_page_shows_timeline(browser: Any, site: str, viewport: dict[str, int]) -> None:
    page, watch = open_page(browser, site, "hazards/2023/HAZ-2023-00001.html", viewport)
    events = page.locator(".rectify-timeline li")
    assert events.count() >= 4
    text = page.locator(".rectify-timeline").inner_text()
    for kind in ("发现", "整改进展", "验收", "登记册修改"):
        assert kind in text
    watch.clean()
    page.close()


@pytest.mark.parametrize("viewport", **SIZES)
def test_announced_feeds_have_absolute_links(browser: Any, site: str, viewport: dict[str, int]) -> None:
    """As a feed reader finds them from a page (auto-discovery): every link is absolute, under
    site_url, and the page it names exists in the served site."""
    base = yaml.safe_load((REPO / "registry" / "jurisdiction.yaml").read_text(encoding="utf-8"))["site"][
        "url"
    ]
    page, watch = open_page(browser, site, "hazards/2023/HAZ-2023-00001.html", viewport)
    feeds = page.locator('link[rel~="alternate"][type$="+xml"]')
    assert feeds.count() == 2
    for i in range(feeds.count()):
        url = page.evaluate("e => e.href", feeds.nth(i).element_handle())
        response = page.request.get(url)
        assert response.ok, url
        root = ET.fromstring(response.text())
        links = [e.get("href") or "" for e in root.iter("{http://www.w3.org/2005/Atom}link")]
        links += [e.text or "" for e in root.iter("link")]
        assert len(links) > 10, url
        for link in links:
            assert link.startswith(base), link
        for link in sorted(set(links))[:40]:
            assert page.request.get(site + link[len(base) :].split("#")[0]).ok, link
    watch.clean()
    page.close()


def test_no_page_logs_an_error(browser: Any, site: str, sample_site: Built) -> None:
    pages = [p.relative_to(sample_site.out).as_posix() for p in sorted(sample_site.out.rglob("*.html"))]
    index_pages = [
        p
        for p in pages
        # admin/ is the web form, its own application (it probes for a local backend when served
        # from 127.0.0.1): tests/cms/test_e2e.py drives it end to end
        if p.count("/") <= 1 and not p.startswith(("enterprises/9", "organizations/c", "admin/", "404.html"))
    ]
    # 404.html is served for any missing path, so MkDocs writes its links from site_url's path
    # (jurisdiction.yaml site.url); this test serves the folder at /, where they cannot load
    not_found = (sample_site.out / "404.html").read_text(encoding="utf-8")
    local = re.findall(r'(?:href|src)="(/[^"]*)"', not_found)
    assert local and all(link.startswith("/zxzz/") for link in local), local
    some_records = [p for p in pages if p.startswith(("hazards/2023/", "inspections/", "enterprises/"))][:6]
    for path in index_pages + some_records:
        page, watch = open_page(browser, site, path)
        page.wait_for_load_state("networkidle")
        try:
            watch.clean()
        except AssertionError as exc:
            raise AssertionError(f"{path}: {exc}") from None
        page.close()


def test_planted_markup_never_runs(browser: Any, planted_public: Built) -> None:
    assert planted_public.proc.returncode == 0, explain(planted_public.proc)
    for base in serve(planted_public.out):
        for path in (f"hazards/2023/{PAYLOAD_HAZARD}.html", "hazards/index.html", "index.html"):
            page, watch = open_page(browser, base, path)
            if path == "hazards/index.html":
                page.wait_for_selector(".rectify-register[data-ready=true]")
            page.wait_for_load_state("networkidle")
            assert page.evaluate("window.__pwned") is None, path
            watch.clean()
            if path.startswith("hazards/2023"):
                text = page.locator("article").inner_text()
                assert "<script>window.__pwned = 'script'</script>" in text
                assert "javascript:window.__pwned='link'" in text
                assert "{{ config.site_name }}" in text and "**粗体**" in text
                assert page.locator("article a[href^='javascript']").count() == 0
            page.close()
        # search results show the payload as text too
        page, watch = open_page(browser, base, "index.html")
        assert search(page, "隐患标题") > 0
        assert page.evaluate("window.__pwned") is None
        watch.clean()
