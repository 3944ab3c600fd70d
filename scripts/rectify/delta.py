"""The delta check: after a few files changed, judge only what they can change (issue 13).

Every cached check leaves a *snapshot* in the cache folder (``delta/``): for each record file its
content key and facts (kind, id, the ids it names, whether it is valid, what "您是不是要写" knows of
it), an index of ids (the files holding each id, and the files naming it), and every finding and skip
by file. The next check compares the files' content keys with the snapshot's (a stat of each file,
as :mod:`rectify.cache` does). When a few records changed, it loads only the records that the
rules' declared reads (:class:`rectify.rules.Reads`) reach from them, runs the rules on that part of
the registry, keeps each rule's findings on the records it could have changed, and takes every
other finding from the snapshot; then it brings the snapshot up to date.

Whatever it cannot bound falls back to the full check (:func:`rectify.check.run_check`), which
writes a whole snapshot: a changed schema, rectify or date; a change to ``jurisdiction.yaml``,
``standards.yaml``, the calendar, a plan text, an attachment or a misplaced file; more changed
files than :data:`MAX_CHANGED` allows; more records to load than :data:`MAX_LOADED` of the registry;
a rule that fails; a file that cannot be read. The output is always that of a cold check (the
property test in ``tests/test_cache.py`` compares them byte for byte).
"""

from __future__ import annotations

import datetime as dt
import marshal
import os
import threading
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from rectify.cache import Store, bucket, digest, stage_key
from rectify.check import Judged, judge, tracking
from rectify.diagnostics import Diagnostic, Severity
from rectify.incremental import DATA, POSITIONS, PROBLEMS, REFS, VALID, CachedDocument, Warm, _usable
from rectify.load import MAX_BYTES, LoadResult, read_record, record_files
from rectify.model import Document, Registry, field_refs, positions_later
from rectify.paths import Paths
from rectify.rules import RULES, Context, Reads, Rule, Skip, run_rule, run_rules
from rectify.schema import Schemas
from rectify.suggest import Suggester

FORMAT = 2
SINGLETONS = ("calendar", "jurisdiction", "standards")  # every rule may read them: a change → full check
MAX_CHANGED = 0.02  # of the record files, at least MIN_CHANGED: more changed files → full check
MIN_CHANGED = 64
MAX_LOADED = 0.35  # of the record files: a delta that must load more is not quicker than a full check
MIN_LOADED = 2_000  # records: a delta may always load this many
ID_PARTS = 128

Row = tuple[str, str, str, int, int, str, str]  # a finding as stored
# A file's facts: (content key, id, ids it names, state, suggester entry). State: "ok", "invalid",
# "failed" (could not be read as a record) or the fields left out of a partial record.
Fact = tuple[bytes, str | None, tuple[str, ...], Any, tuple[str, str, str] | None]
# A file's findings: (loader and schema findings, rule → findings, skips as (rule, fields)).
Found = tuple[tuple[Row, ...], dict[str, tuple[Row, ...]], tuple[tuple[str, tuple[str, ...]], ...]]


def _row(d: Diagnostic) -> Row:
    return (d.rule, d.severity.value, d.file, d.line, d.column, d.path, d.message)


def _diag(t: Row) -> Diagnostic:
    return Diagnostic(t[0], Severity(t[1]), t[2], t[3], t[4], t[5], t[6])


def _world(store: Store, today: dt.date) -> bytes:
    return digest(b"delta", str(FORMAT).encode(), store.key, today.isoformat().encode())


def _facts_part(kind: str, rel: str) -> str:
    return f"delta/facts/{bucket(kind, rel)}"


ID_INDEXES = ("owners", "named")  # id → the files holding it; id → the files naming it


def _id_part(which: int, record_id: str) -> str:
    return f"delta/{ID_INDEXES[which]}/{zlib.crc32(record_id.encode()) % ID_PARTS:02x}"


def _extra(walk: list[Diagnostic], loaded: LoadResult) -> bytes:
    """What the check reads besides the records: the walk's own findings (misplaced files), the plan
    texts and the attachments' facts. Any change here → full check."""
    parts = [repr(sorted(_row(d) for d in walk)).encode(), repr(sorted(loaded.companions)).encode()]
    parts += [repr(sorted(loaded.texts.items())).encode(), repr(sorted(loaded.evidence.items())).encode()]
    return digest(*parts)


def _suggestion(data: dict[str, Any] | None) -> tuple[str, str, str] | None:
    """What :class:`Suggester` reads of a record: (id, name, organization)."""
    if data is None or not isinstance(data.get("id"), str):
        return None
    name, org = data.get("name"), data.get("organization")
    return (data["id"], name if isinstance(name, str) else "", org if isinstance(org, str) else "")


