"""Record pages are lean (issue 13, goal 5): every page of a record is the site's stylesheets, a
short header and the record — no navigation tree, no script — within its byte budget, and still an
accessible page (language, viewport, title, one <h1>, landmarks, a skip link, tables with headers).
Lists on campaign and body pages are bounded; ids are ordered as numbers on every list, feed,
sitemap and data file (INSP-2023-9999 before INSP-2023-10000)."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from rectify.check import build_registry
from rectify.ids import sort_key
from rectify.paths import find
from rectify.site import records
from rectify.site.context import SiteOptions
from rectify.site.generate import generate
from rectify.site.pages_hazards import HAZARDS_LISTED
from tests.benchmarks import synthetic
from tests.conftest import REPO
from tests.site.conftest import Built, explain, rectify_build, serve

# record folders of the sample, each with its budget (bytes): pages of the kinds that number in the
# tens of thousands hold to the 10 KB budget; campaign and body pages, a few dozen that list related
# records (at most 25 hazards and 20 inspections each), to the overview budget
RECORD_FOLDERS = {
    "hazards/2023": records.PAGE_BUDGET,
    "inspections/2023": records.PAGE_BUDGET,
    "enterprises": records.PAGE_BUDGET,
    "actions/cases": records.PAGE_BUDGET,
    "consultations": records.PAGE_BUDGET,
    "campaigns": records.OVERVIEW_BUDGET,
    "organizations": records.OVERVIEW_BUDGET,
}
INDEX_PAGES = {"index.html", "plans.html", "responsibilities.html"}


def record_pages(out: Path) -> dict[Path, int]:
    found = {}
    for folder, budget in RECORD_FOLDERS.items():
        for page in sorted((out / folder).glob("*.html")):
            if page.name not in INDEX_PAGES:
                found[page] = budget
    return found


class Lean(HTMLParser):
    """The structure of a page: its tags (with attributes) in order, and the text of <title>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.tags if name == tag]


def parse(page: Path) -> Lean:
    lean = Lean()
    lean.feed(page.read_text(encoding="utf-8"))
    return lean


def test_every_record_page_is_within_its_budget(sample_site: Built) -> None:
    assert sample_site.proc.returncode == 0, explain(sample_site.proc)
    pages = record_pages(sample_site.out)
    registry = sample_site.root / "registry"
    assert len([p for p in pages if "hazards" in p.parts]) == len(
        list((registry / "hazards").rglob("*.yaml"))
    )
    assert {p.parent.name for p in pages} >= {"2023", "enterprises", "cases", "consultations", "campaigns"}
    over = {
        str(p.relative_to(sample_site.out)): p.stat().st_size
        for p, b in pages.items()
        if p.stat().st_size > b
    }
    assert not over, over
    hazards = [p.stat().st_size for p in pages if "hazards" in p.parts]
    assert max(hazards) <= records.PAGE_BUDGET
    assert sum(hazards) / len(hazards) < 7_000, "a hazard page is about a third of the theme's"


def test_record_pages_are_lean_and_accessible(sample_site: Built) -> None:
    out = sample_site.out
    for page, _budget in record_pages(out).items():
        text = page.read_text(encoding="utf-8")
        where = str(page.relative_to(out))
        lean = parse(page)
        assert lean.all("html") == [{"lang": "zh-CN"}], where
        assert {"name": "viewport", "content": "width=device-width,initial-scale=1"} in lean.all("meta"), (
            where
        )
        assert lean.title.strip() and lean.title.endswith(" - 淮北市安全生产专项整治公开平台"), where
        assert len(lean.all("h1")) == 1, where
        for landmark in ("header", "main", "footer"):
            assert len(lean.all(landmark)) == 1, (where, landmark)
        navs = [n.get("aria-label") for n in lean.all("nav")]
        assert navs[0] == "主要栏目" and "位置" in navs and all(navs), (where, navs)
        skip = lean.tags[[name for name, _ in lean.tags].index("body") + 1]
        assert skip == ("a", {"class": "md-skip", "href": "#main"}), where
        assert lean.all("main") == [{"id": "main"}]
        assert not lean.all("script"), f"{where}: a record page runs no script"
        assert "md-nav" not in text and "md-sidebar" not in text, f"{where}: no navigation tree"
        tables = text.count("<table")
        assert text.count("<thead><tr><th>") == tables, f"{where}: every table has a header row"
        sheets = [link["href"] for link in lean.all("link") if link.get("rel") == "stylesheet"]
        names = [href.rsplit("/", 1)[1] for href in sheets]
        assert "rectify.css" in names and "record.css" in names, where
        assert any(re.fullmatch(r"main\.[0-9a-f]+\.min\.css", n) for n in names), where
        for href in sheets:  # the shared stylesheets exist where the page links them
            assert (page.parent / href).resolve().is_file(), (where, href)
        form = lean.all("form")
        assert form and (page.parent / form[0]["action"]).resolve() == (out / "index.html").resolve()
        assert {"id": "rectify-q", "name": "q", "type": "search"} in lean.all("input")


