"""The loaded registry: records indexed by kind and id, with their references both ways. Pure:
no file access; built once from the loader's documents and the schemas' reference fields."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from rectify.load import Document
from rectify.schema import Schemas, iter_pattern


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
    companions: set[str] = field(default_factory=set)  # plan texts and other non-record files
    texts: dict[str, str] = field(default_factory=dict)  # their contents (relative path → text)
    by_kind: dict[str, dict[str, Document]] = field(default_factory=dict)
    duplicates: list[Document] = field(default_factory=list)  # later records reusing an id
    references: list[Reference] = field(default_factory=list)
    referrers: dict[str, list[Reference]] = field(default_factory=dict)
    standards: dict[str, dict[str, Any]] = field(default_factory=dict)
    jurisdiction: Document | None = None
    evidence: dict[str, Any] = field(default_factory=dict)  # registry/evidence/<id>/<name> → FileFacts

    @classmethod
    def build(
        cls,
        documents: list[Document],
        schemas: Schemas,
        invalid: set[str],
        companions: set[str] | None = None,
    ) -> Registry:
        registry = cls(documents=documents, schemas=schemas, invalid=invalid, companions=companions or set())
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
            for ref_field in schemas.refs[doc.kind]:
                for path, value in iter_pattern(doc.data, ref_field.pattern):
                    if isinstance(value, str):
                        ref = Reference(doc, path, value, ref_field.kinds)
                        registry.references.append(ref)
                        referrers[value].append(ref)
        registry.by_kind = dict(by_kind)
        registry.referrers = dict(referrers)
        return registry

    def get(self, kind: str, record_id: str) -> Document | None:
        return self.by_kind.get(kind, {}).get(record_id)

    def records(self, kind: str) -> Iterator[Document]:
        """Records of ``kind`` that passed their schema (rules skip the others)."""
        for doc in self.by_kind.get(kind, {}).values():
            if doc.file not in self.invalid:
                yield doc

    def kinds_of(self, record_id: str) -> list[str]:
        """Which kinds hold a record with this id (normally zero or one)."""
        return [kind for kind, index in self.by_kind.items() if record_id in index]
