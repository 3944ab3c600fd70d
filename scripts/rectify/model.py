"""The registry's own types: a record (:class:`Document`) and the loaded registry, records indexed
by kind and id with their references both ways. Built once from the loader's documents and the
schemas' reference fields; the only file access is re-reading a record's positions for a finding."""

from __future__ import annotations

import os
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from rectify.diagnostics import Diagnostic, PathSeq, Severity, format_path, parse_path
from rectify.schema import Schemas, iter_pattern
from rectify.suggest import Suggester
from rectify.yamlnodes import compose

MARKS_KEPT = 32  # node trees of recently located files (findings come grouped by record)
_marks: OrderedDict[tuple[Any, ...], yaml.Node | None] = OrderedDict()


def _compose_marks(source: str, text: str | None) -> yaml.Node | None:
    """The node tree of a record, composed again from ``text`` or the file; None when it cannot be."""
    if text is None:
        try:
            stat = os.stat(source)
        except OSError:
            return None
        key: tuple[Any, ...] = (source, stat.st_mtime_ns, stat.st_size)
    else:
        key = (source, text)
    if key in _marks:
        _marks.move_to_end(key)
        return _marks[key]
    node: yaml.Node | None = None
    try:
        if text is None:
            with open(source, "rb") as handle:
                raw = handle.read()
            text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
        node = compose(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError):
        node = None
    _marks[key] = node
    if len(_marks) > MARKS_KEPT:
        _marks.popitem(last=False)
    return node


@dataclass(slots=True)
class Document:
    """One registry record: its kind, where it lives (``file`` relative to the repository root,
    ``source`` on disk) and its data. Positions are not kept — a node tree costs several times the
    data, and most records have no finding: :meth:`locate` composes the record again (from ``text``
    when the record is not the file on disk: a base revision, an edit not yet written)."""

    kind: str
    file: str  # POSIX path relative to the repository root
    source: str  # the file on disk
    data: dict[str, Any]
    text: str | None = None

    @property
    def path(self) -> Path:
        return Path(self.source)

    @property
    def id(self) -> str | None:
        value = self.data.get("id")
        return value if isinstance(value, str) else None

    @property
    def root(self) -> yaml.Node | None:
        """The record's node tree (line and column marks), composed on demand."""
        return _compose_marks(self.source, self.text)

    def locate(self, path: PathSeq) -> tuple[int, int]:
        """Line and column (1-based) of the field at ``path``: the key for a mapping entry, the
        item for a list element; the deepest existing ancestor when the field is absent."""
        return _locate(self.root, path)

    def diagnostic(self, rule: str, severity: Severity, path: PathSeq, message: str) -> Diagnostic:
        if _deferred is not None:  # located later, with the record's other findings
            found = Diagnostic(rule, severity, self.file, 0, 0, format_path(path), message)
            _deferred.append((found, self, tuple(path)))
            return found
        line, column = self.locate(path)
        return Diagnostic(rule, severity, self.file, line, column, format_path(path), message)


def _locate(node: yaml.Node | None, path: PathSeq) -> tuple[int, int]:
    if node is None:
        return 1, 1
    mark = node.start_mark
    for part in path:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            for key, value in node.value:
                if key.value == part:
                    mark, node = key.start_mark, value
                    break
            else:
                break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
            mark = node.start_mark
        else:
            break
    return mark.line + 1, mark.column + 1


_deferred: list[tuple[Diagnostic, Document, tuple[str | int, ...]]] | None = None


@contextmanager
def positions_later() -> Iterator[Callable[[list[Diagnostic]], list[Diagnostic]]]:
    """Within the block, findings made with :meth:`Document.diagnostic` are not located at once;
    the function yielded locates them afterwards, grouped by record, so each record with findings
    is composed once however many rules report on it (rules run one after another over all records)."""
    global _deferred
    outer, _deferred = _deferred, []
    pending = _deferred

    def locate(found: list[Diagnostic]) -> list[Diagnostic]:
        wanted = {id(d) for d in found}  # only these are placed (a scoped check or an import keeps few)
        by_doc: dict[int, list[tuple[Diagnostic, Document, tuple[str | int, ...]]]] = defaultdict(list)
        for entry in pending:
            if id(entry[0]) in wanted:
                by_doc[id(entry[1])].append(entry)
        located: dict[int, Diagnostic] = {}
        for entries in by_doc.values():  # one record's findings together: composed once (kept)
            for diag, doc, path in entries:
                line, column = doc.locate(path)
                located[id(diag)] = replace(diag, line=line, column=column)
        return [located.get(id(d), d) for d in found]

    try:
        yield locate
    finally:
        _deferred = outer


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
    # The files whose findings are wanted (the delta check's); the others are context, and a rule may
    # skip work whose findings would be on them only. None: every file's.
    focus: set[str] | None = None

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
