"""The hazard register (a Tabulator table over the register's JSON) and one page per hazard with
its five 落实 items and a timeline: the record's own history plus the Git history of its file."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from rectify.ids import sort_key
from rectify.model import Document
from rectify.site import changes, evidence
from rectify.site.context import Site, closed_on, deadline_in_force
from rectify.site.html import dl, esc, h2, relative, table, ul

REGISTER_COLUMNS = [
    ("id", "编号"),
    ("title", "隐患名称"),
    ("district", "县区"),
    ("industry", "行业领域"),
    ("status", "状态"),
    ("campaign", "专项整治"),
    ("supervision", "挂牌督办"),
    ("department", "责任部门"),
    ("deadline", "当前时限"),
    ("overdue", "是否逾期"),
    ("days_overdue", "逾期天数"),
    ("acceptor", "验收人"),
    ("accepted_on", "验收日期"),
    ("findings", "核查发现"),
    ("evidence", "佐证材料"),
]
FILTERS = (
    "district",
    "industry",
    "status",
    "campaign",
    "supervision",
    "department",
    "overdue",
    "findings",
    "evidence",
)
# shown on a phone as a card per hazard (below the width breakpoint: no table)
CARD_FIELDS = ("district", "status", "deadline", "days_overdue", "department")
HAZARDS_LISTED = 25  # hazards listed on a campaign, body or enterprise page; the register has them all
COMMITS_SHOWN = 20  # the newest commits on a record's timeline; older ones are counted (Git keeps all)
# filters a link may set that have no column: the dashboard's three states
EXTRA_FILTERS = {"state": "整改情况"}


def register(site: Site, data_file: str, title: str, intro: str) -> str:
    """A register page: the table is drawn by Tabulator from ``data_file``; filters in each header,
    and (on a phone) in a bar above the cards. The filter and sort state lives in the page's URL
    (``?district=濉溪县&sort=deadline:asc``): links from other pages open it prefiltered."""
    from rectify.rules import RULES

    columns = [{"field": f, "title": t, "filter": f in FILTERS} for f, t in REGISTER_COLUMNS]
    findings = {
        r: f"{r} {RULES[r].title}"
        for r in sorted({f.rule for fs in site.findings.values() for f in fs if f.kind == "hazard"})
        if r in RULES
    }
    config = json.dumps(
        {
            "columns": columns,
            "cards": list(CARD_FIELDS),
            "extra": EXTRA_FILTERS,
            "findings": findings,
        },
        ensure_ascii=False,
    ).replace("<", "\\u003c")
    return (
        f"---\ntitle: {title}\nhide:\n  - navigation\n  - toc\n---\n\n# {title}\n\n{intro}\n\n"
        f'<div class="rectify-register" data-src="{site.href(data_file)}" data-root="{site.href("index.md")}" '
        f"data-config='{esc(config)}'>"
        '<div class="rectify-controls" role="group" aria-label="筛选与排序"></div>'
        f'<p class="rectify-count" aria-live="polite"></p><div class="rectify-table"></div>'
        '<ol class="rectify-cardlist"></ol>'
        f'<noscript><p>本表需要启用 JavaScript；也可<a href="{site.href("downloads.md")}">下载</a> CSV 或 Excel 版本。</p></noscript>'
        "</div>\n\n"
    )


@dataclass(frozen=True, slots=True)
class Event:
    on: str  # ISO date or date-time (sorting key)
    kind: str  # what happened (Chinese)
    text: str  # escaped HTML
    css: str = ""


def record_events(site: Site, h: dict[str, Any]) -> list[Event]:
    """The hazard's own history: found, supervision, extensions, progress, referrals, acceptance."""
    events: list[Event] = []
    found = h.get("found") or {}
    if found.get("date"):
        source = site.label("hazard_source", found.get("source"))
        events.append(
            Event(
                str(found["date"]),
                "发现",
                f"{esc(source)}{('：' + site.link(found.get('by'))) if found.get('by') else ''}",
            )
        )
    sup = h.get("supervision") or {}
    if sup.get("date") and sup.get("level") not in (None, "none"):
        events.append(
            Event(
                str(sup["date"]),
                "挂牌督办",
                f"{esc(site.label('supervision_level', sup.get('level')))}（{site.link(sup.get('by'))}）",
            )
        )
    for ext in h.get("extensions") or []:
        if ext.get("requested_on"):
            events.append(
                Event(
                    str(ext["requested_on"]),
                    "申请延期",
                    f"延至 {esc(ext.get('new_deadline'))}：{esc(ext.get('reason'))}",
                )
            )
        if ext.get("approved_on"):
            events.append(
                Event(
                    str(ext["approved_on"]),
                    "批准延期",
                    f"整改时限改为 {esc(ext.get('new_deadline'))}，批准：{site.link(ext.get('approved_by'))}",
                )
            )
    for item in h.get("progress") or []:
        by = f"（{site.link(item.get('by'))}）" if item.get("by") else ""
        events.append(Event(str(item.get("date") or ""), "整改进展", f"{esc(item.get('note'))}{by}"))
    for ref in h.get("referrals") or []:
        events.append(
            Event(
                str(ref.get("date") or ""),
                "移交",
                f"移交{site.link(ref.get('to'))}：{esc(ref.get('reason'))}",
            )
        )
    accident = h.get("accident_during_rectification") or {}
    if accident.get("date"):
        events.append(
            Event(str(accident["date"]), "整改期间发生事故", esc(accident.get("note")), "rectify-alert")
        )
    acc = h.get("acceptance") or {}
    if acc.get("date"):
        result = site.label("acceptance_result", acc.get("result"))
        events.append(
            Event(
                str(acc["date"]),
                "验收",
                f"{esc(result)}（验收人：{site.link(acc.get('by'))}）{esc(acc.get('note'))}",
            )
        )
    deadline = deadline_in_force(h)
    if deadline and h.get("status") != "closed":
        late = site.overdue(h)
        note = f"已逾期 {late} 天" if late else "尚未到期"
        events.append(
            Event(
                deadline,
                "整改时限",
                f"{note}（按 {site.options.today.isoformat()} 计）",
                "rectify-alert" if late else "",
            )
        )
    return events


