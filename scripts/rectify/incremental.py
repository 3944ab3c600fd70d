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

from rectify.cache import Store, digest, stage_key
from rectify.diagnostics import Diagnostic, PathSeq, Severity
from rectify.load import (
    MAX_BYTES,
    Document,
    LoadResult,
    _err,
    _kind_for,
    _scan_evidence,
    _walk,
    decode,
    load_file,
    parse,
)
from rectify.model import FoundRef, field_refs
from rectify.paths import Paths
from rectify.schema import Schemas


@dataclass(slots=True)
class CachedDocument(Document):
    """A document whose node tree may be absent (read from the cache): positions come from the
    entry's remembered ones, else from parsing the file again, and are remembered for next time."""

    key: bytes = b""
    positions: dict[tuple[str | int, ...], tuple[int, int]] = field(default_factory=dict)
    learned: list[bool] = field(default_factory=list)

    def locate(self, path: PathSeq) -> tuple[int, int]:
        at = tuple(path)
        found = self.positions.get(at)
        if found is None:
            if self.root is None:
                self.root = _reparse(self.path, self.file, self.key)
                if self.root is None:  # changed or gone since it was read: nothing to remember
                    self.root = _reparse(self.path, self.file, None)
                    self.key = b""
            found = Document.locate(self, at) if self.root is not None else (1, 1)
            if self.key and self.root is not None:
                self.positions[at] = found
                self.learned.append(True)
        return found


def _reparse(path: Path, rel: str, key: bytes | None) -> Any:
    """The node tree of the file, if its bytes still have content key ``key`` (any, if None)."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError:
        return None
    if key is not None and digest(rel.encode(), raw) != key:
        return None
    text, _ = decode(raw, rel)
    return parse(text, rel)[1] if text is not None else None


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

    @classmethod
    def open(cls, paths: Paths, folder: Path) -> Warm:
        return cls(Store(folder, stage_key(paths.schemas)))

    def load(self, paths: Paths) -> LoadResult:
        """:func:`rectify.load.load_registry`, with each file's result taken from the cache when
        its bytes were seen before."""
        result = LoadResult()
        enabled = gc.isenabled()
        gc.disable()
        try:
            for path, rel, rel_parts in _walk(paths, result):
                result.files += 1
                kind, problem = _kind_for(rel_parts)
                if kind is None:
                    result.diagnostics.append(_err("R-layout", rel, 1, 1, problem or "位置不对"))
                    result.failed.add(rel)
                    continue
                self._load_file(path, rel, kind, result)
            _scan_evidence(paths, result)
        finally:
            gc.freeze()
            if enabled:
                gc.enable()
        return result

    def _load_file(self, path: str, rel: str, kind: str, result: LoadResult) -> None:
        store = self.store
        try:
            stat = os.stat(path)
            key = store.known(rel, stat)
            entry = store.get(key) if key is not None else None
            root = None
            if not _usable(entry, kind):
                if stat.st_size > MAX_BYTES:
                    raise OSError  # the loader words it
                with open(path, "rb") as handle:
                    raw = handle.read()
                key = digest(rel.encode(), raw)
                entry = store.get(key)
                if not _usable(entry, kind):
                    entry, root = _entry(raw, rel, kind)
                    store.put(key, entry)
            assert key is not None and entry is not None
            store.remember(rel, stat, key)
        except OSError:
            load_file(path, rel, kind, result)  # unreadable or too large: not cached
            return
        result.diagnostics.extend(_diag(t) for t in entry[PROBLEMS])
        if entry[DATA] is None:
            result.failed.add(rel)
            return
        tree: Any = root  # None until a position is asked that the entry does not know
        doc = CachedDocument(kind, rel, Path(path), entry[DATA], tree, key, entry[POSITIONS])
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
            self.store.touch(self.keys[doc.file])
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
                self.store.touch(self.keys[doc.file])
            found: list[FoundRef] = entry[REFS]
            return found

        return refs

    def save(self) -> None:
        for doc in self.documents:
            if doc.learned and doc.key:
                self.store.touch(doc.key)
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


def _entry(raw: bytes, rel: str, kind: str) -> tuple[list[Any], Any]:
    """Load one file's bytes as the loader does (:func:`rectify.load.load_file`): the entry, and the
    node tree while it is at hand."""
    text, problem = decode(raw, rel)
    if text is None:
        assert problem is not None
        return [kind, None, (_diag_tuple(problem),), None, {}, None], None
    data, root, problems = parse(text, rel)
    found = tuple(_diag_tuple(p) for p in problems)
    if data is None or root is None:
        return [kind, None, found, None, {}, None], None
    return [kind, data, found, None, {}, None], root
