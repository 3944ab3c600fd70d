"""Ways into the registers that lead somewhere: the home page's cards, county, department and
campaign pages open the register prefiltered for them (and the counts agree); a county page lists
its hazards; record pages have a breadcrumb and one title; a hazard page says in words when it will
be fixed. And the built folder, served as the README says (``python -m http.server``), works."""

from __future__ import annotations

import datetime as dt
import json
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from rectify.facts import facts_of
from tests.conftest import REPO
from tests.site.conftest import TODAY, Built, explain, serve
from tests.site.test_browser import Watch, browser  # noqa: F401  (the browser fixture)
from tests.site.test_register_phone import DESK, PHONE


@pytest.fixture(scope="module")
def site(sample_site: Built) -> Iterator[str]:
    assert sample_site.proc.returncode == 0, explain(sample_site.proc)
    yield from serve(sample_site.out)


def rows(sample_site: Built) -> list[dict[str, Any]]:
    data = json.loads((sample_site.out / "downloads" / "hazards.json").read_text(encoding="utf-8"))
    out: list[dict[str, Any]] = data["rows"]
    return out


def sample_registry() -> Any:
    from rectify.check import build_registry
    from rectify.paths import find

    registry, _diagnostics, _files = build_registry(find(REPO))
    return registry


def registry_hazards() -> dict[str, dict[str, Any]]:
    """The sample's hazards as the project's loader reads them (dates as ISO text)."""
    return {doc.id or "": doc.data for doc in sample_registry().records("hazard")}


def open_page(browser: Any, base: str, path: str, viewport: dict[str, int] = DESK) -> tuple[Any, Watch]:  # noqa: F811
    watch = Watch(base)
    page = browser.new_page()
    page.set_viewport_size(viewport)
    watch.attach(page)
    page.goto(base + path, wait_until="load")
    return page, watch


def follow_to_register(
    browser: Any,  # noqa: F811
    base: str,
    page: Any,
    link: Any,
    viewport: dict[str, int] = DESK,
) -> int:
    """Open a link to a register in a new page (the same window size); the number of rows it shows."""
    href = link.evaluate("a => a.href")
    assert href.startswith(base) and "?" in href, href
    target, watch = open_page(browser, base, href[len(base) :], viewport)
    target.wait_for_selector(".rectify-register[data-ready=true]")
    target.wait_for_timeout(100)
    shown = int(target.locator(".rectify-register").get_attribute("data-count") or -1)
    assert target.url == href, "the register keeps the filters it was opened with"
    watch.clean()
    target.close()
    return shown


@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["desk", "phone"])
def test_home_cards_open_the_register_with_the_same_count(
    browser: Any,  # noqa: F811
    site: str,
    viewport: dict[str, int],
) -> None:
    page, watch = open_page(browser, site, "index.html", viewport)
    cards = page.locator("a.rectify-card")
    labels = cards.locator("span").all_inner_texts()
    for label in ("重大事故隐患", "整改中（未逾期）", "逾期未整改", "已销号", "督办事项"):
        assert label in labels, labels
    checked = 0
    for i in range(cards.count()):
        card = cards.nth(i)
        number = int(card.locator("strong").inner_text())
        if "hazards/index.html" in (card.get_attribute("href") or ""):
            if "?" not in (card.get_attribute("href") or ""):
                continue  # all major hazards: the register unfiltered
            assert follow_to_register(browser, site, page, card) == number, card.inner_text()
            checked += 1
    assert checked == 3
    duties = page.locator("a.rectify-card", has_text="督办事项")
    assert (duties.get_attribute("href") or "").endswith("duties.html")
    watch.clean()
    page.close()


@pytest.mark.parametrize(
    ("path", "field", "value_of"),
    [
        ("organizations/suixi.html", "district", "suixi"),
        ("organizations/xiangshan.html", "district", "xiangshan"),
        ("organizations/city-emergency.html", "department", "city-emergency"),
        ("campaigns/CAMP-2023-002.html", "campaign", "CAMP-2023-002"),
    ],
)
@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["desk", "phone"])
def test_body_and_campaign_pages_open_their_prefiltered_registers(
    browser: Any,  # noqa: F811
    site: str,
    sample_site: Built,
    path: str,
    field: str,
    value_of: str,
    viewport: dict[str, int],
) -> None:
    hazards = registry_hazards()
    key = {
        "district": ("district",),
        "department": ("rectification", "department"),
        "campaign": ("campaign",),
    }
    mine = []
    for h in hazards.values():
        value: Any = h
        for part in key[field]:
            value = (value or {}).get(part)
        if value == value_of:
            mine.append(h)
    assert mine, "the sample has hazards for this page"
    page, watch = open_page(browser, site, path, viewport)
    links = page.locator(".rectify-ways a")
    assert links.count() == 2
    major = sum(1 for h in mine if h["level"] == "major")
    general = len(mine) - major
    assert follow_to_register(browser, site, page, links.nth(0), viewport) == major
    assert follow_to_register(browser, site, page, links.nth(1), viewport) == general
    if field == "district":  # a county page lists its hazards
        listed = set(page.locator("article table a[href*='hazards/20']").all_inner_texts())
        assert listed == {h["id"] for h in mine}
    watch.clean()
    page.close()


