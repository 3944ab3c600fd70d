"""Downloads: the register as CSV (UTF-8 with BOM), Excel and JSON; an iCalendar feed of deadlines
(stable UIDs, all-day events, a reminder before each); an Atom and an RSS feed of changes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any
from zoneinfo import ZoneInfo

from feedgen.feed import FeedGenerator
from icalendar import Alarm, Calendar, Event
from openpyxl import Workbook

from rectify.ledger.sheetsafe import csv_text, write_only_cell, xml_display
from rectify.site.context import Site, deadline_in_force
from rectify.site.html import relative, table
from rectify.site.stats import ROW_FIELDS

SHANGHAI = ZoneInfo("Asia/Shanghai")
REMINDER_DAYS = 3
FEED_ENTRIES = 200


def register_csv(rows: list[dict[str, Any]]) -> bytes:
    """Every text that a spreadsheet would run as a formula starts with ``'`` (OWASP)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_text(title) for _, title in ROW_FIELDS])
    for row in rows:
        writer.writerow([csv_text(row[key]) for key, _ in ROW_FIELDS])
    return buffer.getvalue().encode("utf-8-sig")


def register_json(rows: list[dict[str, Any]]) -> bytes:
    fields = {key: title for key, title in ROW_FIELDS}
    return json.dumps({"fields": fields, "rows": rows}, ensure_ascii=False, separators=(",", ":")).encode()


