"""Site search in a real Chromium finds what people type: a word (隐患), a compound and its parts
(挂牌督办, 督办, 重大事故隐患), a trade (燃气), a county, a responsible person's public name and a
hazard id each bring up the hazard pages concerned; the snippet reads as sentences. The index
itself: every hazard entry holds its description and responsible bodies, and the words inside
compounds; at scale record kinds leave the index (the smallest stay) for their list pages and the
register's own search, and list pages are trimmed, so the index stays within its budget."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
import yaml

from rectify.site import search as site_search
from tests.benchmarks import synthetic
from tests.site.conftest import REPO, Built, explain, rectify_build, serve
from tests.site.test_browser import browser, open_page, search, site  # noqa: F401  (fixtures)


def hazards() -> dict[str, dict[str, Any]]:
    out = {}
    for file in (REPO / "registry" / "hazards").rglob("HAZ-*.yaml"):
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        out[data["id"]] = data
    return out


def people_of(hazard: dict[str, Any]) -> set[str]:
    rect = hazard.get("rectification") or {}
    return {rect.get("person"), rect.get("supervisor")} - {None}


def mentions(hazard: dict[str, Any], text: str) -> bool:
    return text in json.dumps(hazard, ensure_ascii=False, default=str)


def result_links(page: Any) -> list[str]:
    return [
        (a.get_attribute("href") or "").split("?")[0].split("#")[0]
        for a in page.locator(".md-search-result__item a.md-search-result__link").all()
    ]


def hazard_ids(links: list[str]) -> list[str]:
    return [link.rsplit("/", 1)[1].removesuffix(".html") for link in links if "/hazards/20" in link]


# (query, which hazards count as "concerned")
QUERIES = [
    ("隐患", lambda h: True),
    ("挂牌督办", lambda h: (h.get("supervision") or {}).get("level", "none") != "none"),
    ("督办", lambda h: (h.get("supervision") or {}).get("level", "none") != "none" or bool(people_of(h))),
    ("重大事故隐患", lambda h: h.get("level") == "major"),
    ("燃气", lambda h: h.get("industry") == "gas" or mentions(h, "燃气")),
    ("濉溪县", lambda h: h.get("district") == "suixi"),
    ("方琳", lambda h: mentions(h, "fang-lin-yh")),
]


@pytest.mark.parametrize(("query", "concerned"), QUERIES, ids=[q for q, _ in QUERIES])
def test_query_finds_the_hazard_pages_concerned(browser: Any, site: str, query: str, concerned: Any) -> None:  # noqa: F811
    page, watch = open_page(browser, site, "index.html")
    assert search(page, query) > 0, f"no result for {query}"
    found = hazard_ids(result_links(page))
    known = hazards()
    assert found, f"{query}: no hazard page among {result_links(page)}"
    relevant = [hid for hid in found if concerned(known[hid])]
    # a two-character name is matched by its first character as well (the theme cuts a query
    # into the index's words and never tries the last character): the person's hazards come
    # first, other pages may follow; every other query brings up only the hazards concerned
    assert query == "方琳" or relevant == found, (query, found)
    assert relevant, (query, found)
    watch.clean()
    page.close()


def test_hazard_id_finds_its_page_first(browser: Any, site: str) -> None:  # noqa: F811
    for hid in ("HAZ-2023-00001", "HAZ-2023-00043"):
        page, watch = open_page(browser, site, "index.html")
        assert search(page, hid) > 0
        assert hazard_ids(result_links(page))[0] == hid
        watch.clean()
        page.close()


def test_snippet_is_sentences_and_timed(browser: Any, site: str) -> None:  # noqa: F811
    page, watch = open_page(browser, site, "hazards/index.html")
    start = time.perf_counter()
    assert search(page, "疏散通道") > 0
    elapsed = time.perf_counter() - start
    item = page.locator(".md-search-result__item").filter(has_text="HAZ-2023-00001").first
    text = item.inner_text().replace("\u200b", "")
    assert "整改责任部门：淮北市消防救援支队。" in text, text
    assert "部门挂牌督办" in text and "疏散通道被临时摊位占用" in text
    assert elapsed < 60
    print(f"time to first result (sample site): {elapsed:.1f} s")
    watch.clean()
    page.close()


def test_index_entries(sample_site: Built) -> None:
    assert sample_site.proc.returncode == 0, explain(sample_site.proc)
    index = json.loads((sample_site.out / "search" / "search_index.json").read_text(encoding="utf-8"))
    entry = next(d for d in index["docs"] if d["location"] == "hazards/2023/HAZ-2023-00001.html")
    text = entry["text"].replace("\u200b", "")
    for words in ("疏散通道被临时摊位占用", "整改责任人：方琳", "整改责任部门：淮北市消防救援支队", "相山区"):
        assert words in text, words
    for part in ("隐患", "督办", "挂牌", "事故"):  # compounds indexed as their parts
        assert f"\u200b{part}\u200b" in entry["title"] + entry["text"], part
    assert "<" not in entry["text"]  # registry text escaped


def test_record_kinds_leave_the_index_above_the_limit() -> None:
    """The smallest kinds stay; a kind that does not fit is found through its list page."""
    limit = site_search.RECORD_ENTRY_LIMIT
    sample = {"hazards": 137, "inspections": 40, "enterprises": 34, "campaigns": 7, "organizations": 30}
    assert site_search.indexed_kinds(sample) == set(sample)
    at_5000 = {"hazards": 5000, "inspections": 500, "enterprises": 250, "campaigns": 1, "organizations": 9}
    assert site_search.indexed_kinds(at_5000) == set(at_5000) - {"hazards"}
    at_20000 = {**at_5000, "hazards": 20_000, "inspections": 2000, "enterprises": 1000}
    assert site_search.indexed_kinds(at_20000) == {"enterprises", "campaigns", "organizations"}
    at_100000 = {**at_5000, "hazards": 100_000, "inspections": 10_000, "enterprises": 5000, "campaigns": 2000}
    assert site_search.indexed_kinds(at_100000) == {"campaigns", "organizations"}, "no list page: always kept"
    exactly = {"hazards": limit - 10, "inspections": 10}
    assert site_search.indexed_kinds(exactly) == set(exactly)
    assert site_search.indexed_kinds({**exactly, "enterprises": 1}) == {"inspections", "enterprises"}
    rows = [
        (f"hazards/2023/HAZ-2023-{i:05d}.html", f"HAZ-2023-{i:05d} 燃气管道", "濉溪县。") for i in range(3)
    ]
    kept = site_search.entries(rows[:0], {"hazards", "inspections"})
    assert [e["location"] for e in kept] == [site_search.REGISTER_PAGE, "inspections/index.html"]
    assert "隐患台账" in kept[0]["title"].replace("\u200b", "")
    assert [e["location"] for e in site_search.entries(rows, {"hazards"}, directory_urls=True)][
        -1
    ] == "hazards/"


def test_list_pages_are_trimmed_in_the_index() -> None:
    text = "<p>前言</p><table><tr><td>HAZ-2023-00001</td><td>A&amp;B</td></tr>" * 2000
    cut = site_search.trimmed(text)
    assert len(cut) <= site_search.PAGE_TEXT_LIMIT + 2 and cut.startswith("<p>前言</p>")
    body = cut.removesuffix(" …")
    assert body.rfind("<") < body.rfind(">") and body.rfind("&") < body.rfind(";")
    for limit in range(40, 90):  # every cutting point: never inside a tag or an entity
        body = site_search.trimmed(text, limit).removesuffix(" …")
        assert body.rfind("<") <= body.rfind(">") and body.rfind("&") <= body.rfind(";"), (limit, body)
    assert site_search.trimmed("短文本") == "短文本"


def test_a_record_page_searches_through_the_home_page(browser: Any, site: str) -> None:  # noqa: F811
    """A lean record page runs no script: its search box is a form that opens the site search on
    the home page with the query (the theme reads ``?q=``), and the results hold the hazard pages."""
    page, watch = open_page(browser, site, "inspections/2023/INSP-2023-0005.html")
    box = page.locator("#rectify-q")
    box.fill("燃气")
    box.press("Enter")
    page.wait_for_url("**/index.html?q=*")
    results = page.locator(".md-search-result__item")
    for _attempt in range(120):  # the worker builds its index first
        if results.count():
            break
        page.wait_for_timeout(1000)
    assert page.locator("input.md-search__input").input_value() == "燃气"
    assert [
        h
        for h in hazard_ids(result_links(page))
        if mentions(hazards()[h], "燃气") or hazards()[h].get("industry") == "gas"
    ]
    watch.clean()
    page.close()


def test_above_the_limit_what_people_type_opens_the_filtered_register() -> None:
    """Hazard pages out of the index, a county, a trade or a 挂牌督办 level still finds the register,
    filtered by it; the counts are the rows'."""
    rows = [
        {"district": "濉溪县", "industry": "燃气", "supervision": "市级挂牌督办", "level": "重大事故隐患"},
        {"district": "濉溪县", "industry": "燃气", "supervision": "未挂牌", "level": "一般事故隐患"},
        {"district": "相山区", "industry": "消防", "supervision": "未挂牌", "level": "一般事故隐患"},
    ]
    pointers = site_search.register_pointers(rows)
    where = {title: location for location, title, _text in pointers}
    assert where["隐患台账：濉溪县的隐患"] == "hazards/index.html?district=%E6%BF%89%E6%BA%AA%E5%8E%BF"
    assert where["隐患台账：相山区的隐患"].startswith("hazards/general.html?district="), (
        "no major: the general register"
    )
    assert where["隐患台账：燃气的隐患"].startswith("hazards/index.html?industry=")
    assert "隐患台账：未挂牌的隐患" not in where and "隐患台账：市级挂牌督办的隐患" in where
    text = dict((title, text) for _location, title, text in pointers)["隐患台账：濉溪县的隐患"]
    assert "重大事故隐患 1 条，一般事故隐患 1 条" in text
    built = site_search.entries([], {"hazards"}, pointers=pointers)
    assert len(built) == 1 + len(pointers)
    found = [e for e in built if "燃气" in e["title"].replace("\u200b", "")]
    assert found and "挂牌" in "".join(e["text"] for e in built)
    assert (
        site_search.entries([], {"inspections"}, pointers=pointers)[-1]["location"]
        == "inspections/index.html"
    )


