"""Command line: parse → call → pick a reporter → return an exit code.

Exit codes: 0 clean, 1 blocking findings, 2 bad usage or unreadable input, 3 internal error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from rectify import __version__, report
from rectify.paths import Paths, PathsError, find

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "options": "选项",
    "positional arguments": "位置参数",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r（可选：%(choices)s）",
    "expected one argument": "需要一个参数值",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
}
argparse._ = lambda text: _ARGPARSE_ZH.get(text, text)  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        report.message(f"{self.prog}：用法错误：{message}")
        raise SystemExit(EXIT_USAGE)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应为 YYYY-MM-DD，实为 {value!r}") from None


def today_in_shanghai() -> dt.date:
    """Today in Asia/Shanghai: deadlines are Beijing dates, whatever the runner's clock zone."""
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="rectify", description="安全生产专项整治登记册：检查、报告与站点。")
    parser.add_argument("--version", action="version", version=f"rectify {__version__}")
    parser.add_argument("--root", type=Path, help="登记册仓库根目录（默认：当前目录向上查找 registry/）")
    parser.add_argument("--debug", action="store_true", help="内部错误时显示完整的调用栈")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令", parser_class=_Parser)
    check = sub.add_parser(
        "check", help="检查登记册记录（schema、引用、规则）", description="检查登记册记录。"
    )
    check.add_argument("paths", nargs="*", type=Path, help="只报告这些文件的问题（仍以整个登记册为上下文）")
    check.add_argument(
        "--format", choices=["text", "github", "json"], default="text", help="输出格式（默认 text）"
    )
    check.add_argument("--today", type=_date, help="按此日期判断期限（YYYY-MM-DD，默认北京时间今天）")
    check.add_argument("--strict", action="store_true", help="警告也视为不通过")
    return parser


def _selected(paths: Paths, given: Sequence[Path]) -> set[str] | None:
    if not given:
        return None
    selected: set[str] = set()
    for path in given:
        full = path if path.is_absolute() else Path.cwd() / path
        if not full.exists():
            raise PathsError(f"文件不存在：{path}")
        full = full.resolve()
        if not full.is_relative_to(paths.registry.resolve()):
            raise PathsError(f"{path} 不在登记册目录 {paths.relative(paths.registry)}/ 中")
        if full.is_dir():
            selected.update(paths.relative(p) for p in full.rglob("*") if p.is_file())
        else:
            selected.add(paths.relative(full))
    return selected


def cmd_check(args: argparse.Namespace) -> int:
    from rectify.check import run_check

    paths = find(args.root)
    only = _selected(paths, args.paths)
    result = run_check(paths, args.today or today_in_shanghai(), only)
    report.emit(result.diagnostics, result.files if only is None else len(only), args.format)
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if args.format == "github" and summary_file:
        with open(summary_file, "a", encoding="utf-8") as handle:
            handle.write(report.step_summary(result.diagnostics, result.files))
    return EXIT_FINDINGS if result.blocking(args.strict) else EXIT_OK


COMMANDS = {"check": cmd_check}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        return COMMANDS[args.command](args)
    except PathsError as exc:
        report.message(f"rectify：{exc}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        report.message("rectify：已中断")
        return 130
    except Exception as exc:  # a bug in rectify, never "invalid data"
        report.message(
            f"rectify：内部错误（{type(exc).__name__}: {exc}）。这是 rectify 的缺陷，不是数据问题；请附上下列信息报告。"
        )
        if args.debug or os.environ.get("RECTIFY_DEBUG"):
            traceback.print_exc()
        else:
            report.message("加 --debug 可显示完整调用栈。")
        return EXIT_INTERNAL
