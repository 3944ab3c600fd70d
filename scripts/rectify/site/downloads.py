"""Downloads: the register as CSV (UTF-8 with BOM), Excel (date cells, links to each hazard's page,
the responsible people the public may see) and JSON; an iCalendar feed of deadlines (stable UIDs,
all-day events, a reminder before each); an Atom and an RSS feed of changes; the feed and calendar
again for each county. Links in feeds and calendars are absolute (``site.url`` of
``jurisdiction.yaml``): a feed reader or a phone calendar has no page to resolve them against."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any
from zoneinfo import ZoneInfo

from feedgen.feed import FeedGenerator
from icalendar import Calendar
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from rectify.ids import sort_key
from rectify.ledger.sheetsafe import csv_text, write_only_cell, xml_display
from rectify.site.context import Site, deadline_in_force
from rectify.site.html import esc, relative, table
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


def _is_date_column(key: str) -> bool:
    return key.endswith("_on") or key == "deadline" or key.endswith("deadline")


def _people(site: Site) -> dict[str, list[str]]:
    """Hazard id → the public names of its 整改责任人 and 督办责任人 (anonymized as the pages show them)."""
    out: dict[str, list[str]] = {}
    for doc in site.records("hazard"):
        rect = doc.data.get("rectification") or {}
        out[doc.id or ""] = [site.name(rect.get(k)) if rect.get(k) else "" for k, _ in XLSX_PEOPLE]
    return out


XLSX_PEOPLE = (("person", "整改责任人"), ("supervisor", "督办责任人"))


def register_xlsx(rows: list[dict[str, Any]], site: Site | None = None) -> bytes:
    """Every text is a string cell, never a formula; dates are date cells; each id links to its page."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("隐患台账")
    people = _people(site) if site is not None else {}
    extra = [title for _, title in XLSX_PEOPLE] if site is not None else []
    sheet.append([write_only_cell(sheet, t) for t in [title for _, title in ROW_FIELDS] + extra])
    base = absolute_base(site) if site is not None else "../"
    for row in rows:
        cells = []
        for key, _ in ROW_FIELDS:
            value = row[key]
            cell = None
            if _is_date_column(key) and isinstance(value, str) and value:
                try:
                    day = dt.datetime.combine(dt.date.fromisoformat(value), dt.time())
                    cell = WriteOnlyCell(sheet, value=day)
                    cell.number_format = "yyyy-mm-dd"
                except ValueError:
                    cell = None
            if cell is None:
                cell = write_only_cell(sheet, value)
            if key == "id" and row.get("url"):
                cell.hyperlink = base + str(row["url"])
                cell.style = "Hyperlink"
            cells.append(cell)
        cells += [write_only_cell(sheet, name) for name in people.get(str(row["id"]), [])]
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def absolute_base(site: Site) -> str:
    """The site's address, or a link from downloads/ back to the root when it is not set."""
    return site.options.site_url or "../"


def _ics_text(value: str) -> str:
    """RFC 5545 TEXT escaping, as icalendar's ``vText`` does it."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """A content line folded before 75 octets, never inside a UTF-8 character nor after the
    backslash of an escape: icalendar's folding (its ``_foldline``), kept byte for byte."""
    if len(line.encode("utf-8")) < 75:
        return line
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if current and size + width >= 75:
            if len(current) > 1 and current[-1] in "\\^":
                carried = current.pop()
                parts.append("".join(current))
                current, size = [carried], len(carried.encode("utf-8"))
            else:
                parts.append("".join(current))
                current, size = [], 0
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def vevent(
    uid: str, stamp: dt.datetime, day: dt.date, summary: str, description: str, url: str = ""
) -> bytes:
    """One all-day deadline with a reminder :data:`REMINDER_DAYS` before, serialized as icalendar's
    ``Event.to_ical`` writes it (tests/site/test_feeds.py compares the two). Written directly:
    icalendar takes 0.6 ms an event, a minute for the calendars of 100,000 hazards."""
    lines = [
        "BEGIN:VEVENT",
        f"SUMMARY:{_ics_text(summary)}",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
        f"DTSTAMP:{stamp:%Y%m%dT%H%M%S}Z",
        f"UID:{_ics_text(uid)}",
        f"DESCRIPTION:{_ics_text(description)}",
        *([f"URL:{url}"] if url else []),
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{_ics_text(f'{REMINDER_DAYS} 天后到期：{summary}')}",
        f"TRIGGER:-P{REMINDER_DAYS}D",
        "END:VALARM",
        "END:VEVENT",
    ]
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode("utf-8")


