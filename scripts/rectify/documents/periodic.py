"""The monthly and quarterly report to the 党委政府 (定期汇总向党委政府报告): headline figures,
progress by campaign, county and department, every major hazard overdue at the period's end, the
duty findings of the checks, and 下一步工作 from the milestones due next period."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from rectify.diagnostics import Diagnostic, Severity
from rectify.documents.figures import Period, next_milestones, period_figures, record_label
from rectify.documents.layout import Official, chinese_date
from rectify.documents.source import DocumentError, Source
from rectify.model import Registry
from rectify.rules import RULES, Context

# rules whose findings are about duties (履职): plans, reviews, summaries, coverage, acceptance …
DUTY_RULES = (
    "C-plan",
    "C-review",
    "C-subplans",
    "C-milestone",
    "C-summary",
    "C-publicity",
    "C-lead",
    "I-coverage",
    "I-lists",
    "H-five",
    "H-accept",
    "H-acceptor",
    "H-referral",
    "H-register",
    "K-deadline",
    "E-publish",
)
_CODE = re.compile(r"（(?:[A-Za-z][A-Za-z0-9_.\[\]-]*|[0-9A-Z]{18})）")
_FIELD_NOTE = re.compile(r"（[^（）]*[a-z_]{3,}[^（）]*）")  # （在隐患 referrals 中登记…）: field names
_FIELD = re.compile(r" ?\b[a-z_]{3,}\b(?=[^A-Za-z0-9]|$)")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def without_codes(text: str) -> str:
    """Rule messages name bodies as 名称（code） and dates in ISO: the report keeps the names and
    writes dates in 年月日."""
    text = _ISO.sub(lambda m: f"{int(m[1])}年{int(m[2])}月{int(m[3])}日", text)
    text = _FIELD_NOTE.sub("", _CODE.sub("", text))
    return _FIELD.sub("", text).strip()


def chinese_number(n: int) -> str:
    """一 … 九十九, for （十一） headings."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def findings_at(registry: Registry, day: dt.date) -> list[Diagnostic]:
    """The duty rules alone, judged on ``day`` (a period's end): what the checks had found by then."""
    out: list[Diagnostic] = []
    for rule_id in DUTY_RULES:
        entry = RULES.get(rule_id)
        if entry is not None and entry.run is not None:
            out.extend(d for d in entry.run(registry, Context(today=day)) if d.rule in DUTY_RULES)
    return out


def duty_findings(registry: Registry, diagnostics: list[Diagnostic]) -> list[dict[str, Any]]:
    """Warnings and alerts of the duty rules, grouped by rule in the order above, each led by the
    record it is about."""
    groups: dict[str, list[str]] = {rule: [] for rule in DUTY_RULES}
    for d in diagnostics:
        if d.rule in groups and d.severity is not Severity.ERROR:
            subject = record_label(registry, d.file)
            message = (f"{subject}：" if subject else "") + without_codes(d.message)
            if message not in groups[d.rule]:
                groups[d.rule].append(message)
    return [
        {"rule": rule, "title": RULES[rule].title if rule in RULES else rule, "items": items}
        for rule, items in groups.items()
        if items
    ]


def has_data(figures: dict[str, Any]) -> bool:
    head = figures["headline"]
    return bool(head["total"] or head["found"] or head["closed"])


def _percent(value: float) -> str:
    return f"{value:g}%"


def periodic_report(
    source: Source, period: Period, number: int | None, day: dt.date | None
) -> tuple[Official, dict[str, Any]]:
    """The report and the figures it prints (the same dict ``rectify report --format json`` gives)."""
    figures = period_figures(source.registry, period)
    if not has_data(figures):
        raise DocumentError(
            f"{period.label}（截至{chinese_date(period.end)}）登记册中没有重大事故隐患数据，未生成报告。请核对期间。"
        )
    source.require_clean_kinds("hazards", "campaigns")
    issued = day or min(max(source.today, period.end), period.end + dt.timedelta(days=10))
    official = Official(source.masthead(issued.year, number, source.report_to()))
    official.masthead_block()
    official.title(f"关于{period.label}安全生产专项整治和重大事故隐患整改情况的报告")
    official.recipients()
    head = figures["headline"]
    official.body(f"现将{period.label}全市安全生产专项整治和重大事故隐患整改工作情况报告如下：")
    official.heading1("一、总体情况")
    official.body(
        f"{period.label}（{chinese_date(period.start)}至{chinese_date(period.end)}），新发现重大事故隐患"
        f"{head['found']}项，验收销号{head['closed']}项。截至{chinese_date(period.end)}，累计登记重大事故隐患"
        f"{head['total']}项，已验收销号{head['closed_total']}项，整改率{_percent(head['rate'])}；尚未销号"
        f"{head['open']}项，其中逾期未整改{head['overdue']}项。挂牌督办的重大事故隐患中，尚在督办"
        f"{head['supervised_open']}项，已整改销号{head['supervised_closed']}项。"
    )
    official.heading1("二、分项进展")
    headers = ["名称", "本期新发现", "累计销号", "未销号", "其中逾期", "整改率"]
    for index, (key, label) in enumerate(
        (("by_campaign", "专项整治"), ("by_district", "县区"), ("by_department", "责任部门")), start=1
    ):
        official.heading2(f"（{chinese_number(index)}）按{label}。")
        rows = [
            [r["name"], r["found"], r["closed"], r["open"], r["overdue"], _percent(r["rate"])]
            for r in figures[key]
        ]
        official.table([label, *headers[1:]], rows, [52, 20, 20, 20, 20, 24])
    overdue = figures["overdue"]
    official.heading1("三、逾期未整改的重大事故隐患")
    if overdue:
        official.body(f"截至{chinese_date(period.end)}，逾期未整改的重大事故隐患共{len(overdue)}项：")
        official.table(
            ["序号", "编号", "隐患", "企业", "责任部门", "整改时限", "逾期天数"],
            [
                [
                    i,
                    r["id"],
                    r["title"],
                    r["enterprise"],
                    r["department"],
                    chinese_date(dt.date.fromisoformat(r["deadline"])),
                    r["days_overdue"],
                ]
                for i, r in enumerate(overdue, start=1)
            ],
            [10, 24, 38, 30, 22, 20, 12],
        )
    else:
        official.body(f"截至{chinese_date(period.end)}，没有逾期未整改的重大事故隐患。")
    official.heading1("四、检查发现的履职问题")
    findings = duty_findings(
        source.registry, source.findings if source.findings is not None else source.diagnostics
    )
    if findings:
        for index, group in enumerate(findings, start=1):
            official.heading2(f"（{chinese_number(index)}）{group['title']}（{len(group['items'])}项）。")
            for i, item in enumerate(group["items"], start=1):
                official.body(f"{i}. {item}")
    else:
        official.body("本期检查未发现履职问题。")
    official.heading1("五、下一步工作")
    following = period.following()
    milestones = next_milestones(source.registry, following)
    if milestones:
        official.body(f"{following.label}，各专项整治将完成以下工作节点：")
        for i, m in enumerate(milestones, start=1):
            due = chinese_date(dt.date.fromisoformat(m["deadline"]))
            official.body(f"{i}. {m['campaign']}：{m['name']}（{m['owner']}负责，{due}前完成）。")
    else:
        official.body(f"{following.label}没有到期的工作节点。")
    if overdue:
        official.body(
            f"督促责任部门对上述{len(overdue)}项逾期重大事故隐患逐项落实整改，逾期未整改的依法依规追究责任。"
        )
    official.signature(issued)
    official.record(issued)
    return official, figures
