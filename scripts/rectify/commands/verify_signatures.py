"""``rectify verify-signatures --base REV [--head REV]``: G-signed on every commit of the range."""

from __future__ import annotations

import argparse
import os

from rectify import report
from rectify.commands import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE
from rectify.paths import find

NAME = "verify-signatures"
HELP = "核验区间内每个修改登记册的提交的签名（G-signed）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--base", required=True, help="基准修订版本（合并请求的目标分支提交），其公钥与人员登记为准"
    )
    parser.add_argument("--head", default="HEAD", help="区间终点（默认 HEAD）")
    parser.add_argument(
        "--format", choices=["text", "github", "json"], default="text", help="输出格式（默认 text）"
    )


def run(args: argparse.Namespace) -> int:
    from rectify.history.git import GitError
    from rectify.history.signatures import verify

    paths = find(args.root)
    try:
        result = verify(paths, args.base, args.head)
    except GitError as exc:
        report.message(f"rectify verify-signatures：{exc}")
        return EXIT_USAGE
    unit = f"个修改登记册的提交（区间内共 {len(result.commits)} 个提交）"
    report.emit(result.diagnostics, result.checked, args.format, unit=unit)
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if args.format == "github" and summary_file:
        with open(summary_file, "a", encoding="utf-8") as handle:
            handle.write(
                report.step_summary(result.diagnostics, result.checked, "rectify verify-signatures", unit)
            )
    return EXIT_FINDINGS if result.diagnostics else EXIT_OK
