"""``python -m rectify``."""

from rectify.cli import entry

entry()
