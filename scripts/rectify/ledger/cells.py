"""Cell values both ways: a record's value → what the ledger shows (Chinese labels, date cells,
是/否), and what a real ledger contains → the record's value. Reading accepts Excel dates and
text dates (2023-08-28, 2023/8/28, 2023年8月28日), full-width digits and spaces, enum labels or
codes; anything it cannot read exactly raises :class:`CellError` with the reason in Chinese."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import Decimal
from typing import Any, Protocol

from openpyxl.utils.datetime import from_excel

from rectify.fields import BOOLEAN, DATE, ENUM, INTEGER, NUMBER, TEXT, Field, describe_refs
from rectify.ledger.columns import Column

TRUE_WORDS = frozenset({"是", "true", "1", "√", "y", "yes"})
FALSE_WORDS = frozenset({"否", "false", "0", "×", "n", "no"})
YES, NO = "是", "否"
_SPACES = " \t\r\n\u3000\u00a0\ufeff"
_DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_DATE_DIGITS = re.compile(r"(\d{4})(\d{2})(\d{2})")
_LIST_SPLIT = re.compile(r"[\n,，、;；]+")
EXCEL_CELL_CHARS = 32767  # what a cell holds; openpyxl cuts longer text there
MAX_NUMBER_CHARS = 400  # far past any amount; keeps Decimal and int() away from absurd input
_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")


class CellError(Exception):
    """A cell that cannot be read as its column's value; ``message`` says why, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Unreadable:
    """A cell the import refuses whatever its column (a formula, an error value); ``message`` says
    why, in Chinese."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


class Labeller(Protocol):
    def label(self, kinds: tuple[str, ...], record_id: str) -> str:
        """What a cell shows for a reference: a name that names the record alone, or its id."""
        ...


class RefResolver(Protocol):
    def resolve(self, kinds: tuple[str, ...], text: str) -> str:
        """The id named by ``text`` (an id or a record's name); :class:`CellError` otherwise."""
        ...


def normalize(text: str) -> str:
    """Full-width digits, letters and spaces to their ordinary forms, outer spaces removed: for
    codes, ids, dates and numbers (never for free text, whose full-width punctuation is meant)."""
    return unicodedata.normalize("NFKC", text).strip(_SPACES)


def shown(raw: Any) -> str:
    if isinstance(raw, dt.datetime):
        return raw.isoformat(sep=" ")
    return str(raw)


# -- record value → cell ------------------------------------------------------------------------
def to_cell(column: Column, value: Any, names: Labeller | None = None) -> Any:
    if value is None:
        return None
    if column.is_list:
        if not isinstance(value, list):
            return str(value)
        items = [_scalar_to_cell(column.value, item, names) for item in value]
        return "\n".join(i.isoformat() if isinstance(i, dt.date) else str(i) for i in items) or None
    return _scalar_to_cell(column.value, value, names)


def _scalar_to_cell(field: Field, value: Any, names: Labeller | None = None) -> Any:
    if field.refs and names is not None and isinstance(value, str):
        return names.label(field.refs, value)
    if field.type == DATE and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    if field.type == ENUM and isinstance(value, str):
        return field.labels.get(value, value)
    if field.type == BOOLEAN and isinstance(value, bool):
        return YES if value else NO
    return value


# -- cell → record value ------------------------------------------------------------------------
def same_text(value: Any, old: Any) -> bool:
    """A cell that differs from the record's text only in outer spaces changes nothing (the
    import trims them; a record written with them keeps them), in a list of texts too; nor does
    a cell holding the first 32,767 characters of a longer text (all a cell can hold)."""
    if isinstance(value, list) and isinstance(old, list) and len(value) == len(old):
        return all(v == o or same_text(v, o) for v, o in zip(value, old, strict=True))
    if not (isinstance(value, str) and isinstance(old, str)):
        return False
    if len(value) == EXCEL_CELL_CHARS and old.startswith(value):
        return True  # Excel keeps 32,767 characters of a cell: the rest is not being removed
    return value == old.strip(_SPACES)


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip(_SPACES))


def from_cell(column: Column, raw: Any, refs: RefResolver) -> Any:
    """The record value of a non-blank cell."""
    if isinstance(raw, Unreadable):
        raise CellError(raw.message)
    if not column.is_list:
        return parse_value(column.value, raw, refs)
    if isinstance(raw, str):
        parts = raw.split("\n") if column.value.type == TEXT and not column.value.refs else None
        pieces = parts if parts is not None else _LIST_SPLIT.split(raw)
        pieces = [p for p in pieces if not is_blank(p)]
    else:
        pieces = [raw]
    values = [parse_value(column.value, piece, refs) for piece in pieces]
    if column.field.unique:
        seen: set[Any] = set()
        for value in values:
            if value in seen:
                raise CellError(f"列表中 {value} 重复出现")
            seen.add(value)
    return values