def deadline_calendars(site: Site, counties_: list[tuple[str, str]]) -> dict[str, bytes]:
    """Deadlines of unclosed hazards and unmet milestones as all-day events with a VALARM: the
    city's calendar (``""``) and each county's (its hazards only), by county id. Each event is
    made and serialized once and placed in every calendar that holds it."""
    stamp = dt.datetime.combine(site.options.today, dt.time(0, 0), tzinfo=dt.UTC)
    domain = f"{(site.registry.jurisdiction.data.get('code') if site.registry.jurisdiction else '') or 'registry'}.rectify"
    base = absolute_base(site)
    names = {"": site.city, **dict(counties_)}
    events: dict[str, list[bytes]] = {key: [] for key in names}

    def event(uid: str, day: str, summary: str, description: str, record_id: str = "") -> bytes | None:
        try:
            date = dt.date.fromisoformat(day)
        except ValueError:
            return None
        target = site.target(record_id) if record_id else None
        url = base + relative(target, "index.md", site.options.directory_urls) if target else ""
        return vevent(
            f"{uid}@{domain}", stamp, date, summary, f"{description}\n{url}" if url else description, url
        )

    for doc in site.records("hazard"):
        h = doc.data
        deadline = deadline_in_force(h)
        if h.get("status") != "closed" and deadline:
            level = site.label("hazard_level", h.get("level"))
            made = event(
                f"{doc.id}-deadline",
                deadline,
                f"整改期限：{doc.id} {h.get('title', '')}",
                f"{level}；{site.name(h.get('enterprise'))}",
                doc.id or "",
            )
            if made:
                events[""].append(made)
                district = h.get("district")
                if isinstance(district, str) and district in events:
                    events[district].append(made)
    for kind in ("campaign", "plan"):
        for doc in site.records(kind):
            plan = doc.data.get("plan") if kind == "campaign" else doc.data
            for i, m in enumerate((plan or {}).get("milestones") or []):
                if not m.get("done_on") and isinstance(m.get("deadline"), str):
                    made = event(
                        f"{doc.id}-milestone-{i + 1}",
                        m["deadline"],
                        f"方案时限：{m.get('name', '')}",
                        f"{doc.id}；负责：{site.name(m.get('owner'))}",
                        doc.id or "",
                    )
                    if made:
                        events[""].append(made)
    out = {}
    for key, name in names.items():
        cal = Calendar()
        cal.add("prodid", "-//rectify//安全生产专项整治//ZH")
        cal.add("version", "2.0")
        cal.add("x-wr-calname", f"{name}安全生产专项整治期限")
        cal.add("x-wr-timezone", "Asia/Shanghai")
        head, end = bytes(cal.to_ical()).rsplit(b"END:VCALENDAR", 1)
        out[key] = head + b"".join(events[key]) + b"END:VCALENDAR" + end
    return out


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
    out.sort(key=lambda e: (e[0], sort_key(e[3]), e[1]), reverse=True)
    return [e for e in out if e[0] <= site.options.today.isoformat()]


def counties(site: Site) -> list[tuple[str, str]]:
    """(id, name) of every county-level body that has hazards, in registry order."""
    seen: dict[str, str] = {}
    for doc in site.records("hazard"):
        district = doc.data.get("district")
        if isinstance(district, str) and district not in seen:
            seen[district] = site.name(district)
    return sorted(seen.items())


def feeds(
    site: Site, county: tuple[str, str] | None = None, events: list[tuple[str, str, str, str]] | None = None
) -> tuple[bytes, bytes]:
    """The latest changes as Atom and RSS 2.0 (for a county (id, name): its hazards only);
    ``events`` are :func:`change_events`, made once for the city and every county."""
    base = absolute_base(site)
    where = county[1] if county else site.city
    gen = FeedGenerator()
    gen.id(f"urn:rectify:{site.city}:changes" + (f":{county[0]}" if county else ""))
    gen.title(xml_display(f"{where}安全生产专项整治：最新变化"))
    gen.link(href=base, rel="alternate")
    name = f"counties/{county[0]}" if county else "changes"
    if site.options.site_url:
        gen.link(href=f"{base}downloads/{name}.atom", rel="self")
    gen.description("登记册中隐患发现、整改进展、验收销号、问责处置和典型案例曝光。")
    gen.language("zh-CN")
    stamp = dt.datetime.combine(site.options.today, dt.time(0, 0), tzinfo=SHANGHAI)
    gen.updated(stamp)
    events = change_events(site) if events is None else events
    if county:
        mine = {d.id for d in site.records("hazard") if d.data.get("district") == county[0]}
        events = [e for e in events if e[3] in mine]
    for day, key, raw_title, record_id in reversed(events[:FEED_ENTRIES]):
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


