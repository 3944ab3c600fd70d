"""Rows of the detail sheets (整改进展、延期、移交: one per entry of a history list; 验收: one per
record) merged into the records they name.

History lists are append-only, as G-ratchet holds them: a row without an entry number appends an
entry; a row with one must match the entry already registered, except for the fields G-ratchet lets
an existing entry gain (an extension's approval, from :data:`rectify.rules.git.HISTORY_LISTS`).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from rectify.fields import KIND_NAMES
from rectify.ledger.cells import same_text
from rectify.ledger.columns import ENTRY_KEY, Column
from rectify.ledger.export import get_path, may_gain
from rectify.ledger.outcomes import CREATED, REJECTED, UPDATED, Outcome, Pending
from rectify.ledger.read import Sheet
from rectify.ledger.refs import References
from rectify.ledger.yamlio import Append

if TYPE_CHECKING:
    from rectify.ledger.importer import Importer


def plan_detail_rows(importer: Importer, sheet: Sheet, refs: References) -> list[Outcome]:
    detail = sheet.ledger.detail
    assert detail is not None
    kind, name, label = sheet.ledger.kind, detail.name, sheet.ledger.sheet
    id_number = next((n for n, c in sheet.columns.items() if c.path == ("id",)), None)
    entry_number = next((n for n, c in sheet.columns.items() if c.path == (ENTRY_KEY,)), None)
    seen: dict[tuple[str, int | None], int] = {}
    outcomes: list[Outcome] = []
    appended: dict[str, int] = defaultdict(int)
    for row in sheet.rows:
        outcome = Outcome(sheet.name, row.number, kind)
        outcomes.append(outcome)
        values = importer.read_cells(sheet, row, outcome, refs)
        record_id = values.get(sheet.columns[id_number]) if id_number else None
        if not isinstance(record_id, str):
            importer.problem(outcome, sheet, id_number, _no_id(sheet, kind, id_number))
            continue
        pending = importer.pending_for(kind, record_id)
        if pending is None:
            importer.problem(
                outcome,
                sheet,
                id_number,
                f"找不到{KIND_NAMES.get(kind, kind)} {record_id}：“{label}”的每行须填写已登记的编号",
            )
            continue
        outcome.id, outcome.file = pending.id, pending.file
        pending.outcomes.append(outcome)
        number = values.get(sheet.columns[entry_number]) if entry_number else None
        key = (record_id, number if sheet.ledger.is_list else None)
        if number is not None or not sheet.ledger.is_list:
            if key in seen:
                where = entry_number if sheet.ledger.is_list else id_number
                what = f"第 {number} 条{label}" if sheet.ledger.is_list else f"{record_id} 的{label}"
                importer.problem(outcome, sheet, where, f"{what}在本工作表中重复（另见第 {seen[key]} 行）")
            seen[key] = row.number
        if outcome.status == REJECTED:
            continue
        fields = {c: v for c, v in values.items() if c.path not in (("id",), (ENTRY_KEY,))}
        if not sheet.ledger.is_list:
            _single(importer, pending, name, fields, outcome)
        elif number is None:
            entries = _entries(pending.base, name)
            index = len(entries) + appended[record_id]
            appended[record_id] += 1
            entry = _entry(fields)
            pending.edit().setdefault(name, [])
            if not isinstance(pending.data[name], list):
                importer.problem(outcome, sheet, None, f"记录中的{label}不是列表，请先修复该文件")
                continue
            pending.data[name].append(entry)
            pending.changes.append(((name,), Append(entry)))
            outcome.status, outcome.detail = CREATED, (name, index)
            outcome.entry = f"{label}第 {index + 1} 条"
            outcome.changed = [c.header for c, v in fields.items() if v is not None]
        else:
            _existing(importer, sheet, pending, name, label, int(number), fields, outcome)
        if outcome.status == UPDATED and not outcome.entry:
            outcome.entry = label
    return outcomes


def _no_id(sheet: Sheet, kind: str, id_number: int | None) -> str:
    if id_number is None:
        return f"工作表“{sheet.name}”没有“编号”列：每行须填写所属{KIND_NAMES.get(kind, kind)}的编号"
    return f"未填写：请填写所属{KIND_NAMES.get(kind, kind)}的编号"


def _entries(data: dict[str, Any], name: str) -> list[Any]:
    value = data.get(name)
    return value if isinstance(value, list) else []


def _entry(fields: dict[Column, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    for column, value in fields.items():
        if value is None:
            continue
        node = entry
        for part in column.path[:-1]:
            node = node.setdefault(part, {})
        node[column.path[-1]] = value
    return entry


def _same(value: Any, old: Any) -> bool:
    return value == old or same_text(value, old) or (value is None and old in (None, "", []))


def _existing(
    importer: Importer,
    sheet: Sheet,
    pending: Pending,
    name: str,
    label: str,
    number: int,
    fields: dict[Column, Any],
    outcome: Outcome,
) -> None:
    """A row naming an entry already registered: unchanged, or gaining what G-ratchet allows."""
    entries = _entries(pending.base, name)
    entry_number = next(n for n, c in sheet.columns.items() if c.path == (ENTRY_KEY,))
    if number > len(entries) or not isinstance(entries[number - 1], dict):
        importer.problem(
            outcome,
            sheet,
            entry_number,
            f"{pending.id} 没有第 {number} 条{label}（已登记 {len(entries)} 条）：新增的行请把“条目序号”留空",
        )
        return
    old = entries[number - 1]
    gains = may_gain(pending.kind, name)
    changed: list[tuple[int, Column, Any]] = []
    for column_number, column in sheet.columns.items():
        if column not in fields:
            continue
        value, before = fields[column], get_path(old, column.path)
        if not _same(value, before):
            changed.append((column_number, column, value))
    if not changed:
        outcome.detail = (name, number - 1)
        return
    refused = [
        c for c in changed if not (c[1].path[-1] in gains and before_blank(old, c[1]) and c[2] is not None)
    ]
    if refused:
        headers = "、".join(c[1].header for c in refused)
        importer.problem(
            outcome,
            sheet,
            refused[0][0],
            f"第 {number} 条{label}已登记，不得修改（只可追加）：本行改动了{headers}。"
            f"更正请另起一行、“条目序号”留空，追加一条说明更正的新记录",
        )
        return
    for _, column, value in changed:
        pending.edit()[name][number - 1][column.path[-1]] = value
        pending.changes.append(((name, number - 1, *column.path), value))
    outcome.status, outcome.detail = UPDATED, (name, number - 1)
    outcome.entry = f"{label}第 {number} 条"
    outcome.changed = [c[1].header for c in changed]


def before_blank(old: dict[str, Any], column: Column) -> bool:
    return get_path(old, column.path) in (None, "")


def _single(
    importer: Importer, pending: Pending, name: str, fields: dict[Column, Any], outcome: Outcome
) -> None:
    """验收: one mapping per record; its fields set or cleared as the main sheet's are."""
    outcome.detail = (name, None)
    for column, value in fields.items():
        if importer.change(pending, (name, *column.path), value):
            outcome.changed.append(column.header)
    if outcome.changed:
        outcome.status = UPDATED
