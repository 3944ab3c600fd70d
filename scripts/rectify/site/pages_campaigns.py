"""Campaign pages (plan, milestones against today, lead department and leader, sub-plans,
inspections, hazards, summary), the list of implementation plans, and the inspection pages."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from rectify.ids import sort_key
from rectify.model import Document
from rectify.site.context import Site
from rectify.site.html import dl, esc, h2, safe_url, table, ul
from rectify.site.pages_hazards import breadcrumb, hazard_list, register_links, register_url

INSPECTIONS_LISTED = 20  # the newest inspections on a campaign's page; the inspection list has them all
SUMMARY_PARTS = [
    ("completion", "完成情况"),
    ("problems", "存在问题"),
    ("experience", "经验做法"),
    ("outcomes", "工作成效"),
    ("institutional_outcomes", "制度性成果"),
]


def by_reference(site: Site, kind: str, field: str) -> dict[str, list[Document]]:
    """Records of ``kind`` grouped by the id their top-level ``field`` names (one pass)."""
    out: dict[str, list[Document]] = defaultdict(list)
    for doc in site.records(kind):
        value = doc.data.get(field)
        if isinstance(value, str):
            out[value].append(doc)
    return out


def milestone_state(site: Site, m: dict[str, Any]) -> str:
    if m.get("done_on"):
        return f"已完成（{esc(m['done_on'])}）"
    deadline = m.get("deadline")
    if isinstance(deadline, str) and deadline < site.options.today.isoformat():
        late = (site.options.today - dt.date.fromisoformat(deadline)).days
        return f'<span class="rectify-alert">逾期未完成（{late} 天）</span>'
    return "未到期"


def plan_body(site: Site, plan: dict[str, Any]) -> str:
    doc = plan.get("document") or {}
    url = safe_url(doc.get("url"))
    title = esc(doc.get("title"))
    shown = f'<a href="{esc(url)}" rel="noopener">{title}</a>' if url else title
    review = plan.get("review") or {}
    review_text = (
        f"{esc(site.label('review_result', review.get('result')))}（{site.link(review.get('by'))}，{esc(review.get('date'))}）"
        if review
        else "未审查"
    )
    milestones = [
        [esc(m.get("name")), esc(m.get("deadline")), site.link(m.get("owner")), milestone_state(site, m)]
        for m in plan.get("milestones") or []
    ]
    return "".join(
        [
            dl(
                [
                    (
                        "方案文件",
                        " ".join(x for x in (shown, esc(doc.get("number")), esc(doc.get("date"))) if x),
                    ),
                    ("方案审查", review_text),
                ]
            ),
            "<h3>整治重点</h3>\n\n",
            ul(esc(f) for f in plan.get("focus") or []),
            "<h3>标准</h3>\n\n",
            ul(esc(s) for s in plan.get("standards") or []),
            "<h3>时限（里程碑）</h3>\n\n",
            table(["任务", "时限", "负责", f"完成情况（截至 {site.options.today.isoformat()}）"], milestones),
            "<h3>责任人</h3>\n\n",
            ul(f"{site.link(r.get('person'))}：{esc(r.get('duty'))}" for r in plan.get("responsible") or []),
        ]
    )


def summary_state(c: dict[str, Any]) -> str:
    """总结评估 completeness (C-summary): due once a campaign is summarizing or closed."""
    summary = c.get("summary") or {}
    missing = [label for key, label in SUMMARY_PARTS if not summary.get(key)]
    if c.get("status") not in ("summarizing", "closed"):
        return "未到总结阶段" if missing else "齐全"
    if not missing:
        return "齐全"
    return f'<span class="rectify-alert">缺少{esc("、".join(missing))}</span>'


def register_link_cell(site: Site, c: dict[str, Any]) -> str:
    return f'<a href="{register_url(site, {"campaign": site.name(c.get("id"))})}">查看</a>'


def campaign_index(site: Site) -> str:
    rows = []
    for doc in site.records("campaign"):
        c = doc.data
        period = c.get("period") or {}
        rows.append(
            [
                site.link(c.get("id"), str(c.get("id"))),
                site.link(c.get("id"), str(c.get("title") or "")),
                esc(site.label("campaign_level", c.get("level"))),
                esc(site.label("campaign_status", c.get("status"))),
                site.link(c.get("lead_department")),
                esc(f"{period.get('start', '')} 至 {period.get('end', '')}" if period else ""),
                summary_state(c),
                register_link_cell(site, c),
            ]
        )
    return (
        "---\ntitle: 专项整治\n---\n\n# 专项整治\n\n"
        + table(["编号", "名称", "层级", "阶段", "牵头部门", "期限", "总结评估", "隐患"], rows)
        + f'<p><a href="{site.href("campaigns/plans.md")}">各部门、县区和企业的实施方案</a></p>\n'
    )


def campaign_page(
    site: Site,
    doc: Document,
    plans: list[Document],
    children: list[Document],
    inspections: list[Document],
    hazards: list[Document],
) -> str:
    c = doc.data
    period = c.get("period") or {}
    sources = [
        " ".join(
            x
            for x in (
                f'<a href="{esc(safe_url(s.get("url")))}" rel="noopener">{esc(s.get("title"))}</a>'
                if safe_url(s.get("url"))
                else esc(s.get("title")),
                esc(s.get("issuer")),
                esc(s.get("number")),
                esc(s.get("date")),
            )
            if x
        )
        for s in c.get("source_documents") or []
    ]
    latest = sorted(
        inspections, key=lambda i: (str(i.data.get("date") or ""), sort_key(i.id or "")), reverse=True
    )[:INSPECTIONS_LISTED]
    parts = [
        breadcrumb(site, [("专项整治", "campaigns/index.md")], str(c.get("id") or "")),
        f"<h1>{esc(c.get('title'))}</h1>\n\n",
        dl(
            [
                ("编号", esc(c.get("id"))),
                ("层级", esc(site.label("campaign_level", c.get("level")))),
                ("阶段", esc(site.label("campaign_status", c.get("status")))),
                ("期限", esc(f"{period.get('start', '')} 至 {period.get('end', '')}") if period else ""),
                ("上级专项整治", site.link(c.get("parent"))),
                ("牵头部门", site.link(c.get("lead_department"))),
                ("市政府负责同志", site.link(c.get("leader"))),
                ("责任部门", site.links(c.get("departments"))),
                ("涉及县区", site.links(c.get("districts"))),
                ("依据的上级文件", "<br>".join(sources)),
            ]
        ),
        h2("实施方案"),
        plan_body(site, c.get("plan") or {}) if c.get("plan") else "<p>尚未编制方案。</p>\n\n",
        h2("下级实施方案"),
        table(
            ["编号", "方案", "编制单位", "类型", "审查"],
            [
                [
                    site.link(p.id, p.id or ""),
                    esc(p.data.get("title") or (p.data.get("document") or {}).get("title")),
                    site.link(p.data.get("owner")),
                    esc(site.label("plan_kind", p.data.get("kind"))),
                    esc(site.label("review_result", (p.data.get("review") or {}).get("result"))) or "未审查",
                ]
                for p in plans
            ],
        ),
    ]
    if children:
        parts += [h2("下级专项整治"), ul(site.link(ch.id) for ch in children)]
    parts += [
        h2("检查"),
        table(
            ["编号", "日期", "类型", "检查单位", "发现问题"],
            [
                [
                    site.link(i.id, i.id or ""),
                    esc(i.data.get("date")),
                    esc(site.label("inspection_type", i.data.get("type"))),
                    site.link(i.data.get("by")),
                    str(len(i.data.get("findings") or [])),
                ]
                for i in latest
            ],
        ),
        (
            f'<p>另有 {len(inspections) - len(latest)} 次更早的检查，见<a href="{site.href("inspections/index.md")}">检查</a>。</p>\n\n'
            if len(inspections) > len(latest)
            else ""
        ),
        h2("隐患"),
        register_links(site, "campaign", site.name(doc.id)),
        hazard_list(site, [h.data for h in hazards]),
        h2("总结评估"),
    ]
    summary = c.get("summary") or {}
    parts.append(
        dl((label, esc(summary.get(key))) for key, label in SUMMARY_PARTS)
        if summary
        else "<p>尚未总结评估。</p>\n\n"
    )
    return "".join(parts)


def plans_page(site: Site) -> str:
    out = ["---\ntitle: 实施方案\n---\n\n# 实施方案\n\n"]
    for doc in site.records("plan"):
        p = doc.data
        out.append(
            f'<h2 id="{esc(doc.id)}">{esc(doc.id)} {esc(p.get("title") or (p.get("document") or {}).get("title"))}</h2>\n\n'
        )
        out.append(
            dl(
                [
                    ("专项整治", site.link(p.get("campaign"))),
                    ("编制单位", site.link(p.get("owner"))),
                    ("类型", esc(site.label("plan_kind", p.get("kind")))),
                ]
            )
        )
        out.append(plan_body(site, p))
    return "".join(out)


def inspection_index(site: Site) -> str:
    rows = [
        [
            site.link(d.id, d.id or ""),
            esc(d.data.get("date")),
            esc(site.label("inspection_type", d.data.get("type"))),
            site.link(d.data.get("by")),
            site.link(d.data.get("campaign")),
            str(len(d.data.get("findings") or [])),
        ]
        for d in site.records("inspection")
    ]
    return "---\ntitle: 检查\n---\n\n# 监督检查\n\n" + table(
        ["编号", "日期", "类型", "检查单位", "专项整治", "发现问题"], rows
    )


def inspection_page(site: Site, doc: Document) -> str:
    i = doc.data
    checklist = [
        [esc(c.get("item")), esc(site.label("check_result", c.get("result"))), esc(c.get("note"))]
        for c in i.get("checklist") or []
    ]
    findings = [
        [
            esc(f.get("summary")),
            esc(site.label("finding_level", f.get("level"))),
            site.link(f.get("enterprise")),
            site.link(f.get("hazard"), f.get("hazard")),
            esc(f.get("violation")) if "violation" in f else "",
        ]
        for f in i.get("findings") or []
    ]
    return "".join(
        [
            breadcrumb(site, [("检查", "inspections/index.md")], doc.id or ""),
            f"<h1>{esc(doc.id)} {esc(site.label('inspection_type', i.get('type')))}</h1>\n\n",
            dl(
                [
                    ("日期", esc(i.get("date"))),
                    ("检查单位", site.link(i.get("by"))),
                    ("检查人员", site.links(i.get("team"))),
                    ("专项整治", site.link(i.get("campaign"))),
                    ("检查对象", site.links(i.get("targets"))),
                ]
            ),
            h2("监督检查清单"),
            table(["检查项", "结果", "说明"], checklist),
            h2("问题隐患清单"),
            table(["问题", "等级", "企业", "隐患台账", "违法行为"], findings),
        ]
    )
