"""“您是不是要写……”: the record a clerk most likely meant when a reference does not resolve.

A Chinese name (``孙浩``) finds the records of that name; a near-miss id (``sun-hao-yj``,
``HAZ-2023-0017``) finds the ids one or two edits away; a name typed in pinyin or in Chinese that is
not registered finds the ids that start with its pinyin (``sun-hao`` → ``sun-hao-yjj``). The index
is built once, lazily per kind, with single-deletion keys (as in SymSpell): a look-up costs a few
dictionary probes whatever the registry's size, never a scan of all ids.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

NAME_KINDS = ("person", "organization", "enterprise")
LIMIT = 5  # candidates shown
_BUCKET_LIMIT = 50  # ids kept under one key: a key shared by more says nothing
_HAN = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    kind: str
    name: str
    owner: str  # the person's organisation, by name; empty for bodies


def _deletions(text: str) -> Iterable[str]:
    yield text
    for i in range(len(text)):
        yield text[:i] + text[i + 1 :]


def distance(a: str, b: str, bound: int = 2) -> int:
    """Damerau–Levenshtein (optimal string alignment) distance, ``bound + 1`` when larger."""
    if abs(len(a) - len(b)) > bound:
        return bound + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return min(previous[-1], bound + 1)


def _plain(text: str) -> str:
    return text.replace("-", "").replace("_", "").replace(" ", "").lower()


@dataclass(slots=True)
class Suggester:
    """Built from the records' ids and names; ask :meth:`suggest` for one wrong value."""

    entries: dict[str, list[Entry]] = field(default_factory=dict)  # kind → entries
    _names: dict[str, list[Entry]] = field(default_factory=dict)
    _deletes: dict[str, dict[str, list[Entry]]] = field(default_factory=dict)  # kind → key → entries
    _prefixes: dict[str, dict[str, list[Entry]]] = field(default_factory=dict)

    @classmethod
    def from_documents(cls, documents: Iterable[Any]) -> Suggester:
        """From loaded documents (``kind``, ``data``); people are shown with their organisation."""
        docs = [d for d in documents if isinstance(d.data.get("id"), str)]
        body_names = {
            d.data["id"]: d.data["name"]
            for d in docs
            if d.kind in ("organization", "enterprise") and isinstance(d.data.get("name"), str)
        }
        out = cls()
        entries: dict[str, list[Entry]] = defaultdict(list)
        names: dict[str, list[Entry]] = defaultdict(list)
        for doc in docs:
            name = doc.data.get("name")
            name = name if isinstance(name, str) else ""
            org = doc.data.get("organization") if doc.kind == "person" else None
            owner = body_names.get(org, org) if isinstance(org, str) else ""
            entry = Entry(doc.data["id"], doc.kind, name, owner)
            entries[doc.kind].append(entry)
            if name and doc.kind in NAME_KINDS:
                names[name.strip()].append(entry)
        out.entries, out._names = dict(entries), dict(names)
        return out

    def _index(self, kind: str) -> tuple[dict[str, list[Entry]], dict[str, list[Entry]]]:
        if kind not in self._deletes:
            deletes: dict[str, list[Entry]] = defaultdict(list)
            prefixes: dict[str, list[Entry]] = defaultdict(list)
            for entry in self.entries.get(kind, []):
                key = entry.id.lower()
                for variant in {*_deletions(key), *_deletions(_plain(key))}:
                    bucket = deletes[variant]
                    if len(bucket) < _BUCKET_LIMIT:
                        bucket.append(entry)
                parts = key.split("-")
                for n in range(1, len(parts)):
                    for prefix in ("-".join(parts[:n]), "".join(parts[:n])):
                        bucket = prefixes[prefix]
                        if len(bucket) < _BUCKET_LIMIT:
                            bucket.append(entry)
            self._deletes[kind], self._prefixes[kind] = dict(deletes), dict(prefixes)
        return self._deletes[kind], self._prefixes[kind]

    def candidates(self, value: str, kinds: tuple[str, ...]) -> list[Entry]:
        """The records ``value`` most likely meant, best first (at most :data:`LIMIT`)."""
        text = value.strip()
        by_name = [e for e in self._names.get(text, []) if e.kind in kinds]
        if by_name:
            return by_name[:LIMIT]
        keys = [text.lower()]
        if _HAN.search(text):
            from pypinyin import lazy_pinyin  # half a second to load: only for a Chinese value

            syllables = [s.lower() for s in lazy_pinyin(text) if s.strip()]
            keys = ["-".join(syllables), "".join(syllables)]
        scored: dict[str, tuple[int, Entry]] = {}
        for kind in kinds:
            deletes, prefixes = self._index(kind)
            for key in keys:
                for entry in prefixes.get(key, []) + prefixes.get(_plain(key), []):
                    scored.setdefault(entry.id, (0, entry))
                for variant in {*_deletions(key), *_deletions(_plain(key))}:
                    for entry in deletes.get(variant, []):
                        cost = min(distance(key, entry.id.lower()), distance(_plain(key), _plain(entry.id)))
                        if cost <= 2 and cost < scored.get(entry.id, (9, entry))[0]:
                            scored[entry.id] = (cost, entry)
        ranked = sorted(scored.values(), key=lambda item: (item[0], item[1].id))
        return [entry for _, entry in ranked[:LIMIT]]

    def hint(self, value: str, kinds: tuple[str, ...]) -> str:
        """The sentence a message ends with: the likely ids, or 请先登记 when nothing is close."""
        from rectify.fields import KIND_NAMES  # fields → schema → this module: import when used

        found = self.candidates(value, kinds)
        wanted = "或".join(KIND_NAMES.get(k, k) for k in kinds)
        if not found:
            return f"登记册中没有相近的{wanted}：请先登记该{wanted}，再填写其编号"
        if len(found) > 1 and all(e.name and e.name == value.strip() for e in found):
            listed = "、".join(_show(e) for e in found)
            return f"名为 {value.strip()} 的{wanted}有 {len(found)} 个，请填写其中一个的编号：{listed}"
        if found[0].name and found[0].name == value.strip():
            return f"此处应填写编号而不是名称：请写 {found[0].id}（{_label(found[0])}）"
        return "您是不是要写：" + "、".join(_show(e) for e in found)


def _label(entry: Entry) -> str:
    return "，".join(x for x in (entry.name, entry.owner) if x)


def _show(entry: Entry) -> str:
    label = _label(entry)
    return f"{entry.id}（{label}）" if label else entry.id
