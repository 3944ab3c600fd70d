"""A workbook is untrusted input. Before openpyxl opens it, the archive's directory is inspected:
every part's uncompressed size and compression ratio, and their total, stay within bounds (Python's
:mod:`zipfile` never inflates a part past the size its directory declares, so the declared sizes
bound what reading can produce). While reading, a sheet's claimed size, its row and column numbers
and the number of cells read are bounded too: a workbook past any bound is refused at once, with
the place and the bound named, in bounded time and memory."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import FORMULA_TAG, INLINE_STRING, WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

EXIT_REFUSED, EXIT_UNREADABLE = 1, 2
MIB = 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx and old .xls are OLE files
# parts openpyxl reads whole into memory (shared strings, styles, the workbook, relations …)
STREAMED_PREFIX = "xl/worksheets/"


class LedgerError(Exception):
    """The workbook cannot be imported at all; the message says why, in Chinese. ``code`` is the
    exit code: 2 for a file that is not a readable .xlsx, 1 for one refused as past a bound."""

    def __init__(self, message: str, code: int = EXIT_UNREADABLE) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class Limits:
    """What an import accepts. A ledger of 100,000 records with a few dozen columns fits."""

    rows: int = 120_000  # the last row number of a sheet
    columns: int = 1_000  # the last column number (ALL)
    cells: int = 5_000_000  # non-empty cells read, all sheets together
    parts: int = 2_000  # parts (files) in the archive
    sheet_bytes: int = 512 * MIB  # one worksheet part, uncompressed (read as a stream)
    part_bytes: int = 128 * MIB  # any other part, uncompressed (read whole)
    total_bytes: int = 1024 * MIB  # all parts, uncompressed
    ratio: int = 200  # uncompressed : compressed, for parts over 1 MiB (a zip bomb is ~1000)


LIMITS = Limits()


def _size(n: int) -> str:
    return f"{n / MIB:.0f} MB" if n >= MIB else f"{n} 字节"


def _refuse(name: str, text: str) -> LedgerError:
    return LedgerError(f"{name} {text}：拒绝导入（文件可能已损坏或被恶意构造）", EXIT_REFUSED)


def inspect_archive(path: Path, limits: Limits = LIMITS) -> None:
    """Refuse a file that is not a zip archive, or whose parts would inflate past the bounds."""
    name = path.name
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except FileNotFoundError:
        raise LedgerError(f"文件不存在：{path}") from None
    except OSError as exc:
        raise LedgerError(f"无法读取 {name}：{exc.strerror}") from None
    if head == OLE_MAGIC:
        raise LedgerError(
            f"无法读取 {name}：文件设置了打开密码（已加密），或是旧版 .xls 格式。"
            "请在 Excel 中取消密码（文件 → 信息 → 保护工作簿）或“另存为” .xlsx 后再导入"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise LedgerError(f"无法读取 {name}：不是有效的 .xlsx 文件（不是 zip 格式或已损坏）") from None
    if len(infos) > limits.parts:
        raise _refuse(name, f"包含 {len(infos)} 个部件，超过上限 {limits.parts}")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise LedgerError(f"无法读取 {name}：部件 {info.filename} 已加密，请取消密码后另存为 .xlsx")
        size = info.file_size
        total += size
        bound = limits.sheet_bytes if info.filename.startswith(STREAMED_PREFIX) else limits.part_bytes
        if size > bound:
            raise _refuse(name, f"的部件 {info.filename} 解压后 {_size(size)}，超过上限 {_size(bound)}")
        if size > MIB and size > limits.ratio * max(info.compress_size, 1):
            ratio = size // max(info.compress_size, 1)
            raise _refuse(
                name, f"的部件 {info.filename} 压缩比 {ratio}:1，超过上限 {limits.ratio}:1（疑似压缩炸弹）"
            )
    if total > limits.total_bytes:
        raise _refuse(name, f"解压后共 {_size(total)}，超过上限 {_size(limits.total_bytes)}")


HEAD_BYTES = 64 * 1024  # <dimension> comes second in a sheet, after the small <sheetPr>
_DIMENSION = re.compile(
    rb'<(?:[\w.-]+:)?dimension\s+ref="([A-Za-z]{1,3}[0-9]{1,7}(?::[A-Za-z]{1,3}[0-9]{1,7})?)"'
)
_ROW = re.compile(rb"row(?=[\s>])([^<>]*)>")  # found by its literal name (fast); the tag checked after
_ROW_NUMBER = re.compile(rb'\br\s*=\s*"([0-9]+)"')


class BoundedSheet(ReadOnlyWorksheet):
    """openpyxl's read-only sheet, except that its size comes from the ``<dimension>`` near the
    start of the part: openpyxl parses a sheet without one to its end just to learn that."""

    def _get_size(self) -> None:
        with self._get_source() as source:  # type: ignore[attr-defined]
            head = source.read(HEAD_BYTES)
        found = _DIMENSION.search(head)
        if found:
            min_col, min_row, max_col, max_row = range_boundaries(found.group(1).decode("ascii").upper())
            self._min_column: int = int(min_col or 1)
            self._min_row: int = int(min_row or 1)
            self._max_column: int = int(max_col or 1)
            self._max_row: int = int(max_row or 1)


def last_row(sheet: Any) -> int:
    """The highest row number a sheet's rows reach (an upper bound: rows without a number count
    from the highest numbered one), by a byte scan far cheaper than parsing."""
    highest = implicit = 0
    carry = b""
    with sheet._get_source() as source:
        while True:
            chunk = source.read(MIB)
            buffer = carry + chunk
            cut = buffer.rfind(b"<") if chunk else len(buffer)
            cut = len(buffer) if cut <= 0 else cut
            for match in _ROW.finditer(buffer, 0, cut):
                if not _opens_row(buffer, match.start()):
                    continue
                attributes = match.group(1)
                if attributes.endswith(b"/"):
                    continue  # an empty row (a height, a format): no cells
                number = _ROW_NUMBER.search(attributes)
                if number:
                    highest = max(highest, int(number.group(1)[:9]))
                else:
                    implicit += 1
            carry = buffer[cut:]
            if not chunk:
                return highest + implicit


def _opens_row(buffer: bytes, start: int) -> bool:
    """``row`` at ``start`` is the name of an opening tag: ``<row`` or ``<x:row``."""
    before = buffer[start - 1 : start]
    if before == b"<":
        return True
    if before != b":":
        return False
    opening = buffer.rfind(b"<", 0, start)
    return opening >= 0 and re.fullmatch(rb"<[\w.-]+:", buffer[opening:start]) is not None


def check_rows(sheet: Any, limits: Limits = LIMITS) -> None:
    """Refuse a sheet whose rows reach past the bound before parsing any of them."""
    reach = last_row(sheet)
    if reach > limits.rows:
        raise LedgerError(
            f"工作表“{sheet.title}”的行号到 {reach}，超过导入上限（{limits.rows} 行）："
            "请删除多余的行后另存，或分成几个文件导入",
            EXIT_REFUSED,
        )


class Budget:
    """Cells read so far, over every sheet of one workbook."""

    def __init__(self, limits: Limits = LIMITS) -> None:
        self.limits = limits
        self.cells = 0


class Stored:
    """A cell whose stored value is not data: a formula (type ``f``) or an error value (``e``)."""

    __slots__ = ("kind", "text")

    def __init__(self, kind: str, value: Any) -> None:
        self.kind = kind
        self.text = str(value if isinstance(value, str) else getattr(value, "text", None) or "=")


def check_claim(sheet: Any, limits: Limits = LIMITS) -> None:
    """Refuse a sheet whose ``<dimension>`` claims more rows or columns than the bounds."""
    rows, columns = sheet.max_row or 0, sheet.max_column or 0
    if rows > limits.rows or columns > limits.columns:
        span = f"A1:{get_column_letter(min(max(columns, 1), 18278))}{rows}"
        raise LedgerError(
            f"工作表“{sheet.title}”声明的范围 {span}（{rows} 行 × {columns} 列）超过导入上限"
            f"（{limits.rows} 行、{limits.columns} 列）：请删除多余的行列后另存，或分成几个文件导入",
            EXIT_REFUSED,
        )


def _local(tag: Any) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def text_content(node: Any) -> str:
    """The text of a string item (``<si>`` or ``<is>``): its ``<t>``, then each run's ``<t>`` —
    what openpyxl's ``Text.from_tree(node).content`` gives, without building an object per run and
    font (which made reading a sheet's text cells cost more than all the rest of it)."""
    plain: str | None = None
    runs: list[str] = []
    for child in node:
        name = _local(child.tag)
        if name == "t":
            plain = child.text
        elif name == "r":
            text = None
            for part in child:
                if _local(part.tag) == "t":
                    text = part.text
            if text is not None:
                runs.append(text)
    return (plain or "") + "".join(runs)


_SHARED_STRING = f"{{{SHEET_MAIN_NS}}}si"


def read_string_table(xml_source: Any) -> list[str]:
    """openpyxl's reader of the shared strings, with :func:`text_content` for each item."""
    strings = []
    for _, node in iterparse(xml_source):
        if node.tag == _SHARED_STRING:
            strings.append(text_content(node).replace("x005F_", ""))
            node.clear()
    return strings


class _Parser(WorkSheetParser):
    """openpyxl's sheet parser; a text cell (``t="inlineStr"``, as openpyxl and the export write
    them) is read with :func:`text_content`, every other cell as openpyxl reads it."""

    def parse_cell(self, element: Any) -> dict[str, Any]:
        if element.get("t") != "inlineStr" or element.find(FORMULA_TAG) is not None:
            return super().parse_cell(element)
        inline = element.find(INLINE_STRING)
        if inline is None:
            return super().parse_cell(element)
        style_id: Any = element.get("s", 0)
        if style_id:
            style_id = int(style_id)
        coordinate = element.get("r")
        if coordinate:
            row, column = coordinate_to_tuple(coordinate)
            self.col_counter = column
        else:
            self.col_counter += 1
            row, column = self.row_counter, self.col_counter
        return {
            "row": row,
            "column": column,
            "value": text_content(inline),
            "data_type": "s",
            "style_id": style_id,
        }


def stream_rows(
    sheet: Any, budget: Budget, last: int | None = None, merged: list[tuple[int, int, int, int]] | None = None
) -> Iterator[tuple[int, dict[int, Any]]]:
    """(row number, column → value) for each row holding a value, read from the sheet's XML as it
    streams (openpyxl's parser, without the padding of missing rows and columns that a far-away
    cell would turn into millions of empty ones). Stops after row ``last``; refuses past a bound.
    Read to the end, it puts the sheet's merged ranges (min_col, min_row, max_col, max_row) in
    ``merged``."""
    limits = budget.limits
    book = sheet.parent
    with sheet._get_source() as source:
        parser = _Parser(
            source,
            sheet._shared_strings,
            data_only=False,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for number, cells in parser.parse():
            if last is not None and number > last:
                return
            row: dict[int, Any] = {}
            for cell in cells:
                value = cell["value"]
                if value is None or value == "":
                    continue
                column = cell["column"]
                if number > limits.rows or column > limits.columns:
                    where = f"{get_column_letter(min(column, 18278))}{number}"
                    raise LedgerError(
                        f"工作表“{sheet.title}”的单元格 {where} 超出导入上限（{limits.rows} 行、"
                        f"{limits.columns} 列）：请删除多余的内容后另存，或分成几个文件导入",
                        EXIT_REFUSED,
                    )
                kind = cell["data_type"]
                row[column] = Stored(kind, value) if kind in ("f", "e") else value
            if not row:
                continue
            budget.cells += len(row)
            if budget.cells > limits.cells:
                raise LedgerError(
                    f"工作表“{sheet.title}”读到第 {number} 行时，单元格总数超过导入上限 {limits.cells}："
                    "请分成几个文件导入",
                    EXIT_REFUSED,
                )
            yield number, row
        if merged is not None and parser.merged_cells is not None:
            merged.extend(tuple(int(b) for b in ref.bounds) for ref in parser.merged_cells.mergeCell)  # type: ignore[misc]
