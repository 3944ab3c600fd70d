"""What a ledger cell or a ``rectify new`` option may name, resolved against the registry: record
ids or unique names (``濉溪县`` → ``suixi``), and the next free id of a kind for a year."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from rectify.fields import KIND_NAMES
from rectify.ledger.cells import CellError, normalize
from rectify.model import Registry

# the date that gives a new record's id its year
ID_YEAR_FIELD = {
    "hazard": ("found", "date"),
    "inspection": ("date",),
    "action": ("date",),
    "campaign": ("period", "start"),
    "consultation": ("sent_on",),
    "activity": ("date",),
    "case": ("published_on",),
}
NAME_FIELDS = ("name", "short_name", "title")
_ID_FORM = re.compile(r"^\^([A-Z]+)-\[0-9\]\{4\}-\[0-9\]\{(\d+)\}\$$")


class References:
    """Resolves what a cell names (an id, or a unique name) to an id of one of the allowed kinds."""

    def __init__(self, registry: Registry, incoming: dict[str, set[str]]) -> None:
        self.registry = registry
        self.incoming = incoming
        self._names: dict[str, dict[str, str | None]] = {}

    def _name_index(self, kind: str) -> dict[str, str | None]:
        index = self._names.get(kind)
        if index is None:
            index = {}
            for record_id, doc in self.registry.by_kind.get(kind, {}).items():
                for name_field in NAME_FIELDS:
                    name = doc.data.get(name_field)
                    if isinstance(name, str):
                        key = normalize(name)
                        index[key] = None if index.get(key, record_id) != record_id else record_id
            self._names[kind] = index
        return index

    def resolve(self, kinds: tuple[str, ...], text: str) -> str:
        for kind in kinds:
            if kind == "standard":
                if text in self.registry.standards:
                    return text
            elif text in self.registry.by_kind.get(kind, {}) or text in self.incoming.get(kind, ()):
                return text
        found: list[str] = []
        for kind in kinds:
            if kind == "standard":
                found += [
                    k
                    for k, v in self.registry.standards.items()
                    if normalize(str(v.get("title", ""))) == text
                ]
                continue
            index = self._name_index(kind)
            if text in index:
                record_id = index[text]
                if record_id is None:
                    raise CellError(f"名称“{text}”对应多条记录，请改填编号")
                found.append(record_id)
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise CellError(f"名称“{text}”对应多条记录，请改填编号")
        what = "或".join(KIND_NAMES.get(k, k) for k in kinds)
        raise CellError(f"找不到{what}“{text}”（请填写已登记的编号或名称，或先登记该{what}）")


class IdAllocator:
    """Next free ids: one more than the highest of the kind and year, never reusing a gap (a
    deleted record's id stays retired). Kinds named by slugs or credit codes get no id here."""

    def __init__(self, registry: Registry, today: dt.date) -> None:
        self.registry = registry
        self.today = today
        self.next_number: dict[str, int] = {}

    def next(self, kind: str, data: dict[str, Any]) -> str | None:
        schemas = self.registry.schemas
        node = schemas.field(kind, ["id"])
        pattern = schemas.resolve(node).get("pattern") if node else None
        match = _ID_FORM.match(pattern) if isinstance(pattern, str) else None
        if match is None:
            return None
        prefix, width = match.group(1), int(match.group(2))
        dated: Any = data
        for part in ID_YEAR_FIELD.get(kind, ("-",)):
            dated = dated.get(part) if isinstance(dated, dict) else None
        year = dated[:4] if isinstance(dated, str) and re.match(r"\d{4}-", dated) else str(self.today.year)
        stem = f"{prefix}-{year}-"
        existing = self.registry.by_kind.get(kind, {})
        if stem not in self.next_number:
            numbers = [
                int(i[len(stem) :]) for i in existing if i.startswith(stem) and i[len(stem) :].isdigit()
            ]
            self.next_number[stem] = max(numbers, default=0) + 1
        number = self.next_number[stem]
        while f"{stem}{number:0{width}d}" in existing:
            number += 1
        self.next_number[stem] = number + 1
        return f"{stem}{number:0{width}d}" if len(str(number)) <= width else None