def files(site: Site, rows: list[dict[str, Any]]) -> dict[str, bytes]:
    """Every file of downloads/: the register, the calendar and feeds, and each county's."""
    areas = counties(site)
    calendars = deadline_calendars(site, areas)
    events = change_events(site)
    out = {
        "downloads/hazards.csv": register_csv(rows),
        "downloads/hazards.json": register_json(rows),
        "downloads/hazards.xlsx": register_xlsx(rows, site),
        "downloads/deadlines.ics": calendars[""],
    }
    out["downloads/changes.atom"], out["downloads/changes.rss"] = feeds(site, None, events)
    for county in areas:
        out[f"downloads/counties/{county[0]}.ics"] = calendars[county[0]]
        out[f"downloads/counties/{county[0]}.atom"], _ = feeds(site, county, events)
    return out


SUBSCRIBE = """
## 订阅最新变化和整改期限

**订阅最新变化（Atom / RSS）**：隐患发现、整改进展、批准延期、验收销号、问责处置和典型案例曝光，
有新内容时阅读器会自动提示。

1. 在上表或下面的县区表中，右键点击“Atom 订阅”或“RSS 订阅”，选择“复制链接地址”；
2. 打开常用的订阅阅读器（手机或电脑上的 RSS 阅读器、浏览器的订阅功能、邮箱的 RSS 订阅），
   选择“添加订阅”或“+”，粘贴链接，确认即可。

**订阅整改期限日历（iCalendar）**：每个未销号隐患的整改期限和方案节点是一个全天日程，到期前
{days} 天提醒；日历随站点更新自动同步。

- **苹果手机（iPhone）**：打开“设置”→“日历”→“账户”→“添加账户”→“其他”→“添加已订阅的日历”，
  粘贴日历链接，点“下一步”“存储”；
- **安卓手机**：多数手机的“日历”应用不能直接订阅链接。可在电脑上登录手机日历所用的账户
  （如 Google 日历“其他日历”→“+”→“通过网址添加”；或华为、小米等云服务的日历订阅），粘贴链接，
  手机同步后即可看到；也可下载 .ics 文件后用“日历”打开，一次性导入（不会自动更新）；
- **电脑**：Outlook 选“添加日历”→“从 Internet 订阅”；苹果电脑“日历”选“文件”→“新建日历订阅”。

只关心一个县区？订阅下表中该县区的日历和最新变化即可。
"""


def downloads_page(site: Site, count: int) -> str:
    files = [
        ("downloads/hazards.csv", "隐患台账 CSV（UTF-8 带 BOM，可直接用 Excel 打开）"),
        ("downloads/hazards.xlsx", "隐患台账 Excel（.xlsx）"),
        ("downloads/hazards.json", "隐患台账 JSON"),
        ("downloads/deadlines.ics", f"整改期限日历（iCalendar，到期前 {REMINDER_DAYS} 天提醒）"),
        ("downloads/changes.atom", "最新变化（Atom 订阅）"),
        ("downloads/changes.rss", "最新变化（RSS 订阅）"),
    ]
    rows = [[_file_link(site, path, path.rsplit("/", 1)[1]), text] for path, text in files]
    county_rows = [
        [
            esc(name),
            _file_link(site, f"downloads/counties/{cid}.atom", "Atom 订阅"),
            _file_link(site, f"downloads/counties/{cid}.ics", "整改期限日历"),
        ]
        for cid, name in counties(site)
    ]
    address = f"订阅地址以 {esc(site.options.site_url)} 开头。" if site.options.site_url else ""
    return (
        "---\ntitle: 数据下载\n---\n\n# 数据下载\n\n"
        f"隐患台账共 {count} 条（含一般事故隐患），逾期按 {site.options.today.isoformat()}（北京时间）计算。"
        "Excel 文件中的日期是日期格式，可直接排序和筛选；隐患编号链接到该隐患的页面。\n\n"
        + table(["文件", "内容"], rows)
        + f'<p><a href="{site.href("reports/summary.md")}">定期汇总（本月进展）</a></p>\n'
        + SUBSCRIBE.format(days=REMINDER_DAYS)
        + address
        + "\n\n### 各县区的订阅\n\n"
        + table(["县区", "最新变化", "整改期限日历"], county_rows)
    )


def _file_link(site: Site, path: str, text: str) -> str:
    return f'<a href="{site.href(path)}" download>{esc(text)}</a>'
