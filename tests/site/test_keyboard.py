"""The site with a keyboard only (Debian's chromium at 1366×900 and 390×844): Tab reaches every
filter of the registers and every link and control of the main templates, each shows a strong
focus ring (its computed outline or box-shadow differs from the unfocused element's, at least
2 px wide), the header filters' drop-down lists and the phone's selects work with the arrow keys
and Enter, a column sorts with Enter and Space, and what the keyboard chose is in the URL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.site.conftest import Built, explain, serve
from tests.site.test_browser import Watch
from tests.site.test_register_phone import DESK, PHONE, card_ids, count, open_register, rows_of, table_ids

# what the focused element is, and how it is drawn focused (kept on window.__focused) and not
RING = """() => {
  const e = document.activeElement;
  const style = el => { const s = getComputedStyle(el);
    return {outline: s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth), color: s.outlineColor,
            shadow: s.boxShadow}; };
  const col = e.closest('.tabulator-col');
  window.__focused = e;
  return {tag: e.tagName, name: e.getAttribute('name') || '', role: e.getAttribute('role') || '',
          field: col && e.matches('.tabulator-header-filter input') ? col.getAttribute('tabulator-field') : '',
          sorts: col && e.matches('.tabulator-col-title-holder') ? col.getAttribute('tabulator-field') : '',
          label: (e.getAttribute('aria-label') || e.textContent || '').trim().slice(0, 40),
          visible: e.getClientRects().length > 0, style: style(e),
          onScreen: (r => r.right > 0 && r.left < innerWidth && r.bottom > 0 && r.top < innerHeight)(e.getBoundingClientRect())};
}"""
UNFOCUSED = """() => { const s = getComputedStyle(window.__focused);
  return {outline: s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth), color: s.outlineColor, shadow: s.boxShadow}; }"""


@pytest.fixture(scope="module")
def site(sample_site: Built) -> Iterator[str]:
    assert sample_site.proc.returncode == 0, explain(sample_site.proc)
    yield from serve(sample_site.out)


def ring_problems(page: Any, stops: int) -> list[str]:
    """Tab through the page; every stop must be on screen and show a ring (outline ≥ 2 px or a
    box-shadow) that the element does not have unfocused."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    bad: list[str] = []
    previous: dict[str, Any] | None = None
    for _ in range(stops):
        page.keyboard.press("Tab")
        if previous is not None:
            previous["unfocused"] = page.evaluate(UNFOCUSED)
            bad += _judge(previous)
        now: dict[str, Any] = page.evaluate(RING)
        if now["tag"] == "BODY":
            previous = None
            break
        previous = now
    if previous is not None:
        page.evaluate("window.__focused.blur()")
        previous["unfocused"] = page.evaluate(UNFOCUSED)
        bad += _judge(previous)
    return bad


def _judge(stop: dict[str, Any]) -> list[str]:
    if not stop["onScreen"]:
        return [f"{stop['tag']} {stop['label']!r}: focused off screen (a closed drawer or panel)"]
    focused, unfocused = stop["style"], stop["unfocused"]
    ring = (focused["outline"] >= 2 and "rgba(0, 0, 0, 0)" not in focused["color"]) or focused[
        "shadow"
    ] != "none"
    if ring and focused != unfocused:
        return []
    return [f"{stop['tag']} {stop['label']!r}: focused {focused}, unfocused {unfocused}"]


@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["desk", "phone"])
@pytest.mark.parametrize(
    "path", ["index.html", "hazards/index.html", "hazards/2023/HAZ-2023-00001.html", "duties.html"]
)
def test_every_stop_shows_a_focus_ring(
    chromium: Any,
    site: str,
    path: str,
    viewport: dict[str, int],
) -> None:
    watch = Watch(site)
    page = chromium.new_page()
    page.set_viewport_size(viewport)
    watch.attach(page)
    page.goto(site + path, wait_until="load")
    if path.startswith("hazards/index"):
        page.wait_for_selector(".rectify-register[data-ready=true]")
    page.wait_for_load_state("networkidle")
    bad = ring_problems(page, 60)
    assert not bad, "\n".join(bad)
    watch.clean()
    page.close()