def commit_events(site: Site, doc: Document) -> list[Event]:
    """The Git history of the record's file: the committer date, what changed in the record
    (:mod:`rectify.site.changes`), signed or not and by whom. The public site shows no commit
    subject and no author name: free text that nobody reviews (see the module docstring there)."""
    out = []
    for c in site.history.of(doc.file)[:COMMITS_SHOWN]:
        signer = site.history.signer_of(c)
        signed = c.signature_label + (f"，签名人：{site.link(signer)}" if signer else "")
        what = changes.describe(site, doc.kind, site.history.revision(doc.file, c.sha))
        parts = [what, signed, f"<code>{esc(c.sha[:10])}</code>"]
        if not site.options.public:
            parts[1:1] = [f"提交人 {esc(c.author)}", f"提交说明：{esc(c.subject)}"]
        out.append(Event(c.date, "登记册修改", " · ".join(parts), "rectify-git"))
    return out


def timeline(events: list[Event]) -> str:
    items = "".join(
        f'<li class="rectify-event {e.css}"><time>{esc(e.on[:10])}</time> <strong>{esc(e.kind)}</strong> {e.text}</li>'
        for e in sorted(events, key=lambda e: e.on)
    )
    return f'<ol class="rectify-timeline">{items}</ol>\n\n'


def register_url(site: Site, filters: dict[str, str], page: str = "hazards/index.md") -> str:
    """A link to a register opened with ``filters`` (the register keeps its state in the query)."""
    query = urlencode(filters)
    return site.href(page) + (("?" + esc(query)) if query else "")


def register_links(site: Site, field: str, value: str) -> str:
    """ "See them in the register" for both registers, filtered by one column."""
    return (
        f'<p class="rectify-ways">在台账中查看（已筛选）：<a href="{register_url(site, {field: value})}">重大事故隐患</a> · '
        f'<a href="{register_url(site, {field: value}, "hazards/general.md")}">一般事故隐患</a></p>\n\n'
    )


