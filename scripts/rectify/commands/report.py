"""``rectify report [--today D] [--period month|quarter] [--format markdown|json|xlsx] [--out FILE]``:
the deadline and accountability report (逾期、即将到期、挂牌督办、顶格处罚、检查覆盖、征求意见) for
officers — names instead of codes, campaign titles, headline totals, no file paths. Markdown for the
scheduled job's summary, the same tables as a workbook, and JSON (with the periodic figures the
公文 and the site print, :func:`rectify.documents.figures.period_figures`)."""

from __future__ import annotations

import argparse
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rectify import report
from rectify.commands import EXIT_OK, EXIT_USAGE, iso_date, today_in_shanghai
from rectify.paths import find

NAME = "report"
HELP = "生成期限与问责报告（逾期和即将到期的隐患、挂牌督办、顶格处罚、检查覆盖、征求意见）"
_CODE = re.compile(r"（(?:[A-Za-z][A-Za-z0-9_.-]*|[0-9A-Z]{18})）")  # （city-emergency）, （USCC）
_PATH = re.compile(r"registry/(?:[\w-]+/)*([\w-]+?)(?:\.plan)?\.(?:md|yaml)")  # a record's file → its id


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--today", type=iso_date, help="按此日期判断期限（YYYY-MM-DD，默认北京时间今天）")
    parser.add_argument(
        "--period",
        choices=["month", "quarter"],
        default="month",
        help="概况统计的期间：本月（month，默认）或本季度（quarter），截至 --today",
    )
    parser.add_argument(
        "--format",
        choices=["markdown", "json", "xlsx"],
        default="markdown",
        help="输出格式（默认 markdown；xlsx 需要 --out）",
    )
    parser.add_argument("--out", type=Path, help="输出文件（xlsx 必填；其他格式默认输出到屏幕）")


def run(args: argparse.Namespace) -> int:
    from rectify.check import run_check
    from rectify.deadline_report import build
    from rectify.documents.figures import month_of, period_figures, quarter_of

    if args.format == "xlsx" and args.out is None:
        report.message("rectify report：xlsx 格式需要用 --out 指定输出文件，例如 --out 期限报告.xlsx")
        return EXIT_USAGE
    today = args.today or today_in_shanghai()
    result = run_check(find(args.root), today)
    assert result.registry is not None  # run without the cache: the whole registry is at hand
    data = build(result.registry, result.diagnostics, today)
    period = (quarter_of(today) if args.period == "quarter" else month_of(today)).until(today)
    data["figures"] = period_figures(result.registry, period)
    if args.format == "xlsx":
        from rectify.documents.layout import write_atomically

        write_atomically(args.out, workbook(data))
        report.lines(f"已生成 {args.out}")
        return EXIT_OK
    text = json.dumps(data, ensure_ascii=False, indent=2) if args.format == "json" else markdown(data)
    if args.out is not None:
        from rectify.documents.layout import write_atomically

        write_atomically(args.out, (text.rstrip("\n") + "\n").encode("utf-8"))
    else:
        report.lines(text.rstrip("\n"))
    return EXIT_OK


def plain(value: Any) -> str:
    """A cell for officers: lists joined with 、, codes in brackets dropped."""
    text = "、".join(map(str, value)) if isinstance(value, list) else "" if value is None else str(value)
    return _PATH.sub(r"\1", _CODE.sub("", " ".join(text.split())))


@dataclass(slots=True)
class Section:
    title: str
    sheet: str
    headers: list[str]
    rows: list[list[Any]]
    note: str = ""
    after: list[str] | None = None  # lines under the Markdown table


def headline(data: dict[str, Any]) -> list[str]:
    figures = data["figures"]
    head = figures["headline"]
    return [
        f"{figures['label']}（截至 {figures['end']}）：新发现重大事故隐患 {head['found']} 项，验收销号 {head['closed']} 项。",
        f"累计重大事故隐患 {head['total']} 项，已销号 {head['closed_total']} 项，整改率 {head['rate']:g}%；"
        f"未销号 {head['open']} 项，其中逾期 {head['overdue']} 项；挂牌督办在办 {head['supervised_open']} 项、"
        f"已销号 {head['supervised_closed']} 项。",
        f"全部隐患（含一般隐患）逾期未整改 {len(data['overdue'])} 条，{data['due_soon_working_days']} 个工作日内到期 "
        f"{len(data['due_soon'])} 条；需集中培训和顶格处罚 {len(data['maximum_penalty'])} 条。",
    ]


