"""Real MkDocs builds: the sample site builds under --strict with every page and download; the
public build of a registry with planted private values holds none of them (the internal one does);
a private value that would reach the public output fails the build."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import icalendar
import openpyxl
import pytest

from tests.site.conftest import PAYLOAD_HAZARD, PRIVATE, Built, copy_project, explain, rectify_build

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)


def html_files(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def test_sample_builds_strict_with_every_page(sample_site: Built) -> None:
    assert sample_site.proc.returncode == 0, explain(sample_site.proc)
    out = sample_site.out
    registry = sample_site.root / "registry"
    for hazard in (registry / "hazards").rglob("HAZ-*.yaml"):
        assert (out / "hazards" / hazard.parent.name / f"{hazard.stem}.html").is_file(), hazard.name
    for folder in ("campaigns", "organizations", "enterprises", "consultations", "actions/cases"):
        for record in (registry / folder.replace("actions/", "")).glob("*.yaml"):
            assert (out / folder / f"{record.stem}.html").is_file(), record.name
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.count("<loc>") == len(html_files(out)) - 1, "every page but 404.html is in the sitemap"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "整改率" in index and 'data-chart="by_district"' in index
    # the sidebar stays small: record pages are linked from index pages, never listed in the nav
    assert index.count("HAZ-2023-") == 0


def test_hazard_page_shows_five_items_and_timeline(sample_site: Built) -> None:
    page = (sample_site.out / "hazards" / "2023" / "HAZ-2023-00001.html").read_text(encoding="utf-8")
    for heading in ("五落实", "时间线", "应急预案", "验收人", "资金"):
        assert heading in page
    assert page.count('class="rectify-event') >= 4
    assert "登记册修改" in page, "the Git history of the record's file is part of the timeline"
    assert re.search(r"(未签名|已签名)", page)


def test_no_page_or_asset_from_outside(sample_site: Built) -> None:
    for page in html_files(sample_site.out):
        text = page.read_text(encoding="utf-8")
        for match in re.finditer(r"""<(?:script|link|img|iframe)\b[^>]*>""", text):
            if match.group(0).startswith('<link rel="canonical" href="https://aqsc.huaibei.example.cn/zxzz/'):
                continue  # the page's own published address (site.url), never requested
            assert not EXTERNAL.search(match.group(0)), f"{page}: {match.group(0)}"
    for css in sample_site.out.rglob("*.css"):
        assert not re.search(r"url\(\s*[\"']?(?:https?:)?//", css.read_text(encoding="utf-8")), css


def test_downloads(sample_site: Built) -> None:
    out = sample_site.out / "downloads"
    raw = (out / "hazards.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV needs a BOM so Excel reads UTF-8"
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    hazards = len(list((sample_site.root / "registry" / "hazards").rglob("HAZ-*.yaml")))
    assert len(rows) == hazards
    assert {"编号", "县区", "是否逾期", "整改时限"} <= set(rows[0])
    book = openpyxl.load_workbook(out / "hazards.xlsx", read_only=True)
    sheet = book["隐患台账"]
    assert len(list(sheet.iter_rows(values_only=True))) == hazards + 1
    data = json.loads((out / "hazards.json").read_text(encoding="utf-8"))
    assert len(data["rows"]) == hazards
    cal = icalendar.Calendar.from_ical((out / "deadlines.ics").read_bytes())
    events = list(cal.walk("VEVENT"))
    assert events, "unclosed hazards and milestones have deadlines"
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids))
    for event in events:
        assert not hasattr(event.decoded("DTSTART"), "hour"), "deadlines are all-day events"
        assert event.walk("VALARM"), "each deadline has a reminder"
    atom = (out / "changes.atom").read_text(encoding="utf-8")
    assert atom.count("<entry>") >= 10
    assert "<rss" in (out / "changes.rss").read_text(encoding="utf-8")
    summary = (sample_site.out / "reports" / "summary.html").read_text(encoding="utf-8")
    assert "定期汇总" in summary and "2023年12月" in summary


def test_overdue_uses_today_and_extensions(sample_site: Built) -> None:
    data = json.loads((sample_site.out / "downloads" / "hazards.json").read_text(encoding="utf-8"))
    rows = {r["id"]: r for r in data["rows"]}
    for row in rows.values():
        if row["status"] == "已销号":
            assert row["overdue"] == "否"
        elif row["deadline"] and row["deadline"] < "2023-12-31":
            assert row["overdue"] == "是", row
        elif row["deadline"] >= "2023-12-31":
            assert row["overdue"] == "否", row


def _all_text(out: Path) -> str:
    parts = []
    for path in out.rglob("*"):
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as archive:
                parts += [archive.read(n).decode("utf-8", "ignore") for n in archive.namelist()]
        elif path.is_file():
            parts.append(path.read_bytes().decode("utf-8", "ignore"))
    text = "\n".join(parts)
    return text + json.dumps(text)  # JSON files may hold \\u escapes: decode them by comparing both


def test_public_build_holds_no_private_value(planted_public: Built, planted_internal: Built) -> None:
    assert planted_public.proc.returncode == 0, explain(planted_public.proc)
    assert planted_internal.proc.returncode == 0, explain(planted_internal.proc)
    public = _all_text(planted_public.out)
    search = json.loads((planted_public.out / "search" / "search_index.json").read_text(encoding="utf-8"))
    public += json.dumps(search, ensure_ascii=False)
    for name, value in PRIVATE.items():
        assert value not in public, f"{name} {value!r} reached the public build"
    internal = _all_text(planted_internal.out)
    for name in ("phone", "email", "anonymized_name"):
        assert PRIVATE[name] in internal, f"{name}: the internal build shows everything"


def test_payloads_are_text_in_the_output(planted_public: Built) -> None:
    page = (planted_public.out / "hazards" / "2023" / f"{PAYLOAD_HAZARD}.html").read_text(encoding="utf-8")
    body = page[page.index("rectify-record") :]
    assert "<script>window.__pwned" not in page
    assert "<img src=x" not in page and 'onerror="window' not in page
    assert 'href="javascript' not in page.lower()
    assert "&lt;script&gt;" in body and "config&#46;site_name" not in body
    assert "淮北市安全生产专项整治公开平台 {% raw" not in page, "Jinja in data is not rendered"
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    assert title and "<" not in title.group(1)


def test_leak_fails_the_public_build(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "leak")
    hazard = root / "registry" / "hazards" / "2023" / "HAZ-2023-00002.yaml"
    text = hazard.read_text(encoding="utf-8")
    phone = "0561-0000011"  # sun-hao-yjj's private phone, typed into a public field
    hazard.write_text(text.replace("\nlocation: ", f"\nlocation: 联系电话 {phone} ", 1), encoding="utf-8")
    built = rectify_build(root, "public", root / "out")
    assert built.proc.returncode == 1, explain(built.proc)
    assert "不应公开" in built.proc.stderr and phone in built.proc.stderr, explain(built.proc)
    assert "Traceback" not in built.proc.stderr
    internal = rectify_build(root, "internal", root / "out-internal")
    assert internal.proc.returncode == 0, explain(internal.proc)
    shutil.rmtree(root)


@pytest.mark.parametrize("profile", ["secret"])
def test_bad_profile_is_a_usage_error(tmp_path: Path, profile: str) -> None:
    built = rectify_build(copy_project(tmp_path / "p"), profile, tmp_path / "out")
    assert built.proc.returncode == 2, explain(built.proc)
    assert "Traceback" not in built.proc.stderr
