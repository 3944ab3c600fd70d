"""The columns of a kind's ledger: the record's fields flattened in schema order (nested fields
become their own columns; a list of simple values is one cell). The sub-records named in
:data:`DETAIL_FIELDS` (整改进展、延期、验收、移交) get sheets of their own, one row per entry keyed by
the record's id; other lists of sub-records are left to the YAML file. A column's header is the
field's Chinese title, qualified by its parent's title when the title alone would be ambiguous."""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, replace

from rectify.fields import INTEGER, KIND_NAMES, LIST, OBJECT, Field, record_fields
from rectify.load import FOLDER_OF, KIND_FOLDERS
from rectify.schema import Schemas

# kinds with a ledger: every record kind (jurisdiction and standards are single files)
LEDGER_KINDS = tuple(KIND_FOLDERS.values())
GENERIC_TITLES = frozenset({"日期", "情况", "说明", "结果", "理由", "备注", "层级"})

# The one table of sub-record fields with a sheet of their own, by kind. Everything below them
# (their own fields, titles, types) is read from the schemas: a renamed key changes only the schema.
DETAIL_FIELDS: dict[str, tuple[str, ...]] = {"hazard": ("progress", "extensions", "acceptance", "referrals")}
# Headers that would read alike across sheets, by the field's dotted path from the record.
HEADERS: dict[str, dict[str, str]] = {
    "hazard": {"rectification.acceptor": "整改落实·指定验收人", "acceptance.by": "实际验收人"},
}
ENTRY_KEY = "#"  # the column of an entry's number within its record (not a record field)
ENTRY_FIELD = Field(
    path=(ENTRY_KEY,),
    title="条目序号",
    description="该条在同一记录中的顺序（第几条），导出时填写；新增的行留空，导入时追加在末尾。",
    type=INTEGER,
    required=False,
    minimum=1,
)


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
    left_out: tuple[Field, ...]  # lists of sub-records not in the workbook: edited in the YAML file
    detail: Field | None = None  # the sub-record field a detail sheet edits (None: the main sheet)
    aliases: tuple[tuple[str, Column], ...] = ()  # earlier headers still read on import

    @property
    def is_list(self) -> bool:
        """A detail sheet of a list (append-only history), not of a single sub-record (验收)."""
        return self.detail is not None and self.detail.type == LIST

    def by_header(self) -> dict[str, Column]:
        out: dict[str, Column] = {}
        for alias, column in self.aliases:
            out[normalize_header(alias)] = column
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
    details = set(DETAIL_FIELDS.get(kind, ()))
    flat: list[tuple[Field, tuple[Field, ...]]] = []
    _flatten(record, (), flat)
    flat = [(f, parents) for f, parents in flat if f.path[0] not in details]
    kept = [(f, parents) for f, parents in flat if f.type != LIST or (f.item is not None and f.item.scalar)]
    left_out = tuple(f for f, _ in flat if (f, _) not in kept)
    columns, aliases = _columns(kind, kept, ())
    return Ledger(kind, f"{KIND_NAMES.get(kind, kind)}台账", columns, left_out, aliases=aliases)


def _columns(
    kind: str, fields: list[tuple[Field, tuple[Field, ...]]], prefix: tuple[str, ...]
) -> tuple[tuple[Column, ...], tuple[tuple[str, Column], ...]]:
    """Columns with their headers; ``prefix`` is the path of the sub-record the fields sit in."""
    counts = Counter(f.title for f, _ in fields)
    overrides = HEADERS.get(kind, {})
    columns: list[Column] = []
    aliases: list[tuple[str, Column]] = []
    for f, parents in fields:
        header = f.title
        if parents and (counts[f.title] > 1 or f.title in GENERIC_TITLES):
            header = f"{parents[-1].title}·{f.title}"
        required = f.required and all(p.required for p in parents)
        column = Column(f, overrides.get(".".join((*prefix, *f.path)), header), required)
        if column.header != header:
            aliases.append((header, column))
            if parents:  # as earlier ledgers qualified it
                aliases.append((f"{parents[-1].title}·{f.title}", column))
        columns.append(column)
    return tuple(columns), tuple(aliases)


def detail_ledgers(schemas: Schemas, kind: str) -> list[Ledger]:
    """One sheet per field of :data:`DETAIL_FIELDS` the kind's schema has: the record's id, the
    entry's number (lists only), then the entry's own fields (paths relative to the entry)."""
    record = record_fields(schemas, kind)
    id_field = next(c for c in record.children if c.name == "id")
    out = []
    for name in DETAIL_FIELDS.get(kind, ()):
        field = next((c for c in record.children if c.name == name), None)
        entry = field.item if field is not None and field.type == LIST else field
        if field is None or entry is None or entry.type != OBJECT:
            continue
        flat: list[tuple[Field, tuple[Field, ...]]] = []
        _flatten(_rooted(entry, len(entry.path)), (), flat)
        flat = [(f, p) for f, p in flat if f.type != LIST or (f.item is not None and f.item.scalar)]
        columns, aliases = _columns(kind, flat, (name,))
        head = [Column(id_field, id_field.title, True)]
        if field.type == LIST:
            head.append(Column(ENTRY_FIELD, ENTRY_FIELD.title, False))
        out.append(Ledger(kind, field.title, (*head, *columns), (), field, aliases))
    return out


def _rooted(field: Field, cut: int) -> Field:
    """``field`` with its paths starting below the sub-record (``acceptance.date`` → ``date``)."""
    children = tuple(_rooted(c, cut) for c in field.children)
    return replace(field, path=field.path[cut:], children=children)


def all_ledgers(schemas: Schemas, kinds: list[str]) -> list[Ledger]:
    """The main ledger of each kind, then its detail sheets."""
    out = []
    for kind in kinds:
        out.append(ledger_for(schemas, kind))
        out.extend(detail_ledgers(schemas, kind))
    return out
