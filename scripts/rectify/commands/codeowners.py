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
    parser.add_argument(
        "--max-bytes",
        type=int,
        default=None,
        metavar="字节数",
        help="文件大小上限（默认 2 MiB；GitHub 忽略超过 3 MB 的 CODEOWNERS）：逐条列出会超过时按目录和编号前缀合并",
    )


def run(args: argparse.Namespace) -> int:
    from rectify.check import build_registry
    from rectify.history.codeowners import generate
    from rectify.history.owner_blocks import SIZE_LIMIT

    paths = find(args.root)
    registry, _diagnostics, _files = build_registry(paths)
    limit = args.max_bytes or SIZE_LIMIT
    text = generate(registry, limit)
    size = len(text.encode("utf-8"))
    if size > limit:
        report.message(
            f"rectify codeowners：按目录和编号前缀合并后仍有 {size} 字节，超过上限 {limit} 字节，未写入；"
            "各单位负责的记录交错过多，请按单位分批编号（如按台账导入），或调高 --max-bytes（不得超过 3 MB）。"
        )
        return EXIT_FINDINGS
    target = paths.root / ".github" / "CODEOWNERS"
    current = target.read_text(encoding="utf-8") if target.is_file() else None
    if args.check:
        stale, unlisted = compare(current, text)
        if current is None or stale:
            state = (
                "不存在"
                if current is None
                else f"有 {len(stale)} 行与登记册不一致（单位、记录的负责单位或审核团队变了），如：{stale[0]}"
            )
            report.message(f".github/CODEOWNERS {state}：请运行 rectify codeowners 重新生成并提交。")
            return EXIT_FINDINGS
        if unlisted:
            report.message(
                f".github/CODEOWNERS 与登记册一致；另有 {len(unlisted)} 条新记录尚未列入，暂由安委办审核"
                "（合并后运行 rectify codeowners 更新即可，网页表单提交的新记录也是如此）。"
            )
            return EXIT_OK
        report.message(".github/CODEOWNERS 与登记册一致。")
        return EXIT_OK
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    report.message(f"已写入 .github/CODEOWNERS（{len(text.splitlines())} 行）。")
    return EXIT_OK


def compare(committed: str | None, generated: str) -> tuple[list[str], list[str]]:
    """(stale, unlisted): lines of the committed file the registry no longer gives (an owner or a
    team changed: the file must be regenerated), and record lines the registry gives that the file
    lacks — records added since it was generated, e.g. through the web form, which the catch-all
    line routes to the office until the file is regenerated. Any other difference is stale, and so
    is every difference when either file is in the merged form."""
    from rectify.history.owner_blocks import COMPACT_NOTE

    have = {line for line in (committed or "").splitlines() if line.strip()}
    want = {line for line in generated.splitlines() if line.strip()}
    if COMPACT_NOTE in generated or COMPACT_NOTE in (committed or ""):
        # merged lines: a new record can fall under another team's id prefix, so only the same text
        # gives every record its team
        return sorted(have ^ want), []
    stale = sorted(have - want)
    missing = sorted(want - have)
    stale += [line for line in missing if not line.startswith("/registry/")]
    return stale, [line for line in missing if line.startswith("/registry/")]