def test_at_scale_a_search_opens_the_filtered_register(browser: Any, tmp_path: Any) -> None:  # noqa: F811
    """A registry past the limit (1,600 hazards): the hazard pages are not in the index, and
    searching a trade (燃气) brings up the register filtered by it, which shows exactly those hazards."""
    root = synthetic.write(tmp_path / "big", 1600, REPO / "schemas")
    (root / "mkdocs.yml").write_text((REPO / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (root / "docs").symlink_to(REPO / "docs")
    built = rectify_build(root, "public", root / "out")
    assert built.proc.returncode == 0, explain(built.proc)
    index = json.loads((built.out / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [d for d in index["docs"] if "/HAZ-" in d["location"]]
    rows = json.loads((built.out / "data" / "register-major.json").read_text(encoding="utf-8"))["rows"]
    gas = sum(1 for r in rows if r["industry"] == "城镇燃气")
    assert gas
    for base in serve(built.out):
        page, watch = open_page(browser, base, "index.html")
        assert search(page, "燃气") > 0
        link = page.locator(".md-search-result__item a.md-search-result__link", has_text="燃气的隐患").first
        href = link.get_attribute("href") or ""
        assert "hazards/index.html?industry=" in href, href
        link.click()
        page.wait_for_selector(".rectify-register[data-ready=true]")
        page.wait_for_timeout(200)
        assert int(page.locator(".rectify-register").get_attribute("data-count") or -1) == gas
        watch.clean()
        page.close()