def sections(data: dict[str, Any]) -> list[Section]:
    """The report's tables, shared by the Markdown and the workbook."""
    hazard_headers = ["编号", "等级", "隐患", "企业", "县区", "责任部门", "责任人", "整改时限"]

    def hazard(r: dict[str, Any], last: str) -> list[Any]:
        return [
            r["id"],
            r["level"],
            r["title"],
            r["enterprise"],
            r["district"],
            r["department"],
            r["person"],
            r["deadline"],
            r[last],
        ]

    days = data["due_soon_working_days"]
    return [
        Section(
            f"一、逾期未整改的隐患（{len(data['overdue'])} 条）",
            "逾期未整改",
            [*hazard_headers, "逾期天数"],
            [hazard(r, "days_overdue") for r in data["overdue"]],
        ),
        Section(
            f"二、{days} 个工作日内到期的隐患（{len(data['due_soon'])} 条）",
            "即将到期",
            [*hazard_headers, "剩余工作日"],
            [hazard(r, "working_days_left") for r in data["due_soon"]],
        ),
        Section(
            f"三、挂牌督办中的隐患（{len(data['listed_supervision'])} 条）",
            "挂牌督办",
            ["编号", "督办层级", "督办单位", "隐患", "企业", "整改时限", "状态"],
            [
                [r["id"], r["supervision"], r["by"], r["title"], r["enterprise"], r["deadline"], r["status"]]
                for r in data["listed_supervision"]
            ],
        ),
        Section(
            f"四、需集中培训和顶格处罚的企业（{len(data['maximum_penalty'])} 条隐患）",
            "顶格处罚",
            ["企业", "主要负责人", "隐患", "原因", "尚未登记"],
            [
                [r["enterprise"], r["main_person"] or "（未登记）", r["id"], r["reasons"], r["missing"]]
                for r in data["maximum_penalty"]
            ],
        ),
        Section(
            "五、县镇检查覆盖",
            "检查覆盖",
            ["专项整治", "辖区", "已检查/企业数", "尚未检查"],
            [
                [
                    c.get("campaign_title") or c["campaign"],
                    c["area"],
                    f"{c['inspected']}/{c['enterprises']}",
                    c["not_inspected"] or "—",
                ]
                for c in data["coverage"]
            ],
            "尚无县镇覆盖检查。",
        ),
        Section(
            "六、已过截止日期的征求意见",
            "征求意见",
            [
                "征求意见",
                "截止日期",
                "征求对象",
                "按期回复",
                "逾期回复",
                "未签字或未盖章的回复",
                "视为无意见",
            ],
            [
                [
                    c["title"],
                    c["deadline"],
                    c["recipients"],
                    len(c["answered_in_time"]),
                    c["late"] or "—",
                    c.get("invalid") or "—",
                    c["no_opinion"] or "—",
                ]
                for c in data["consultations"]
            ],
            "无。",
            [f"{c['title']}：视为无意见（{len(c['no_opinion'])} 个）。" for c in data["consultations"]],
        ),
        Section(
            f"七、其他提醒与警告（{len(data['other_findings'])} 条）",
            "其他提醒与警告",
            ["规则", "级别", "记录", "说明"],
            [
                [
                    d["title"],
                    "提醒" if d["severity"] == "alert" else "警告",
                    d.get("record") or Path(d["file"]).stem,
                    d["message"],
                ]
                for d in data["other_findings"]
            ],
        ),
    ]


def _cell(value: Any) -> str:
    return plain(value).replace("|", "\\|")


def markdown(data: dict[str, Any]) -> str:
    """The report as Markdown: headline totals, then each table, in Chinese."""
    out = [f"# 安全生产专项整治期限与问责报告（{data['today']}）", ""]
    if data["calendar"]:
        out += [f"> **注意**：{data['calendar']}", ""]
    if data["errors"]:
        out += [f"> 登记册另有 {data['errors']} 个数据错误，请运行 `rectify check` 查看并更正。", ""]
    out += ["## 概况", "", *[f"- {line}" for line in headline(data)], ""]
    if data["overdue"]:
        out += [
            "逾期按责任部门："
            + "；".join(f"{plain(k)} {v} 条" for k, v in data["overdue_by_department"].items()),
            "",
        ]
        out += [
            "逾期按县区：" + "；".join(f"{plain(k)} {v} 条" for k, v in data["overdue_by_district"].items()),
            "",
        ]
    for section in sections(data):
        out += [f"## {section.title}", ""]
        if not section.rows:
            out += [section.note or "无。", ""]
            continue
        out += ["| " + " | ".join(section.headers) + " |", "|" + " --- |" * len(section.headers)]
        out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in section.rows]
        out.append("")
        for line in section.after or []:
            out += [plain(line), ""]
    return "\n".join(out).rstrip() + "\n"


def workbook(data: dict[str, Any]) -> bytes:
    """The same tables as an Excel workbook: 概况 first, then one sheet per table."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("概况")
    sheet.append([f"安全生产专项整治期限与问责报告（{data['today']}）"])
    for line in headline(data):
        sheet.append([line])
    for section in sections(data):
        sheet = book.create_sheet(section.sheet)
        sheet.append(section.headers)
        for row in section.rows:
            sheet.append([value if isinstance(value, int | float) else plain(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