def reach(page: Any, want: Any, stops: int = 120) -> dict[str, Any]:
    """Press Tab until ``want(stop)`` holds for the focused element."""
    for _ in range(stops):
        page.keyboard.press("Tab")
        stop: dict[str, Any] = page.evaluate(RING)
        if want(stop):
            return stop
    raise AssertionError("not reached by Tab")


@pytest.mark.parametrize("register", ["hazards/index.html", "hazards/general.html"])
def test_tab_reaches_every_filter_of_the_desk_register(
    chromium: Any,
    site: str,
    register: str,
) -> None:
    page, watch = open_register(chromium, site, register, DESK)
    fields = page.evaluate(
        "Array.from(document.querySelectorAll('.tabulator-col[tabulator-field] .tabulator-header-filter input'))"
        ".map(i => i.closest('.tabulator-col').getAttribute('tabulator-field'))"
    )
    extra = page.evaluate("Array.from(document.querySelectorAll('.rectify-extra select')).map(s => s.name)")
    sortable = page.evaluate(
        "Array.from(document.querySelectorAll('.tabulator-col.tabulator-sortable[tabulator-field]'))"
        ".map(c => c.getAttribute('tabulator-field'))"
    )
    assert len(fields) >= 10 and extra == ["state"], (fields, extra)
    reached: dict[str, dict[str, Any]] = {}
    sorts: set[str] = set()
    for _ in range(150):
        page.keyboard.press("Tab")
        stop = page.evaluate(RING)
        if stop["field"]:
            reached[stop["field"]] = stop
        elif stop["tag"] == "SELECT" and stop["name"] in extra:
            reached[stop["name"]] = stop
        elif stop["sorts"]:
            sorts.add(stop["sorts"])
        elif stop["tag"] == "A" and "HAZ-" in stop["label"]:
            break  # the rows come after the filters
    assert sorted(reached) == sorted(fields + extra)
    assert sorts == set(sortable)
    for field, stop in reached.items():
        assert stop["visible"] and stop["label"], (field, stop)
        assert stop["style"]["outline"] >= 2, (field, stop["style"])
    # list filters are announced as comboboxes, with their name
    district = reached["district"]
    assert district["role"] == "combobox" and district["label"] == "按“县区”筛选", district
    watch.clean()
    page.close()


def test_keyboard_filters_and_sorts_the_desk_register(
    chromium: Any,
    site: str,
    sample_site: Built,
) -> None:
    rows = rows_of(sample_site, "hazards/index.html")
    page, watch = open_register(chromium, site, "hazards/index.html", DESK)
    total = count(page)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    # a text filter: typed
    reach(page, lambda s: s["field"] == "id")
    page.keyboard.type("HAZ-2023-0000")
    expected = [r for r in rows if "HAZ-2023-0000" in r["id"]]
    page.wait_for_function(
        f"Number(document.querySelector('.rectify-register').dataset.count) === {len(expected)}"
    )
    assert 0 < len(expected) < total
    page.wait_for_function("location.search.includes('id=')")
    assert parse_qs(urlsplit(page.url).query)["id"] == ["HAZ-2023-0000"]
    # a list filter: opened, moved through with the arrow keys, chosen with Enter
    stop = reach(page, lambda s: s["field"] == "status")
    page.keyboard.press("ArrowDown")
    expanded = page.locator('.tabulator-col[tabulator-field="status"] input')
    assert expanded.get_attribute("aria-expanded") == "true"
    active = expanded.get_attribute("aria-activedescendant") or ""
    assert active and page.locator(f"#{active}").get_attribute("role") == "option"
    chosen = page.locator(f"#{active}").inner_text().strip()
    page.keyboard.press("Enter")
    expected = [r for r in expected if r["status"] == chosen]
    page.wait_for_function(
        f"Number(document.querySelector('.rectify-register').dataset.count) === {len(expected)}"
    )
    page.wait_for_function("location.search.includes('status=')")
    assert parse_qs(urlsplit(page.url).query)["status"] == [chosen], (stop, page.url)
    assert sorted(table_ids(page)) == sorted(r["id"] for r in expected)
    # a column sorts with Enter, and the other way with Space
    reach(page, lambda s: s["sorts"] == "deadline")
    page.keyboard.press("Enter")
    page.wait_for_function("location.search.includes('sort=deadline')")
    shown = table_ids(page)
    deadline = {r["id"]: r["deadline"] for r in rows}
    assert [deadline[i] for i in shown] == sorted(deadline[i] for i in shown)
    direction = parse_qs(urlsplit(page.url).query)["sort"][0]
    page.keyboard.press("Space")
    page.wait_for_function(
        f"!location.search.includes({json.dumps('sort=' + direction.replace(':', '%3A'))})"
    )
    assert parse_qs(urlsplit(page.url).query)["sort"] != [direction]
    watch.clean()
    page.close()