def breadcrumb(site: Site, trail: list[tuple[str, str]], here: str) -> str:
    """首页 › 隐患台账 › HAZ-…: (label, target) pairs, then the page itself (not a link)."""
    items = [f'<li><a href="{site.href("index.md")}">首页</a></li>']
    items += [f'<li><a href="{site.href(target)}">{esc(label)}</a></li>' for label, target in trail]
    items.append(f'<li aria-current="page">{esc(here)}</li>')
    return f'<nav class="rectify-breadcrumb" aria-label="位置"><ol>{"".join(items)}</ol></nav>\n\n'


def cn_date(iso: object) -> str:
    """``2024-01-31`` → ``2024年1月31日`` (anything else as it is)."""
    text = str(iso or "")
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return text
    return f"{day.year}年{day.month}月{day.day}日"


def when_fixed(site: Site, h: dict[str, Any]) -> tuple[str, bool]:
    """ "When will it be fixed", in words: status, deadline in force, extensions, days overdue."""
    status = site.label("hazard_status", h.get("status"))
    done = closed_on(h)
    if h.get("status") == "closed":
        return (f"已验收销号（{cn_date(done)}）。" if done else "已销号。"), False
    deadline = deadline_in_force(h)
    if not deadline:
        return f"{status}，尚未确定整改时限。", False
    approved = sum(1 for e in h.get("extensions") or [] if e.get("approved_on"))
    pending = sum(1 for e in h.get("extensions") or [] if not e.get("approved_on"))
    extended = f"（已延期{approved}次）" if approved else ""
    waiting = f"另有{pending}次延期申请尚未批准。" if pending else ""
    late = site.overdue(h)
    if late:
        return f"{status}，整改时限为{cn_date(deadline)}{extended}，已逾期 {late} 天。{waiting}", True
    return f"{status}，应于{cn_date(deadline)}前完成{extended}。{waiting}", False


def extension_table(site: Site, h: dict[str, Any]) -> str:
    rows = [
        [
            str(i),
            esc(e.get("requested_on")),
            esc(e.get("new_deadline")),
            esc(e.get("reason")),
            (
                f"{site.link(e.get('approved_by'))}，{esc(e.get('approved_on'))}"
                if e.get("approved_on")
                else "尚未批准"
            ),
        ]
        for i, e in enumerate(h.get("extensions") or [], start=1)
    ]
    if not rows:
        return ""
    return table(["次序", "申请日期", "延至", "理由", "批准"], rows)


