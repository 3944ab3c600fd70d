"""``rectify doc KIND [ID] [options] --out FILE``: an official document (公文) from the registry,
as Word (.docx) or, through LibreOffice, PDF. Written to a temporary file and renamed: a refused or
failed run leaves no half-written file."""

from __future__ import annotations

import argparse
import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING

from rectify import report
from rectify.commands import EXIT_OK, EXIT_USAGE, iso_date, today_in_shanghai
from rectify.evidence import FOLDER as EVIDENCE
from rectify.paths import find

if TYPE_CHECKING:
    from rectify.documents.figures import Period
    from rectify.documents.source import Source

NAME = "doc"
HELP = "生成公文（挂牌督办通知书、移交函、月报、季报、重大事故隐患清单、征求意见采纳情况表、实施方案）"

KINDS = {
    "supervision-notice": ("HAZ", "重大事故隐患挂牌督办通知书"),
    "referral": ("HAZ", "移交函"),
    "monthly": (None, "月度报告（--month YYYY-MM）"),
    "quarterly": (None, "季度报告（--quarter YYYY-Qn）"),
    "register": (None, "重大事故隐患清单（--campaign CAMP-…）"),
    "consultation-feedback": ("CONS", "征求意见采纳情况表"),
    "plan": ("CAMP", "专项整治实施方案"),
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "kind", choices=list(KINDS), metavar="种类", help="；".join(f"{k}：{v[1]}" for k, v in KINDS.items())
    )
    parser.add_argument("id", nargs="?", metavar="编号", help="记录编号（HAZ-…、CONS-…、CAMP-…）")
    parser.add_argument("--month", metavar="YYYY-MM", help="月报的月份，YYYY-MM")
    parser.add_argument("--quarter", metavar="YYYY-Qn", help="季报的季度，YYYY-Qn，例如 2023-Q4")
    parser.add_argument("--campaign", metavar="CAMP-…", help="清单所属的专项整治编号 CAMP-…")
    parser.add_argument(
        "--number", type=int, metavar="序号", help="发文字号的顺序号（不填则留空，由文书人员填写）"
    )
    parser.add_argument(
        "--date", type=iso_date, metavar="YYYY-MM-DD", help="成文日期（YYYY-MM-DD，默认取记录中的日期）"
    )
    parser.add_argument(
        "--today",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="按此日期判断期限（YYYY-MM-DD，默认北京时间今天）",
    )
    parser.add_argument(
        "--format", choices=["docx", "pdf"], help="输出格式（默认按 --out 的扩展名，否则 docx）"
    )
    parser.add_argument(
        "--photos",
        action="store_true",
        help="清单、月报和季报附上已销号重大事故隐患的整改前后照片（附件，另起一页）",
    )
    parser.add_argument("--out", type=Path, required=True, metavar="文件", help="输出文件，例如 通知书.docx")


def _fail(message: str, code: int) -> int:
    report.message(f"rectify doc：{message}")
    return code


def run(args: argparse.Namespace) -> int:
    from rectify.check import run_check
    from rectify.documents.source import DocumentError, Source

    fmt = args.format or ("pdf" if args.out.suffix.lower() == ".pdf" else "docx")
    problem = _usage(args)
    if problem:
        return _fail(problem, EXIT_USAGE)
    today = args.today or today_in_shanghai()
    period = _period(args)
    paths = find(args.root)
    result = run_check(paths, today)
    assert result.registry is not None  # run without the cache: the whole registry is at hand
    source = Source(result.registry, result.diagnostics, today)
    if period is not None and period.end < today:  # 履职问题 as the rules saw them at the period's end
        from rectify.documents.periodic import findings_at

        source.findings = findings_at(result.registry, period.end)
    try:
        data = _build(source, args, period, paths.registry / EVIDENCE if args.photos else None)
        if fmt == "pdf":
            from rectify.documents.pdf import PdfError, to_pdf

            try:
                data = to_pdf(data)
            except PdfError as exc:
                return _fail(str(exc), EXIT_USAGE)
    except DocumentError as exc:
        return _fail(exc.message, exc.code)
    from rectify.documents.layout import write_atomically

    try:
        write_atomically(args.out, data)
    except OSError as exc:
        return _fail(f"无法写入 {args.out}：{exc.strerror or '写入失败'}", EXIT_USAGE)
    report.lines(f"已生成 {args.out}（{KINDS[args.kind][1].split('（')[0]}）")
    return EXIT_OK


def _usage(args: argparse.Namespace) -> str | None:
    prefix = KINDS[args.kind][0]
    if prefix is not None:
        if not args.id:
            return f"{args.kind} 需要记录编号，例如 {prefix}-2023-001"
        if not re.fullmatch(rf"{prefix}-\d{{4}}-\d+", args.id):
            return f"编号 {args.id} 不是{KINDS[args.kind][1]}所需的 {prefix}-年份-序号 形式"
    if args.kind == "monthly" and not args.month:
        return "月报需要 --month YYYY-MM"
    if args.kind == "quarterly" and not args.quarter:
        return "季报需要 --quarter YYYY-Qn，例如 2023-Q4"
    if args.kind == "register" and not (args.campaign or args.id):
        return "清单需要 --campaign CAMP-年份-序号"
    if args.kind in ("monthly", "quarterly") and _period(args) is None:
        shown = args.month if args.kind == "monthly" else args.quarter
        return f"期间 {shown} 格式不对：月份写作 YYYY-MM（如 2023-11），季度写作 YYYY-Qn（如 2023-Q4）"
    return None


def _period(args: argparse.Namespace) -> Period | None:
    from rectify.documents.figures import parse_period

    if args.kind == "monthly" and args.month:
        return parse_period("month", args.month)
    if args.kind == "quarterly" and args.quarter:
        return parse_period("quarter", args.quarter)
    return None


def _build(source: Source, args: argparse.Namespace, period: Period | None, photos: Path | None) -> bytes:
    from rectify.documents import consultation, notices, periodic
    from rectify.documents import plan as plan_kind
    from rectify.documents import register as register_kind
    from rectify.documents.photos import appendix, closed_major

    day: dt.date | None = args.date
    if args.kind == "supervision-notice":
        official = notices.supervision_notice(source, args.id, args.number, day)
    elif args.kind == "referral":
        official = notices.referral(source, args.id, args.number, day)
    elif period is not None:
        official, _ = periodic.periodic_report(source, period, args.number, day)
        if photos is not None:
            shown = closed_major(list(source.registry.records("hazard")), period.start, period.end)
            appendix(official, photos, shown, f"附件：{period.key} 销号的重大事故隐患整改前后照片")
    elif args.kind == "register":
        campaign = args.campaign or args.id
        official = register_kind.register(source, campaign, day)
        if photos is not None:
            ours = [d for d in source.registry.records("hazard") if d.data.get("campaign") == campaign]
            appendix(
                official,
                photos,
                closed_major(ours, None, day or source.today),
                "附件：已销号重大事故隐患整改前后照片",
            )
    elif args.kind == "consultation-feedback":
        official = consultation.feedback(source, args.id, day)
    else:
        official = plan_kind.plan(source, args.id, args.number, day)
    return official.to_bytes()
