"""``rectify ledger export|import``: the Excel ledger (台账) both ways."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rectify import report
from rectify.commands import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, iso_date, today_in_shanghai
from rectify.fields import KIND_NAMES
from rectify.ids import sort_key as id_sort_key
from rectify.ledger.columns import LEDGER_KINDS, all_ledgers, detail_ledgers, kind_of, ledger_for
from rectify.load import FOLDER_OF
from rectify.paths import Paths, find
from rectify.schema import Schemas

if TYPE_CHECKING:
    from rectify.model import Registry

NAME = "ledger"
OUT_DIR = "ledger-out"  # in .gitignore: a workbook holds private fields (contact) and goes stale
HELP = "Excel 台账：导出记录，或把填好的台账导入登记册"
PROGRESS_BYTES = 100 * 1024  # about 500 rows: a terminal shows progress for larger workbooks


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="操作")
    kinds = sorted({*LEDGER_KINDS, *(FOLDER_OF[k] for k in LEDGER_KINDS)})
    export = actions.add_parser(
        "export", help="导出某类记录为 .xlsx 台账", description="导出某类记录为 .xlsx 台账。"
    )
    export.add_argument(
        "--kind",
        required=True,
        choices=kinds,
        metavar="类型",
        help="记录类型，如 hazards、inspections、enterprises",
    )
    export.add_argument(
        "--out",
        type=Path,
        help=f"输出的 .xlsx 文件（默认 {OUT_DIR}/ 下按类型命名，该文件夹不纳入 Git）",
    )
    imp = actions.add_parser(
        "import", help="把 .xlsx 台账导入登记册", description="把 .xlsx 台账导入登记册：新建或更新记录。"
    )
    imp.add_argument("workbook", type=Path, help="要导入的 .xlsx 文件")
    imp.add_argument("--dry-run", action="store_true", help="只检查并报告，不写任何文件")
    imp.add_argument("--kind", choices=kinds, metavar="类型", help="只按这一类记录识别工作表")
    imp.add_argument("--today", type=iso_date, help="按此日期检查（YYYY-MM-DD，默认北京时间今天）")
    imp.add_argument(
        "--verbose", "-v", action="store_true", help="逐行列出结果（默认只列出新建、更新和拒绝的行）"
    )
    imp.add_argument(
        "--progress",
        action="store_true",
        help=f"在标准错误输出显示进度（默认仅当其为终端、且台账大于 {PROGRESS_BYTES // 1024} KB 时显示）",
    )


def run(args: argparse.Namespace) -> int:
    if args.action == "export":
        return _export(args)
    return _import(args)


def _export(args: argparse.Namespace) -> int:
    from rectify.check import build_registry
    from rectify.ledger.attachments import attachment_sheet
    from rectify.ledger.export import build_workbook
    from rectify.ledger.refs import Names

    paths = find(args.root)
    kind = kind_of(args.kind)
    assert kind is not None
    out: Path = args.out or paths.root / OUT_DIR / f"{KIND_NAMES.get(kind, kind)}台账.xlsx"
    if out.suffix.lower() != ".xlsx":
        report.message(f"rectify ledger export：输出文件应以 .xlsx 结尾：{out}")
        return EXIT_USAGE
    registry, _, _ = build_registry(paths)
    ledger = ledger_for(registry.schemas, kind)
    details = detail_ledgers(registry.schemas, kind)
    records = registry.by_kind.get(kind, {})
    documents = [
        records[i] for i in sorted(records, key=id_sort_key) if records[i].file not in registry.invalid
    ]
    skipped = sorted(records[i].file for i in records if records[i].file in registry.invalid)
    city = registry.jurisdiction.data.get("name") if registry.jurisdiction else None
    title = f"{city or ''}{ledger.sheet}".strip()
    extra = attachment_sheet(registry.schemas, kind) if details else None
    book = build_workbook(ledger, documents, title, Names(registry), details, extra)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        book.save(out)
    except OSError as exc:
        report.message(f"rectify ledger export：无法写入 {out}：{exc.strerror}")
        return EXIT_USAGE
    sheets = "、".join(d.sheet for d in details)
    report.lines(
        f"已导出 {len(documents)} 条{ledger.sheet[:-2]}记录（{len(ledger.columns)} 列）到 {out}"
        + (f"，另有明细工作表：{sheets}" if sheets else "")
    )
    if skipped:
        report.lines(
            f"另有 {len(skipped)} 条记录未通过 schema 检查，未导出（请先修复）：{'、'.join(skipped)}"
        )
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from rectify.check import build_registry
    from rectify.ledger.importer import plan_import, write
    from rectify.ledger.read import read_workbook
    from rectify.ledger.summary import summary
    from rectify.ledger.untrusted import LedgerError

    paths = find(args.root)
    kinds = [kind_of(args.kind)] if args.kind else list(LEDGER_KINDS)
    progress = report.Progress(args.progress or _large(args.workbook))
    schemas = Schemas(paths.schemas)
    ledgers = all_ledgers(schemas, [k for k in kinds if k])
    progress.step(f"正在读取台账 {args.workbook.name}……", True)
    try:  # the workbook first: a refused one costs no registry load
        sheets, notices = read_workbook(args.workbook, ledgers)
    except LedgerError as exc:
        progress.done()
        report.message(f"rectify ledger import：{exc}")
        return exc.code
    progress.step("正在读取登记册……", True)
    registry, _, _ = build_registry(paths)
    progress.done()  # the photos' lines follow
    attached, refused = _photos(args, paths, registry, kinds)
    if attached:  # the rows are judged with the photos just attached (a closure needs them: V-closed)
        registry, _, _ = build_registry(paths)
    base, warning = _base(paths)
    if warning:
        notices.append(warning)
    today = args.today or today_in_shanghai()
    plan = plan_import(paths, sheets, today, registry, base, progress.step)
    if not args.dry_run:
        write(plan, progress.step)
    progress.done()
    report.lines(summary(plan, sheets, notices, args.dry_run, args.verbose))
    return EXIT_FINDINGS if plan.count("rejected") or refused else EXIT_OK


def _large(workbook: Path) -> bool:
    """Whether a terminal shows the import's progress without being asked."""
    try:
        return workbook.stat().st_size >= PROGRESS_BYTES and sys.stderr.isatty()
    except (OSError, ValueError):
        return False


