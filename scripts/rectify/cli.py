"""Command line: parse → call → pick a reporter → return an exit code.

Exit codes: 0 clean, 1 blocking findings, 2 bad usage or unreadable input, 3 internal error.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import NoReturn

from rectify import __version__, report
from rectify.commands import EXIT_INTERNAL, EXIT_OK, EXIT_USAGE
from rectify.commands import build as build_command
from rectify.commands import check as check_command
from rectify.commands import codeowners as codeowners_command
from rectify.commands import doc as doc_command
from rectify.commands import evidence as evidence_command
from rectify.commands import issues_sync as issues_sync_command
from rectify.commands import ledger as ledger_command
from rectify.commands import new as new_command
from rectify.commands import report as report_command
from rectify.commands import rules as rules_command
from rectify.commands import verify_signatures as verify_signatures_command
from rectify.paths import PathsError

# The explicit table of subcommands (one module each under rectify/commands/).
COMMANDS: dict[str, ModuleType] = {
    module.NAME: module
    for module in (
        check_command,
        verify_signatures_command,
        codeowners_command,
        issues_sync_command,
        ledger_command,
        new_command,
        build_command,
        report_command,
        doc_command,
        evidence_command,
        rules_command,
    )
}

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


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="rectify", description="安全生产专项整治登记册：检查、报告与站点。")
    parser.add_argument("--version", action="version", version=f"rectify {__version__}")
    parser.add_argument("--root", type=Path, help="登记册仓库根目录（默认：当前目录向上查找 registry/）")
    parser.add_argument("--debug", action="store_true", help="内部错误时显示完整的调用栈")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令", parser_class=_Parser)
    for command in COMMANDS.values():
        command.add_arguments(
            sub.add_parser(command.NAME, help=command.HELP, description=command.HELP + "。")
        )
    return parser


def entry() -> NoReturn:
    """The command itself (``rectify``, ``python -m rectify``): run, flush, and leave without freeing
    the loaded registry object by object — at 100,000 records that alone took seconds, and the
    operating system takes the memory back whole. Nothing is left to clean: every command closes
    its own files, folders and worker processes before it returns."""
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # the reader went away (``| head``): the exit code still stands
        pass
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        return int(COMMANDS[args.command].run(args))
    except PathsError as exc:
        report.message(f"rectify：{exc}")
        return EXIT_USAGE
    except BrokenPipeError:  # the reader went away (`rectify report | head`): not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
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
