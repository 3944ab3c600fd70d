"""``rectify check [PATH ...]``: schema, references and rules, with located findings."""

from __future__ import annotations

import argparse
import os
import subprocess
from pathlib import Path, PurePosixPath

from rectify import report
from rectify.cache import FOLDER
from rectify.commands import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, iso_date, selected_files, today_in_shanghai
from rectify.paths import Paths, find

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
        "--staged",
        action="store_true",
        help="只报告 Git 暂存区中改动的登记册文件，以及引用了被删除记录的文件（提交前钩子用）",
    )
    parser.add_argument(
        "--base", metavar="REV", help="与该修订版本（如合并请求的目标分支）比较，检查只进不退（G-ratchet）"
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="不使用也不更新检查缓存（仓库根目录的 .rectify-cache/），从头读取全部文件；结果与使用缓存时相同",
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        metavar="目录",
        help="检查缓存放在这里（默认：仓库根目录的 .rectify-cache/；CI 用它把缓存放在被检查的检出之外）",
    )
    parser.epilog = (
        "检查缓存：仓库根目录的 .rectify-cache/（已被 Git 忽略）保存每个文件读取和 schema 校验的结果、"
        "逐条记录的规则结果和上一次检查的全部结果，按文件内容、schemas、jurisdiction.yaml、standards.yaml、"
        "calendar.yaml、检查日期和 rectify 自身（版本与源代码）区分；任何一项变了就不再使用旧结果。"
        "只改了少数记录时，只重新检查改动能影响到的记录（各规则声明的读取范围），其余结果沿用上一次的。"
        "缓存随时可以删除，删除后下一次检查自动重建；损坏的缓存文件会被忽略。"
    )


def run(args: argparse.Namespace) -> int:
    from rectify.check import run_check

    paths = find(args.root)
    only = selected_files(paths, args.paths)
    deleted: set[str] = set()
    if args.staged:
        staged = staged_changes(paths)
        if staged is None:
            report.message("rectify check --staged：这里不是 Git 仓库（或 git 不可用）")
            return EXIT_USAGE
        changed, deleted = staged
        if not changed and not deleted:
            report.lines("暂存区没有登记册文件的改动。")
            return EXIT_OK
        only = (only or set()) | changed
    base = None
    if args.base:
        from rectify.history.base import load_registry_at
        from rectify.history.git import GitError

        try:
            base = load_registry_at(paths, args.base)
        except GitError as exc:
            report.message(f"rectify check：{exc}")
            return EXIT_USAGE
        if base.note:
            report.message(f"rectify check：{base.note}")
    cache = None if args.no_cache else (args.cache_dir or paths.root / FOLDER).absolute()
    result = run_check(paths, args.today or today_in_shanghai(), only, base, deleted, cache=cache)
    report.emit(result.diagnostics, result.checked, args.format, notes=result.notes)
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if args.format == "github" and summary_file:
        with open(summary_file, "a", encoding="utf-8") as handle:
            handle.write(report.step_summary(result.diagnostics, result.files, notes=result.notes))
    return EXIT_FINDINGS if result.blocking(args.strict) else EXIT_OK


def staged_changes(paths: Paths) -> tuple[set[str], set[str]] | None:
    """(staged registry files that exist, ids of staged deletions), or None outside a repository.
    A deletion is given to no hook as a file name: the records that still name it are checked."""
    registry = paths.relative(paths.registry)
    try:
        proc = subprocess.run(
            ["git", "diff", "--cached", "--name-status", "--no-renames", "-z", "--relative", "--", registry],
            cwd=paths.root,
            capture_output=True,
            check=False,
        )
    except OSError:
        return None
    if proc.returncode != 0:
        return None
    fields = proc.stdout.decode("utf-8", "surrogateescape").split("\0")
    changed: set[str] = set()
    deleted: set[str] = set()
    for status, name in zip(fields[::2], fields[1::2], strict=False):
        if status.startswith("D"):
            stem = PurePosixPath(name).stem
            if PurePosixPath(name).suffix in (".yaml", ".yml"):
                deleted.update({stem, stem.upper()})
        elif (paths.root / name).is_file():
            changed.add(name)
    return changed, deleted
