"""The hazard registers as a resident on a phone and a supervisor at a desk use them (Debian's
chromium at 390×844 and 1366×900): cards and no sideways scrolling on the phone, whole ids and
dates and the added columns on the desk, and the filter and sort state in the URL (a filtered view
reloads the same rows in a new page, and survives going to a hazard and Back)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.site.conftest import DESK, PHONE, Built, explain, serve
from tests.site.test_browser import Watch, browser  # noqa: F401  (the browser fixture)

HAZARD_ID = re.compile(r"^HAZ-\d{4}-\d{5,}$")
REGISTERS = {"hazards/index.html": "register-major.json", "hazards/general.html": "register-general.json"}


@pytest.fixture(scope="module")
def site(sample_site: Built) -> Iterator[str]:
    assert sample_site.proc.returncode == 0, explain(sample_site.proc)
    yield from serve(sample_site.out)


def rows_of(sample_site: Built, register: str) -> list[dict[str, Any]]:
    data = json.loads((sample_site.out / "data" / REGISTERS[register]).read_text(encoding="utf-8"))
    rows: list[dict[str, Any]] = data["rows"]
    return rows


def open_register(browser: Any, base: str, path: str, viewport: dict[str, int]) -> tuple[Any, Watch]:  # noqa: F811
    watch = Watch(base)
    page = browser.new_page()
    page.set_viewport_size(viewport)
    watch.attach(page)
    page.goto(base + path, wait_until="load")
    page.wait_for_selector(".rectify-register[data-ready=true]")
    page.wait_for_timeout(100)  # the state is written back after Tabulator's own events
    return page, watch


def count(page: Any) -> int:
    return int(page.locator(".rectify-register").get_attribute("data-count") or -1)


def card_ids(page: Any) -> list[str]:
    return [t.strip() for t in page.locator(".rectify-hazard-card .rectify-card-id").all_inner_texts()]


def table_ids(page: Any) -> list[str]:
    return [
        t.strip()
        for t in page.locator('.tabulator-row .tabulator-cell[tabulator-field="id"]').all_inner_texts()
    ]


@pytest.mark.parametrize("register", sorted(REGISTERS))
def test_phone_shows_cards_without_sideways_scrolling(
    browser: Any,  # noqa: F811
    site: str,
    sample_site: Built,
    register: str,
) -> None:
    page, watch = open_register(browser, site, register, PHONE)
    rows = rows_of(sample_site, register)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.locator(".rectify-table").is_hidden(), "no table on a phone"
    ids = card_ids(page)
    assert len(ids) == min(len(rows), 50) and ids, ids
    known = {r["id"] for r in rows}
    for shown in ids:
        assert HAZARD_ID.match(shown) and shown in known, shown
    # each id is whole on screen, not cut with an ellipsis
    for el in page.locator(".rectify-hazard-card .rectify-card-id a").all()[:20]:
        assert el.evaluate("e => e.scrollWidth <= e.clientWidth + 1 && e.getClientRects().length > 0")
    # a card carries the fields a resident asks about
    first = next(r for r in rows if r["id"] == ids[0])
    card = page.locator(".rectify-hazard-card").first.inner_text()
    for key in ("title", "district", "status", "deadline", "department"):
        if first[key]:
            assert str(first[key]) in card, (key, card)
    assert "当前时限" in card and "责任部门" in card
    # filtering from the phone's controls narrows the cards and is written into the URL
    page.locator("details.rectify-phone summary").click()
    district = sorted({r["district"] for r in rows})[0]
    page.locator('select[name="district"]').select_option(district)
    expected = sorted(r["id"] for r in rows if r["district"] == district)
    page.wait_for_function(
        f"Number(document.querySelector('.rectify-register').dataset.count) === {len(expected)}"
    )
    assert sorted(card_ids(page)) == expected[:50]
    assert parse_qs(urlsplit(page.url).query)["district"] == [district]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    watch.clean()
    page.close()


def test_desk_register_shows_whole_ids_dates_and_the_added_columns(
    browser: Any,  # noqa: F811
    site: str,
    sample_site: Built,
) -> None:
    page, watch = open_register(browser, site, "hazards/index.html", DESK)
    headers = page.locator(".tabulator-col .tabulator-col-title").all_inner_texts()
    for title in ("责任部门", "逾期天数", "当前时限", "验收人", "验收日期", "核查发现"):
        assert title in headers, headers
    assert page.locator(".rectify-cardlist").is_hidden()
    ids = table_ids(page)
    assert ids and all(HAZARD_ID.match(i) for i in ids), ids
    for field in ("id", "deadline", "accepted_on"):
        cells = page.locator(f'.tabulator-row .tabulator-cell[tabulator-field="{field}"]')
        for i in range(min(cells.count(), 20)):
            cell = cells.nth(i)
            assert "…" not in cell.inner_text()
            assert cell.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), (field, cell.inner_text())
    # the deadline in force (after extensions) and the days overdue, as the rules count them
    rows = {r["id"]: r for r in rows_of(sample_site, "hazards/index.html")}
    extended = next(r for r in rows.values() if r["extensions"] and r["status"] != "已销号")
    box = page.locator('.tabulator-col[tabulator-field="id"] .tabulator-header-filter input')
    box.fill(extended["id"])
    box.press("End")  # the header filter listens for keys
    page.wait_for_function("Number(document.querySelector('.rectify-register').dataset.count) === 1")
    row = page.locator(".tabulator-row").first
    assert row.locator('[tabulator-field="deadline"]').inner_text() == extended["deadline"]
    assert row.locator('[tabulator-field="days_overdue"]').inner_text() == str(extended["days_overdue"])
    assert page.evaluate("document.documentElement.scrollWidth") <= DESK["width"]
    watch.clean()
    page.close()


def choose(page: Any, field: str, label: str) -> None:
    """Pick ``label`` in a column's header filter drop-down, as a mouse would."""
    page.locator(f'.tabulator-col[tabulator-field="{field}"] .tabulator-header-filter input').click()
    page.locator(".tabulator-edit-list-item").filter(has_text=label).first.click()