def hazard_page(site: Site, doc: Document) -> str:
    """The body (HTML only) of a hazard's page."""
    h = doc.data
    hid = str(h.get("id"))
    rect = h.get("rectification") or {}
    basis = h.get("basis") or {}
    standard = site.registry.standards.get(str(basis.get("standard")), {})
    late = site.overdue(h)
    status = site.label("hazard_status", h.get("status")) + (f"（逾期 {late} 天）" if late else "")
    funds = rect.get("funds_cny")
    five = [
        ("责任（整改责任人）", site.link(rect.get("person"))),
        ("责任（责任部门）", site.link(rect.get("department"))),
        ("督办责任人", site.link(rect.get("supervisor"))),
        ("验收人", site.link(rect.get("acceptor"))),
        ("措施", ul(esc(m) for m in rect.get("measures") or []) if rect.get("measures") else ""),
        ("资金", f"{funds:,} 元" if isinstance(funds, int | float) else esc(funds)),
        (
            "期限",
            esc(rect.get("deadline"))
            + (
                f"；现行时限 {esc(deadline_in_force(h))}"
                if deadline_in_force(h) != rect.get("deadline")
                else ""
            ),
        ),
        ("应急预案", esc(rect.get("emergency_plan"))),
    ]
    actions = [r.source.data for r in site.registry.referrers.get(hid, []) if r.source.kind == "action"]
    register_page = "hazards/index.md" if h.get("level") == "major" else "hazards/general.md"
    register_name = "重大事故隐患台账" if h.get("level") == "major" else "一般事故隐患"
    answer, alert = when_fixed(site, h)
    parts = [
        breadcrumb(site, [(register_name, register_page)], hid),
        f"<h1>{esc(hid)} {esc(h.get('title'))}</h1>\n\n",
        f'<p class="rectify-when{" rectify-alert" if alert else ""}"><strong>整改情况：</strong>{esc(answer)}</p>\n\n',
        dl(
            [
                ("隐患等级", esc(site.label("hazard_level", h.get("level")))),
                ("状态", f'<span class="{"rectify-alert" if late else ""}">{esc(status)}</span>'),
                ("企业", site.link(h.get("enterprise"))),
                ("县区", site.link(h.get("district"))),
                ("行业领域", esc(site.label("industry", h.get("industry")))),
                ("隐患点", esc(h.get("location"))),
                ("专项整治", site.link(h.get("campaign"))),
                (
                    "判定依据",
                    f"{esc(standard.get('title') or basis.get('standard'))} {esc(basis.get('clause'))}"
                    if basis
                    else "",
                ),
                (
                    "挂牌督办",
                    esc(site.label("supervision_level", (h.get("supervision") or {}).get("level", "none"))),
                ),
                ("企业自查发现", esc(h.get("self_found")) if "self_found" in h else ""),
                ("企业内部挂牌督办", esc(h.get("internally_listed")) if "internally_listed" in h else ""),
                ("销号日期", esc(closed_on(h))),
            ]
        ),
        (h2("延期记录") + extension_table(site, h)) if h.get("extensions") else "",
        h2("隐患描述"),
        f'<p class="rectify-text">{esc(h.get("description"))}</p>\n\n',
        h2("五落实"),
        dl(five),
        evidence.gallery(site, doc),
        h2("时间线"),
        timeline(record_events(site, h) + commit_events(site, doc)),
    ]
    commits = len(site.history.of(doc.file))
    if not commits:
        parts.append('<p class="rectify-meta">本记录文件没有可用的 Git 历史。</p>\n\n')
    elif commits > COMMITS_SHOWN:
        parts.append(
            f'<p class="rectify-meta">另有 {commits - COMMITS_SHOWN} 次更早的登记册修改未列出，'
            "见登记册文件的 Git 历史。</p>\n\n"
        )
    if actions:
        parts.append(h2("问责处置"))
        parts.append(
            table(
                ["编号", "方式", "对象", "日期"],
                [
                    [
                        site.link(a.get("id"), str(a.get("id"))),
                        esc(site.label("action_type", a.get("type"))),
                        site.link(a.get("target")),
                        esc(a.get("date")),
                    ]
                    for a in actions
                ],
            )
        )
    parts.append(f'<p class="rectify-meta">登记册文件：<code>{esc(doc.file)}</code></p>\n')
    return "".join(parts)


def hazard_list(site: Site, hazards: list[dict[str, Any]], limit: int = HAZARDS_LISTED) -> str:
    """A static list of hazards for campaign, body and enterprise pages (links to each hazard's
    page), the most pressing first: unclosed before closed, the longest overdue first, major
    before general, then by id. Beyond ``limit`` the register (opened prefiltered from the same
    page) lists them all: a page stays small however many hazards a county has."""

    def pressing(h: dict[str, Any]) -> tuple[bool, int, bool, tuple[int, str, int, int, str]]:
        return (
            h.get("status") == "closed",
            -site.overdue(h),
            h.get("level") != "major",
            sort_key(str(h.get("id"))),
        )

    shown = sorted(hazards, key=pressing)[:limit]
    rows = [
        [
            site.link(h.get("id"), str(h.get("id"))),
            esc(h.get("title")),
            esc(site.label("hazard_level", h.get("level"))),
            esc(site.label("hazard_status", h.get("status"))) + ("（逾期）" if site.overdue(h) else ""),
            esc(deadline_in_force(h)),
        ]
        for h in shown
    ]
    more = (
        f'<p>另有 {len(hazards) - limit} 条未列出（以上为最需关注的 {limit} 条），全部见<a href="{site.href("hazards/index.md")}">隐患台账</a>。</p>\n\n'
        if len(hazards) > limit
        else ""
    )
    return table(["编号", "隐患", "等级", "状态", "整改时限"], rows) + more


__all__ = ["hazard_list", "hazard_page", "register", "relative"]
