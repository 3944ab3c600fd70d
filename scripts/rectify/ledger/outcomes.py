"""What an import plans: each row's outcome (created, updated, unchanged or rejected, with located
problems) and each record's pending change, gathered from every row that touches it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rectify.model import Document

CREATED, UPDATED, UNCHANGED, REJECTED = "created", "updated", "unchanged", "rejected"
STATUS_NAMES = {CREATED: "新建", UPDATED: "更新", UNCHANGED: "未变", REJECTED: "拒绝"}


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a row was rejected: ``sheet`` ``row`` ``column`` (letter; empty for the whole row)."""

    sheet: str
    row: int
    column: str
    header: str
    message: str
    severity: str = ""  # 警告 or 提醒 for a finding that does not block; empty for a refusal
    ci: str = ""  # the line ``rectify check`` prints for the same finding

    def __str__(self) -> str:
        where = f"{self.column} 列（{self.header}）" if self.column else "整行"
        kind = f"{self.severity}：" if self.severity else ""
        return f"{kind}工作表“{self.sheet}”第 {self.row} 行 {where}：{self.message}"


@dataclass(slots=True)
class Outcome:
    sheet: str
    row: int
    kind: str
    status: str = UNCHANGED
    id: str | None = None
    file: str = ""
    changed: list[str] = field(default_factory=list)  # headers of the changed columns
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)  # warnings and alerts of a written row
    entry: str = ""  # a detail row's entry: 延期第 2 条
    detail: tuple[str, int | None] | None = None  # (field, index) a detail row writes


@dataclass(slots=True)
class Pending:
    """One record's planned change, gathered from every row that touches it."""

    kind: str
    id: str
    existing: Document | None
    data: dict[str, Any]  # the record as it will be; the existing record's own data until changed
    path: Path
    file: str
    copied: bool = True  # whether ``data`` is this change's own (see :meth:`edit`)
    changes: list[tuple[tuple[str | int, ...], Any]] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    text: str = ""
    doc: Document | None = None

    def edit(self) -> dict[str, Any]:
        """``data``, to change: copied from the existing record at the first change (most rows of a
        ledger change nothing, and the loaded record is never changed)."""
        if not self.copied:
            self.data = tree_copy(self.data)
            self.copied = True
        return self.data

    @property
    def base(self) -> dict[str, Any]:
        return self.existing.data if self.existing is not None else {}

    def rejected(self) -> bool:
        return any(o.status == REJECTED for o in self.outcomes)


def tree_copy(value: Any) -> Any:
    """A copy of loaded data (mappings, lists and scalars), as ``copy.deepcopy`` makes it, at a
    fraction of the cost (no memo: loaded data shares no nodes)."""
    if isinstance(value, dict):
        return {key: tree_copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [tree_copy(item) for item in value]
    return value


@dataclass(slots=True)
class Plan:
    outcomes: list[Outcome]
    records: list[Pending] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    def writes(self) -> list[Pending]:
        return [p for p in self.records if p.doc is not None and not p.rejected()]