def test_the_hazard_page_keeps_what_it_showed(sample_site: Built) -> None:
    page = sample_site.out / "hazards" / "2023" / "HAZ-2023-00049.html"
    text = page.read_text(encoding="utf-8")
    crumbs = re.search(r'<nav class="rectify-breadcrumb" aria-label="位置">(.*?)</nav>', text)
    assert crumbs and 'href="../../hazards/index.html"' in crumbs.group(1)
    assert '<p class="rectify-when' in text and "整改情况：" in text
    for heading in ("隐患描述", "五落实", "佐证材料", "时间线", "问责处置"):
        assert f"<h2>{heading}</h2>" in text, heading
    assert "登记册修改" in text and "<code>" in text
    assert not re.search(r"[0-9a-f]{64}", text), "file digests are shortened on the timeline"
    header = re.search(r'<header class="rectify-lean-header">(.*?)</header>', text, re.S)
    assert header
    for section in ("专项整治", "隐患台账", "企业", "检查", "督办清单", "数据下载"):
        assert f">{section}</a>" in header.group(1), section


def test_lists_on_body_and_campaign_pages_are_bounded(tmp_path: Path) -> None:
    root = synthetic.write(tmp_path / "syn", 250, REPO / "schemas")  # 25 inspections
    registry, _, _ = build_registry(find(root))
    content = generate(registry, SiteOptions(today=dt.date(2023, 12, 31)))
    county = content.records["organizations/suixi.md"].body
    listed = re.findall(r'href="\.\./hazards/2023/(HAZ-[0-9-]+)\.html"', county)
    assert len(listed) == HAZARDS_LISTED
    assert re.search(rf"另有 \d+ 条未列出（以上为最需关注的 {HAZARDS_LISTED} 条）", county)
    assert 'class="rectify-ways"' in county, "the prefiltered registers list them all"
    campaign = content.records["campaigns/CAMP-2023-001.md"].body
    assert len(re.findall(r"hazards/2023/HAZ-", campaign)) == HAZARDS_LISTED
    assert "另有 5 次更早的检查" in campaign


