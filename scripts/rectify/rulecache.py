"""Per-record findings of the rules that declare them (``@rule(..., each=KIND, reads=(...))``),
reused by the warm check when nothing they read changed.

A record's findings under such a rule are kept under a *record key* (the file's content key, whether
its fields were left out as invalid, whether it is the record its id names) within the rule's *world
key* (the date checked, and the content of every record of the kinds the rule reads and of
jurisdiction/standards/calendar). Only records without kept findings are judged: the rule runs on a
copy of the registry that holds just those records of its kind. Whatever cannot be reused exactly
(a finding on another file, a rule that fails on the copy) falls back to running the rule on the
whole registry, so the findings are always those of a cold run.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import Any

from rectify.cache import RULE_SHARDS, digest
from rectify.diagnostics import Diagnostic, Severity
from rectify.incremental import Warm
from rectify.model import Document, Registry
from rectify.rules import RULES, Context, Rule, run_rule

ALWAYS_READ = ("calendar", "jurisdiction", "standards")  # the singletons every rule may consult
_RULE_ERRORS = (KeyError, TypeError, AttributeError, ValueError, IndexError)  # as run_rules catches

Found = tuple[tuple[str, str, str, int, int, str, str], ...]


class RuleCache:
    """The runner given to :func:`rectify.rules.run_rules` by the warm check."""

    def __init__(self, warm: Warm, registry: Registry, context: Context) -> None:
        self.warm = warm
        self.registry = registry
        self.context = context
        self._kinds: dict[str, bytes | None] = {}
        self._targets: dict[str, list[tuple[Document, bytes]] | None] = {}
        self._ready: dict[str, list[Diagnostic]] = {}
        self._prepare()

    def __call__(self, entry: Rule, registry: Registry, context: Context) -> list[Diagnostic]:
        if registry is self.registry and context is self.context and entry.id in self._ready:
            return self._ready.pop(entry.id)
        return run_rule(entry, registry, context)

    # -- keys ---------------------------------------------------------------------------------------
    def _state(self, doc: Document) -> bytes:
        registry = self.registry
        if doc.file in registry.partial:
            state = "partial:" + "\0".join(registry.partial[doc.file])
        else:
            state = "invalid" if doc.file in registry.invalid else "ok"
        shown = doc.id is not None and registry.by_kind.get(doc.kind, {}).get(doc.id) is doc
        return f"{state}\0{'shown' if shown else 'hidden'}".encode()

    def _kind_key(self, kind: str) -> bytes | None:
        """The content of every record of ``kind``, in load order (None: one was not from the cache)."""
        if not self._kinds:  # all kinds in one pass over the documents
            parts: dict[str, list[bytes] | None] = defaultdict(list)
            for doc in self.registry.documents:
                found = parts[doc.kind]
                if found is None:
                    continue
                key = self.warm.keys.get(doc.file)
                if key is None:
                    parts[doc.kind] = None
                    continue
                found += [doc.file.encode(), key, self._state(doc)]
            self._kinds = {k: None if p is None else digest(k.encode(), *p) for k, p in parts.items()}
        return self._kinds.get(kind, digest(kind.encode()))

    def _world(self, entry: Rule) -> bytes | None:
        parts = [entry.id.encode(), self.context.today.isoformat().encode(), (entry.each or "").encode()]
        for kind in sorted({*entry.reads, *ALWAYS_READ}):
            key = self._kind_key(kind)
            if key is None:
                return None
            parts += [kind.encode(), key]
        return digest(*parts)

    def _records(self, each: str) -> list[tuple[Document, bytes]] | None:
        """The records a rule of scope ``each`` reports on, with their record keys."""
        if each not in self._targets:
            out: list[tuple[Document, bytes]] | None = []
            for doc in self.registry.documents:
                if each != "*" and doc.kind != each:
                    continue
                key = self.warm.keys.get(doc.file)
                if key is None or out is None:
                    out = None
                    break
                out.append((doc, digest(key, self._state(doc))))
            self._targets[each] = out
        return self._targets[each]

    # -- judging ------------------------------------------------------------------------------------
    def _prepare(self) -> None:
        """Judge every per-record rule's new records, grouped by scope (one copy of the registry,
        and one set of facts, per scope)."""
        by_scope: dict[str, list[Rule]] = defaultdict(list)
        for entry in RULES.values():
            if entry.run is not None and entry.each is not None:
                by_scope[entry.each].append(entry)
        for each, entries in by_scope.items():
            targets = self._records(each)
            if targets is None:
                continue
            pending: list[tuple[Rule, list[dict[bytes, Found]]]] = []
            missing: dict[str, Document] = {}
            for entry in entries:
                world = self._world(entry)
                if world is None:
                    continue
                shards = self.warm.store.rule_shards(entry.id, world)
                pending.append((entry, shards))
                for doc, key in targets:
                    if key not in shards[key[0] % RULE_SHARDS]:
                        missing[doc.file] = doc
            partial = self._partial(each, missing) if 0 < len(missing) < len(targets) else self.registry
            for entry, shards in pending:
                found = self._judge(entry, partial, targets, shards, missing)
                if found is not None:
                    self._ready[entry.id] = found

    def _judge(
        self,
        entry: Rule,
        partial: Registry,
        targets: list[tuple[Document, bytes]],
        shards: list[dict[bytes, Found]],
        missing: dict[str, Document],
    ) -> list[Diagnostic] | None:
        """The rule's findings, in the order of a cold run within each file (the shards that
        change are marked for saving); None when they cannot be reused (the rule then runs on the
        whole registry)."""
        store = self.warm.store
        todo = {doc.file for doc, key in targets if key not in shards[key[0] % RULE_SHARDS]}
        if todo:
            try:
                found = run_rule(entry, partial if todo.issubset(missing) else self.registry, self.context)
            except _RULE_ERRORS:
                return None
            by_file: dict[str, list[tuple[str, str, str, int, int, str, str]]] = defaultdict(list)
            for d in found:
                if d.file not in todo:
                    return None  # a finding on another record: not per-record after all
                by_file[d.file].append(
                    (d.rule, d.severity.value, d.file, d.line, d.column, d.path, d.message)
                )
            for doc, key in targets:
                if doc.file in todo:
                    shards[key[0] % RULE_SHARDS][key] = tuple(by_file.get(doc.file, ()))
                    store.rule_changed(entry.id, key[0] % RULE_SHARDS)
        if sum(map(len, shards)) != len(targets):  # every target is kept: anything more is stale
            current = {key for _, key in targets}
            for number, shard in enumerate(shards):
                stale = [key for key in shard if key not in current]
                for key in stale:
                    del shard[key]
                if stale:
                    store.rule_changed(entry.id, number)
        out: list[Diagnostic] = []
        for _, key in targets:
            for t in shards[key[0] % RULE_SHARDS][key]:
                out.append(Diagnostic(t[0], Severity(t[1]), t[2], t[3], t[4], t[5], t[6]))
        return out

    def _partial(self, each: str, missing: dict[str, Document]) -> Registry:
        """The registry with only the ``missing`` records of the scope's kind ("*": of every kind)."""
        registry = self.registry

        def keep(doc: Document) -> bool:
            return (each != "*" and doc.kind != each) or doc.file in missing

        by_kind = {
            kind: index if each not in ("*", kind) else {i: d for i, d in index.items() if d.file in missing}
            for kind, index in registry.by_kind.items()
        }
        return replace(
            registry,
            documents=[d for d in registry.documents if keep(d)],
            by_kind=by_kind,
            duplicates=[d for d in registry.duplicates if keep(d)],
        )


def runner(warm: Warm, registry: Registry, context: Context) -> Any:
    return RuleCache(warm, registry, context)