def _photos(
    args: argparse.Namespace, paths: Paths, registry: Registry, kinds: Sequence[str | None]
) -> tuple[bool, bool]:
    """Photos in the 附件 folder beside the workbook, attached to their hazards before the rows are
    judged, so that a row closing a major hazard sees its after-photo and acceptance sheet. A photo
    is its own change: it stays attached even when a row of the same hazard is refused.
    (whether anything was attached, whether any file could not be taken)."""
    from rectify.ledger.attachments import attach, find_photos

    if "hazard" not in kinds:
        return False, False
    hazards = registry.by_kind.get("hazard", {})
    photos, problems = find_photos(args.workbook, registry.schemas, "hazard", set(hazards))
    done, failed = attach(paths, photos, hazards, args.dry_run)
    if problems or done:
        report.lines("\n".join(problems + done))
    return bool(done) and not args.dry_run, bool(problems) or failed


def _base(paths: Paths) -> tuple[Registry | None, str]:
    """The registry at the current commit, for G-ratchet as ``rectify check --base HEAD`` runs it;
    outside a Git repository (or before its first commit), none, with a warning saying so."""
    from rectify.history.base import load_registry_at
    from rectify.history.git import GitError, run

    skipped = "没有进行“只进不退”检查（G-ratchet），合并请求的 CI 检查仍会进行这项检查"
    try:
        run(paths.root, ["rev-parse", "--git-dir"])
    except GitError:
        return None, f"警告：{paths.root} 不在 Git 仓库中，{skipped}"
    try:
        return load_registry_at(paths, "HEAD"), ""
    except GitError as exc:
        return None, f"警告：未能读取当前提交（HEAD）的登记册（{exc}），{skipped}"
