"""Feeds, calendars, sitemap and the Excel download, as a feed reader, a phone calendar, a search
engine and a spreadsheet see them: every link absolute (``site.url`` of jurisdiction.yaml) and
pointing at a page the build wrote; each county's own feed and calendar; auto-discovery of the feed
in every page's head; the sitemap listing every page, record pages included; real date cells and
links in the workbook."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin

import icalendar
import openpyxl
import pytest
import yaml

from tests.site.conftest import Built, copy_project, explain, rectify_build

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def site_url(root: Path) -> str:
    data = yaml.safe_load((root / "registry" / "jurisdiction.yaml").read_text(encoding="utf-8"))
    url = data["site"]["url"]
    assert url.startswith("https://") and url.endswith("/")
    return str(url)


def local(out: Path, base: str, url: str) -> Path:
    """The built file an absolute link of the site points at (its fragment dropped)."""
    assert url.startswith(base), url
    path = out / url[len(base) :].split("#")[0]
    return path / "index.html" if url.endswith("/") else path


def atom_links(text: str) -> list[str]:
    return [link.get("href") or "" for link in ET.fromstring(text).iter(f"{ATOM}link")]


@pytest.fixture(scope="module")
def built(sample_site: Built) -> Built:
    assert sample_site.proc.returncode == 0, explain(sample_site.proc)
    return sample_site


def test_feeds_and_calendar_links_are_absolute_and_resolve(built: Built) -> None:
    base, out = site_url(built.root), built.out
    links = atom_links((out / "downloads" / "changes.atom").read_text(encoding="utf-8"))
    assert len(links) > 10
    assert f"{base}downloads/changes.atom" in links  # rel="self"
    for href in links:
        assert local(out, base, href).is_file(), href
    rss = ET.fromstring((out / "downloads" / "changes.rss").read_text(encoding="utf-8"))
    rss_links = [e.text or "" for e in rss.iter("link")]
    assert len(rss_links) > 10
    for href in rss_links:
        assert local(out, base, href).is_file(), href
    cal = icalendar.Calendar.from_ical((out / "downloads" / "deadlines.ics").read_bytes())
    urls = [str(e["URL"]) for e in cal.walk("VEVENT") if "URL" in e]
    assert len(urls) >= len(list(cal.walk("VEVENT"))) // 2
    for url in urls:
        assert local(out, base, url).is_file(), url


def test_each_county_has_its_own_feed_and_calendar(built: Built) -> None:
    base, out = site_url(built.root), built.out
    district_of = {}
    for file in (built.root / "registry" / "hazards").rglob("HAZ-*.yaml"):
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        district_of[data["id"]] = data["district"]
    counties = sorted(set(district_of.values()))
    assert {"suixi", "xiangshan"} <= set(counties)
    for county in counties:
        atom = (out / "downloads" / "counties" / f"{county}.atom").read_text(encoding="utf-8")
        ids = set(re.findall(r"HAZ-\d{4}-\d{5}", " ".join(atom_links(atom))))
        assert ids, county
        assert {district_of[i] for i in ids} == {county}
        cal = icalendar.Calendar.from_ical((out / "downloads" / "counties" / f"{county}.ics").read_bytes())
        for event in cal.walk("VEVENT"):
            hid = re.search(r"HAZ-\d{4}-\d{5}", str(event["UID"]))
            assert hid and district_of[hid.group(0)] == county
            assert str(event["URL"]).startswith(base)
    downloads = (out / "downloads.html").read_text(encoding="utf-8")
    assert 'href="downloads/counties/suixi.atom"' in downloads
    assert 'href="downloads/counties/suixi.ics"' in downloads
    for words in ("添加订阅", "添加已订阅的日历", "从 Internet 订阅", "濉溪县"):
        assert words in downloads, words


def test_every_page_announces_the_feed(built: Built) -> None:
    out = built.out
    pages = [p for p in out.rglob("*.html") if p.name != "404.html"]
    assert len(pages) > 150
    for page in pages:
        head = page.read_text(encoding="utf-8").split("</head>", 1)[0]
        found = re.findall(
            r'<link rel="alternate feed" type="application/atom\+xml" title="[^"]+" href="([^"]+)">', head
        )
        assert len(found) == 1, page
        assert (page.parent / found[0]).resolve() == (out / "downloads" / "changes.atom").resolve(), page


def test_sitemap_lists_every_page(built: Built) -> None:
    base, out = site_url(built.root), built.out
    root = ET.fromstring((out / "sitemap.xml").read_text(encoding="utf-8"))
    listed = {loc.text or "" for loc in root.iter(f"{SITEMAP}loc")}
    pages = {base + p.relative_to(out).as_posix() for p in out.rglob("*.html") if p.name != "404.html"}
    assert listed == pages
    assert f"{base}hazards/2023/HAZ-2023-00001.html" in listed
    assert f"{base}enterprises/91340603MA2LU3RJWK.html" in listed


def test_workbook_has_dates_links_and_responsible_people(built: Built) -> None:
    base, out = site_url(built.root), built.out
    book = openpyxl.load_workbook(out / "downloads" / "hazards.xlsx")
    sheet = book["隐患台账"]
    header = [c.value for c in sheet[1]]
    for title in ("责任部门", "整改责任人", "督办责任人", "发现日期", "整改时限"):
        assert title in header, title
    found, deadline = header.index("发现日期"), header.index("整改时限")
    person = header.index("整改责任人")
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) > 50
    for row in rows:
        cell = row[found]
        assert isinstance(cell.value, dt.datetime) and cell.is_date and cell.number_format == "yyyy-mm-dd"
        if row[deadline].value is not None:
            assert isinstance(row[deadline].value, dt.datetime)
        link = row[0].hyperlink
        assert link is not None and link.target == f"{base}hazards/{row[0].value[4:8]}/{row[0].value}.html"
        assert local(out, base, link.target).is_file()
    first = next(r for r in rows if r[0].value == "HAZ-2023-00001")
    assert first[found].value == dt.datetime(2023, 5, 18)
    assert str(first[person].value).startswith("方琳")


def test_site_url_comes_from_the_jurisdiction(tmp_path: Path) -> None:
    """Another address in jurisdiction.yaml: every absolute link follows it."""
    root = copy_project(tmp_path / "other")
    jur = root / "registry" / "jurisdiction.yaml"
    other = "https://example.gov.cn/anquan/zhengzhi/"
    jur.write_text(
        re.sub(r"(?m)^  url: .*$", f"  url: {other}", jur.read_text(encoding="utf-8")), encoding="utf-8"
    )
    built = rectify_build(root, "public", tmp_path / "out")
    assert built.proc.returncode == 0, explain(built.proc)
    links = atom_links((built.out / "downloads" / "changes.atom").read_text(encoding="utf-8"))
    assert links and all(link.startswith(other) for link in links)
    sitemap = (built.out / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{other}hazards/2023/HAZ-2023-00001.html</loc>" in sitemap
    assert "aqsc.huaibei" not in sitemap
    assert urljoin(other, "index.html") in sitemap


SUMMARIES = [
    "整改期限：HAZ-2023-00001 液氨储罐区未设置泄漏报警装置",
    "逗号, 分号; 反斜杠\\ 换行\n第二行\r\n第三行",
    "很长的标题" * 30 + "，混合 ASCII text that runs past seventy-five octets more than once" * 3,
    "a" * 74 + "隐" + "b" * 80,  # a multi-byte character at the folding point
    "a" * 63 + ";,\\" * 8 + "b" * 80,  # escapes across the folding point
    "",
]


@pytest.mark.parametrize("summary", SUMMARIES, ids=range(len(SUMMARIES)))
@pytest.mark.parametrize("url", ["", "https://aqsc.example.cn/zxzz/hazards/2023/HAZ-2023-10000.html"])
def test_calendar_events_are_what_icalendar_writes(summary: str, url: str) -> None:
    """The deadline events are written directly (icalendar is slow at 100,000 hazards): byte for
    byte what icalendar's Event.to_ical writes for the same event, and icalendar reads them back."""
    from rectify.site.downloads import REMINDER_DAYS, vevent

    stamp = dt.datetime(2023, 12, 31, tzinfo=dt.UTC)
    day = dt.date(2024, 2, 29)
    description = "重大事故隐患；某企业，有限公司" + (f"\n{url}" if url else "")
    event = icalendar.Event()
    event.add("uid", "HAZ-2023-10000-deadline@340600.rectify")
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", summary)
    if url:
        event.add("url", url)
    event.add("description", description)
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"{REMINDER_DAYS} 天后到期：{summary}")
    alarm.add("trigger", dt.timedelta(days=-REMINDER_DAYS))
    event.add_component(alarm)
    ours = vevent("HAZ-2023-10000-deadline@340600.rectify", stamp, day, summary, description, url)
    assert ours == event.to_ical()
    read = icalendar.Event.from_ical(ours)
    assert str(read["SUMMARY"]) == summary.replace("\r\n", "\n")
    assert read.decoded("DTSTART") == day
