"""The hazard register (a Tabulator table over the register's JSON) and one page per hazard with
its five 落实 items and a timeline: the record's own history plus the Git history of its file."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from rectify.load import Document
from rectify.site.context import Site, closed_on, deadline_in_force
from rectify.site.history import Commit
from rectify.site.html import dl, esc, h2, relative, table, ul

REGISTER_COLUMNS = [
    ("id", "编号"),
    ("title", "隐患名称"),
    ("district", "县区"),
    ("industry", "行业领域"),
    ("status", "状态"),
    ("campaign", "专项整治"),
    ("supervision", "挂牌督办"),
    ("deadline", "整改时限"),
    ("overdue", "是否逾期"),
]
FILTERS = ("district", "industry", "status", "campaign", "supervision", "overdue")


def register(site: Site, data_file: str, title: str, intro: str) -> str:
    """A register page: the table is drawn by Tabulator from ``data_file``; filters in each header."""
    columns = [{"field": f, "title": t, "filter": f in FILTERS} for f, t in REGISTER_COLUMNS]
    config = json.dumps({"columns": columns}, ensure_ascii=False).replace("<", "\\u003c")
    return (
        f"---\ntitle: {title}\n---\n\n# {title}\n\n{intro}\n\n"
        f'<div class="rectify-register" data-src="{site.href(data_file)}" data-root="{site.href("index.md")}" '
        f"data-config='{esc(config)}'>"
        f'<p class="rectify-count" aria-live="polite"></p><div class="rectify-table"></div>'
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


def commit_events(site: Site, commits: list[Commit]) -> list[Event]:
    """The Git history of the record's file: date, author, signed or not (and by whom, when known)."""
    out = []
    for c in commits:
        author = site.author_name(c.author)
        signer = site.history.signer_of(c)
        signed = c.signature_label + (f"，签名人：{site.link(signer)}" if signer else "")
        out.append(
            Event(
                c.date,
                "登记册修改",
                f"{esc(c.subject)} · 提交人 {esc(author)} · {signed} · <code>{esc(c.sha[:10])}</code>",
                "rectify-git",
            )
        )
    return out


def timeline(events: list[Event]) -> str:
    items = "".join(
        f'<li class="rectify-event {e.css}"><time>{esc(e.on[:10])}</time> <strong>{esc(e.kind)}</strong> {e.text}</li>'
        for e in sorted(events, key=lambda e: e.on)
    )
    return f'<ol class="rectify-timeline">{items}</ol>\n\n'


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
    parts = [
        f"<h1>{esc(hid)} {esc(h.get('title'))}</h1>\n\n",
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
        h2("隐患描述"),
        f'<p class="rectify-text">{esc(h.get("description"))}</p>\n\n',
        h2("五落实"),
        dl(five),
        h2("时间线"),
        timeline(record_events(site, h) + commit_events(site, site.history.of(doc.file))),
    ]
    if not site.history.of(doc.file):
        parts.append('<p class="rectify-meta">本记录文件没有可用的 Git 历史。</p>\n\n')
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


def hazard_list(site: Site, hazards: list[dict[str, Any]], limit: int = 500) -> str:
    """A static list of hazards for campaign and enterprise pages (links to each hazard's page)."""
    rows = [
        [
            site.link(h.get("id"), str(h.get("id"))),
            esc(h.get("title")),
            esc(site.label("hazard_level", h.get("level"))),
            esc(site.label("hazard_status", h.get("status"))) + ("（逾期）" if site.overdue(h) else ""),
            esc(deadline_in_force(h)),
        ]
        for h in hazards[:limit]
    ]
    more = (
        f'<p>另有 {len(hazards) - limit} 条，见<a href="{site.href("hazards/index.md")}">隐患台账</a>。</p>\n\n'
        if len(hazards) > limit
        else ""
    )
    return table(["编号", "隐患", "等级", "状态", "整改时限"], rows) + more


__all__ = ["hazard_list", "hazard_page", "register", "relative"]
