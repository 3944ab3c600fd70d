"""The warm check: load and schema-check the registry through the cache (:mod:`rectify.cache`).

A file's entry (keyed by its path and bytes) holds what the loader made of it (the data, or that it
could not be used, and the loader's findings) and whether it passed its schema. Positions of fields
that findings were reported at are remembered in the entry too, so a finding on an unchanged file
is located without parsing it again; any other position is found by parsing the file anew.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from rectify.cache import Store, digest, stage_key
from rectify.diagnostics import Diagnostic, PathSeq, Severity
from rectify.load import (
    MAX_BYTES,
    Job,
    LoadResult,
    _read_all,
    _scan_evidence,
    decode,
    load_file,
    record_files,
)
from rectify.model import Document, FoundRef, _locate, field_refs
from rectify.paths import Paths
from rectify.schema import Schemas
from rectify.yamlnodes import compose


@dataclass(slots=True)
class CachedDocument(Document):
    """A document read through the cache: positions asked before come from its entry; others are
    composed from the file (when its bytes still have the entry's key) and remembered for next time."""

    key: bytes = b""
    positions: dict[tuple[str | int, ...], tuple[int, int]] = field(default_factory=dict)
    learned: list[bool] = field(default_factory=list)

    def locate(self, path: PathSeq) -> tuple[int, int]:
        at = tuple(path)
        found = self.positions.get(at)
        if found is None:
            node = _same_file_tree(self.source, self.file, self.key) if self.key else None
            if node is None:  # changed or gone since it was read: located, nothing to remember
                return Document.locate(self, at)
            found = _locate(node, at)
            self.positions[at] = found
            self.learned.append(True)
        return found


_last_tree: list[Any] = [None, None]  # (source, key) → node tree of the record located last


def _same_file_tree(source: str, rel: str, key: bytes) -> Any:
    """The file's node tree, if its bytes still have content key ``key``; a record's findings are
    located together, so the last one composed is kept."""
    if _last_tree[0] == (source, key):
        return _last_tree[1]
    try:
        with open(source, "rb") as handle:
            raw = handle.read()
    except OSError:
        return None
    if digest(rel.encode(), raw) != key:
        return None
    text, _ = decode(raw, rel)
    try:
        node = compose(text) if text is not None else None
    except (yaml.YAMLError, RecursionError):  # it parsed when cached: so it is not the same file
        node = None
    _last_tree[:] = [(source, key), node]
    return node


def _diag_tuple(d: Diagnostic) -> tuple[str, str, str, int, int, str, str]:
    return (d.rule, d.severity.value, d.file, d.line, d.column, d.path, d.message)


def _diag(t: tuple[str, str, str, int, int, str, str]) -> Diagnostic:
    return Diagnostic(t[0], Severity(t[1]), t[2], t[3], t[4], t[5], t[6])


# An entry is a plain list (the cache reads plain values only): kind, data (None: the file could not
# be used), the loader's findings as tuples, schema validity (None: not asked yet), known positions,
# the references in its data (None: not asked yet).
KIND, DATA, PROBLEMS, VALID, POSITIONS, REFS = range(6)


@dataclass(slots=True)
class Warm:
    """One check's use of the cache: the store, and the documents' content keys (for the rules)."""

    store: Store
    keys: dict[str, bytes] = field(default_factory=dict)  # file → content key
    entries: dict[str, list[Any]] = field(default_factory=dict)
    documents: list[CachedDocument] = field(default_factory=list)
    # every record file read through the cache, in walk order: (kind, content key, entry)
    files: dict[str, tuple[str, bytes, list[Any]]] = field(default_factory=dict)
    walk: list[Diagnostic] = field(default_factory=list)  # the walk's own findings (layout)
    unkeyed: bool = False  # a file could not be read or was too large: it has no entry

    @classmethod
    def open(cls, paths: Paths, folder: Path) -> Warm:
        return cls(Store(folder, stage_key(paths.schemas)))

    def load(self, paths: Paths) -> LoadResult:
        """:func:`rectify.load.load_registry`, with each file's result taken from the cache when
        its bytes were seen before; the others are parsed as the loader does (in worker processes
        when there are many), from the very bytes their key was computed from."""
        result = LoadResult()
        store = self.store
        jobs: list[tuple[str, str, str, bytes | None, list[Any] | None]] = []
        misses: list[Job] = []
        enabled = gc.isenabled()
        gc.disable()
        try:
            listing = list(record_files(paths, result))
            self.walk = list(result.diagnostics)
            for path, rel, kind in listing:
                key, entry = self._lookup(path, rel, kind, misses)
                jobs.append((path, rel, kind, key, entry))
            parsed = iter(_read_all(misses))
            for path, rel, kind, key, entry in jobs:
                if key is None:  # unreadable or too large: the loader words it, nothing is cached
                    load_file(path, rel, kind, result)
                    self.unkeyed = True
                    continue
                if entry is None:
                    data, problems = next(parsed)
                    entry = [kind, data, tuple(_diag_tuple(p) for p in problems), None, {}, None]
                    store.put(key, entry, kind, rel)
                self._add(path, rel, kind, key, entry, result)
            _scan_evidence(paths, result)
        finally:
            gc.freeze()
            if enabled:
                gc.enable()
        return result

    def _lookup(
        self, path: str, rel: str, kind: str, misses: list[Job]
    ) -> tuple[bytes | None, list[Any] | None]:
        """(content key, cached entry or None). A miss is queued for parsing with its bytes."""
        store = self.store
        try:
            stat = os.stat(path)
            key = store.known(rel, stat)
            entry = store.get(key, kind, rel) if key is not None else None
            if _usable(entry, kind):
                store.remember(rel, stat, key)  # type: ignore[arg-type]
                return key, entry
            if stat.st_size > MAX_BYTES:
                return None, None
            with open(path, "rb") as handle:
                raw = handle.read()
        except OSError:
            return None, None
        key = digest(rel.encode(), raw)
        store.remember(rel, stat, key)
        entry = store.get(key, kind, rel)
        if _usable(entry, kind):
            return key, entry
        misses.append((path, rel, kind, raw))
        return key, None

    def _add(self, path: str, rel: str, kind: str, key: bytes, entry: list[Any], result: LoadResult) -> None:
        result.diagnostics.extend(_diag(t) for t in entry[PROBLEMS])
        self.files[rel] = (kind, key, entry)
        if entry[DATA] is None:
            result.failed.add(rel)
            return
        doc = CachedDocument(kind, rel, path, entry[DATA], None, key, entry[POSITIONS])
        self.keys[rel] = key
        self.entries[rel] = entry
        self.documents.append(doc)
        result.documents.append(doc)

    def validate(self, schemas: Schemas, doc: Document, suggest: Any) -> list[Diagnostic]:
        """The schema's findings on ``doc``: none when its entry says it is valid; otherwise the
        schema stage runs (its wording may name other records, so it is not kept)."""
        entry = self.entries.get(doc.file)
        if entry is None:
            return schemas.validate(doc, suggest)
        if entry[VALID] is None:
            entry[VALID] = schemas.is_valid(doc)
            self.store.touch(doc.kind, doc.file)
        return [] if entry[VALID] else schemas.validate(doc, suggest)

    def refs_of(self, schemas: Schemas) -> Callable[[Document], list[FoundRef] | None]:
        """For :meth:`Registry.build`: a document's references, kept in its entry (not for a
        document whose invalid fields were left out: its data is not the entry's)."""

        def refs(doc: Document) -> list[FoundRef] | None:
            entry = self.entries.get(doc.file)
            if entry is None or doc.data is not entry[DATA]:
                return None
            if not isinstance(entry[REFS], list):
                entry[REFS] = field_refs(schemas, doc)
                self.store.touch(doc.kind, doc.file)
            found: list[FoundRef] = entry[REFS]
            return found

        return refs

    def save(self) -> None:
        for doc in self.documents:
            if doc.learned and doc.key:
                self.store.touch(doc.kind, doc.file)
        self.store.save()


def _usable(entry: Any, kind: str) -> bool:
    """Whether a value read from the cache has the shape of an entry for a file of ``kind``."""
    return (
        isinstance(entry, list)
        and len(entry) == 6
        and entry[KIND] == kind
        and (entry[DATA] is None or isinstance(entry[DATA], dict))
        and isinstance(entry[PROBLEMS], tuple)
        and isinstance(entry[POSITIONS], dict)
    )
