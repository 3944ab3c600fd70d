"""What a ledger cell or a ``rectify new`` option may name, resolved against the registry: record
ids, the names the ledger shows (``孙浩（市应急局）``) or unique names (``濉溪县`` → ``suixi``), and the
next free id of a kind for a year."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from rectify.fields import KIND_NAMES
from rectify.ids import FORMS, stem_numbers
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
LABELLED_KINDS = ("person", "organization", "enterprise")  # shown by name in the ledger


class Names:
    """The name the ledger shows for a person (``孙浩（市应急局）``), a body or an enterprise: a
    label that names one record only; a record whose label another record shares is shown by id."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._labels: dict[str, dict[str, str]] = {}  # kind → id → label
        self._owners: dict[str, dict[str, list[str]]] = {}  # kind → label → ids

    def _index(self, kind: str) -> None:
        if kind in self._labels:
            return
        labels: dict[str, str] = {}
        owners: dict[str, list[str]] = {}
        for record_id, doc in self.registry.by_kind.get(kind, {}).items():
            label = self._label_of(kind, doc.data)
            if label:
                labels[record_id] = label
                owners.setdefault(normalize(label), []).append(record_id)
        self._labels[kind], self._owners[kind] = labels, owners

    def _label_of(self, kind: str, data: dict[str, Any]) -> str | None:
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            return None
        if kind != "person":
            return name.strip()
        body = data.get("organization")
        owner = None
        for owner_kind in ("organization", "enterprise"):
            owner = self.registry.by_kind.get(owner_kind, {}).get(body) if isinstance(body, str) else None
            if owner is not None:
                break
        short = owner.data.get("short_name") or owner.data.get("name") if owner is not None else None
        return (
            f"{name.strip()}（{short.strip()}）" if isinstance(short, str) and short.strip() else name.strip()
        )

    def owners(self, kind: str, text: str) -> list[str]:
        """The ids whose label is ``text`` (normalized)."""
        if kind not in LABELLED_KINDS:
            return []
        self._index(kind)
        return self._owners[kind].get(text, [])

    def full_label(self, kinds: tuple[str, ...], record_id: str) -> str | None:
        """The record's label, shared with another record or not."""
        for kind in kinds:
            if kind in LABELLED_KINDS:
                self._index(kind)
                label = self._labels[kind].get(record_id)
                if label is not None:
                    return label
        return None

    def label(self, kinds: tuple[str, ...], record_id: str) -> str:
        """What a cell shows for ``record_id``: its label when that names it alone, else the id."""
        label = self.full_label(kinds, record_id)
        if label is None:
            return record_id
        clash = sum(len(self.owners(k, normalize(label))) for k in kinds)
        return label if clash == 1 else record_id

    def choices(self, kinds: tuple[str, ...]) -> list[str]:
        """Every label that names one record, for a drop-down (sorted as the ids are)."""
        out: list[str] = []
        for kind in kinds:
            if kind not in LABELLED_KINDS:
                continue
            self._index(kind)
            out.extend(self.label(kinds, i) for i in sorted(self._labels[kind]))
        return out


_SHOWN = re.compile(r"(.+?)\((.+)\)")  # 孙浩（市应急局）, after NFKC


class References:
    """Resolves what a cell names (an id, or a unique name) to an id of one of the allowed kinds."""

    def __init__(self, registry: Registry, incoming: dict[str, set[str]], names: Names | None = None) -> None:
        self.registry = registry
        self.incoming = incoming
        self.names = names or Names(registry)
        self._names: dict[str, dict[str, list[str]]] = {}

    def _name_index(self, kind: str) -> dict[str, list[str]]:
        index = self._names.get(kind)
        if index is None:
            index = {}
            for record_id, doc in self.registry.by_kind.get(kind, {}).items():
                for name_field in NAME_FIELDS:
                    name = doc.data.get(name_field)
                    if isinstance(name, str):
                        owners = index.setdefault(normalize(name), [])
                        if record_id not in owners:
                            owners.append(record_id)
            self._names[kind] = index
        return index

    def resolve(self, kinds: tuple[str, ...], text: str) -> str:
        for kind in kinds:
            if kind == "standard":
                if text in self.registry.standards:
                    return text
            elif text in self.registry.by_kind.get(kind, {}) or text in self.incoming.get(kind, ()):
                return text
        labelled = [i for kind in kinds for i in self.names.owners(kind, text)]
        if len(labelled) == 1:
            return labelled[0]
        found: list[str] = []
        for kind in kinds:
            if kind == "standard":
                found += [
                    k
                    for k, v in self.registry.standards.items()
                    if normalize(str(v.get("title", ""))) == text
                ]
                continue
            found += [i for i in self._name_index(kind).get(text, []) if i not in found]
        if not found and not labelled and (shown := _SHOWN.fullmatch(text)):
            # a name as the ledger showed it, whose unit has changed since: the name alone decides
            found = [i for kind in kinds for i in self._name_index(kind).get(shown.group(1).strip(), [])]
        if len(found) == 1:
            return found[0]
        if len(found) > 1 or len(labelled) > 1:
            candidates = "、".join(
                f"{self.names.full_label(kinds, i) or i}（{i}）" for i in sorted({*found, *labelled})
            )
            raise CellError(f"名称“{text}”对应多条记录：{candidates}；请改填其中一条的编号")
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
        form = FORMS.get(kind)
        if form is None or self.registry.schemas.id_pattern(kind) is None:
            return None
        dated: Any = data
        for part in ID_YEAR_FIELD.get(kind, ("-",)):
            dated = dated.get(part) if isinstance(dated, dict) else None
        year = dated[:4] if isinstance(dated, str) and re.match(r"\d{4}-", dated) else str(self.today.year)
        existing = self.registry.by_kind.get(kind, {})
        stem = f"{form.prefix}-{year}-"
        if stem not in self.next_number:
            self.next_number[stem] = max(stem_numbers(existing, form.prefix, year), default=0) + 1
        number = self.next_number[stem]
        while form.format(year, number) in existing:
            number += 1
        self.next_number[stem] = number + 1
        return form.format(year, number)
