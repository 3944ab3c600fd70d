"""An .xlsx workbook → the ledger rows it holds. Each visible sheet is matched to a record kind by
its header row, which may sit below title rows (merged or not); cells merged across data rows
count for every row they cover; blank rows are skipped; columns nobody knows are reported."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.utils.exceptions import InvalidFileException

from rectify.ledger.cells import is_blank
from rectify.ledger.columns import Column, Ledger, normalize_header
from rectify.ledger.export import GUIDE_SHEET, OPTIONS_SHEET

HEADER_SEARCH_ROWS = 30
MIN_MATCHES = 2


class LedgerError(Exception):
    """The workbook cannot be used at all (a usage problem, exit code 2); message in Chinese."""


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


def _match(ledger: Ledger, values: tuple[Any, ...]) -> int:
    known = ledger.by_header()
    return sum(1 for v in values if isinstance(v, str) and normalize_header(v) in known)


def _find_header(sheet: Any, ledgers: list[Ledger]) -> tuple[int, Ledger] | None:
    best: tuple[int, int, Ledger] | None = None
    preferred = {ledger.sheet: ledger for ledger in ledgers}.get(sheet.title.strip())
    for number, values in enumerate(
        sheet.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS, values_only=True), 1
    ):
        for ledger in [preferred] if preferred else ledgers:
            score = _match(ledger, values)
            if score >= MIN_MATCHES and (best is None or score > best[0]):
                best = (score, number, ledger)
    return (best[1], best[2]) if best else None


def read_workbook(path: Path, ledgers: list[Ledger]) -> tuple[list[Sheet], list[str]]:
    """The ledger sheets of the workbook, and notices about sheets that were skipped."""
    if path.suffix.lower() == ".xls":
        raise LedgerError(f"{path.name} 是旧版 .xls 格式：请在 Excel 中“另存为” .xlsx 后再导入")
    try:
        book = load_workbook(path, data_only=True, read_only=True)
    except FileNotFoundError:
        raise LedgerError(f"文件不存在：{path}") from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise LedgerError(f"无法读取 {path.name}：不是有效的 .xlsx 文件（{exc}）") from None
    sheets: list[Sheet] = []
    notices: list[str] = []
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible" or sheet.title in (GUIDE_SHEET, OPTIONS_SHEET):
            continue
        found = _find_header(sheet, ledgers)
        if found is None:
            if sheet.max_row > 1 or sheet.max_column > 1:
                notices.append(f"工作表“{sheet.title}”：找不到台账表头，未导入")
            continue
        sheets.append(_read_sheet(sheet, *found))
    book.close()
    if not sheets:
        raise LedgerError(f"{path.name} 中没有可识别的台账工作表（表头应为导出台账的中文列名）")
    return sheets, notices


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')


def _merged_ranges(sheet: Any) -> list[tuple[int, int, int, int]]:
    """Merged ranges (min_col, min_row, max_col, max_row). The streaming reader, used because it is
    several times faster on large ledgers, does not parse them: read them from the sheet's XML."""
    source = sheet._get_source()  # the sheet's XML part in the .xlsx archive
    try:
        found = _MERGE.findall(source.read())
    finally:
        source.close()
    out = []
    for ref in found:
        bounds = range_boundaries(ref.decode("ascii"))
        out.append((int(bounds[0] or 1), int(bounds[1] or 1), int(bounds[2] or 1), int(bounds[3] or 1)))
    return out


def _read_sheet(sheet: Any, header_row: int, ledger: Ledger) -> Sheet:
    known = ledger.by_header()
    result = Sheet(sheet.title, ledger, header_row, {})
    seen: dict[str, int] = {}
    header_values = next(sheet.iter_rows(min_row=header_row, max_row=header_row, values_only=True))
    for number, value in enumerate(header_values, 1):
        if is_blank(value):
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
    grid = [list(values) for values in sheet.iter_rows(min_row=header_row + 1, values_only=True)]
    for min_col, min_row, max_col, max_row in _merged_ranges(sheet):
        if min_row <= header_row or min_row - header_row > len(grid):
            continue
        top = grid[min_row - header_row - 1]
        value = top[min_col - 1] if min_col <= len(top) else None
        for r in range(min_row, min(max_row, header_row + len(grid)) + 1):
            spanned = grid[r - header_row - 1]
            spanned.extend([None] * (max_col - len(spanned)))
            for c in range(min_col, max_col + 1):
                spanned[c - 1] = value
    for offset, values in enumerate(grid, header_row + 1):
        cells = {n: values[n - 1] for n in result.columns if n - 1 < len(values)}
        if all(is_blank(v) for v in cells.values()):
            continue
        result.rows.append(Row(sheet.title, offset, cells))
    return result