@pytest.fixture(scope="module")
def past_9999(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic registry whose inspections run INSP-2023-9995 … 10000 and whose hazards include
    HAZ-2023-99999 and HAZ-2023-100000 (copies of a generated one)."""
    root = synthetic.write(
        tmp_path_factory.mktemp("ids") / "syn", 60, REPO / "schemas", first_inspection=9995
    )
    hazards = root / "registry" / "hazards" / "2023"
    source = (hazards / "HAZ-2023-00002.yaml").read_text(encoding="utf-8")
    for hid in ("HAZ-2023-100000", "HAZ-2023-99999"):
        (hazards / f"{hid}.yaml").write_text(source.replace("HAZ-2023-00002", hid), encoding="utf-8")
    return root


def numeric(found: list[str]) -> bool:
    return found == sorted(found, key=sort_key) and found != sorted(found)


def test_ids_are_ordered_as_numbers(past_9999: Path) -> None:
    registry, _, _ = build_registry(find(past_9999))
    assert not registry.invalid
    content = generate(registry, SiteOptions(today=dt.date(2023, 12, 31), site_url="https://x.example/"))
    pages = list(content.records)
    inspections = [p.rsplit("/", 1)[1][:-3] for p in pages if p.startswith("inspections/")]
    assert inspections[-2:] == ["INSP-2023-9999", "INSP-2023-10000"] and numeric(inspections)
    hazards = [p.rsplit("/", 1)[1][:-3] for p in pages if p.startswith("hazards/")]
    assert hazards[-2:] == ["HAZ-2023-99999", "HAZ-2023-100000"] and numeric(hazards)
    index = re.findall(r">(INSP-2023-\d+)</a></td>", content.pages["inspections/index.md"])
    assert numeric(index)
    for name in ("data/register-major.json", "data/register-general.json", "downloads/hazards.json"):
        data = json.loads(content.files[name])
        ids = [row["id"] for row in data["rows"]]
        assert ids == sorted(ids, key=sort_key), name
    both = json.loads(content.files["downloads/hazards.json"])["rows"]
    assert numeric([row["id"] for row in both])
    csv_ids = re.findall(
        r"^(HAZ-2023-\d+),", content.files["downloads/hazards.csv"].decode("utf-8-sig"), re.M
    )
    assert numeric(csv_ids)


def test_sitemap_and_search_follow_the_records_order(past_9999: Path, tmp_path: Path) -> None:
    registry, _, _ = build_registry(find(past_9999))
    content = generate(registry, SiteOptions(today=dt.date(2023, 12, 31)))
    site_dir = tmp_path / "site"
    (site_dir / "search").mkdir(parents=True)
    (site_dir / "sitemap.xml").write_text('<?xml version="1.0"?>\n<urlset>\n</urlset>\n', encoding="utf-8")
    (site_dir / "search" / "search_index.json").write_text('{"docs": []}', encoding="utf-8")
    frame = records.Frame(site_name="测试", stylesheets=("assets/site/rectify.css",))
    written, largest = records.write(site_dir, content.records, frame, False, "https://x.example/")
    assert written > 0 and largest <= records.PAGE_BUDGET
    sitemap = (site_dir / "sitemap.xml").read_text(encoding="utf-8")
    inspections = re.findall(r"inspections/2023/(INSP-2023-\d+)\.html", sitemap)
    assert inspections[-1] == "INSP-2023-10000" and numeric(inspections)
    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    located = [d["location"].rsplit("/", 1)[1][:-5] for d in index["docs"] if "/HAZ-" in d["location"]]
    assert located[-2:] == ["HAZ-2023-99999", "HAZ-2023-100000"] and numeric(located)


def test_the_register_sorts_ids_as_numbers(past_9999: Path, chromium: Any, tmp_path: Path) -> None:
    """Sorting the register by 编号 puts HAZ-2023-100000 after HAZ-2023-99999, both ways (as text it
    would come first), on the desk table and the phone cards alike."""
    root = tmp_path / "syn"
    shutil.copytree(past_9999, root, ignore=shutil.ignore_patterns(".rectify-cache"))
    (root / "mkdocs.yml").write_text((REPO / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (root / "docs").symlink_to(REPO / "docs")
    built = rectify_build(root, "public", tmp_path / "site")
    assert built.proc.returncode == 0, explain(built.proc)
    for site in serve(built.out):
        for size, cells in (
            ({"width": 1366, "height": 900}, '.tabulator-row .tabulator-cell[tabulator-field="id"]'),
            ({"width": 390, "height": 844}, ".rectify-card-id"),
        ):
            page = chromium.new_page()
            page.set_viewport_size(size)
            for direction, first in (("desc", ["HAZ-2023-100000", "HAZ-2023-99999"]), ("asc", None)):
                page.goto(f"{site}hazards/index.html?sort=id:{direction}", wait_until="load")
                page.wait_for_selector(cells)
                shown = [t.strip() for t in page.locator(cells).all_inner_texts()]
                if first is not None:
                    assert shown[:2] == first, (size, shown[:5])
                else:
                    assert shown == sorted(shown, key=sort_key) and len(shown) > 2, (size, shown[:5])
            page.close()