def _state(rel: str, invalid: set[str], partial: dict[str, tuple[str, ...]], failed: bool) -> Any:
    if failed:
        return "failed"
    if rel in partial:
        return partial[rel]
    return "invalid" if rel in invalid else "ok"


# -- the snapshot, written by the full check --------------------------------------------------------


def record(
    warm: Warm,
    registry: Registry,
    diagnostics: list[Diagnostic],
    found: list[Diagnostic],
    skips: list[Skip],
    today: dt.date,
) -> None:
    """Write the whole snapshot of a full cached check (its findings are all located)."""
    store = warm.store
    loaded_extra = LoadResult(
        companions=registry.companions, texts=registry.texts, evidence=registry.evidence
    )
    refs: dict[str, list[str]] = defaultdict(list)
    for ref in registry.references:
        refs[ref.source.file].append(ref.target)
    docs = {doc.file: doc for doc in registry.documents}
    facts: dict[str, dict[str, Fact]] = defaultdict(dict)
    ids: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))

    for rel, (kind, key, entry) in warm.files.items():
        doc = docs.get(rel)
        record_id = doc.id if doc is not None else None
        named = tuple(dict.fromkeys(refs.get(rel, ())))
        state = _state(rel, registry.invalid, registry.partial, entry[DATA] is None)
        facts[_facts_part(kind, rel)][rel] = (key, record_id, named, state, _suggestion(entry[DATA]))
        if record_id is not None:
            ids[_id_part(0, record_id)][record_id].add(rel)
        for target in named:
            ids[_id_part(1, target)][target].add(rel)
    for name, part in facts.items():
        store.put_part(name, part)
    for name, id_part in ids.items():
        store.put_part(name, dict(id_part))
    by_file: dict[str, list[Any]] = defaultdict(lambda: [[], defaultdict(list), []])
    for d in diagnostics[len(warm.walk) :]:
        by_file[d.file][0].append(_row(d))
    for d in found:
        by_file[d.file][1][d.rule].append(_row(d))
    for s in skips:
        by_file[s.file][2].append((s.rule, s.fields))
    store.put_part("delta/found", {f: _frozen(v) for f, v in by_file.items()})
    store.head = {
        "hinted": _unresolved(registry, None),
        "format": FORMAT,
        "world": _world(store, today),
        "extra": _extra(warm.walk, loaded_extra),
        "parts": sorted({*facts, *ids}),
        "invalid": tuple(sorted(registry.invalid)),
        "partial": dict(registry.partial),
    }


def _unresolved(registry: Registry, files: set[str] | None) -> dict[str, tuple[str, ...]]:
    """The kinds of the references of ``files`` (all: None) that do not resolve: their R-ref
    finding suggests ids and names of those kinds, so it changes when one of them changes."""
    out: dict[str, set[str]] = defaultdict(set)
    for ref in registry.references:
        source = ref.source.file
        if "standard" in ref.kinds or (files is not None and source not in files):
            continue
        if not any(registry.get(kind, ref.target) is not None for kind in ref.kinds):
            out[source].update(ref.kinds)
    return {file: tuple(sorted(kinds)) for file, kinds in out.items()}


def _frozen(value: list[Any]) -> Found:
    stage, ruled, skipped = value
    return (tuple(stage), {rule: tuple(rows) for rule, rows in ruled.items()}, tuple(skipped))


# -- the delta check ----------------------------------------------------------------------------------


_NONE: set[str] = set()


class _Fallback(Exception):
    """The delta check cannot bound this change: the full check runs."""


@dataclass(slots=True)
class _Change:
    rel: str
    kind: str
    old: Fact | None  # None: a new file
    new: Fact | None  # None: the file is gone
    entry: list[Any] | None = None
    doc: Document | None = None  # as rules see it (left-out fields pruned)


