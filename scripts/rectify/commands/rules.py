"""``rectify rules``: print the rules page (Markdown) generated from the registry of rules."""

from __future__ import annotations

import argparse

from rectify import report
from rectify.commands import EXIT_OK

NAME = "rules"
HELP = "列出全部规则及其依据的通知条款（Markdown，即 docs/rules.md）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """No options: the page is the same for every registry (field names come from the schemas)."""


def run(args: argparse.Namespace) -> int:
    from rectify.paths import PathsError, find, packaged_schemas
    from rectify.rulesdoc import markdown
    from rectify.schema import Schemas

    try:
        folder = find(args.root).schemas
    except PathsError:
        packaged = packaged_schemas()
        if packaged is None:
            raise
        folder = packaged
    report.lines(markdown(Schemas(folder)).rstrip("\n"))
    return EXIT_OK
