"""Ledger rows → planned record files. Every row ends created, updated, unchanged or rejected.

A row is read cell by cell (each problem located by sheet, row and column) and merged into the
record it names (or a new record with the next free id); rows of the detail sheets (整改进展、延期、
验收、移交, :mod:`rectify.ledger.details`) merge into the same record. Each record is rendered as YAML
once and read back by the registry's own loader, then the whole batch is checked with the real
schema stage and rules: a record that would not pass ``rectify check`` is not written, and every
row that touches it is rejected. Planning writes nothing; :func:`write` does, atomically, file by
file.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from openpyxl.utils import get_column_letter

from rectify.check import build_registry
from rectify.fields import KIND_NAMES, TEXT, Field, record_fields
from rectify.ledger.cells import CellError, from_cell, is_blank, normalize, same_text
from rectify.ledger.columns import Column
from rectify.ledger.details import plan_detail_rows
from rectify.ledger.export import get_path
from rectify.ledger.judge import check_batch
from rectify.ledger.outcomes import CREATED, REJECTED, UPDATED, Outcome, Pending, Plan, Problem
from rectify.ledger.read import Row, Sheet
from rectify.ledger.refs import IdAllocator, References
from rectify.ledger.yamlio import DELETE, edit_text, record_path, render_new, write_atomic
from rectify.load import parse
from rectify.model import Document, Registry
from rectify.paths import Paths
from rectify.yamlnodes import compose

Step = Callable[[str, bool], None]  # a progress line; True when it starts a stage


def _quiet(line: str, stage: bool) -> None:
    """No progress shown."""


EVERY = 250  # rows (or files) between progress lines


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


def _memoized(column: Column) -> bool:
    """Whether a cell's value is worth remembering: names, choices, dates, numbers repeat down a
    column and cost a lookup each; free text is only trimmed."""
    field = column.value
    return field.type != TEXT or bool(field.refs) or field.pattern is not None


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == ""


class Importer:
    def __init__(
        self,
        paths: Paths,
        today: dt.date,
        registry: Registry | None = None,
        base: Registry | None = None,
        progress: Step = _quiet,
    ) -> None:
        self.paths = paths
        self.progress = progress
        self.today = today
        self.base = base
        self.registry = registry if registry is not None else build_registry(paths)[0]
        self.schemas = self.registry.schemas
        self.records: dict[str, Field] = {}
        self.ids = IdAllocator(self.registry, today)
        self.sheet_columns: dict[str, dict[int, Column]] = {}
        self.column_memo: dict[tuple[str, str], int | None] = {}  # (sheet, field path) → column
        self.pending: dict[tuple[str, str], Pending] = {}
        self.cells: dict[tuple[Column, type, Any], Any] = {}  # (column, raw) → value or CellError
        self.layouts: dict[str, list[tuple[int, Column, bool]]] = {}  # sheet → (number, column, memo)

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
        mains = [sheet for sheet in sheets if sheet.ledger.detail is None]
        ids = self._explicit_ids(mains)
        refs = References(self.registry, {k: set(v) for k, v in ids.items()})
        outcomes: list[Outcome] = []
        total = sum(len(sheet.rows) for sheet in mains)
        self.progress(f"正在核对 {total} 行……", True)
        for sheet in mains:
            for row in sheet.rows:
                if len(outcomes) % EVERY == 0:
                    self.progress(f"正在核对第 {len(outcomes) + 1}/{total} 行", False)
                outcome = Outcome(sheet.name, row.number, sheet.ledger.kind)
                outcomes.append(outcome)
                self._plan_row(sheet, row, outcome, refs, ids)
        for sheet in sheets:
            if sheet.ledger.detail is not None:
                if sheet.rows:
                    self.progress(f"正在核对“{sheet.name}”的 {len(sheet.rows)} 行……", True)
                outcomes.extend(plan_detail_rows(self, sheet, refs))
        records = list(self.pending.values())
        self.progress(f"正在生成 {len(records)} 条记录的文件内容并读回核对……", True)
        for pending in records:
            self._render(pending)
        check_batch(self, [p for p in records if p.doc is not None and not p.rejected()])
        for pending in records:
            self._share_refusal(pending)
        return Plan(outcomes, records)

    def _explicit_ids(self, sheets: list[Sheet]) -> dict[str, dict[str, list[tuple[str, int]]]]:
        """kind → id → [(sheet, row)] for every id a row names (ids entered full-width too)."""
        found: dict[str, dict[str, list[tuple[str, int]]]] = defaultdict(lambda: defaultdict(list))
        for sheet in sheets:
            number = id_column(sheet)
            for row in sheet.rows:
                raw = row.cells.get(number) if number else None
                if not is_blank(raw):
                    found[sheet.ledger.kind][normalize(str(raw))].append((sheet.name, row.number))
        return found

    def problem(self, outcome: Outcome, sheet: Sheet, number: int | None, message: str) -> None:
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

    def read_cells(self, sheet: Sheet, row: Row, outcome: Outcome, refs: References) -> dict[Column, Any]:
        """Each known cell's value (``None`` for a blank one); a cell that cannot be read is a problem."""
        values: dict[Column, Any] = {}
        layout = self.layouts.get(sheet.name)
        if layout is None:
            layout = self.layouts[sheet.name] = [(n, c, _memoized(c)) for n, c in sheet.columns.items()]
        for number, column, memoized in layout:
            raw = row.cells.get(number)
            if is_blank(raw):
                values[column] = None
                continue
            try:
                values[column] = (
                    self._from_cell(column, raw, refs) if memoized else from_cell(column, raw, refs)
                )
            except CellError as exc:
                self.problem(outcome, sheet, number, exc.message)
        return values

    def _from_cell(self, column: Column, raw: Any, refs: References) -> Any:
        """:func:`from_cell`, remembered for the import: the same text in the same column means
        the same value (a list comes back as a new list each time)."""
        key = (column, type(raw), raw)
        try:
            found = self.cells.get(key, _MISSING)
        except TypeError:  # an unhashable value: not remembered
            return from_cell(column, raw, refs)
        if found is _MISSING:
            try:
                found = from_cell(column, raw, refs)
            except CellError as exc:
                found = CellError(exc.message)  # without the traceback and its frames
            self.cells[key] = found
        if isinstance(found, CellError):
            raise CellError(found.message)
        return list(found) if isinstance(found, list) else found

    def pending_for(self, kind: str, record_id: str) -> Pending | None:
        """The planned change of an existing record (made on first use)."""
        key = (kind, record_id)
        if key not in self.pending:
            existing = self.registry.by_kind.get(kind, {}).get(record_id)
            if existing is None:
                return None
            self.pending[key] = Pending(
                kind, record_id, existing, existing.data, existing.path, existing.file, copied=False
            )
        return self.pending[key]

    def _plan_row(
        self,
        sheet: Sheet,
        row: Row,
        outcome: Outcome,
        refs: References,
        ids: dict[str, dict[str, list[tuple[str, int]]]],
    ) -> None:
        kind = sheet.ledger.kind
        values = self.read_cells(sheet, row, outcome, refs)
        id_number = id_column(sheet)
        record_id = values.get(sheet.columns[id_number]) if id_number else None
        if isinstance(record_id, str):
            others = [
                f"“{s}”第 {r} 行"
                for s, r in ids[kind].get(record_id, [])
                if (s, r) != (sheet.name, row.number)
            ]
            if others:
                self.problem(
                    outcome,
                    sheet,
                    id_number,
                    f"编号 {record_id} 在本次导入中重复（另见{'、'.join(others)}），这些行都不导入",
                )
        if outcome.status == REJECTED:
            held = self.pending_for(kind, record_id) if isinstance(record_id, str) else None
            if held is not None:  # the record's rows on other sheets wait for this one
                outcome.id, outcome.file = held.id, held.file
                held.outcomes.append(outcome)
            return
        pending = self.pending_for(kind, record_id) if isinstance(record_id, str) else None
        if pending is None:
            if not isinstance(record_id, str):
                record_id = self.ids.next(kind, _as_data(values))
                if record_id is None:
                    self.problem(
                        outcome,
                        sheet,
                        id_number,
                        f"新建{KIND_NAMES.get(kind, kind)}须填写编号（无法自动编号）",
                    )
                    return
            path = record_path(self.paths.registry, kind, record_id)
            if path.exists():
                self.problem(
                    outcome,
                    sheet,
                    id_number,
                    f"文件 {self.paths.relative(path)} 已存在但无法读取为记录，请先修复该文件",
                )
                return
            pending = Pending(kind, record_id, None, {}, path, self.paths.relative(path))
            self.pending[(kind, record_id)] = pending
            outcome.status = CREATED
        outcome.id, outcome.file = pending.id, pending.file
        pending.outcomes.append(outcome)
        for column, value in values.items():
            if column.path == ("id",):
                continue
            if self.change(pending, column.path, value):
                outcome.changed.append(column.header)
        if outcome.changed and outcome.status != CREATED:
            outcome.status = UPDATED

    def change(self, pending: Pending, path: tuple[str, ...], value: Any) -> bool:
        """Set (or, for ``None``, remove) the field at ``path``; whether that changes the record."""
        old = get_path(pending.base, path)
        if value is None:
            if _empty(old):
                return False
            _delete(pending.edit(), path)
            pending.changes.append((path, DELETE))
        elif value != old and not same_text(value, old):
            set_path(pending.edit(), path, value)
            pending.changes.append((path, value))
        else:
            return False
        return True

    def _render(self, pending: Pending) -> None:
        """The record's new text, read back by the registry's loader; a mismatch rejects its rows."""
        if pending.rejected() or (pending.existing is not None and not pending.changes):
            return
        record = self.record(pending.kind)
        if pending.existing is not None:
            text = pending.existing.path.read_text(encoding="utf-8")
            node = compose(text)
            if not isinstance(node, yaml.MappingNode):
                _reject_written(pending, "记录文件在导入期间被改动，未写入（请重新导入）")
                return
            pending.text = edit_text(text, node, record, pending.changes)
        else:
            pending.data = {"id": pending.id, **pending.data}
            pending.text = render_new(pending.kind, record, pending.data)
        parsed, root, problems = parse(pending.text, pending.file)
        if parsed != pending.data or root is None or problems:
            _reject_written(pending, "写成 YAML 后读回的内容与表格不一致，未写入（请报告此问题）")
            return
        pending.doc = Document(pending.kind, pending.file, str(pending.path), parsed, pending.text)

    def _share_refusal(self, pending: Pending) -> None:
        """A record is written whole or not at all: its other rows are rejected with it."""
        refused = [o for o in pending.outcomes if o.status == REJECTED]
        if not refused:
            return
        first = refused[0]
        _reject_written(
            pending, f"同一记录 {pending.id} 在工作表“{first.sheet}”第 {first.row} 行被拒绝，本行一并未写入"
        )


