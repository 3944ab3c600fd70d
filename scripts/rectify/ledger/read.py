"""An .xlsx workbook → the ledger rows it holds. Each visible sheet is matched to a record kind by
its header row, which may sit below title rows (merged or not); cells merged across data rows
count for every row they cover; blank rows are skipped; columns nobody knows are reported."""

from __future__ import annotations

import contextlib
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl.reader.excel
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from rectify.ledger.attachments import SHEET as ATTACHMENT_SHEET
from rectify.ledger.cells import Unreadable, is_blank
from rectify.ledger.columns import Column, Ledger, normalize_header
from rectify.ledger.export import GUIDE_SHEET, OPTIONS_SHEET
from rectify.ledger.sheetsafe import unescape_xml
from rectify.ledger.untrusted import (
    EXIT_REFUSED,
    LIMITS,
    BoundedSheet,
    Budget,
    LedgerError,
    Limits,
    Stored,
    check_claim,
    check_rows,
    inspect_archive,
    read_string_table,
    stream_rows,
)

HEADER_SEARCH_ROWS = 30
MIN_MATCHES = 2


@dataclass(slots=True)
class Row:
    sheet: str
    number: int  # the row number Excel shows
    cells: dict[int, Any]  # column number (1-based) → raw value of the known columns


@dataclass(slots=True)
class Sheet:
    name: str
    ledger: Ledger
    header_row: int
    columns: dict[int, Column]  # column number → column
    rows: list[Row] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # `A 列“序号”`

    def where(self, number: int) -> str:
        column = self.columns.get(number)
        header = f"（{column.header}）" if column else ""
        return f"{get_column_letter(number)} 列{header}"


def _values(row: dict[int, Any]) -> list[Any]:
    """A header row's values (a formula or an error value is no header)."""
    return [value for value in row.values() if not isinstance(value, Stored)]


def _match(ledger: Ledger, values: list[Any]) -> int:
    known = ledger.by_header()
    return sum(1 for v in values if isinstance(v, str) and normalize_header(v) in known)


def _find_header(sheet: Any, ledgers: list[Ledger], budget: Budget) -> tuple[int, Ledger] | None:
    best: tuple[int, int, Ledger] | None = None
    preferred = {ledger.sheet: ledger for ledger in ledgers}.get(sheet.title.strip())
    for number, row in stream_rows(sheet, budget, last=HEADER_SEARCH_ROWS):
        values = _values(row)
        for ledger in [preferred] if preferred else ledgers:
            score = _match(ledger, values)
            if score >= MIN_MATCHES and (best is None or score > best[0]):
                best = (score, number, ledger)
    return (best[1], best[2]) if best else None


def read_workbook(
    path: Path, ledgers: list[Ledger], limits: Limits = LIMITS
) -> tuple[list[Sheet], list[str]]:
    """The ledger sheets of the workbook, and notices about sheets that were skipped. The archive
    is inspected before openpyxl opens it, and every bound of ``limits`` holds while reading."""
    if path.suffix.lower() == ".xls":
        raise LedgerError(f"{path.name} 是旧版 .xls 格式：请在 Excel 中“另存为” .xlsx 后再导入")
    inspect_archive(path, limits)
    with warnings.catch_warnings():
        # openpyxl's notes, in English, on what it leaves out (extensions, styles); a date cell out
        # of range becomes an error value, refused at its cell
        warnings.simplefilter("ignore")
        return _read(path, ledgers, limits)


# what openpyxl raises on a part that does not inflate to what its directory says (CRC), XML that
# does not parse, or references that lead nowhere (a shared string that is not there)
_DAMAGED = (
    zipfile.BadZipFile,
    KeyError,
    IndexError,
    AttributeError,
    ValueError,
    TypeError,
    SyntaxError,
    EOFError,
    OverflowError,
)