def register_xlsx(rows: list[dict[str, Any]]) -> bytes:
    """Every text is a string cell, never a formula."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("隐患台账")
    sheet.append([write_only_cell(sheet, title) for _, title in ROW_FIELDS])
    for row in rows:
        sheet.append([write_only_cell(sheet, row[key]) for key, _ in ROW_FIELDS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def deadlines_ics(site: Site) -> bytes:
    """Deadlines of unclosed hazards and unmet milestones as all-day events with a VALARM."""
    cal = Calendar()
    cal.add("prodid", "-//rectify//安全生产专项整治//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{site.city}安全生产专项整治期限")
    cal.add("x-wr-timezone", "Asia/Shanghai")
    stamp = dt.datetime.combine(site.options.today, dt.time(0, 0), tzinfo=dt.UTC)
    domain = f"{(site.registry.jurisdiction.data.get('code') if site.registry.jurisdiction else '') or 'registry'}.rectify"

    def add(uid: str, day: str, summary: str, description: str) -> None:
        try:
            date = dt.date.fromisoformat(day)
        except ValueError:
            return
        event = Event()
        event.add("uid", f"{uid}@{domain}")
        event.add("dtstamp", stamp)
        event.add("dtstart", date)
        event.add("dtend", date + dt.timedelta(days=1))
        event.add("summary", summary)
        event.add("description", description)
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"{REMINDER_DAYS} 天后到期：{summary}")
        alarm.add("trigger", dt.timedelta(days=-REMINDER_DAYS))
        event.add_component(alarm)
        cal.add_component(event)

    for doc in site.records("hazard"):
        h = doc.data
        deadline = deadline_in_force(h)
        if h.get("status") != "closed" and deadline:
            level = site.label("hazard_level", h.get("level"))
            add(
                f"{doc.id}-deadline",
                deadline,
                f"整改期限：{doc.id} {h.get('title', '')}",
                f"{level}；{site.name(h.get('enterprise'))}",
            )
    for kind in ("campaign", "plan"):
        for doc in site.records(kind):
            plan = doc.data.get("plan") if kind == "campaign" else doc.data
            for i, m in enumerate((plan or {}).get("milestones") or []):
                if not m.get("done_on") and isinstance(m.get("deadline"), str):
                    add(
                        f"{doc.id}-milestone-{i + 1}",
                        m["deadline"],
                        f"方案时限：{m.get('name', '')}",
                        f"{doc.id}；负责：{site.name(m.get('owner'))}",
                    )
    return bytes(cal.to_ical())


def change_events(site: Site) -> list[tuple[str, str, str, str]]:
    """(date, unique key, title, record id) for every dated change in the registry, newest first."""
    out: list[tuple[str, str, str, str]] = []
    for doc in site.records("hazard"):
        h, hid = doc.data, doc.id or ""
        if (h.get("found") or {}).get("date"):
            out.append((str(h["found"]["date"]), f"{hid}-found", f"发现隐患：{h.get('title', '')}", hid))
        for i, p in enumerate(h.get("progress") or []):
            out.append(
                (
                    str(p.get("date") or ""),
                    f"{hid}-progress-{i + 1}",
                    f"整改进展：{hid} {p.get('note', '')}",
                    hid,
                )
            )
        for i, e in enumerate(h.get("extensions") or []):
            if e.get("approved_on"):
                out.append(
                    (
                        str(e["approved_on"]),
                        f"{hid}-extension-{i + 1}",
                        f"批准延期：{hid} 延至 {e.get('new_deadline')}",
                        hid,
                    )
                )
        acc = h.get("acceptance") or {}
        if acc.get("date"):
            out.append(
                (
                    str(acc["date"]),
                    f"{hid}-acceptance",
                    f"验收：{hid} {site.label('acceptance_result', acc.get('result'))}",
                    hid,
                )
            )
    for doc in site.records("action"):
        a = doc.data
        out.append(
            (
                str(a.get("date") or ""),
                f"{doc.id}",
                f"{site.label('action_type', a.get('type'))}：{site.name(a.get('target'))}",
                doc.id or "",
            )
        )
    for doc in site.records("case"):
        out.append(
            (
                str(doc.data.get("published_on") or ""),
                f"{doc.id}",
                f"典型案例曝光：{doc.data.get('title', '')}",
                doc.id or "",
            )
        )
    out.sort(key=lambda e: (e[0], e[1]), reverse=True)
    return [e for e in out if e[0] <= site.options.today.isoformat()]


def feeds(site: Site) -> tuple[bytes, bytes]:
    """The latest changes as Atom and RSS 2.0."""
    base = site.options.site_url or "./"
    gen = FeedGenerator()
    gen.id(f"urn:rectify:{site.city}:changes")
    gen.title(xml_display(f"{site.city}安全生产专项整治：最新变化"))
    gen.link(href=base, rel="alternate")
    gen.description("登记册中隐患发现、整改进展、验收销号、问责处置和典型案例曝光。")
    gen.language("zh-CN")
    stamp = dt.datetime.combine(site.options.today, dt.time(0, 0), tzinfo=SHANGHAI)
    gen.updated(stamp)
    for day, key, raw_title, record_id in reversed(change_events(site)[:FEED_ENTRIES]):
        title = xml_display(raw_title)  # a control character in a record must not stop the build
        try:
            when = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(0, 0), tzinfo=SHANGHAI)
        except ValueError:
            continue
        entry = gen.add_entry()
        entry.id(f"urn:rectify:{key}")
        entry.title(title)
        target = site.target(record_id)
        if target:
            entry.link(href=base + relative(target, "index.md", site.options.directory_urls))
        entry.updated(when)
        entry.published(when)
        entry.description(title)
    return gen.atom_str(pretty=True), gen.rss_str(pretty=True)


def downloads_page(site: Site, count: int) -> str:
    files = [
        ("downloads/hazards.csv", "隐患台账 CSV（UTF-8 带 BOM，可直接用 Excel 打开）"),
        ("downloads/hazards.xlsx", "隐患台账 Excel（.xlsx）"),
        ("downloads/hazards.json", "隐患台账 JSON"),
        ("downloads/deadlines.ics", f"整改期限日历（iCalendar，到期前 {REMINDER_DAYS} 天提醒）"),
        ("downloads/changes.atom", "最新变化（Atom 订阅）"),
        ("downloads/changes.rss", "最新变化（RSS 订阅）"),
    ]
    rows = [
        [f'<a href="{site.href(path)}" download>{path.rsplit("/", 1)[1]}</a>', text] for path, text in files
    ]
    return (
        "---\ntitle: 数据下载\n---\n\n# 数据下载\n\n"
        f"隐患台账共 {count} 条（含一般事故隐患），逾期按 {site.options.today.isoformat()}（北京时间）计算。\n\n"
        + table(["文件", "内容"], rows)
        + f'<p><a href="{site.href("reports/summary.md")}">定期汇总（本月进展）</a></p>\n'
    )