@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["desk", "phone"])
def test_campaign_list_links_to_the_register_and_shows_summary_completeness(
    browser: Any,  # noqa: F811
    site: str,
    viewport: dict[str, int],
) -> None:
    page, watch = open_page(browser, site, "campaigns/index.html", viewport)
    headers = page.locator("article table th").all_inner_texts()
    assert "总结评估" in headers and "隐患" in headers
    row = page.locator("article table tr", has_text="CAMP-2023-001")
    count = follow_to_register(browser, site, page, row.locator("a", has_text="查看"), viewport)
    hazards = registry_hazards()
    assert count == sum(
        1 for h in hazards.values() if h.get("campaign") == "CAMP-2023-001" and h["level"] == "major"
    )
    watch.clean()
    page.close()


class _Headings(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.h1 = 0
        self.crumbs: list[str] = []
        self._in_crumb = False
        self.when = ""
        self._in_when = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        cls = dict(attrs).get("class") or ""
        if tag == "h1":
            self.h1 += 1
        if tag == "nav" and "rectify-breadcrumb" in cls:
            self._in_crumb = True
        if tag == "li" and self._in_crumb:
            self.crumbs.append("")
        if tag == "p" and "rectify-when" in cls:
            self._in_when = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._in_crumb = False
        if tag == "p":
            self._in_when = False

    def handle_data(self, data: str) -> None:
        if self._in_crumb and self.crumbs:
            self.crumbs[-1] += data
        if self._in_when:
            self.when += data


def parse(path: Path) -> _Headings:
    parser = _Headings()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_record_pages_have_a_breadcrumb_and_one_title(sample_site: Built) -> None:
    out = sample_site.out
    pages = {
        "hazards/2023/HAZ-2023-00028.html": ["首页", "重大事故隐患台账", "HAZ-2023-00028"],
        "hazards/2023/HAZ-2023-00055.html": ["首页", "一般事故隐患", "HAZ-2023-00055"],
        "inspections/2023/INSP-2023-0005.html": ["首页", "检查", "INSP-2023-0005"],
    }
    enterprise = sorted((out / "enterprises").glob("9*.html"))[0]
    for rel, crumbs in pages.items():
        page = parse(out / rel)
        assert page.h1 == 1, rel
        assert page.crumbs == crumbs, (rel, page.crumbs)
    page = parse(enterprise)
    assert page.h1 == 1 and page.crumbs[:2] == ["首页", "企业"]
    for path in sorted((out / "hazards" / "2023").glob("*.html")):
        assert parse(path).h1 == 1, path


def cn(day: str) -> str:
    d = dt.date.fromisoformat(day)
    return f"{d.year}年{d.month}月{d.day}日"


def test_every_hazard_page_says_when_it_will_be_fixed(sample_site: Built) -> None:
    """The sentence, recomputed here from the records: status, deadline in force, extensions, days late."""
    today = dt.date.fromisoformat(TODAY)
    facts = facts_of(sample_registry())
    statuses = {"open": "待整改", "rectifying": "整改中", "awaiting_acceptance": "待验收", "closed": "已销号"}
    kinds = set()
    for hid, h in registry_hazards().items():
        when = parse(sample_site.out / "hazards" / hid[4:8] / f"{hid}.html").when.replace("整改情况：", "")
        if h["status"] == "closed":
            accepted = (h.get("acceptance") or {}).get("date")
            assert when == (f"已验收销号（{cn(str(accepted))}）。" if accepted else "已销号。"), (hid, when)
            kinds.add("closed" if accepted else "closed-without-acceptance")
            continue
        approved = [e for e in h.get("extensions") or [] if e.get("approved_on")]
        deadline = approved[-1]["new_deadline"] if approved else h["rectification"]["deadline"]
        # a last day on a rest day moves to the next working day, as the rules count (H-overdue)
        late = (today - facts.last_day(dt.date.fromisoformat(str(deadline)))).days
        extended = f"（已延期{len(approved)}次）" if approved else ""
        status = statuses[h["status"]]
        if late > 0:
            assert when.startswith(
                f"{status}，整改时限为{cn(str(deadline))}{extended}，已逾期 {late} 天。"
            ), (hid, when)
            kinds.add("late" + ("-extended" if approved else ""))
        else:
            assert when.startswith(f"{status}，应于{cn(str(deadline))}前完成{extended}。"), (hid, when)
            kinds.add("due")
    assert {"closed", "late", "late-extended", "due"} <= kinds, kinds
    # the same count as the rules' message (HAZ-2023-00055: due on a Sunday, late from Tuesday)
    when = parse(sample_site.out / "hazards" / "2023" / "HAZ-2023-00055.html").when
    assert "整改时限为2023年12月10日，已逾期 20 天" in when, when


def test_extension_history_on_the_hazard_page(sample_site: Built) -> None:
    text = (sample_site.out / "hazards" / "2023" / "HAZ-2023-00028.html").read_text(encoding="utf-8")
    assert "延期记录" in text
    h = registry_hazards()["HAZ-2023-00028"]
    for ext in h["extensions"]:
        assert str(ext["new_deadline"]) in text and str(ext["requested_on"]) in text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_built_folder_served_as_the_readme_says(browser: Any, sample_site: Built) -> None:  # noqa: F811
    """No file-share promise is left; the README's command serves a working register and charts."""
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert "also works from a file share" not in config
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    command = re.search(r"python3 -m http\.server 8000 --bind 127\.0\.0\.1", readme)
    assert command and "file://" in readme
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=sample_site.out,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}/"
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        page, watch = open_page(browser, base, "hazards/index.html")
        page.wait_for_selector(".rectify-register[data-ready=true]")
        assert int(page.locator(".rectify-register").get_attribute("data-count") or 0) > 10
        page.goto(base + "index.html")
        page.wait_for_selector('.rectify-chart[data-rendered="true"]')
        assert page.locator('.rectify-chart[data-rendered="true"]').count() == 6
        watch.clean()
        page.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
