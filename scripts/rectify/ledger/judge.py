"""The import judged as CI judges it: the real schema stage and every rule (with G-ratchet against
the base) on the registry as it would be, and each finding placed at the sheet, row and column it
comes from, with the line ``rectify check`` prints for it."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING

from openpyxl.utils import get_column_letter

from rectify import report
from rectify.diagnostics import Diagnostic, Severity
from rectify.ledger.columns import Column
from rectify.ledger.outcomes import REJECTED, Outcome, Pending, Problem
from rectify.model import Registry, positions_later
from rectify.rules import Context, run_all

if TYPE_CHECKING:
    from rectify.ledger.importer import Importer


def check_batch(importer: Importer, pending: list[Pending]) -> None:
    """Schema and rules on the registry as it would be; reject the rows of records with an
    error, again until no rejection breaks another record."""
    schema_errors: dict[str, list[Diagnostic]] = {}
    for record in pending:
        assert record.doc is not None
        errors = importer.schemas.validate(record.doc)
        if errors:
            schema_errors[record.file] = errors
    active = {p.file: p for p in pending}
    for file, errors in schema_errors.items():
        _reject_located(importer, active.pop(file), errors)
    while active:
        importer.progress(f"正在按全部规则检查登记册（其中 {len(active)} 条记录将写入）……", True)
        replaced = {file: p.doc for file, p in active.items() if p.doc is not None}
        docs = [replaced.pop(d.file, d) for d in importer.registry.documents if d.file not in schema_errors]
        docs.extend(replaced.values())
        invalid = importer.registry.invalid - set(active)
        registry = Registry.build(docs, importer.schemas, invalid, importer.registry.companions)
        registry.evidence = importer.registry.evidence  # the attachments' facts, as `rectify check` has them
        by_file: dict[str, list[Diagnostic]] = defaultdict(list)
        notes: dict[str, list[Diagnostic]] = defaultdict(list)
        with positions_later() as locate:  # only the findings on the records written are placed
            found = run_all(registry, Context(today=importer.today, base=importer.base))
        for diagnostic in locate([d for d in found if d.file in active]):
            (by_file if diagnostic.severity is Severity.ERROR else notes)[diagnostic.file].append(diagnostic)
        if not by_file:
            for file, found in notes.items():  # what CI also says, without blocking
                for outcome, problem in _located(importer, active[file], found):
                    outcome.notes.append(problem)
            return
        for file, errors in by_file.items():
            _reject_located(importer, active.pop(file), errors)
        schema_errors.update(by_file)  # rejected: their files stay as they are


def _reject_located(importer: Importer, pending: Pending, diagnostics: list[Diagnostic]) -> None:
    for outcome, problem in _located(importer, pending, diagnostics):
        outcome.status = REJECTED
        outcome.problems.append(problem)


def _located(
    importer: Importer, pending: Pending, diagnostics: list[Diagnostic]
) -> list[tuple[Outcome, Problem]]:
    """Each finding of the check stage at the row and column of the field it names, in CI's
    words (the line ``rectify check`` prints for it follows, as ``ci``)."""
    out = []
    for d in sorted(diagnostics, key=lambda d: d.sort_key()):
        outcome, number = _row_for(d.path, pending.outcomes, importer.sheet_columns, importer.column_memo)
        column = importer.sheet_columns.get(outcome.sheet, {}).get(number) if number else None
        problem = Problem(
            outcome.sheet,
            outcome.row,
            get_column_letter(number) if number else "",
            column.header if column else "",
            f"{d.message}（{d.rule}）",
            "" if d.severity is Severity.ERROR else d.severity.label,
            report.text([d]),
        )
        out.append((outcome, problem))
    return out


_Memo = dict[tuple[str, str], int | None]
_TOP = re.compile(r"([^.\[]+)(?:\[(\d+)\])?\.?(.*)")


def _row_for(
    path: str, outcomes: list[Outcome], sheets: dict[str, dict[int, Column]], memo: _Memo
) -> tuple[Outcome, int | None]:
    """The row a finding on ``path`` belongs to: the detail row of the entry it names, else the
    main sheet's row, else the record's first row; and the column there."""

    def column(sheet: str, inner: str) -> int | None:
        key = (sheet, inner)  # the same findings repeat on every record: each found once
        if key not in memo:
            memo[key] = _column_for(inner, sheets.get(sheet, {}))
        return memo[key]

    match = _TOP.fullmatch(path)
    if match:
        name, index, rest = match.group(1), match.group(2), match.group(3)
        for outcome in outcomes:
            if outcome.detail is None or outcome.detail[0] != name:
                continue
            if outcome.detail[1] is None:  # a single sub-record (验收): the rest of the path
                inner = path[len(name) + 1 :]
                return outcome, column(outcome.sheet, inner) if inner else None
            if index is not None and int(index) == outcome.detail[1]:
                return outcome, column(outcome.sheet, rest) if rest else None
    main = next((o for o in outcomes if o.detail is None), None)
    if main is not None:
        return main, column(main.sheet, path)
    return outcomes[0], None


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
