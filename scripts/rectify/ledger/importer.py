"""Ledger rows → planned record files. Every row ends created, updated, unchanged or rejected.

A row is read cell by cell (each problem located by sheet, row and column), merged into the record
it names (or a new record with the next free id), rendered as YAML and read back by the registry's
own loader, then the whole batch is checked with the real schema stage and rules: a row whose
record would not pass ``rectify check`` is rejected and nothing of it is written. Planning writes
nothing; :func:`write` does, atomically, file by file.
"""

from __future__ import annotations

import copy
import datetime as dt
import gc
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from rectify.check import build_registry
from rectify.diagnostics import Severity
from rectify.fields import KIND_NAMES, Field, record_fields
from rectify.ledger.cells import CellError, from_cell, is_blank, normalize, same_text
from rectify.ledger.columns import Column
from rectify.ledger.export import get_path
from rectify.ledger.read import Row, Sheet
from rectify.ledger.refs import IdAllocator, References
from rectify.ledger.yamlio import DELETE, edit_text, record_path, render_new, write_atomic
from rectify.load import Document, parse
from rectify.model import Registry
from rectify.paths import Paths
from rectify.rules import Context, run_all

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
    text: str = ""
    path: Path | None = None
    doc: Document | None = None


@dataclass(slots=True)
class Plan:
    outcomes: list[Outcome]

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    def writes(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status in (CREATED, UPDATED)]