@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["desk", "phone"])
def test_filtered_view_round_trips_through_the_url(
    browser: Any,  # noqa: F811
    site: str,
    sample_site: Built,
    viewport: dict[str, int],
) -> None:
    rows = rows_of(sample_site, "hazards/index.html")
    page, watch = open_register(browser, site, "hazards/index.html", viewport)
    total = count(page)
    status = "整改中"
    if viewport is DESK:
        choose(page, "status", status)
        page.wait_for_function(f"Number(document.querySelector('.rectify-register').dataset.count) < {total}")
        page.locator('.tabulator-col[tabulator-field="deadline"] .tabulator-col-title').click()
    else:
        page.locator("details.rectify-phone summary").click()
        page.locator('select[name="status"]').select_option(status)
        page.wait_for_function(f"Number(document.querySelector('.rectify-register').dataset.count) < {total}")
        page.locator('select[name="sort"]').select_option("deadline:asc")
    page.wait_for_function("location.search.includes('sort=deadline')")
    query = parse_qs(urlsplit(page.url).query)
    assert query["status"] == [status] and query["sort"] == ["deadline:asc"], query
    shown = table_ids(page) if viewport is DESK else card_ids(page)
    expected = [
        r["id"] for r in sorted((r for r in rows if r["status"] == status), key=lambda r: r["deadline"])
    ]
    assert sorted(shown) == sorted(expected) and shown, (shown, expected)
    deadline = {r["id"]: r["deadline"] for r in rows}
    assert [deadline[i] for i in shown] == sorted(deadline[i] for i in shown), "sorted by deadline"
    # the same URL in a new page shows the same rows in the same order
    url = page.url
    again, watch2 = open_register(browser, site, url[len(site) :], viewport)
    assert count(again) == len(expected)
    assert (table_ids(again) if viewport is DESK else card_ids(again)) == shown
    if viewport is DESK:
        header = again.locator('.tabulator-col[tabulator-field="status"] .tabulator-header-filter input')
        assert header.input_value() == status
    else:
        assert again.locator('select[name="status"]').input_value() == status
    watch2.clean()
    again.close()
    watch.clean()
    page.close()


@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["desk", "phone"])
def test_filters_survive_going_to_a_hazard_and_back(
    browser: Any,  # noqa: F811
    site: str,
    sample_site: Built,
    viewport: dict[str, int],
) -> None:
    rows = rows_of(sample_site, "hazards/index.html")
    district = sorted({r["district"] for r in rows})[1]
    expected = sorted(r["id"] for r in rows if r["district"] == district)
    page, watch = open_register(browser, site, "hazards/index.html", viewport)
    if viewport is DESK:
        choose(page, "district", district)
    else:
        page.locator("details.rectify-phone summary").click()
        page.locator('select[name="district"]').select_option(district)
    page.wait_for_function(
        f"Number(document.querySelector('.rectify-register').dataset.count) === {len(expected)}"
    )
    page.wait_for_function("location.search.includes('district=')")
    filtered_url = page.url
    link = page.locator(
        '.tabulator-row [tabulator-field="id"] a' if viewport is DESK else ".rectify-hazard-card a"
    ).first
    target = link.inner_text().strip()
    link.click()
    page.wait_for_selector(".rectify-timeline")
    assert target in page.locator("h1").inner_text()
    page.go_back()
    page.wait_for_selector(".rectify-register[data-ready=true]")
    page.wait_for_function(
        f"Number(document.querySelector('.rectify-register').dataset.count) === {len(expected)}"
    )
    assert page.url == filtered_url
    shown = table_ids(page) if viewport is DESK else card_ids(page)
    assert sorted(shown) == expected
    watch.clean()
    page.close()


def test_unknown_and_extra_filters_in_the_url(browser: Any, site: str, sample_site: Built) -> None:  # noqa: F811
    """A link may set the dashboard's state (no column) and findings; an unknown key is ignored."""
    rows = rows_of(sample_site, "hazards/index.html")
    state = "逾期未整改"
    page, watch = open_register(browser, site, f"hazards/index.html?state={state}&nonsense=1", DESK)
    assert count(page) == sum(1 for r in rows if r["state"] == state) > 0
    assert page.locator('select[name="state"]').input_value() == state
    page.locator('select[name="state"]').select_option("")
    page.wait_for_function(
        f"Number(document.querySelector('.rectify-register').dataset.count) === {len(rows)}"
    )
    assert "state=" not in page.url
    watch.clean()
    page.close()
