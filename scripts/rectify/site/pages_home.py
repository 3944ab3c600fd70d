"""The home dashboard and the periodic summary (定期汇总): charts drawn by ECharts from JSON
embedded in the page, each followed by a table with the same numbers (screen readers, print)."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import Any

from rectify.site.context import PROFILE_LABELS, Site, closed_on
from rectify.site.html import esc, plain, table
from rectify.site.pages_duties import Finding, anchor, counts_by_body
from rectify.site.pages_hazards import register_url
from rectify.site.stats import STATE_CLOSED, STATE_OPEN, STATE_OVERDUE, Dashboard, dashboard


def embed_json(element_id: str, data: Any) -> str:
    """JSON inside a ``<script type="application/json">`` that no value can close or break."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="{element_id}">{text}</script>\n\n'


def _chart(name: str, caption: str) -> str:
    return (
        f'<figure class="rectify-figure"><div class="rectify-chart" data-chart="{name}" '
        f'role="img" aria-label="{esc(caption)}"></div><figcaption>{esc(caption)}</figcaption></figure>\n\n'
    )


def _group_table(title: str, groups: dict[str, dict[str, int]], caption: str = "") -> str:
    rows = []
    for key, counts in groups.items():
        total = sum(counts.values())
        rate = f"{100.0 * counts[STATE_CLOSED] / total:.1f}%" if total else "—"
        rows.append(
            [
                esc(key),
                str(total),
                str(counts[STATE_OPEN]),
                str(counts[STATE_OVERDUE]),
                str(counts[STATE_CLOSED]),
                rate,
            ]
        )
    headers = [title, "重大事故隐患", STATE_OPEN, STATE_OVERDUE, STATE_CLOSED, "整改率"]
    return table(headers, rows, "rectify-data", caption)


def _card(
    site: Site,
    label: str,
    value: int,
    filters: dict[str, str] | None,
    css: str = "",
    target: str = "hazards/index.md",
) -> str:
    href = register_url(site, filters) if filters is not None else site.href(target)
    return (
        f'<a class="rectify-card {css}" href="{href}"><span>{esc(label)}</span><strong>{value}</strong></a>'
    )


def _duty_counts(site: Site, findings: list[Finding]) -> str:
    """督办清单 counts per responsible body, each linking to its section of the list."""
    counts = counts_by_body(site, findings)
    if not counts:
        return "<p>目前没有督办事项。</p>\n\n"
    rows = [
        [f'<a href="{site.href("duties.md#" + anchor(b))}">{esc(name)}</a>', str(n)] for b, name, n in counts
    ]
    return table(["责任单位", "督办事项"], rows, "rectify-data")


def home(site: Site, board: Dashboard, findings: list[Finding] | None = None) -> str:
    findings = findings or []
    today = site.options.today.isoformat()
    m = board.major_states
    out = [
        "---\ntitle: 首页\nhide:\n  - navigation\n---\n\n",
        f"# {plain(site.city)}安全生产专项整治公开平台\n\n",
        f'<p class="rectify-meta">数据截至 {today}（北京时间）· {PROFILE_LABELS[site.options.profile]}</p>\n\n',
        '<div class="rectify-cards">',
        _card(site, "重大事故隐患", board.major_total, {}),
        _card(site, STATE_OPEN, m[STATE_OPEN], {"state": STATE_OPEN}),
        _card(site, STATE_OVERDUE, m[STATE_OVERDUE], {"overdue": "是"}, "rectify-alert"),
        _card(site, STATE_CLOSED, m[STATE_CLOSED], {"status": site.label("hazard_status", "closed")}),
        f'<div class="rectify-card"><span>整改率</span><strong>{board.rate}%</strong></div>',
        _card(site, "督办事项", len(findings), None, target="duties.md"),
        "</div>\n\n",
        embed_json("rectify-dashboard-data", board.as_json()),
        "## 专项整治按阶段\n\n",
        _chart("campaigns_by_status", "专项整治按阶段统计"),
        table(
            ["阶段", "专项整治数"],
            [[esc(k), str(v)] for k, v in board.campaigns_by_status.items()],
            "rectify-data",
            "专项整治按阶段统计（数据表）",
        ),
        "## 重大事故隐患整改情况\n\n",
        _chart("major_states", "重大事故隐患：整改中、逾期、已销号"),
        table(
            ["状态", "数量"],
            [[esc(k), str(v)] for k, v in m.items()] + [["整改率", f"{board.rate}%"]],
            "rectify-data",
            "重大事故隐患整改情况（数据表）",
        ),
        "## 按县区\n\n",
        _chart("by_district", "重大事故隐患按县区"),
        _group_table("县区", board.by_district, "重大事故隐患按县区（数据表）"),
        "## 按行业领域\n\n",
        _chart("by_industry", "重大事故隐患按行业领域"),
        _group_table("行业领域", board.by_industry, "重大事故隐患按行业领域（数据表）"),
        "## 按责任部门\n\n",
        _chart("by_department", "重大事故隐患按责任部门"),
        _group_table("责任部门", board.by_department, "重大事故隐患按责任部门（数据表）"),
        "## 趋势\n\n",
        _chart("trend", "重大事故隐患按月发现、销号与未销号累计"),
        table(
            ["月份", "新发现", "销号", "月末未销号"],
            [[t["month"], str(t["found"]), str(t["closed"]), str(t["open"])] for t in board.trend],
            "rectify-data",
            "重大事故隐患按月统计（数据表）",
        ),
        "## 督办清单\n\n",
        f'<p>检查规则发现的履职问题，按责任单位统计；详见<a href="{site.href("duties.md")}">督办清单</a>。</p>\n\n',
        _duty_counts(site, findings),
        "## 更多\n\n",
        f'<p><a href="{site.href("hazards/index.md")}">重大事故隐患台账</a> · '
        f'<a href="{site.href("campaigns/index.md")}">专项整治</a> · '
        f'<a href="{site.href("reports/summary.md")}">定期汇总</a> · '
        f'<a href="{site.href("downloads.md")}">数据下载</a></p>\n',
    ]
    return "".join(out)


