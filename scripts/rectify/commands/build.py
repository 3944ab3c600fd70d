"""``rectify build --profile public|internal --out DIR``: build the whole site with MkDocs.

The pages come from the registry at build time (the ``rectify`` MkDocs plugin); this command only
settles the profile, "today" and the output folder and runs MkDocs' own build, so ``mkdocs build``
and ``mkdocs serve`` give the same site.

The site is built into a temporary folder beside the output folder and moved into place only when
the build succeeds: a failed build (for example the public build refusing personal data) leaves
the previous site as it was and no partial output anywhere."""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import tempfile
from pathlib import Path

from rectify import report
from rectify.commands import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, iso_date, today_in_shanghai
from rectify.paths import find

NAME = "build"
HELP = "用 MkDocs 生成公开版或内部版站点"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--profile",
        choices=["public", "internal"],
        default="public",
        help="public：公开版（不含联系方式、身份证号等不公开信息）；internal：内部版（全部信息）",
    )
    parser.add_argument("--out", type=Path, default=None, help="输出目录（默认：仓库下的 site/）")
    parser.add_argument("--today", type=iso_date, help="按此日期计算逾期（YYYY-MM-DD，默认北京时间今天）")
    parser.add_argument(
        "--config", type=Path, default=None, help="MkDocs 配置文件（默认：仓库根目录的 mkdocs.yml）"
    )


def run(args: argparse.Namespace) -> int:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    paths = find(args.root)
    config_file = (args.config or paths.root / "mkdocs.yml").resolve()
    if not config_file.is_file():
        report.message(f"rectify build：找不到 MkDocs 配置文件 {config_file}")
        return EXIT_USAGE
    out = (args.out or paths.root / "site").resolve()
    if out.exists() and not out.is_dir():
        report.message(f"rectify build：输出位置 {out} 已有同名文件，不是目录")
        return EXIT_USAGE
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
        staging.chmod(0o755)  # mkdtemp makes it private; the site is meant to be served
    except OSError as exc:
        report.message(f"rectify build：无法在 {out.parent} 中创建临时目录：{exc.strerror}")
        return EXIT_USAGE
    settings = {"RECTIFY_PROFILE": args.profile, "RECTIFY_ROOT": str(paths.root)}
    if args.today:
        settings["RECTIFY_TODAY"] = args.today.isoformat()
    elif os.environ.get("RECTIFY_TODAY"):
        settings["RECTIFY_TODAY"] = today_in_shanghai().isoformat()  # refuses a malformed value
    saved = {key: os.environ.get(key) for key in settings}
    os.environ.update(settings)
    mkdocs_log = logging.getLogger("mkdocs")
    if not mkdocs_log.handlers:  # MkDocs' own CLI sets this up; through the API it is ours to do
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        mkdocs_log.addHandler(handler)
        mkdocs_log.propagate = False
    mkdocs_log.setLevel(logging.INFO)
    try:
        config = load_config(config_file=str(config_file), site_dir=str(staging))
        build(config)
        _move_into_place(staging, out)
    except MkDocsException as exc:  # configuration problems, plugin errors, strict-mode warnings
        # MkDocs has logged the plugin's or the page's own message above; its Abort only says so
        reason = "原因见上文" if isinstance(exc, Abort) else str(exc)
        report.message(f"rectify build：站点生成失败（{reason}），未写出任何文件（{out} 保持原样）")
        return EXIT_FINDINGS
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    report.message(f"rectify build：已生成{'公开版' if args.profile == 'public' else '内部版'}站点：{out}")
    return EXIT_OK


def _move_into_place(staging: Path, out: Path) -> None:
    """Replace ``out`` by ``staging`` with two renames on the same file system; the old site is
    put back if the second rename fails."""
    if not out.exists():
        staging.rename(out)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    retired.rmdir()
    out.rename(retired)
    try:
        staging.rename(out)
    except OSError:
        retired.rename(out)
        raise
    shutil.rmtree(retired, ignore_errors=True)
