"""One module per subcommand. Each has ``NAME``, ``HELP``, ``add_arguments(parser)`` and
``run(args) -> exit code``; :mod:`rectify.cli` lists them explicitly in ``COMMANDS``."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from rectify.clock import today_in_shanghai as today_in_shanghai
from rectify.paths import Paths, PathsError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def iso_date(value: str) -> dt.date:
    """argparse type for ``--today`` and other dates."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应为 YYYY-MM-DD，实为 “{value}”") from None


def selected_files(paths: Paths, given: list[Path]) -> set[str] | None:
    """Registry files named on the command line (folders expand), as root-relative paths."""
    if not given:
        return None
    selected: set[str] = set()
    registry = paths.registry.resolve()
    for path in given:
        full = path if path.is_absolute() else Path.cwd() / path
        if not full.exists():
            raise PathsError(f"文件不存在：{path}")
        full = full.resolve()
        if not full.is_relative_to(registry):
            raise PathsError(f"{path} 不在登记册目录 {paths.relative(paths.registry)}/ 中")
        if full.is_dir():
            selected.update(paths.relative(p) for p in full.rglob("*") if p.is_file())
        else:
            selected.add(paths.relative(full))
    return selected