def test_keyboard_filters_the_phone_register(
    chromium: Any,
    site: str,
    sample_site: Built,
) -> None:
    rows = rows_of(sample_site, "hazards/index.html")
    page, watch = open_register(chromium, site, "hazards/index.html", PHONE)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    summary = reach(page, lambda s: s["tag"] == "SUMMARY")
    assert summary["label"] == "按列筛选与排序"
    page.keyboard.press("Enter")
    assert page.locator("details.rectify-phone").evaluate("d => d.open")
    stop = reach(page, lambda s: s["name"] == "district")
    assert stop["style"]["outline"] >= 2
    page.keyboard.press("ArrowDown")  # the first county after 全部
    district = page.locator('select[name="district"]').input_value()
    assert district
    expected = sorted(r["id"] for r in rows if r["district"] == district)
    page.wait_for_function(
        f"Number(document.querySelector('.rectify-register').dataset.count) === {len(expected)}"
    )
    assert sorted(card_ids(page)) == expected[:50]
    assert parse_qs(urlsplit(page.url).query)["district"] == [district]
    # the cards' links come next, each a stop with a ring
    link = reach(page, lambda s: s["tag"] == "A" and s["label"] in expected)
    assert link["style"]["outline"] >= 2
    watch.clean()
    page.close()


def test_keyboard_opens_the_drawer_and_the_search_on_a_phone(
    chromium: Any,
    site: str,
) -> None:
    """On a narrow window Material's menu and search sit behind two header buttons: both are
    keyboard buttons, the menu's links are reached once it is open, and Escape closes it."""
    watch = Watch(site)
    page = chromium.new_page()
    page.set_viewport_size(PHONE)
    watch.attach(page)
    page.goto(site + "index.html", wait_until="load")
    page.wait_for_load_state("networkidle")
    page.evaluate("document.activeElement && document.activeElement.blur()")
    menu = reach(page, lambda s: s["label"] == "打开导航菜单", 10)
    assert menu["role"] == "button" and menu["onScreen"] and menu["style"]["outline"] >= 2
    page.keyboard.press("Enter")
    assert page.locator("#__drawer").is_checked()
    page.wait_for_timeout(400)  # the drawer slides in
    link = reach(page, lambda s: s["tag"] == "A" and s["label"] == "重大事故隐患台账", 60)
    assert link["onScreen"], link
    page.keyboard.press("Enter")
    page.wait_for_selector(".rectify-register[data-ready=true]")
    assert page.url.endswith("hazards/index.html")
    # the menu again, opened with Space and closed with Escape: focus returns to its button
    page.evaluate("document.activeElement && document.activeElement.blur()")
    reach(page, lambda s: s["label"] == "打开导航菜单", 10)
    page.keyboard.press("Space")
    assert page.locator("#__drawer").is_checked()
    page.keyboard.press("Escape")
    assert not page.locator("#__drawer").is_checked()
    assert page.evaluate(RING)["label"] == "打开导航菜单"
    # the search button opens the box, ready for typing
    reach(page, lambda s: s["label"] == "搜索" and s["role"] == "button", 10)
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    focused = page.evaluate(RING)
    assert focused["tag"] == "INPUT" and focused["onScreen"], focused
    page.keyboard.type("燃气")
    for attempt in range(120):  # the search worker may still be building its index
        page.wait_for_timeout(1000)
        if page.locator(".md-search-result__item").count():
            break
        if attempt % 10 == 9:
            page.keyboard.type(" ")
            page.keyboard.press("Backspace")
    assert page.locator(".md-search-result__item").count() > 0
    watch.clean()
    page.close()