def parse_value(field: Field, raw: Any, refs: RefResolver) -> Any:
    kind = field.type
    if kind == DATE:
        return parse_date(raw)
    if kind in (NUMBER, INTEGER):
        return _number(field, raw)
    if kind == BOOLEAN:
        return _boolean(raw)
    if kind == ENUM:
        return _enum(field, raw)
    return _text(field, raw, refs)


def parse_date(raw: Any) -> str:
    if isinstance(raw, dt.datetime):
        if raw.time() != dt.time(0, 0):
            raise CellError(f"应为日期，实为带时间的 {shown(raw)}：请只填日期")
        return raw.date().isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, bool):
        raise CellError(f"应为日期，实为 {raw}")
    if isinstance(raw, int | float):
        if 1 <= raw < 2958466 and float(raw).is_integer():
            moment = from_excel(raw)
            if isinstance(moment, dt.datetime):
                return moment.date().isoformat()
        raw = str(int(raw)) if float(raw).is_integer() else str(raw)
    text = normalize(str(raw))
    match = _DATE_TEXT.fullmatch(text) or _DATE_DIGITS.fullmatch(text)
    if not match:
        raise CellError(f"日期格式无法识别：{text!r}（可写 2023-08-28、2023/8/28 或 2023年8月28日）")
    year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        raise CellError(f"日期 {text} 不存在（请核对月份和日期）") from None


def _number(field: Field, raw: Any) -> int | float:
    """Integers stay exact whatever their size (never through a float); a number cell whose value
    Excel cannot hold exactly is refused rather than rounded."""
    if isinstance(raw, bool | dt.date):
        raise CellError(f"应为数字，实为 {shown(raw)}")
    value: int | float
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float):
        if not math.isfinite(raw):
            raise CellError(f"应为数字，实为 {raw!r}")
        if abs(raw) >= 2**53:
            raise CellError(
                f"数字 {raw:.15g} 超过 Excel 能精确保存的 15 位有效数字，无法确定准确数值："
                "请核对单位；确需填写请把单元格设为“文本”后填写准确数字"
            )
        value = int(raw) if raw.is_integer() else raw
    else:
        text = normalize(str(raw)).replace(",", "").replace(" ", "").removesuffix("元")
        if not _NUMBER.fullmatch(text) or len(text) > MAX_NUMBER_CHARS:
            raise CellError(f"应为数字，实为 {_brief(str(raw).strip())!r}")
        exact = Decimal(text)
        if not exact.is_finite():
            raise CellError(f"应为数字，实为 {_brief(text)!r}")
        if exact == exact.to_integral_value():
            value = int(exact)
        else:
            value = float(exact)
            if Decimal(repr(value)) != exact.normalize():
                raise CellError(f"数字 {_brief(text)} 有效数字太多，无法精确保存（最多 15 位）")
    if field.type == INTEGER and not isinstance(value, int):
        raise CellError(f"应为整数，实为 {value}")
    if field.minimum is not None and value < field.minimum:
        raise CellError(f"不能小于 {field.minimum:g}，实为 {value}")
    return value


def _brief(text: str) -> str:
    return text if len(text) <= 40 else f"{text[:20]}…（共 {len(text)} 个字符）"


def _boolean(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = normalize(shown(raw)).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise CellError(f"应填“是”或“否”，实为 {str(raw).strip()!r}")


def _enum(field: Field, raw: Any) -> str:
    text = normalize(shown(raw))
    if text in field.labels:
        return text
    for code, label in field.labels.items():
        if normalize(label) == text:
            return code
    options = "、".join(field.labels.values())
    raise CellError(f"取值 {text!r} 无效，可选：{options}")


def _text(field: Field, raw: Any, refs: RefResolver) -> str:
    if isinstance(raw, bool):
        raise CellError(f"应为文本，实为 {raw}")
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, dt.datetime):
        raw = raw.date().isoformat() if raw.time() == dt.time(0, 0) else shown(raw)
    elif isinstance(raw, dt.date):
        raw = raw.isoformat()
    text = str(raw)
    if field.refs:
        return refs.resolve(field.refs, normalize(text))
    if field.pattern is not None:
        text = normalize(text)
        if not re.fullmatch(field.pattern, text):
            hint = field.description or f"应匹配 {field.pattern}"
            raise CellError(f"格式不对：{text!r}。{hint}")
        return text
    return text.strip(_SPACES)


def ref_hint(field: Field) -> str:
    return f"填写{describe_refs(field.refs)}的编号或名称"
