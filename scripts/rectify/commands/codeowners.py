"""``rectify codeowners [--check]``: write ``.github/CODEOWNERS`` from the registry, or check that
the committed file is current."""

from __future__ import annotations

import argparse

from rectify import report
from rectify.commands import EXIT_FINDINGS, EXIT_OK
from rectify.paths import find

NAME = "codeowners"
HELP = "根据登记册生成 .github/CODEOWNERS（--check：只检查是否最新）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true", help="不写文件，只检查已提交的文件是否与登记册一致")


def run(args: argparse.Namespace) -> int:
    from rectify.check import build_registry
    from rectify.history.codeowners import generate

    paths = find(args.root)
    registry, _diagnostics, _files = build_registry(paths)
    text = generate(registry)
    target = paths.root / ".github" / "CODEOWNERS"
    current = target.read_text(encoding="utf-8") if target.is_file() else None
    if args.check:
        if current == text:
            report.message(".github/CODEOWNERS 与登记册一致。")
            return EXIT_OK
        state = "不存在" if current is None else "与登记册不一致（有单位、记录或审核团队变了）"
        report.message(f".github/CODEOWNERS {state}：请运行 rectify codeowners 重新生成并提交。")
        return EXIT_FINDINGS
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    report.message(f"已写入 .github/CODEOWNERS（{len(text.splitlines())} 行）。")
    return EXIT_OK
