"""``rectify evidence add|lfs``: attach a photo or scan to a record; write the Git LFS entries of
``.gitattributes`` for the attachments' folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from rectify import report
from rectify.commands import EXIT_FINDINGS, EXIT_OK
from rectify.evidence import KINDS
from rectify.paths import find

NAME = "evidence"
HELP = "佐证材料：给记录添加照片或扫描件（自动去除位置等元数据），设置 Git LFS"
LFS_LINES = [
    "# 佐证材料（照片、扫描件）用 Git LFS 保存：rectify evidence lfs 生成，见 docs/guide/evidence.md",
    "registry/evidence/** filter=lfs diff=lfs merge=lfs -text",
]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="操作")
    add = actions.add_parser(
        "add",
        help="添加一份佐证材料",
        description="添加一份佐证材料：检查文件类型和大小，图片去除 GPS 位置、设备等元数据并生成网页用缩略图，"
        "写入 registry/evidence/<记录编号>/，并登记到记录的 evidence 中。",
    )
    add.add_argument("record", metavar="记录编号", help="如 HAZ-2023-00045、CONS-2023-001")
    add.add_argument("file", type=Path, metavar="文件", help="JPEG、PNG、WebP 图片或 PDF 扫描件")
    add.add_argument("--kind", required=True, choices=KINDS, metavar="类型", help="、".join(KINDS))
    add.add_argument("--caption", help="说明（网页上作为图片的替代文字）")
    add.add_argument("--taken-on", metavar="YYYY-MM-DD", help="拍摄或扫描日期")
    add.add_argument("--by", help="拍摄或扫描人（人员编号）")
    add.add_argument("--public", action="store_true", help="在公开版站点发布（只有整改前后照片可以公开）")
    add.add_argument("--response", metavar="单位", help="征求意见记录：附到哪个单位的回复（回复的 from）")
    actions.add_parser(
        "lfs",
        help="在 .gitattributes 中加入佐证材料的 Git LFS 设置",
        description="在 .gitattributes 中加入佐证材料的 Git LFS 设置（已有则不重复）。",
    )


def run(args: argparse.Namespace) -> int:
    paths = find(args.root)
    if args.action == "lfs":
        return _lfs(paths.root / ".gitattributes")
    from rectify.evidence.adding import EvidenceError, add_file

    try:
        entry = add_file(
            paths,
            args.record,
            args.file,
            args.kind,
            caption=args.caption,
            taken_on=args.taken_on,
            by=args.by,
            public=args.public,
            response=args.response,
        )
    except EvidenceError as exc:
        report.message(f"rectify evidence：拒绝添加：{exc}")
        return EXIT_FINDINGS
    visibility = "公开" if entry.public else "仅内部"
    report.lines(
        f"已添加 registry/evidence/{args.record}/{entry.file}（{visibility}，原文件 SHA-256 {entry.sha256}）"
    )
    return EXIT_OK


def _lfs(path: Path) -> int:
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    missing = [line for line in LFS_LINES if line not in text.splitlines()]
    if missing:
        prefix = "" if not text or text.endswith("\n") else "\n"
        path.write_text(text + prefix + "\n".join(missing) + "\n", encoding="utf-8")
        report.lines(f"已更新 {path.name}：registry/evidence/ 下的文件由 Git LFS 保存")
    else:
        report.lines(f"{path.name} 已包含佐证材料的 Git LFS 设置")
    return EXIT_OK
