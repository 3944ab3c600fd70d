"""Spreadsheet cells that never run (OWASP "CSV injection"): registry text is data, so no value the
project writes to a CSV or an .xlsx may become a formula when someone opens the file.

- CSV: a text that a spreadsheet would read as a formula — one starting with ``=``, ``+``, ``-``,
  ``@`` (or their full-width and small forms, which East-Asian Excel input turns into the ASCII
  ones), after any spaces or invisible characters, or starting with a tab, CR or LF — gets a
  leading single quote ``'``. Fields holding separators or quotes are quoted by :mod:`csv`.
- XLSX: every text is written as a string cell (``t="inlineStr"``), never as a formula cell;
  risky ones also carry Excel's quote-prefix style, so that editing the cell keeps it text. The
  value itself is unchanged, so a ledger exported and imported again comes back exactly.
- Numbers stay numbers (a negative amount is a number, not a formula); integers that a double
  cannot hold exactly are written as text, so they come back digit for digit.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from openpyxl.cell.cell import Cell, WriteOnlyCell

TRIGGERS = frozenset("=+-@")
LINE_STARTS = frozenset("\t\r\n")
# characters XML 1.0 (hence .xlsx) cannot hold, written as OOXML's ``_xHHHH_`` escapes (which Excel
# reads back as the character) and read back by the import
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESCAPED = re.compile(r"_x(000[0-8bcefBCEF]|001[0-9a-fA-F]|[fF]{3}[eEfF])_")
EXACT_DIGITS = 15  # Excel keeps 15 significant digits of a number


def _ignorable(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Zs", "Zl", "Zp")


def is_risky(text: str) -> bool:
    """Would a spreadsheet read ``text`` as a formula (or a DDE payload)? Leading quotes are
    looked through, so that a quoted text is quoted once more and comes back as it was."""
    body = text.lstrip("'")
    if not body:
        return False
    if body[0] in LINE_STARTS:
        return True
    for char in body:
        if _ignorable(char):
            continue
        return unicodedata.normalize("NFKC", char)[:1] in TRIGGERS
    return False


def csv_text(value: Any) -> Any:
    """A CSV field: risky text with a leading ``'``; numbers and everything else unchanged."""
    if isinstance(value, str) and is_risky(value):
        return "'" + value
    return value


def xml_text(text: str) -> str:
    return _ILLEGAL_XML.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def xml_display(text: str) -> str:
    """``text`` for XML that people read (feeds): characters XML cannot hold become U+FFFD."""
    return _ILLEGAL_XML.sub("\ufffd", text)


def unescape_xml(text: str) -> str:
    """The inverse of :func:`xml_text`, for the characters it escapes."""
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def exact_number(value: Any) -> Any:
    """A number a double holds exactly as written, or its digits as text."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and abs(value) >= 10**EXACT_DIGITS:
        return str(value)
    if isinstance(value, float) and float(f"{value:.{EXACT_DIGITS + 1}g}") != value:
        return repr(value)  # openpyxl writes 16 significant digits
    return value


def set_value(cell: Cell, value: Any) -> None:
    """Put ``value`` in ``cell`` so that it is shown and read back as data, never run."""
    value = exact_number(value)
    if isinstance(value, str):
        cell.value = xml_text(value)
        cell.data_type = "s"  # openpyxl makes "=…" a formula cell: text, always
        if is_risky(value):
            cell.quotePrefix = True
        return
    cell.value = value


def write_only_cell(sheet: Any, value: Any) -> Cell:
    """A cell for a write-only sheet's ``append``, made safe by :func:`set_value`."""
    cell = WriteOnlyCell(sheet)
    set_value(cell, value)
    return cell