def summary(site: Site, board: Dashboard) -> str:
    """定期汇总: the month of "today" so far, for the office to send to the party committee and government."""
    today = site.options.today
    month = today.strftime("%Y-%m")
    start = dt.date(today.year, today.month, 1).isoformat()
    found, closed, overdue = [], [], []
    by_district: Counter[str] = Counter()
    for doc in site.records("hazard"):
        h = doc.data
        on = str((h.get("found") or {}).get("date") or "")
        if on.startswith(month):
            found.append(h)
            by_district[site.name(h.get("district"))] += 1
        done = closed_on(h)
        if done and done.startswith(month):
            closed.append(h)
        if h.get("level") == "major" and site.overdue(h):
            overdue.append(h)
    actions = [d.data for d in site.records("action") if str(d.data.get("date", "")).startswith(month)]
    activities = [d.data for d in site.records("activity") if str(d.data.get("date", "")).startswith(month)]

    def hazard_rows(items: list[dict[str, Any]]) -> list[list[str]]:
        return [
            [
                site.link(h.get("id"), str(h.get("id"))),
                esc(h.get("title")),
                esc(site.name(h.get("district"))),
                esc(site.label("hazard_level", h.get("level"))),
                esc(site.label("hazard_status", h.get("status"))),
            ]
            for h in items
        ]

    head = ["编号", "隐患", "县区", "等级", "状态"]
    out = [
        "---\ntitle: 定期汇总\n---\n\n",
        f"# 定期汇总：{today.year}年{today.month}月\n\n",
        f'<p class="rectify-meta">统计区间 {start} 至 {today.isoformat()}（北京时间）。本页可直接打印，报送党委、政府。</p>\n\n',
        "## 概况\n\n",
        table(
            ["项目", "数量"],
            [
                ["本月新发现隐患", str(len(found))],
                ["本月验收销号", str(len(closed))],
                ["当前逾期未整改的重大事故隐患", str(len(overdue))],
                ["重大事故隐患累计整改率", f"{board.rate}%"],
                ["本月问责处置", str(len(actions))],
                ["本月宣传教育与培训", str(len(activities))],
            ],
            "rectify-data",
        ),
        "## 本月新发现隐患（按县区）\n\n",
        table(["县区", "数量"], [[esc(k), str(v)] for k, v in sorted(by_district.items())], "rectify-data"),
        "## 本月新发现隐患\n\n",
        table(head, hazard_rows(found), "rectify-data"),
        "## 本月销号隐患\n\n",
        table(head, hazard_rows(closed), "rectify-data"),
        "## 逾期未整改的重大事故隐患\n\n",
        table(head, hazard_rows(overdue), "rectify-data"),
        "## 本月问责处置\n\n",
        table(
            ["编号", "方式", "对象", "日期"],
            [
                [
                    site.link(a.get("id"), str(a.get("id"))),
                    esc(site.label("action_type", a.get("type"))),
                    esc(site.name(a.get("target"))),
                    esc(a.get("date")),
                ]
                for a in actions
            ],
            "rectify-data",
        ),
        "## 重大事故隐患整改情况（累计）\n\n",
        _group_table("县区", board.by_district),
    ]
    return "".join(out)


__all__ = ["dashboard", "home", "summary"]
