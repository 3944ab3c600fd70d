"""``rectify report [--today D] [--format markdown|json]``: the deadline and accountability report
(逾期、即将到期、挂牌督办、顶格处罚、检查覆盖、征求意见), for a scheduled job to post."""

from __future__ import annotations

import argparse
import json
from typing import Any

from rectify import report
from rectify.commands import EXIT_OK, iso_date, today_in_shanghai
from rectify.paths import find

NAME = "report"
HELP = "生成期限与问责报告（逾期和即将到期的隐患、挂牌督办、顶格处罚、检查覆盖、征求意见）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--today", type=iso_date, help="按此日期判断期限（YYYY-MM-DD，默认北京时间今天）")
    parser.add_argument(
        "--format", choices=["markdown", "json"], default="markdown", help="输出格式（默认 markdown）"
    )


def run(args: argparse.Namespace) -> int:
    from rectify.check import run_check
    from rectify.deadline_report import build

    today = args.today or today_in_shanghai()
    result = run_check(find(args.root), today)
    data = build(result.registry, result.diagnostics, today)
    if args.format == "json":
        report.lines(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        report.lines(markdown(data))
    return EXIT_OK


def _cell(value: Any) -> str:
    text = "、".join(map(str, value)) if isinstance(value, list) else "" if value is None else str(value)
    return " ".join(text.replace("|", "\\|").split())


def _table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    out = ["| " + " | ".join(headers) + " |", "|" + " --- |" * len(headers)]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return [*out, ""]


def _hazards(rows: list[dict[str, Any]], last: str) -> list[list[Any]]:
    return [
        [
            r["id"],
            r["level"],
            r["title"],
            r["enterprise"],
            r["district"],
            r["person"],
            r["deadline"],
            r[last],
        ]
        for r in rows
    ]


def markdown(data: dict[str, Any]) -> str:
    """The report as Markdown: headings, counts and tables, in Chinese."""
    out = [f"# 安全生产专项整治期限与问责报告（{data['today']}）", ""]
    if data["calendar"]:
        out += [f"> **注意**：{data['calendar']}", ""]
    if data["errors"]:
        out += [f"> 登记册另有 {data['errors']} 个数据错误，请运行 `rectify check` 查看并更正。", ""]
    overdue = data["overdue"]
    out += [f"## 一、逾期未整改的隐患（{len(overdue)} 条）", ""]
    if overdue:
        out += [
            "按责任部门：" + "；".join(f"{k} {v} 条" for k, v in data["overdue_by_department"].items()),
            "",
        ]
        out += ["按县区：" + "；".join(f"{k} {v} 条" for k, v in data["overdue_by_district"].items()), ""]
        by_department: dict[str, list[dict[str, Any]]] = {}
        for row in overdue:
            by_department.setdefault(row["department"], []).append(row)
        headers = ["编号", "等级", "隐患", "企业", "县区", "责任人", "整改时限", "逾期天数"]
        for department, group in by_department.items():
            out += [f"### 责任部门：{department}", ""]
            out += _table(headers, _hazards(group, "days_overdue"))
    else:
        out += ["无。", ""]
    due = data["due_soon"]
    out += [f"## 二、{data['due_soon_working_days']} 个工作日内到期的隐患（{len(due)} 条）", ""]
    if due:
        headers = ["编号", "等级", "隐患", "企业", "县区", "责任人", "整改时限", "剩余工作日"]
        out += _table(headers, _hazards(due, "working_days_left"))
    else:
        out += ["无。", ""]
    listed = data["listed_supervision"]
    out += [f"## 三、挂牌督办中的隐患（{len(listed)} 条）", ""]
    if listed:
        listed_rows = [
            [r["id"], r["supervision"], r["by"], r["title"], r["enterprise"], r["deadline"], r["status"]]
            for r in listed
        ]
        out += _table(["编号", "督办层级", "督办单位", "隐患", "企业", "整改时限", "状态"], listed_rows)
    else:
        out += ["无。", ""]
    penalties = data["maximum_penalty"]
    out += [f"## 四、需集中培训和顶格处罚的企业（{len(penalties)} 条隐患）", ""]
    if penalties:
        penalty_rows = [
            [
                r["enterprise"],
                r["main_person"] or "（未登记）",
                r["id"],
                "、".join(r["reasons"]),
                "、".join(r["missing"]),
            ]
            for r in penalties
        ]
        out += _table(["企业", "主要负责人", "隐患", "原因", "尚未登记"], penalty_rows)
    else:
        out += ["无。", ""]
    out += ["## 五、县镇检查覆盖", ""]
    if data["coverage"]:
        coverage_rows = [
            [c["campaign"], c["area"], f"{c['inspected']}/{c['enterprises']}", c["not_inspected"] or "—"]
            for c in data["coverage"]
        ]
        out += _table(["专项整治", "辖区", "已检查/企业数", "尚未检查"], coverage_rows)
    else:
        out += ["尚无县镇覆盖检查。", ""]
    out += ["## 六、已过截止日期的征求意见", ""]
    for c in data["consultations"]:
        out += [
            f"### {c['id']} {c['title']}（截止 {c['deadline']}）",
            "",
            f"征求对象 {c['recipients']} 个，按期回复 {len(c['answered_in_time'])} 个。",
            "",
            f"视为无意见（{len(c['no_opinion'])} 个）：{_cell(c['no_opinion']) or '无'}",
            "",
        ]
        if c["late"]:
            out += [f"其中逾期回复：{_cell(c['late'])}", ""]
        if c.get("invalid"):
            out += [f"回复未经主要负责人签字或未加盖公章，不计为按期回复：{_cell(c['invalid'])}", ""]
    if not data["consultations"]:
        out += ["无。", ""]
    others = data["other_findings"]
    out += [f"## 七、其他提醒与警告（{len(others)} 条）", ""]
    if others:
        other_rows = [
            [
                f"{d['rule']} {d['title']}",
                "提醒" if d["severity"] == "alert" else "警告",
                f"`{d['file']}:{d['line']}`",
                d["message"],
            ]
            for d in others
        ]
        out += _table(["规则", "级别", "位置", "说明"], other_rows)
    else:
        out += ["无。", ""]
    return "\n".join(out).rstrip() + "\n"
