"""The columns of a kind's ledger: the record's fields flattened in schema order (nested fields
become their own columns; a list of simple values is one cell; lists of sub-records are left to
the YAML file). A column's header is the field's Chinese title, qualified by its parent's title
when the title alone would be ambiguous."""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass

from rectify.fields import KIND_NAMES, LIST, OBJECT, Field, record_fields
from rectify.load import FOLDER_OF, KIND_FOLDERS
from rectify.schema import Schemas

# kinds with a ledger: every record kind (jurisdiction and standards are single files)
LEDGER_KINDS = tuple(KIND_FOLDERS.values())
GENERIC_TITLES = frozenset({"日期", "情况", "说明", "结果", "理由", "备注", "层级"})


@dataclass(frozen=True, slots=True, eq=False)
class Column:
    """One ledger column. ``field`` is the schema field; ``value`` the field of each value in the
    cell (the field itself, or the item of a list of simple values)."""

    field: Field
    header: str
    required: bool  # the field and every field it sits in are required

    @property
    def path(self) -> tuple[str, ...]:
        return self.field.path

    @property
    def key(self) -> str:
        return self.field.key

    @property
    def is_list(self) -> bool:
        return self.field.type == LIST

    @property
    def value(self) -> Field:
        return self.field.item if self.field.item is not None else self.field


@dataclass(frozen=True, slots=True)
class Ledger:
    """The ledger layout of one kind: its columns and the fields it leaves to the YAML file."""

    kind: str
    sheet: str
    columns: tuple[Column, ...]
    left_out: tuple[Field, ...]  # lists of sub-records (进展、延期 …): edited in the YAML file

    def by_header(self) -> dict[str, Column]:
        out: dict[str, Column] = {}
        for column in self.columns:
            out[normalize_header(column.header)] = column
            out[normalize_header(column.key)] = column
        return out


def kind_of(name: str) -> str | None:
    """``hazards`` or ``hazard`` → ``hazard``."""
    if name in FOLDER_OF:
        return name
    return KIND_FOLDERS.get(name)


def normalize_header(text: str) -> str:
    """Headers match whatever the spacing, full-width forms and required marks (``*``)."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if not ch.isspace() and ch not in "*")


def _flatten(field: Field, parents: tuple[Field, ...], out: list[tuple[Field, tuple[Field, ...]]]) -> None:
    for child in field.children:
        if child.type == OBJECT:
            _flatten(child, (*parents, child), out)
        else:
            out.append((child, parents))


def ledger_for(schemas: Schemas, kind: str) -> Ledger:
    record = record_fields(schemas, kind)
    flat: list[tuple[Field, tuple[Field, ...]]] = []
    _flatten(record, (), flat)
    kept = [(f, parents) for f, parents in flat if f.type != LIST or (f.item is not None and f.item.scalar)]
    left_out = tuple(f for f, _ in flat if (f, _) not in kept)
    counts = Counter(f.title for f, _ in kept)
    columns = []
    for f, parents in kept:
        header = f.title
        if parents and (counts[f.title] > 1 or f.title in GENERIC_TITLES):
            header = f"{parents[-1].title}·{f.title}"
        required = f.required and all(p.required for p in parents)
        columns.append(Column(f, header, required))
    return Ledger(kind, f"{KIND_NAMES.get(kind, kind)}台账", tuple(columns), left_out)
