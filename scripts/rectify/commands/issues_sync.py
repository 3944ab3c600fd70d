"""``rectify issues-sync``: open or update one forge issue per overdue major hazard and close it
once the hazard is closed (uses the ``gh`` command line; ``--dry-run`` only lists the plan)."""

from __future__ import annotations

import argparse
import json
import subprocess

from rectify import report
from rectify.commands import EXIT_OK, EXIT_USAGE, iso_date, today_in_shanghai
from rectify.paths import find

NAME = "issues-sync"
HELP = "为每个逾期的重大事故隐患开启或更新议题，销号后关闭（使用 gh）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--today", type=iso_date, help="按此日期判断逾期（默认北京时间今天）")
    parser.add_argument("--label", default=None, help="议题标签（默认：逾期重大隐患）")
    parser.add_argument("--dry-run", action="store_true", help="只列出将要做的操作，不调用 gh")


def _gh(*args: str) -> str:
    proc = subprocess.run(["gh", *args], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"gh {args[0]} {args[1]} 失败：{proc.stderr.strip()}")
    return proc.stdout


def run(args: argparse.Namespace) -> int:
    from rectify.check import build_registry
    from rectify.history.issues import LABEL, Issue, plan

    label = args.label or LABEL
    paths = find(args.root)
    registry, _diagnostics, _files = build_registry(paths)
    try:
        issues = [] if args.dry_run else [
            Issue(int(i["number"]), str(i["state"]), str(i.get("body") or ""))
            for i in json.loads(
                _gh("issue", "list", "--label", label, "--state", "all", "--limit", "1000", "--json", "number,state,body")
            )
        ]  # fmt: skip
        actions = plan(registry, issues, args.today or today_in_shanghai())
        if not args.dry_run and actions:
            _gh(
                "label",
                "create",
                label,
                "--force",
                "--color",
                "B60205",
                "--description",
                "整改逾期的重大事故隐患",
            )
        for action in actions:
            report.message(f"{action.verb} {action.hazard}" + (f" #{action.number}" if action.number else ""))
            if args.dry_run:
                continue
            if action.verb == "create":
                _gh("issue", "create", "--title", action.title, "--body", action.body, "--label", label)
            elif action.verb in ("update", "reopen"):
                if action.verb == "reopen":
                    _gh("issue", "reopen", str(action.number))
                _gh("issue", "edit", str(action.number), "--title", action.title, "--body", action.body)
            else:
                _gh(
                    "issue",
                    "close",
                    str(action.number),
                    "--comment",
                    f"{action.hazard} 已验收销号，关闭本议题。",
                )
    except (OSError, RuntimeError) as exc:
        report.message(f"rectify issues-sync：{exc}")
        return EXIT_USAGE
    report.message(f"逾期重大隐患议题：{len(actions)} 项操作。")
    return EXIT_OK