def _read(path: Path, ledgers: list[Ledger], limits: Limits) -> tuple[list[Sheet], list[str]]:
    try:
        with _bounded_sheets():
            book = load_workbook(path, data_only=False, read_only=True)
    except (InvalidFileException, OSError, *_DAMAGED):
        raise LedgerError(f"无法读取 {path.name}：不是有效的 .xlsx 文件（内容已损坏）") from None
    budget = Budget(limits)
    sheets: list[Sheet] = []
    notices: list[str] = []
    try:
        for sheet in book.worksheets:
            if sheet.sheet_state != "visible" or sheet.title in (
                GUIDE_SHEET,
                OPTIONS_SHEET,
                ATTACHMENT_SHEET,
            ):
                continue
            check_claim(sheet, limits)
            check_rows(sheet, limits)
            found = _find_header(sheet, ledgers, budget)
            if found is None:
                if sheet.max_row is None or sheet.max_row > 1 or (sheet.max_column or 0) > 1:
                    notices.append(f"工作表“{sheet.title}”：找不到台账表头，未导入")
                continue
            sheets.append(_read_sheet(sheet, *found, budget))
    except _DAMAGED:
        raise LedgerError(f"无法读取 {path.name}：工作表内容已损坏，请在 Excel 中打开后另存再导入") from None
    finally:
        book.close()
    if not sheets:
        raise LedgerError(f"{path.name} 中没有可识别的台账工作表（表头应为导出台账的中文列名）")
    return sheets, notices


@contextlib.contextmanager
def _bounded_sheets() -> Iterator[None]:
    """openpyxl makes :class:`BoundedSheet` read-only sheets, and reads the shared strings with
    :func:`read_string_table`, while the workbook opens."""
    reader: Any = openpyxl.reader.excel
    saved = reader.ReadOnlyWorksheet, reader.read_string_table
    reader.ReadOnlyWorksheet, reader.read_string_table = BoundedSheet, read_string_table
    try:
        yield
    finally:
        reader.ReadOnlyWorksheet, reader.read_string_table = saved


def _cell(value: Any) -> Any:
    """The value the importer sees: a formula or an error value is refused at its cell."""
    if isinstance(value, Stored):
        if value.kind == "e":
            return Unreadable(f"单元格是错误值 {value.text}：请改填正确的值")
        return Unreadable(
            f"单元格是公式 {value.text[:40]}：导入不计算公式，请改填数值或文本"
            "（复制后“选择性粘贴 → 值”）；以 = 开头的文本请设置单元格格式为“文本”后填写"
        )
    if isinstance(value, str):
        return unescape_xml(value)
    return value


def _read_sheet(sheet: Any, header_row: int, ledger: Ledger, budget: Budget) -> Sheet:
    known = ledger.by_header()
    result = Sheet(sheet.title, ledger, header_row, {})
    seen: dict[str, int] = {}
    merged: list[tuple[int, int, int, int]] = []
    grid: dict[int, dict[int, Any]] = {}
    header: dict[int, Any] = {}
    for number, row in stream_rows(sheet, budget, merged=merged):
        if number == header_row:
            header = row
        elif number > header_row:
            grid[number] = row
    for number in sorted(header):
        value = header[number]
        if isinstance(value, Stored) or is_blank(value):
            continue
        column = known.get(normalize_header(str(value)))
        letter = get_column_letter(number)
        if column is None:
            result.ignored.append(f"{letter} 列“{str(value).strip()}”")
            continue
        if column.key in seen:
            first = get_column_letter(seen[column.key])
            raise LedgerError(
                f"工作表“{sheet.title}”第 {header_row} 行：{first} 列和 {letter} 列都是“{column.header}”，请删去一列"
            )
        seen[column.key] = number
        result.columns[number] = column
    _spread_merged(sheet.title, grid, merged, header_row, set(result.columns), budget)
    for number in sorted(grid):
        cells = {n: _cell(grid[number][n]) for n in result.columns if n in grid[number]}
        if all(is_blank(v) for v in cells.values()):
            continue
        result.rows.append(Row(sheet.title, number, cells))
    return result


def _spread_merged(
    title: str,
    grid: dict[int, dict[int, Any]],
    merged: list[tuple[int, int, int, int]],
    header_row: int,
    known: set[int],
    budget: Budget,
) -> None:
    """A value merged across rows counts for every row it covers (only the ledger's columns, and
    only down to the last row holding a value: a range claiming a million rows costs nothing)."""
    last = max(grid, default=header_row)
    for min_col, min_row, max_col, max_row in merged:
        if min_row <= header_row or min_row > last:
            continue
        top = grid.get(min_row, {}).get(min_col)
        if top is None:
            continue
        columns = [c for c in known if min_col <= c <= max_col]
        for r in range(min_row, min(max_row, last) + 1):
            row = grid.setdefault(r, {})
            for c in columns:
                row[c] = top
            budget.cells += len(columns)
        if budget.cells > budget.limits.cells:
            raise LedgerError(
                f"工作表“{title}”的合并单元格展开后超过导入上限 {budget.limits.cells} 个单元格",
                EXIT_REFUSED,
            )
