"""``rectify check [PATH ...]``: schema, references and rules, with located findings."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from rectify import report
from rectify.commands import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, iso_date, selected_files, today_in_shanghai
from rectify.paths import find

NAME = "check"
HELP = "检查登记册记录（schema、引用、规则）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path, help="只报告这些文件的问题（仍以整个登记册为上下文）")
    parser.add_argument(
        "--format", choices=["text", "github", "json"], default="text", help="输出格式（默认 text）"
    )
    parser.add_argument(
        "--today", type=iso_date, help="按此日期判断期限（YYYY-MM-DD，默认 RECTIFY_TODAY 或北京时间今天）"
    )
    parser.add_argument("--strict", action="store_true", help="警告也视为不通过")
    parser.add_argument(
        "--base", metavar="REV", help="与该修订版本（如合并请求的目标分支）比较，检查只进不退（G-ratchet）"
    )


def run(args: argparse.Namespace) -> int:
    from rectify.check import run_check

    paths = find(args.root)
    only = selected_files(paths, args.paths)
    base = None
    if args.base:
        from rectify.history.base import load_registry_at
        from rectify.history.git import GitError

        try:
            base = load_registry_at(paths, args.base)
        except GitError as exc:
            report.message(f"rectify check：{exc}")
            return EXIT_USAGE
    result = run_check(paths, args.today or today_in_shanghai(), only, base)
    report.emit(
        result.diagnostics, result.files if only is None else len(only), args.format, notes=result.notes
    )
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if args.format == "github" and summary_file:
        with open(summary_file, "a", encoding="utf-8") as handle:
            handle.write(report.step_summary(result.diagnostics, result.files, notes=result.notes))
    return EXIT_FINDINGS if result.blocking(args.strict) else EXIT_OK