_MISSING = object()


def _reject_written(pending: Pending, reason: str) -> None:
    """Every row of ``pending`` that would have been written is rejected, with ``reason``."""
    for outcome in pending.outcomes:
        if outcome.status in (CREATED, UPDATED):
            outcome.status = REJECTED
            outcome.problems.append(Problem(outcome.sheet, outcome.row, "", "", reason))


def id_column(sheet: Sheet) -> int | None:
    return next((n for n, c in sheet.columns.items() if c.path == ("id",)), None)


def _as_data(values: dict[Column, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for column, value in values.items():
        if value is not None:
            set_path(data, column.path, value)
    return data


def plan_import(
    paths: Paths,
    sheets: list[Sheet],
    today: dt.date,
    registry: Registry | None = None,
    base: Registry | None = None,
    progress: Step = _quiet,
) -> Plan:
    """The outcome of importing ``sheets`` into the registry at ``paths`` (loaded unless given),
    judged as ``rectify check --base`` judges it against ``base`` (G-ratchet; none when ``None``)."""
    return Importer(paths, today, registry, base, progress).plan(sheets)


def write(plan: Plan, progress: Step = _quiet) -> None:
    """Each record file, atomically (each folder made once)."""
    writes = plan.writes()
    folders: set[Path] = set()
    for number, pending in enumerate(writes):
        if number % EVERY == 0:
            progress(f"正在写入第 {number + 1}/{len(writes)} 个文件", number == 0)
        folder = pending.path.parent
        if folder not in folders:
            folder.mkdir(parents=True, exist_ok=True)
            folders.add(folder)
        write_atomic(pending.path, pending.text, made=True)
