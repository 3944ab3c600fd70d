"""The loaded registry: records indexed by kind and id, with their references both ways. Pure:
no file access; built once from the loader's documents and the schemas' reference fields."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from rectify.diagnostics import parse_path
from rectify.load import Document
from rectify.schema import Schemas, iter_pattern
from rectify.suggest import Suggester


@dataclass(frozen=True, slots=True)
class Reference:
    """``source`` names ``target`` at ``path``, and the schema says it must be one of ``kinds``."""

    source: Document
    path: tuple[str | int, ...]
    target: str
    kinds: tuple[str, ...]


@dataclass(slots=True)
class Registry:
    documents: list[Document]
    schemas: Schemas
    invalid: set[str] = field(default_factory=set)  # files that failed their schema
    # invalid files whose other fields rules still judge: file → the fields left out (see prune)
    partial: dict[str, tuple[str, ...]] = field(default_factory=dict)
    companions: set[str] = field(default_factory=set)  # plan texts and other non-record files
    texts: dict[str, str] = field(default_factory=dict)  # their contents (relative path → text)
    by_kind: dict[str, dict[str, Document]] = field(default_factory=dict)
    duplicates: list[Document] = field(default_factory=list)  # later records reusing an id
    references: list[Reference] = field(default_factory=list)
    referrers: dict[str, list[Reference]] = field(default_factory=dict)
    standards: dict[str, dict[str, Any]] = field(default_factory=dict)
    jurisdiction: Document | None = None
    evidence: dict[str, Any] = field(default_factory=dict)  # registry/evidence/<id>/<name> → FileFacts
    _suggester: Suggester | None = None

    def suggester(self) -> Suggester:
        """The index behind “您是不是要写……”, built on first use (only a wrong value needs it)."""
        if self._suggester is None:
            self._suggester = Suggester.from_documents(self.documents)
        return self._suggester

    @classmethod
    def build(
        cls,
        documents: list[Document],
        schemas: Schemas,
        invalid: set[str],
        companions: set[str] | None = None,
        partial: dict[str, tuple[str, ...]] | None = None,
        refs_of: Callable[[Document], list[FoundRef] | None] | None = None,
    ) -> Registry:
        """``refs_of``: a document's references when known already (the check cache keeps them)."""
        registry = cls(
            documents=documents,
            schemas=schemas,
            invalid=invalid,
            companions=companions or set(),
            partial=partial or {},
        )
        by_kind: dict[str, dict[str, Document]] = defaultdict(dict)
        referrers: dict[str, list[Reference]] = defaultdict(list)
        for doc in documents:
            if doc.kind == "jurisdiction":
                registry.jurisdiction = doc
                continue
            if doc.kind == "standards":
                for entry in doc.data.get("standards") or []:
                    if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                        registry.standards.setdefault(entry["id"], entry)
                continue
            record_id = doc.id
            if record_id is None:
                continue
            index = by_kind[doc.kind]
            if record_id in index:
                registry.duplicates.append(doc)
            else:
                index[record_id] = doc
        for doc in documents:
            found = refs_of(doc) if refs_of is not None else None
            for path, value, kinds in field_refs(schemas, doc) if found is None else found:
                ref = Reference(doc, path, value, kinds)
                registry.references.append(ref)
                referrers[value].append(ref)
        registry.by_kind = dict(by_kind)
        registry.referrers = dict(referrers)
        return registry

    def get(self, kind: str, record_id: str) -> Document | None:
        return self.by_kind.get(kind, {}).get(record_id)

    def records(self, kind: str) -> Iterator[Document]:
        """Records of ``kind`` rules judge: those that passed their schema, and those whose invalid
        fields were left out (:attr:`partial`), so one bad field does not hide the rest."""
        for doc in self.by_kind.get(kind, {}).values():
            if doc.file not in self.invalid or doc.file in self.partial:
                yield doc

    def strict(self) -> Registry:
        """The same registry with every invalid record hidden from rules, partial ones included:
        for a rule that cannot judge a record with a field left out."""
        return replace(self, partial={})

    def kinds_of(self, record_id: str) -> list[str]:
        """Which kinds hold a record with this id (normally zero or one)."""
        return [kind for kind, index in self.by_kind.items() if record_id in index]


FoundRef = tuple[tuple[str | int, ...], str, tuple[str, ...]]


def field_refs(schemas: Schemas, doc: Document) -> list[FoundRef]:
    """(path, id, kinds) of every reference field of ``doc`` that holds text, in schema order."""
    return [
        (path, value, ref_field.kinds)
        for ref_field in schemas.refs[doc.kind]
        for path, value in iter_pattern(doc.data, ref_field.pattern)
        if isinstance(value, str)
    ]


def prune(data: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """A copy of ``data`` without the ``fields`` (``a.b[2].c``); only the containers on the way are
    copied. A list item that is itself wrong leaves its whole list out, so indices never shift."""
    out = dict(data)
    for text in fields:
        path = parse_path(text)
        if path and isinstance(path[-1], int):
            path = path[:-1]
            while path and isinstance(path[-1], int):
                path = path[:-1]
        if not path:
            continue
        node: Any = out
        for part in path[:-1]:
            child = node[part] if _has(node, part) else None
            if isinstance(child, dict):
                child = dict(child)
            elif isinstance(child, list):
                child = list(child)
            else:
                break
            node[part] = child
            node = child
        else:
            last = path[-1]
            if isinstance(node, dict) and isinstance(last, str):
                node.pop(last, None)
    return out


def _has(node: Any, part: str | int) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
