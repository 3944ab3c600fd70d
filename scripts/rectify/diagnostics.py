"""The one error type: a located finding with a stable rule id (诊断信息)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache


class Severity(StrEnum):
    """How a finding weighs: errors block a merge, warnings block only under ``--strict``,
    alerts (time-driven: overdue, due soon) are reported but never block."""

    ERROR = "error"
    WARNING = "warning"
    ALERT = "alert"

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "alert": "提醒"}[self.value]


PathSeq = Sequence[str | int]


def format_path(path: PathSeq) -> str:
    """``("findings", 2, "hazard")`` → ``findings[2].hazard``: the field named in messages and JSON."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


_PART = re.compile(r"\[(\d+)\]|\.?([^.\[]+)")


def parse_path(text: str) -> list[str | int]:
    """The inverse of :func:`format_path` (keys with dots or brackets are not used in records)."""
    return [int(m.group(1)) if m.group(1) is not None else m.group(2) for m in _PART.finditer(text)]


def within(path: str, prefix: str) -> bool:
    """Whether the field ``path`` is ``prefix`` or lies below it (``a.b[2]`` is within ``a.b``)."""
    return path == prefix or path.startswith((prefix + ".", prefix + "["))


_DIGITS = re.compile(r"(\d+)")


@lru_cache(maxsize=65_536)
def file_order(file: str) -> tuple[str | int, ...]:
    """A path's sort key with its digit runs compared as numbers; the path itself breaks ties."""
    parts: list[str | int] = [int(p) if i % 2 else p for i, p in enumerate(_DIGITS.split(file))]
    return (*parts, file)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding. ``file`` is the POSIX path relative to the repository root; line and column
    are 1-based; ``path`` is the field (``rectification.deadline``) or empty for the whole file."""

    rule: str
    severity: Severity
    file: str
    line: int
    column: int
    path: str
    message: str

    def sort_key(self) -> tuple[tuple[str | int, ...], int, int, str, str, str, str]:
        """By file in number order (``INSP-2023-9999`` before ``INSP-2023-10000``), then position;
        a total order, so findings gathered in any order print the same."""
        return (
            file_order(self.file),
            self.line,
            self.column,
            self.rule,
            self.message,
            self.severity.value,
            self.path,
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "message": self.message,
        }
