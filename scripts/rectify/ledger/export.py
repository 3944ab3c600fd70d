"""Registry → an .xlsx ledger of one kind: a title row, Chinese headers (required ones in red),
a frozen header, date cells as dates, drop-down lists of the enum labels (kept on a hidden sheet),
and a sheet explaining every column from the schemas' descriptions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from rectify.fields import BOOLEAN, DATE, ENUM, INTEGER, NUMBER, TYPE_NAMES, Field, describe_refs
from rectify.ledger.cells import NO, YES, to_cell
from rectify.ledger.columns import Column, Ledger
from rectify.ledger.sheetsafe import set_value
from rectify.load import Document

OPTIONS_SHEET = "选项"
GUIDE_SHEET = "填写说明"
TITLE_ROW, HEADER_ROW, FIRST_ROW = 1, 2, 3
DATE_FORMAT = "yyyy-mm-dd"
MAX_ROWS = 1048576
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def get_path(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    node: Any = data
    for part in path:
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def build_workbook(ledger: Ledger, documents: Iterable[Document], title: str) -> Workbook:
    """The ledger workbook of ``documents`` (records of ``ledger.kind``, in the given order)."""
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.title = ledger.sheet
    columns = ledger.columns
    last = get_column_letter(len(columns))
    _put(sheet, TITLE_ROW, 1, title).font = Font(bold=True, size=14)
    sheet.merge_cells(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    for index, column in enumerate(columns, 1):
        cell = _put(sheet, HEADER_ROW, index, column.header)
        cell.font = Font(bold=True, color="C00000" if column.required else "000000")
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = _width(column)
    sheet.freeze_panes = f"B{FIRST_ROW}"
    row = FIRST_ROW
    for doc in documents:
        for index, column in enumerate(columns, 1):
            value = to_cell(column, get_path(doc.data, column.path))
            if value is None:
                continue
            data_cell = _put(sheet, row, index, value)
            if isinstance(value, dt.date):
                data_cell.number_format = DATE_FORMAT
            if isinstance(value, str) and "\n" in value:
                data_cell.alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    _validations(book, sheet, columns)
    _guide(book, ledger)
    return book


def _put(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Every cell goes through :func:`set_value`: text is a string cell, never a formula."""
    cell = sheet.cell(row, column)
    assert isinstance(cell, Cell)  # written before any merge
    set_value(cell, value)
    return cell


def _width(column: Column) -> float:
    if column.value.type == DATE:
        return 12
    if column.value.type in (BOOLEAN, INTEGER, NUMBER):
        return max(8, len(column.header) * 2 + 2)
    return min(40, max(12, len(column.header) * 2 + 4))


def _validations(book: Workbook, sheet: Worksheet, columns: tuple[Column, ...]) -> None:
    """Drop-downs: enum labels listed on the hidden options sheet, 是/否 for booleans."""
    options = book.create_sheet(OPTIONS_SHEET)
    options.sheet_state = "hidden"
    option_column = 0
    for index, column in enumerate(columns, 1):
        letter = get_column_letter(index)
        target = f"{letter}{FIRST_ROW}:{letter}{MAX_ROWS}"
        field = column.value
        if column.is_list:
            continue  # several values in one cell: a drop-down would refuse them
        if field.type == ENUM:
            option_column += 1
            option_letter = get_column_letter(option_column)
            _put(options, 1, option_column, column.header)
            labels = list(field.labels.values())
            for offset, label in enumerate(labels, 2):
                _put(options, offset, option_column, label)
            source = f"{quote_sheetname(OPTIONS_SHEET)}!${option_letter}$2:${option_letter}${len(labels) + 1}"
            rule = DataValidation(type="list", formula1=source, allow_blank=True)
        elif field.type == BOOLEAN:
            rule = DataValidation(type="list", formula1=f'"{YES},{NO}"', allow_blank=True)
        else:
            continue
        rule.error = f"请从下拉列表中选择{column.header}"
        rule.errorTitle = "取值无效"
        rule.prompt = field.description or column.header
        rule.promptTitle = column.header[:32]
        rule.add(target)
        sheet.add_data_validation(rule)


def column_notes(column: Column) -> tuple[str, str, str]:
    """(type, allowed values, how to fill) of a column, for the explanation sheet."""
    field: Field = column.value
    kind = TYPE_NAMES.get(field.type, field.type)
    allowed = ""
    how = ""
    if field.type == ENUM:
        allowed = "、".join(field.labels.values())
        how = "从下拉列表选择；也可填写代码（" + "、".join(field.labels) + "）"
    elif field.type == DATE:
        how = "日期单元格，或写成 2023-08-28、2023/8/28、2023年8月28日"
    elif field.type == BOOLEAN:
        allowed = f"{YES}、{NO}"
    elif field.refs:
        how = f"填写{describe_refs(field.refs)}的编号，或其名称（名称须唯一）"
    if column.is_list:
        kind = f"{kind}（可多个）"
        sep = "换行" if field.type == "text" and not field.refs else "换行、逗号或顿号"
        how = f"多个值用{sep}分隔" + (f"；{how}" if how else "")
    return kind, allowed, how


def _guide(book: Workbook, ledger: Ledger) -> None:
    guide = book.create_sheet(GUIDE_SHEET)
    notes = [
        f"{ledger.sheet}填写说明",
        "1. 每行一条记录。编号留空的行在导入时新建记录并自动编号；编号已存在的行更新该记录。",
        "2. 红色表头为必填列。删除某列表示导入时不改动该字段；保留某列而清空单元格表示删除该字段的值。",
        "3. 导入时逐行检查，有问题的行整行不写入，并指出工作表、行号、列和原因；其余行照常导入。",
        "4. 导入不计算公式：公式单元格所在的行被拒绝，请填写数值或文本。以 = 开头的文字请先输入单引号（'=…）。",
    ]
    if ledger.left_out:
        names = "、".join(f.title for f in ledger.left_out)
        notes.append(f"5. 以下内容不在台账中，请在 YAML 文件或网页表单中编辑，导入不会改动它们：{names}。")
    for row, text in enumerate(notes, 1):
        _put(guide, row, 1, text).font = Font(bold=row == 1, size=13 if row == 1 else 11)
    header = ["列", "表头", "字段", "必填", "类型", "可选值", "填写方法", "说明"]
    start = len(notes) + 2
    for index, text in enumerate(header, 1):
        cell = _put(guide, start, index, text)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    for offset, column in enumerate(ledger.columns, 1):
        kind, allowed, how = column_notes(column)
        description = column.field.description
        if column.field.private:
            description += "（不在公开站点显示）"
        values = [
            get_column_letter(offset),
            column.header,
            column.key,
            "是" if column.required else "",
            kind,
            allowed,
            how,
            description,
        ]
        for index, value in enumerate(values, 1):
            _put(guide, start + offset, index, value).alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEFGH", (5, 18, 28, 6, 12, 30, 36, 50), strict=True):
        guide.column_dimensions[letter].width = width
    guide.freeze_panes = f"A{start + 1}"