def set_path(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    node = data
    for part in path[:-1]:
        if not isinstance(node.get(part), dict):
            node[part] = {}
        node = node[part]
    node[path[-1]] = value


def _delete(data: dict[str, Any], path: tuple[str, ...]) -> None:
    trail = []
    node: Any = data
    for part in path[:-1]:
        if not isinstance(node, dict) or not isinstance(node.get(part), dict):
            return
        trail.append((node, part))
        node = node[part]
    node.pop(path[-1], None)
    for holder, key in reversed(trail):
        if not holder[key]:
            del holder[key]


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == ""


class Importer:
    def __init__(
        self, paths: Paths, today: dt.date, registry: Registry | None = None, base: Registry | None = None
    ) -> None:
        self.paths = paths
        self.today = today
        self.base = base
        self.registry = registry if registry is not None else build_registry(paths)[0]
        self.schemas = self.registry.schemas
        self.records: dict[str, Field] = {}
        self.ids = IdAllocator(self.registry, today)
        self.sheet_columns: dict[str, dict[int, Column]] = {}

    def record(self, kind: str) -> Field:
        if kind not in self.records:
            self.records[kind] = record_fields(self.schemas, kind)
        return self.records[kind]

    # -- planning -------------------------------------------------------------------------------
    def plan(self, sheets: list[Sheet]) -> Plan:
        """Every row's outcome. The cyclic collector stays off while the new documents are built:
        the loaded registry is a large heap without cycles, and rescanning it for every few hundred
        new nodes would make a big import quadratic (as in :func:`rectify.load.load_registry`)."""
        enabled = gc.isenabled()
        gc.disable()
        try:
            return self._plan(sheets)
        finally:
            if enabled:
                gc.enable()

    def _plan(self, sheets: list[Sheet]) -> Plan:
        self.sheet_columns = {sheet.name: sheet.columns for sheet in sheets}
        ids = self._explicit_ids(sheets)
        refs = References(self.registry, {k: set(v) for k, v in ids.items()})
        outcomes: list[Outcome] = []
        for sheet in sheets:
            for row in sheet.rows:
                outcome = Outcome(sheet.name, row.number, sheet.ledger.kind)
                outcomes.append(outcome)
                self._plan_row(sheet, row, outcome, refs, ids)
        self._check_batch([o for o in outcomes if o.status in (CREATED, UPDATED)])
        return Plan(outcomes)

    def _explicit_ids(self, sheets: list[Sheet]) -> dict[str, dict[str, list[tuple[str, int]]]]:
        """kind → id → [(sheet, row)] for every id a row names (ids entered full-width too)."""
        found: dict[str, dict[str, list[tuple[str, int]]]] = defaultdict(lambda: defaultdict(list))
        for sheet in sheets:
            number = self._id_column(sheet)
            for row in sheet.rows:
                raw = row.cells.get(number) if number else None
                if not is_blank(raw):
                    found[sheet.ledger.kind][normalize(str(raw))].append((sheet.name, row.number))
        return found

    @staticmethod
    def _id_column(sheet: Sheet) -> int | None:
        return next((n for n, c in sheet.columns.items() if c.path == ("id",)), None)

    def _problem(self, outcome: Outcome, sheet: Sheet, number: int | None, message: str) -> None:
        column = sheet.columns.get(number) if number else None
        outcome.status = REJECTED
        outcome.problems.append(
            Problem(
                sheet.name,
                outcome.row,
                get_column_letter(number) if number and column else "",
                column.header if column else "",
                message,
            )
        )

    def _plan_row(
        self,
        sheet: Sheet,
        row: Row,
        outcome: Outcome,
        refs: References,
        ids: dict[str, dict[str, list[tuple[str, int]]]],
    ) -> None:
        kind = sheet.ledger.kind
        values: dict[Column, Any] = {}
        for number, column in sheet.columns.items():
            raw = row.cells.get(number)
            if is_blank(raw):
                values[column] = None
                continue
            try:
                values[column] = from_cell(column, raw, refs)
            except CellError as exc:
                self._problem(outcome, sheet, number, exc.message)
        id_number = self._id_column(sheet)
        record_id = values.get(sheet.columns[id_number]) if id_number else None
        if isinstance(record_id, str):
            others = [
                f"“{s}”第 {r} 行"
                for s, r in ids[kind].get(record_id, [])
                if (s, r) != (sheet.name, row.number)
            ]
            if others:
                self._problem(
                    outcome,
                    sheet,
                    id_number,
                    f"编号 {record_id} 在本次导入中重复（另见{'、'.join(others)}），这些行都不导入",
                )
        if outcome.status == REJECTED:
            return
        existing = self.registry.by_kind.get(kind, {}).get(record_id) if isinstance(record_id, str) else None
        base: dict[str, Any] = copy.deepcopy(existing.data) if existing else {}
        data = copy.deepcopy(base)
        changes: list[tuple[tuple[str, ...], Any]] = []
        for column, value in values.items():
            if column.path == ("id",):
                continue
            old = get_path(base, column.path)
            if value is None:
                if _empty(old):
                    continue
                _delete(data, column.path)
                changes.append((column.path, DELETE))
            elif value != old and not same_text(value, old):
                set_path(data, column.path, value)
                changes.append((column.path, value))
            else:
                continue
            outcome.changed.append(column.header)
        if existing is not None:
            outcome.id, outcome.file, outcome.path = existing.id, existing.file, existing.path
            if not changes:
                return
            outcome.status = UPDATED
            text = existing.path.read_text(encoding="utf-8")
            outcome.text = edit_text(text, existing.root, self.record(kind), changes)
        else:
            if not isinstance(record_id, str):
                record_id = self._next_id(kind, data)
                if record_id is None:
                    self._problem(
                        outcome,
                        sheet,
                        id_number,
                        f"新建{KIND_NAMES.get(kind, kind)}须填写编号（无法自动编号）",
                    )
                    return
            path = record_path(self.paths.registry, kind, record_id)
            if path.exists():
                self._problem(
                    outcome,
                    sheet,
                    id_number,
                    f"文件 {self.paths.relative(path)} 已存在但无法读取为记录，请先修复该文件",
                )
                return
            data = {"id": record_id, **data}
            outcome.status, outcome.id, outcome.path = CREATED, record_id, path
            outcome.file = self.paths.relative(path)
            outcome.text = render_new(kind, self.record(kind), data)
        parsed, root, problems = parse(outcome.text, outcome.file)
        if parsed != data or root is None or problems:
            self._problem(outcome, sheet, None, "写成 YAML 后读回的内容与表格不一致，未写入（请报告此问题）")
            return
        outcome.doc = Document(kind, outcome.file, outcome.path or Path(outcome.file), parsed, root)

    def _next_id(self, kind: str, data: dict[str, Any]) -> str | None:
        return self.ids.next(kind, data)

    # -- the batch check ------------------------------------------------------------------------
    def _check_batch(self, pending: list[Outcome]) -> None:
        """Schema and rules on the registry as it would be; reject rows whose record has an error,
        again until no rejection breaks another row's record."""
        schema_errors: dict[str, list[Any]] = {}
        for outcome in pending:
            assert outcome.doc is not None
            errors = self.schemas.validate(outcome.doc)
            if errors:
                schema_errors[outcome.file] = errors
        active = {o.file: o for o in pending}
        for file, errors in schema_errors.items():
            self._reject_located(active.pop(file), errors)
        while active:
            replaced = {file: o.doc for file, o in active.items() if o.doc is not None}
            docs = [replaced.pop(d.file, d) for d in self.registry.documents if d.file not in schema_errors]
            docs.extend(replaced.values())
            invalid = self.registry.invalid - set(active)
            registry = Registry.build(docs, self.schemas, invalid, self.registry.companions)
            by_file: dict[str, list[Any]] = defaultdict(list)
            notes: dict[str, list[Any]] = defaultdict(list)
            for diagnostic in run_all(registry, Context(today=self.today, base=self.base)):
                if diagnostic.file in active:
                    (by_file if diagnostic.severity is Severity.ERROR else notes)[diagnostic.file].append(
                        diagnostic
                    )
            if not by_file:
                for file, found in notes.items():  # what CI also says, without blocking
                    active[file].notes = self._located(active[file], found)
                return
            for file, errors in by_file.items():
                self._reject_located(active.pop(file), errors)
            schema_errors.update(by_file)  # rejected: their files stay as they are

    def _reject_located(self, outcome: Outcome, diagnostics: list[Any]) -> None:
        outcome.status = REJECTED
        outcome.problems.extend(self._located(outcome, diagnostics))

    def _located(self, outcome: Outcome, diagnostics: list[Any]) -> list[Problem]:
        """Findings of the check stage, at the row's column of the field they name, in CI's words."""
        sheet_columns = self._columns_of(outcome)
        out = []
        for d in sorted(diagnostics, key=lambda d: d.sort_key()):
            number = _column_for(d.path, sheet_columns)
            column = sheet_columns.get(number) if number else None
            out.append(
                Problem(
                    outcome.sheet,
                    outcome.row,
                    get_column_letter(number) if number else "",
                    column.header if column else "",
                    f"{d.message}（{d.rule}）",
                    "" if d.severity is Severity.ERROR else d.severity.label,
                )
            )
        return out

    def _columns_of(self, outcome: Outcome) -> dict[int, Column]:
        return self.sheet_columns.get(outcome.sheet, {})


def _column_for(path: str, columns: dict[int, Column]) -> int | None:
    """The column of the field ``path`` names, or of the closest field around it; for a group
    (``basis``) with no column of its own, the first column inside it (判定标准)."""
    best: tuple[int, int] | None = None
    for number, column in columns.items():
        key = column.key
        within = path == key or path.startswith((key + ".", key + "["))
        if within and (best is None or len(key) > best[0]):
            best = (len(key), number)
    if best is None and path:
        inside = [number for number, column in columns.items() if column.key.startswith(path + ".")]
        return min(inside) if inside else None
    return best[1] if best else None


def plan_import(
    paths: Paths,
    sheets: list[Sheet],
    today: dt.date,
    registry: Registry | None = None,
    base: Registry | None = None,
) -> Plan:
    """The outcome of importing ``sheets`` into the registry at ``paths`` (loaded unless given),
    judged as ``rectify check --base`` judges it against ``base`` (G-ratchet; none when ``None``)."""
    return Importer(paths, today, registry, base).plan(sheets)


def write(plan: Plan) -> None:
    for outcome in plan.writes():
        assert outcome.path is not None
        write_atomic(outcome.path, outcome.text)