@dataclass(slots=True)
class _Snapshot:
    """The snapshot as read, and as it becomes."""

    store: Store
    head: dict[str, Any]
    facts: dict[str, dict[str, Fact]] = field(default_factory=dict)  # part → rel → fact
    ids: dict[str, dict[str, set[str]]] = field(default_factory=dict)  # part → id → files
    changed_parts: set[str] = field(default_factory=set)

    def _part(self, name: str, into: dict[str, Any]) -> Any:
        if name not in into:
            value = self.store.part(name)
            if not isinstance(value, dict):
                if name in self.head["parts"]:
                    raise _Fallback(name)  # a part the snapshot had is missing or damaged
                value = {}
            into[name] = value
        return into[name]

    def fact(self, kind: str, rel: str) -> Fact | None:
        found = self._part(_facts_part(kind, rel), self.facts).get(rel)
        if found is not None and not (isinstance(found, tuple) and len(found) == 5):
            raise _Fallback(rel)
        return found

    def set_fact(self, kind: str, rel: str, fact: Fact | None) -> None:
        name = _facts_part(kind, rel)
        part = self._part(name, self.facts)
        if fact is None:
            part.pop(rel, None)
        else:
            part[rel] = fact
        self.changed_parts.add(name)

    def _files(self, which: int, record_id: str) -> set[str]:
        found = self._part(_id_part(which, record_id), self.ids).get(record_id, _NONE)
        if not isinstance(found, set):
            raise _Fallback(record_id)
        return found

    def owners(self, record_id: str) -> set[str]:
        """The files holding this id."""
        return self._files(0, record_id)

    def naming(self, record_id: str) -> set[str]:
        """The files naming this id."""
        return self._files(1, record_id)

    def move(self, rel: str, old: Fact | None, new: Fact | None) -> None:
        """Bring the id index up to date with one file's change (most edits change neither the
        record's id nor what it names)."""
        old_id, new_id = (old[1] if old else None), (new[1] if new else None)
        old_refs, new_refs = set(old[2] if old else ()), set(new[2] if new else ())
        if old_id != new_id:
            if old_id is not None:
                self._edit(0, old_id, rel, False)
            if new_id is not None:
                self._edit(0, new_id, rel, True)
        for target in old_refs - new_refs:
            self._edit(1, target, rel, False)
        for target in new_refs - old_refs:
            self._edit(1, target, rel, True)

    def _edit(self, which: int, record_id: str, rel: str, add: bool) -> None:
        name = _id_part(which, record_id)
        part = self._part(name, self.ids)
        files = part.get(record_id)
        if files is None:
            files = part[record_id] = set()
        if add:
            files.add(rel)
        else:
            files.discard(rel)
            if not files:
                del part[record_id]
        self.changed_parts.add(name)


class _AllRecords:
    """The suggester of the whole registry, built from the snapshot's facts only when a message
    needs a hint (a reference that does not resolve)."""

    def __init__(self, build: Callable[[], Suggester]) -> None:
        self._build = build
        self._real: Suggester | None = None

    def hint(self, value: str, kinds: tuple[str, ...]) -> str:
        if self._real is None:
            self._real = self._build()
        return self._real.hint(value, kinds)


OUTCOME: list[str] = [""]  # how the last delta check ended: "delta", or why the full check ran


def delta_check(paths: Paths, today: dt.date, folder: Path) -> Judged | None:
    """The check's findings by the delta, or None when the full check must run."""
    store = Store(folder, stage_key(paths.schemas))
    head = store.read_head()
    fits = isinstance(head, dict) and head.get("format") == FORMAT
    if not fits or head.get("world") != _world(store, today):
        OUTCOME[0] = "no snapshot for this date, schemas and rectify"
        return None
    try:
        found = _Delta(paths, today, store, head).run()
    except _Fallback as why:
        OUTCOME[0] = str(why)
        return None
    OUTCOME[0] = "delta"
    return found


