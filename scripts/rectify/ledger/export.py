"""Registry → an .xlsx ledger of one kind: a title row, Chinese headers (required ones in red),
a frozen header, date cells as dates, drop-down lists of the enum labels (kept on a hidden sheet),
and a sheet explaining every column from the schemas' descriptions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from rectify.fields import BOOLEAN, DATE, ENUM, INTEGER, NUMBER, TYPE_NAMES, Field, describe_refs
from rectify.ledger.cells import NO, YES, to_cell
from rectify.ledger.columns import ENTRY_KEY, Column, Ledger
from rectify.ledger.refs import LABELLED_KINDS, Names
from rectify.ledger.sheetsafe import set_value
from rectify.model import Document
from rectify.rules.git import HISTORY_LISTS

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


def build_workbook(
    ledger: Ledger,
    documents: Iterable[Document],
    title: str,
    names: Names | None = None,
    details: Sequence[Ledger] = (),
    extra: Callable[[Workbook, list[Document]], list[str]] | None = None,
) -> Workbook:
    """The ledger workbook of ``documents`` (records of ``ledger.kind``, in the given order): the
    main sheet, then one sheet per detail ledger (a row per entry, keyed by the record's id).
    ``extra`` adds further sheets (附件) and returns lines for the guide."""
    documents = list(documents)
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    options = _Options(book, names)
    rows = ([get_path(doc.data, c.path) for c in ledger.columns] for doc in documents)
    _fill(sheet, ledger, title, rows, names, options)
    for detail in details:
        _fill(
            book.create_sheet(detail.sheet),
            detail,
            f"{title}·{detail.sheet}",
            _entries(detail, documents),
            names,
            options,
        )
    notes = extra(book, documents) if extra is not None else []
    _guide(book, ledger, details, notes)
    book.move_sheet(OPTIONS_SHEET, len(book.sheetnames))
    return book


def _entries(detail: Ledger, documents: list[Document]) -> Iterator[list[Any]]:
    """A detail sheet's rows: the record's id, the entry's number, the entry's fields."""
    assert detail.detail is not None
    for doc in documents:
        value = doc.data.get(detail.detail.name)
        entries = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
        for number, entry in enumerate(entries, 1):
            if not isinstance(entry, dict):
                continue
            row: list[Any] = []
            for column in detail.columns:
                if column.path == ("id",):
                    row.append(doc.id)
                elif column.path == (ENTRY_KEY,):
                    row.append(number)
                else:
                    row.append(get_path(entry, column.path))
            yield row


def _fill(
    sheet: Worksheet,
    ledger: Ledger,
    title: str,
    rows: Iterable[list[Any]],
    names: Names | None,
    options: _Options,
) -> None:
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
    for row, values in enumerate(rows, FIRST_ROW):
        for index, (column, raw) in enumerate(zip(columns, values, strict=True), 1):
            value = to_cell(column, raw, names)
            if value is None:
                continue
            data_cell = _put(sheet, row, index, value)
            if isinstance(value, dt.date):
                data_cell.number_format = DATE_FORMAT
            if isinstance(value, str) and "\n" in value:
                data_cell.alignment = Alignment(wrap_text=True, vertical="top")
    _validations(sheet, columns, options)


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


class _Options:
    """The hidden options sheet: one column per list of choices (enum labels, registered names),
    written once however many columns use it; drop-downs point at its ranges (Excel keeps an
    inline list to 255 characters, a range has no such limit)."""

    def __init__(self, book: Workbook, names: Names | None) -> None:
        self.sheet = book.create_sheet(OPTIONS_SHEET)
        self.sheet.sheet_state = "hidden"
        self.names = names
        self.ranges: dict[tuple[str, ...], str | None] = {}

    def source(self, key: tuple[str, ...], header: str, values: Callable[[], list[str]]) -> str | None:
        if key not in self.ranges:
            items = values()
            if not items:
                self.ranges[key] = None
                return None
            number = len(self.ranges) + 1
            letter = get_column_letter(number)
            _put(self.sheet, 1, number, header)
            for offset, item in enumerate(items, 2):
                _put(self.sheet, offset, number, item)
            self.ranges[key] = f"{quote_sheetname(OPTIONS_SHEET)}!${letter}$2:${letter}${len(items) + 1}"
        return self.ranges[key]


def _validations(sheet: Worksheet, columns: tuple[Column, ...], options: _Options) -> None:
    """Drop-downs: enum labels and registered names listed on the hidden options sheet, 是/否 for
    booleans. None refuses what it does not list: a code, an id or a name typed in is read too."""
    for index, column in enumerate(columns, 1):
        letter = get_column_letter(index)
        target = f"{letter}{FIRST_ROW}:{letter}{MAX_ROWS}"
        field = column.value
        if column.is_list:
            continue  # several values in one cell: a drop-down would refuse them
        names = options.names
        if field.type == ENUM:
            labels = list(field.labels.values())
            source = options.source(("enum", *field.labels), column.header, partial(list, labels))
            rule = DataValidation(type="list", formula1=source, allow_blank=True)
        elif field.type == BOOLEAN:
            rule = DataValidation(type="list", formula1=f'"{YES},{NO}"', allow_blank=True)
        elif names is not None and any(k in LABELLED_KINDS for k in field.refs):
            refs = field.refs
            source = options.source(("refs", *refs), describe_refs(refs), partial(names.choices, refs))
            rule = DataValidation(type="list", formula1=source, allow_blank=True)
        else:
            continue
        if rule.formula1 is None:
            continue
        rule.error = f"请从下拉列表中选择{column.header}"
        rule.errorTitle = "取值无效"
        rule.prompt = (field.description or column.header)[:255]
        rule.promptTitle = column.header[:32]
        rule.add(target)
        sheet.add_data_validation(rule)


def may_gain(kind: str, name: str) -> tuple[str, ...]:
    """The fields an existing entry of a history list may still gain (G-ratchet's own table)."""
    return next((gain for k, n, _, gain in HISTORY_LISTS if (k, n) == (kind, name)), ())


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
    elif field.refs and any(k in LABELLED_KINDS for k in field.refs):
        how = (
            f"从下拉列表选择{describe_refs(field.refs)}（人员显示为“姓名（单位）”），也可填写编号或名称；"
            "名称对应多条记录时请改填编号"
        )
    elif field.refs:
        how = f"填写{describe_refs(field.refs)}的编号，或其名称（名称须唯一）"
    elif field.path == (ENTRY_KEY,):
        how = "导出时已填写；新增的行留空"
    if column.is_list:
        kind = f"{kind}（可多个）"
        sep = "换行" if field.type == "text" and not field.refs else "换行、逗号或顿号"
        how = f"多个值用{sep}分隔" + (f"；{how}" if how else "")
    return kind, allowed, how


def _guide(book: Workbook, ledger: Ledger, details: Sequence[Ledger], extra: list[str]) -> None:
    guide = book.create_sheet(GUIDE_SHEET)
    id_header = next((c.header for c in ledger.columns if c.path == ("id",)), "编号")
    notes = [
        f"{ledger.sheet}填写说明",
        f"1. 每行一条记录。新增记录的行，{id_header}留空：导入时新建记录并自动编号；{id_header}已存在的行更新该记录。",
        "2. 红色表头为必填列。删除某列表示导入时不改动该字段；保留某列而清空单元格表示删除该字段的值。",
        "3. 导入前按 CI 的检查（rectify check --base HEAD）逐行检查，有问题的行整行不写入，并指出工作表、行号、列和原因；"
        "同一记录在各工作表中的行一起写入或一起不写入；其余记录照常导入。",
        "4. 导入不计算公式：公式单元格所在的行被拒绝，请填写数值或文本。以 = 开头的文字请先输入单引号（'=…）。",
        "5. 引用人员、机构、企业的列显示名称（人员为“姓名（单位）”），可从下拉列表选择，也可填写编号；"
        "名称对应多条记录时导入会列出这些记录，请改填编号。",
    ]
    for detail in details:
        assert detail.detail is not None
        if detail.is_list:
            gains = [
                c.header for c in detail.columns if c.path[-1] in may_gain(detail.kind, detail.detail.name)
            ]
            gain = f"（只可补填原先空着的{'、'.join(gains)}）" if gains else ""
            notes.append(
                f"{len(notes)}. 工作表“{detail.sheet}”：每行一条，按{id_header}对应记录；只可追加——新增的行"
                f"“条目序号”留空，导入时追加在该记录已有各条之后；已有的条目（有条目序号）不得修改{gain}，"
                "修改的行被拒绝；删去已有条目的行不会删除该条。"
            )
        else:
            notes.append(f"{len(notes)}. 工作表“{detail.sheet}”：每个{id_header}一行。")
    first = len(notes)
    notes.extend(f"{first + i}. {text}" for i, text in enumerate(extra))
    if ledger.left_out:
        names = "、".join(f.title for f in ledger.left_out)
        notes.append(
            f"{len(notes)}. 以下内容不在台账中，请在 YAML 文件或网页表单中编辑，导入不会改动它们：{names}。"
        )
    for row, text in enumerate(notes, 1):
        _put(guide, row, 1, text).font = Font(bold=row == 1, size=13 if row == 1 else 11)
    header = ["工作表", "列", "表头", "字段", "必填", "类型", "可选值", "填写方法", "说明"]
    start = len(notes) + 2
    for index, text in enumerate(header, 1):
        cell = _put(guide, start, index, text)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    row = start
    for sheet in (ledger, *details):
        prefix = f"{sheet.detail.name}[]." if sheet.detail is not None and sheet.is_list else ""
        if sheet.detail is not None and not sheet.is_list:
            prefix = f"{sheet.detail.name}."
        for offset, column in enumerate(sheet.columns, 1):
            row += 1
            kind, allowed, how = column_notes(column)
            description = column.field.description
            if column.field.private:
                description += "（不在公开站点显示）"
            key = column.key if column.path in (("id",), (ENTRY_KEY,)) else prefix + column.key
            values = [sheet.sheet, get_column_letter(offset), column.header, "" if column.path == (ENTRY_KEY,) else key,
                      "是" if column.required else "", kind, allowed, how, description]  # fmt: skip
            for index, value in enumerate(values, 1):
                _put(guide, row, index, value).alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEFGHI", (10, 5, 18, 28, 6, 12, 30, 36, 50), strict=True):
        guide.column_dimensions[letter].width = width
    guide.freeze_panes = f"A{start + 1}"