class _Delta:
    def __init__(self, paths: Paths, today: dt.date, store: Store, head: dict[str, Any]) -> None:
        self.paths = paths
        self.today = today
        self.store = store
        self.snap = _Snapshot(store, head)
        self.kinds: dict[str, str] = {}  # every record file now, in walk order → kind
        self.order: dict[str, int] = {}
        self.of_kind: dict[str, list[str]] = defaultdict(list)
        self.changes: dict[str, _Change] = {}
        self._schemas: Schemas | None = None
        self.loaded: list[Document] = []  # read from the cache: positions they learn are kept
        self.stage: dict[str, list[Diagnostic]] = {}  # changed file → the loader's and schema's findings
        self.hint = _AllRecords(self._suggester)
        self._refs: dict[str, list[Any]] = {}  # file → its references, as the cache kept them

    @property
    def schemas(self) -> Schemas:
        if self._schemas is None:
            self._schemas = Schemas(self.paths.schemas)
        return self._schemas

    # -- what changed ------------------------------------------------------------------------------
    def run(self) -> Judged:
        loaded = LoadResult()
        listing = list(record_files(self.paths, loaded))
        walk = list(loaded.diagnostics)
        store = self.store
        raws: dict[str, tuple[str, bytes]] = {}
        kinds, order, of_kind = self.kinds, self.order, self.of_kind
        for number, (_, rel, kind) in enumerate(listing):
            kinds[rel] = kind
            order[rel] = number
            of_kind[kind].append(rel)
        store.seen = {rel: entry for rel, entry in store.index.items() if rel in kinds}
        keys = _KeysOf(store.seen)
        for number in _differing(listing, store.index):  # stat changed, new file, or not readable
            path, rel, kind = listing[number]
            try:
                stat = os.stat(path)
                if stat.st_size > MAX_BYTES:
                    raise _Fallback(rel)
                with open(path, "rb") as handle:
                    raw = handle.read()
            except OSError as exc:
                raise _Fallback(rel) from exc
            key = digest(rel.encode(), raw)
            before = store.index.get(rel)
            if before is None or before[4] != key:
                raws[rel] = (path, raw)
            store.remember(rel, stat, key)
        gone = [rel for rel in store.index if rel not in self.kinds]
        limit = max(MIN_CHANGED, int(len(listing) * MAX_CHANGED))
        if len(raws) + len(gone) > limit:
            raise _Fallback("too many changes")
        for rel in [*raws, *gone]:
            found_kind = self.kinds.get(rel) or _kind_of(self.paths, rel)
            if found_kind is None or found_kind in SINGLETONS:
                raise _Fallback(rel)
        self._evidence(loaded, keys)
        if _extra(walk, loaded) != self.snap.head["extra"]:
            raise _Fallback("extra")
        found = self.store.part("delta/found")
        if not isinstance(found, dict):
            raise _Fallback("found")
        if raws or gone:
            self._changes(raws, gone, keys, found, loaded)
        found_now = found if not self.changes else self._judge(found, loaded)
        return self._result(found_now, walk, loaded)

    def _evidence(self, loaded: LoadResult, keys: _KeysOf) -> None:
        """The attachments' facts, scanned with the jurisdiction's limits (from its cached entry)."""
        from rectify.evidence.scan import scan

        jurisdiction = None
        for rel, kind in self.kinds.items():
            if kind == "jurisdiction":
                entry = self.store.get(keys[rel], kind, rel)
                if not _usable(entry, kind):
                    raise _Fallback(rel)
                jurisdiction = entry[DATA]
                break
        loaded.evidence = scan(self.paths.registry, jurisdiction)

    def _changes(
        self,
        raws: dict[str, tuple[str, bytes]],
        gone: list[str],
        keys: _KeysOf,
        found: dict[str, Found],
        loaded: LoadResult,
    ) -> None:
        """Each changed file's old and new facts; the new ones judged by the loader and the schema."""
        snap, store = self.snap, self.store
        for rel in gone:
            kind = _kind_of(self.paths, rel) or ""
            self.changes[rel] = _Change(rel, kind, snap.fact(kind, rel), None)
        docs: list[Document] = []
        said: list[Diagnostic] = []
        failed: set[str] = set()
        for rel, (path, raw) in raws.items():
            kind = self.kinds[rel]
            change = _Change(rel, kind, snap.fact(kind, rel), None)
            key = keys[rel]
            entry = store.get(key, kind, rel)
            if not _usable(entry, kind):
                data, problems = read_record(path, rel, raw)
                entry = [kind, data, tuple(_row(p) for p in problems), None, {}, None]
                store.put(key, entry, kind, rel)
            change.entry = entry
            said += [_diag(t) for t in entry[PROBLEMS]]
            if entry[DATA] is None:
                failed.add(rel)
            else:
                docs.append(CachedDocument(kind, rel, path, entry[DATA], None, key, entry[POSITIONS]))
            self.changes[rel] = change

        def validate(doc: Document) -> list[Diagnostic]:
            entry = self.changes[doc.file].entry
            assert entry is not None
            if entry[VALID] is None:
                entry[VALID] = self.schemas.is_valid(doc)
                store.touch(doc.kind, doc.file)
            return [] if entry[VALID] else self.schemas.validate(doc, self.hint)

        judged, problems, invalid, partial = judge(docs, said, failed, validate)
        by_file: dict[str, list[Diagnostic]] = defaultdict(list)
        for d in [*said, *problems]:
            by_file[d.file].append(d)
        self.stage = {rel: by_file.get(rel, []) for rel in raws}
        for judged_doc in judged:
            self.changes[judged_doc.file].doc = judged_doc
        for rel in raws:
            change = self.changes[rel]
            assert change.entry is not None
            named: tuple[str, ...] = ()
            if change.doc is not None:
                named = tuple(dict.fromkeys(value for _, value, _ in field_refs(self.schemas, change.doc)))
            state = _state(rel, invalid, partial, change.entry[DATA] is None)
            record_id = change.doc.id if change.doc is not None else None
            change.new = (keys[rel], record_id, named, state, _suggestion(change.entry[DATA]))

    def _suggester(self) -> Suggester:
        """From every file's facts (all parts are read: only a wrong reference asks for this)."""
        entries = []
        for rel, kind in self.kinds.items():
            change = self.changes.get(rel)
            if change is not None:  # asked while the changed files are judged: from their data
                known = _suggestion(change.entry[DATA]) if change.entry is not None else None
            else:
                fact = self.snap.fact(kind, rel)
                known = fact[4] if fact is not None else None
            if known is not None:
                record_id, name, org = known
                data = {"id": record_id, "name": name, "organization": org}
                entries.append(SimpleNamespace(kind=kind, data=data))
        return Suggester.from_documents(entries)

    # -- what the change reaches ---------------------------------------------------------------------
    def _fact_now(self, rel: str) -> Fact | None:
        change = self.changes.get(rel)
        if change is not None:
            return change.new
        kind = self.kinds.get(rel)
        return self.snap.fact(kind, rel) if kind is not None else None

    def _affected(
        self, reads: Reads, rule_id: str, found: dict[str, Found], limit: int
    ) -> tuple[set[str], set[str]]:
        """(the record files whose findings under the rule may change, the ids whose attachments'
        findings may change)."""
        snap = self.snap
        everything = "*" in reads.on

        def judged_here(rel: str) -> bool:
            return rel in self.kinds and (everything or self.kinds[rel] in reads.on)

        out = {rel for rel, c in self.changes.items() if c.new is not None}
        changed_kinds = {c.kind for c in self.changes.values()}
        if changed_kinds & set(reads.kinds):
            out.update(self.kinds if everything else (r for k in reads.on for r in self.of_kind.get(k, ())))
        ids = {f[1] for c in self.changes.values() for f in (c.old, c.new) if f is not None and f[1]}

        def ids_of(kinds: tuple[str, ...]) -> set[str]:
            """The ids (before and after) of the changed records of these kinds."""
            return {
                f[1]
                for c in self.changes.values()
                if "*" in kinds or c.kind in kinds
                for f in (c.old, c.new)
                if f is not None and f[1]
            }

        chain = _chain(reads)
        for hop in range(1, len(chain) + 1):  # records reaching a changed record in `hop` references
            frontier = ids_of(chain[hop - 1])
            for step in range(hop - 1, 0, -1):
                through: set[str] = set()
                for record_id in frontier:
                    for rel in snap.naming(record_id):
                        fact = (
                            self._fact_now(rel)
                            if ("*" in chain[step - 1] or self.kinds.get(rel) in chain[step - 1])
                            else None
                        )
                        if fact is not None and fact[1]:
                            through.add(fact[1])
                if len(through) > limit:
                    raise _Fallback("too much to load")
                frontier = through
            for record_id in frontier:
                out.update(snap.naming(record_id))
        if reads.referrers:  # records a changed referrer names, or named before
            for c in self.changes.values():
                if "*" not in reads.referrers and c.kind not in reads.referrers:
                    continue
                for fact in (c.old, c.new):
                    for target in fact[2] if fact is not None else ():
                        out.update(snap.owners(target))
        for record_id in ids:  # records sharing an id: which of them is the one shown may change
            out.update(snap.owners(record_id))
        if reads.hints:  # a suggestion names ids and names of the kinds a reference wants
            changed = self._suggested_kinds()
            hinted = self.snap.head.get("hinted")
            if not isinstance(hinted, dict):
                raise _Fallback("hinted")
            out |= {rel for rel, kinds in hinted.items() if changed.intersection(kinds)}
        return {rel for rel in out if judged_here(rel)}, (ids if reads.evidence else set())

    def _suggested_kinds(self) -> set[str]:
        """The kinds whose suggestion entries changed (people are shown with their body's name)."""
        kinds = {
            c.kind for c in self.changes.values() if c.old is None or c.new is None or c.old[4] != c.new[4]
        }
        if kinds & {"organization", "enterprise"}:
            kinds.add("person")
        return kinds

    def _suggestions_changed(self) -> bool:
        return any(c.old is None or c.new is None or c.old[4] != c.new[4] for c in self.changes.values())

    def _needed(self, reads: Reads, targets: set[str], limit: int) -> set[str]:
        """The records the rule reads when it judges ``targets`` (more than ``limit``: fall back)."""
        snap = self.snap
        chain = _chain(reads)
        out = set(targets)
        for kind in reads.kinds:
            out.update(self.of_kind.get(kind, ()))

        def of(kinds: tuple[str, ...], files: Iterable[str]) -> Iterator[str]:
            for rel in files:
                if rel in self.kinds and ("*" in kinds or self.kinds[rel] in kinds):
                    yield rel

        for rel in targets:
            if len(out) > limit:
                raise _Fallback("too much to load")
            fact = self._fact_now(rel)
            if fact is None:
                continue
            frontier = {rel}
            for level in chain:  # what it names, what those name, …
                reached: set[str] = set()
                for source in frontier:
                    source_fact = fact if source == rel else self._fact_now(source)
                    for target in source_fact[2] if source_fact is not None else ():
                        reached.update(of(level, snap.owners(target)))
                out |= reached
                frontier = reached
            if fact[1] is not None:
                if reads.referrers:
                    out.update(of(reads.referrers, snap.naming(fact[1])))
                out.update(snap.owners(fact[1]))  # the first of them is the one rules see
        return out

    # -- judging the part reached ---------------------------------------------------------------------
    def _judge(self, found: dict[str, Found], loaded: LoadResult) -> dict[str, Found]:
        snap = self.snap
        for change in self.changes.values():  # the id index as it is now
            snap.move(change.rel, change.old, change.new)
        plan: dict[str, tuple[set[str], set[str]]] = {}
        needed: set[str] = set()
        limit = max(MIN_LOADED, int(len(self.kinds) * MAX_LOADED))
        for entry in RULES.values():
            if entry.run is None:
                continue
            if entry.depends is None:
                raise _Fallback(entry.id)
            targets, ids = self._affected(entry.depends, entry.id, found, limit)
            if not targets and not ids:
                continue
            if len(targets) > limit:  # known before reading what they name
                raise _Fallback("too much to load")
            plan[entry.id] = (targets, ids)
            needed |= self._needed(entry.depends, targets, limit)
            if ids:
                needed |= {rel for i in ids for rel in snap.owners(i)}
            if len(needed) > limit:
                raise _Fallback("too much to load")
        needed.update(rel for kind in SINGLETONS for rel in self.of_kind.get(kind, ()))
        registry = self._registry(needed, loaded)
        context = Context(today=self.today)
        raised: set[str] = set()

        def runner(entry: Rule, reg: Registry, ctx: Context) -> list[Diagnostic]:
            if entry.id not in plan:
                return []
            reg.focus = plan[entry.id][0]
            try:
                return run_rule(entry, reg, ctx)
            finally:
                reg.focus = None

        with positions_later() as locate:
            try:
                new_found, new_skips = run_rules(registry, context, tracking(runner, raised))
            except Exception as exc:  # the full check meets it too, and reports it as it does
                raise _Fallback("a rule failed") from exc
            if raised:
                raise _Fallback("a rule failed")
            kept = [d for d in new_found if _within(plan.get(d.rule), d.file)]
            kept = locate(kept)
        out = dict(found)
        self._restage(out)
        hinted = dict(self.snap.head["hinted"])
        hinting = [rule_id for rule_id in plan if (RULES[rule_id].depends or Reads(on=())).hints]
        judged = {rel for rule_id in hinting for rel in plan[rule_id][0]}
        for rel in judged | set(self.changes):
            hinted.pop(rel, None)
        hinted.update(_unresolved(registry, judged))
        self.hinted = hinted
        ruled: dict[str, dict[str, list[Row]]] = defaultdict(lambda: defaultdict(list))
        for d in kept:
            ruled[d.file][d.rule].append(_row(d))
        skipped: dict[str, dict[str, list[tuple[str, tuple[str, ...]]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for s in new_skips:
            if _within(plan.get(s.rule), s.file):
                skipped[s.file][s.rule].append((s.rule, s.fields))
        touched = {rel for rule_id, (targets, _) in plan.items() for rel in targets}
        touched |= {f for f in out if f.startswith(_EVIDENCE) and any(_within(p, f) for p in plan.values())}
        touched |= set(ruled) | set(skipped)
        for rel in touched:
            stage, rules, skips = out.get(rel, ((), {}, ()))
            rules = dict(rules)
            skip_list = list(skips)
            for rule_id, (targets, ids) in plan.items():
                if _within((targets, ids), rel):
                    rules.pop(rule_id, None)
                    skip_list = [s for s in skip_list if s[0] != rule_id]
            for rule_id, rows in ruled.get(rel, {}).items():
                rules[rule_id] = tuple(rows)
            for entries in skipped.get(rel, {}).values():
                skip_list += entries
            self._put(out, rel, (stage, rules, tuple(_skip_order(skip_list))))
        for rel, change in self.changes.items():
            if change.new is None:
                out.pop(rel, None)
        self._save(out)
        return out

    def _registry(self, needed: set[str], loaded: LoadResult) -> Registry:
        """The registry of the ``needed`` records, as the full check has them."""
        store = self.store
        documents: list[Document] = []
        invalid: set[str] = set()
        partial: dict[str, tuple[str, ...]] = {}
        registry_root = str(self.paths.root)
        for rel in sorted(needed, key=self.order.__getitem__):
            change = self.changes.get(rel)
            doc: Document | None
            if change is not None:
                fact = change.new
                doc = change.doc
            else:
                kind = self.kinds[rel]
                fact = self.snap.fact(kind, rel)
                if fact is None:
                    raise _Fallback(rel)
                entry = store.get(fact[0], kind, rel)
                if not _usable(entry, kind):
                    raise _Fallback(rel)
                doc = None
                if entry[DATA] is not None:
                    source = os.path.join(registry_root, rel)
                    doc = CachedDocument(kind, rel, source, entry[DATA], None, fact[0], entry[POSITIONS])
                    if isinstance(entry[REFS], list) and not isinstance(fact[3], tuple):
                        self._refs[rel] = entry[REFS]  # kept by the full check (its data, unpruned)
                    if isinstance(fact[3], tuple):
                        from rectify.model import prune

                        kept = tuple(f for f in fact[3] if f != "id")
                        doc.data = prune(doc.data, kept)
            assert fact is not None
            state = fact[3]
            if state != "ok":
                invalid.add(rel)
            if isinstance(state, tuple):
                partial[rel] = state
            if doc is not None:
                documents.append(doc)
                self.loaded.append(doc)
        refs = self._refs
        registry = Registry.build(
            documents, self.schemas, invalid, loaded.companions, partial, lambda doc: refs.get(doc.file)
        )
        registry.texts = loaded.texts
        registry.evidence = loaded.evidence
        registry._suggester = self.hint  # type: ignore[assignment]
        return registry

    def _restage(self, out: dict[str, Found]) -> None:
        """The loader's and the schema's findings on the changed files; and, when the ids and names
        hints are made from changed, those on every file whose schema findings may carry a hint."""
        for rel, problems in self.stage.items():
            before = out.get(rel, ((), {}, ()))
            self._put(out, rel, (tuple(_row(d) for d in problems), before[1], before[2]))
        if not self._suggestions_changed():
            return
        for rel, value in list(out.items()):
            if rel in self.stage or rel not in self.kinds or not any(r[0] == "R-schema" for r in value[0]):
                continue
            kind = self.kinds[rel]
            fact = self.snap.fact(kind, rel)
            entry = self.store.get(fact[0], kind, rel) if fact is not None else None
            if fact is None or entry is None or not _usable(entry, kind) or entry[DATA] is None:
                raise _Fallback(rel)
            source = os.path.join(str(self.paths.root), rel)
            doc = CachedDocument(kind, rel, source, entry[DATA], None, fact[0], entry[POSITIONS])
            self.loaded.append(doc)
            said = {r[5] for r in value[0] if r[0] != "R-schema" and r[1] == Severity.ERROR.value}
            rows = [r for r in value[0] if r[0] != "R-schema"]
            with positions_later() as locate:
                problems = locate([p for p in self.schemas.validate(doc, self.hint) if p.path not in said])
            rows += [_row(p) for p in problems]
            rows.sort(key=lambda r: (r[0] != "R-schema", r))  # order within a file is sorted later
            self._put(out, rel, (tuple(rows), value[1], value[2]))

    @staticmethod
    def _put(out: dict[str, Found], rel: str, value: Found) -> None:
        if value[0] or value[1] or value[2]:
            out[rel] = value
        else:
            out.pop(rel, None)

    def _save(self, out: dict[str, Found]) -> None:
        snap, store = self.snap, self.store
        for change in self.changes.values():
            snap.set_fact(change.kind, change.rel, change.new)
        for name in sorted(snap.changed_parts):
            value = snap.facts.get(name) if name.startswith("delta/facts/") else snap.ids.get(name)
            store.put_part(name, value)
        store.put_part("delta/found", out)
        head = dict(snap.head)
        invalid = set(head["invalid"])
        partial = dict(head["partial"])
        for rel, change in self.changes.items():
            invalid.discard(rel)
            partial.pop(rel, None)
            if change.new is not None and change.new[3] != "ok":
                invalid.add(rel)
                if isinstance(change.new[3], tuple):
                    partial[rel] = change.new[3]
        head["invalid"] = tuple(sorted(invalid))
        head["partial"] = partial
        head["parts"] = sorted({*head["parts"], *snap.changed_parts})
        head["hinted"] = self.hinted
        store.head = head

    # -- the result -------------------------------------------------------------------------------------
    def _result(self, found: dict[str, Found], walk: list[Diagnostic], loaded: LoadResult) -> Judged:
        head = self.store.head if self.store.head is not None else self.snap.head
        if self.store.head is None:
            self.store.head = head
        for doc in self.loaded:
            if getattr(doc, "learned", None):
                self.store.touch(doc.kind, doc.file)
        self.store.save()
        diagnostics = list(walk)
        skips: list[Skip] = []
        for rel, (stage, ruled, skipped) in found.items():
            diagnostics += [_diag(t) for t in stage]
            for rows in ruled.values():
                diagnostics += [_diag(t) for t in rows]
            skips += [Skip(rule, rel, fields) for rule, fields in skipped]
        skips.sort(key=lambda s: (s.file, s.rule, s.fields))
        invalid = set(head["invalid"])
        partial = dict(head["partial"])
        snap = self.snap

        def referrers(name: str) -> list[str]:
            return list(snap.naming(name))

        return Judged(diagnostics, skips, loaded.files, invalid, partial, referrers)


def _chain(reads: Reads) -> list[tuple[str, ...]]:
    """The kinds a rule follows references through, hop by hop (``refs``, ``refs2``, ``refs3``)."""
    levels = [reads.refs, reads.refs2, reads.refs3]
    while levels and not levels[-1]:
        levels.pop()
    return [level or ("*",) for level in levels]


class _KeysOf:
    """Content keys by file, read from the stat index entries."""

    def __init__(self, seen: dict[str, tuple[int, int, int, int, bytes]]) -> None:
        self.seen = seen

    def __getitem__(self, rel: str) -> bytes:
        return self.seen[rel][4]


PARALLEL_STAT_FROM = 20_000  # files: below this a second process costs more than it saves


def _differing(listing: list[tuple[str, str, str]], index: dict[str, Any]) -> list[int]:
    """Positions of the files whose stat differs from the index's (or that are new, or that cannot
    be stat'ed). A stat per file is most of a delta check's time on a large registry: from
    :data:`PARALLEL_STAT_FROM` files a forked process compares the second half meanwhile."""
    half = len(listing) // 2
    if len(listing) < PARALLEL_STAT_FROM or not _forkable() or os.environ.get("RECTIFY_JOBS") == "1":
        return _compare(listing, index, 0, len(listing))
    try:
        reader, writer = os.pipe()
        pid = os.fork()
    except OSError:
        return _compare(listing, index, 0, len(listing))
    if pid == 0:  # the child: compare, send the positions, leave without any clean-up of the parent's
        try:
            os.close(reader)
            blob = marshal.dumps(_compare(listing, index, half, len(listing)))
            with os.fdopen(writer, "wb") as out:
                out.write(blob)
        finally:
            os._exit(0)
    os.close(writer)
    mine = _compare(listing, index, 0, half)
    with os.fdopen(reader, "rb") as incoming:
        blob = incoming.read()
    os.waitpid(pid, 0)
    try:
        sent = marshal.loads(blob)
    except (EOFError, ValueError, TypeError):
        sent = None
    theirs: list[int] = sent if isinstance(sent, list) and all(isinstance(n, int) for n in sent) else []
    if not isinstance(sent, list) or len(theirs) != len(sent):  # the child failed: compare here, then
        theirs = _compare(listing, index, half, len(listing))
    return mine + theirs


def _compare(listing: list[tuple[str, str, str]], index: dict[str, Any], start: int, end: int) -> list[int]:
    out = []
    index_get, stat_of = index.get, os.stat
    for number in range(start, end):
        path, rel, _ = listing[number]
        before = index_get(rel)
        if before is None:
            out.append(number)
            continue
        try:
            stat = stat_of(path)
        except OSError:
            out.append(number)
            continue
        if (
            before[0] != stat.st_size
            or before[1] != stat.st_mtime_ns
            or before[2] != stat.st_ctime_ns
            or before[3] != stat.st_ino
        ):
            out.append(number)
    return out


def _forkable() -> bool:
    """A fork is safe only in a single-threaded process (``mkdocs serve`` has threads)."""
    return hasattr(os, "fork") and threading.active_count() == 1


_EVIDENCE = "registry/evidence/"


def _within(plan: tuple[set[str], set[str]] | None, file: str) -> bool:
    """Whether a finding on ``file`` is one the rule judged again (its records, or the attachments of
    its ids)."""
    if plan is None:
        return False
    targets, ids = plan
    if file in targets:
        return True
    if ids and file.startswith(_EVIDENCE):
        return file[len(_EVIDENCE) :].split("/", 1)[0] in ids
    return False


def _skip_order(skips: list[tuple[str, tuple[str, ...]]]) -> list[tuple[str, tuple[str, ...]]]:
    return sorted(set(skips))


def _kind_of(paths: Paths, rel: str) -> str | None:
    from rectify.load import _kind_for

    parts = tuple(Path(rel).relative_to(paths.relative(paths.registry)).parts)
    kind, _ = _kind_for(parts)
    return kind
