"""The check pipeline: load → schema → registry → rules, every finding collected and sorted."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from rectify.diagnostics import Diagnostic, Severity, file_order
from rectify.load import load_registry
from rectify.model import Document, Registry, positions_later, prune
from rectify.paths import Paths
from rectify.rules import Context, Rule, Runner, Skip, run_rule, run_rules
from rectify.schema import Schemas
from rectify.suggest import Suggester

if TYPE_CHECKING:
    from rectify.incremental import Warm


@dataclass(slots=True)
class CheckResult:
    diagnostics: list[Diagnostic]
    files: int
    registry: Registry | None  # None from the delta check (it never holds the whole registry)
    skips: list[Skip] = field(default_factory=list)
    checked: int = 0  # files reported on: all, or those selected (and those naming a deleted record)
    notes: list[str] = field(default_factory=list)  # what the rules did not judge and why

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity is severity)

    def blocking(self, strict: bool = False) -> bool:
        """Errors block; warnings block under ``--strict``; alerts never block."""
        return any(
            d.severity is Severity.ERROR or (strict and d.severity is Severity.WARNING)
            for d in self.diagnostics
        )


def build_registry(paths: Paths, warm: Warm | None = None) -> tuple[Registry, list[Diagnostic], int]:
    """Load and schema-check the registry. A record with invalid fields stays visible to rules
    without those fields (``Registry.partial``); only a record wrong as a whole is hidden from them.
    With ``warm``, each file's loaded and schema-checked form comes from the cache when its bytes are
    unchanged."""
    loaded = load_registry(paths) if warm is None else warm.load(paths)
    schemas = Schemas(paths.schemas)
    suggester = Suggester.from_documents(loaded.documents)

    def validate(doc: Document) -> list[Diagnostic]:
        return schemas.validate(doc, suggester) if warm is None else warm.validate(schemas, doc, suggester)

    documents, problems, invalid, partial = judge(
        loaded.documents, loaded.diagnostics, loaded.failed, validate
    )
    refs_of = None if warm is None else warm.refs_of(schemas)
    registry = Registry.build(documents, schemas, invalid, loaded.companions, partial, refs_of)
    registry.texts = loaded.texts
    registry.evidence = loaded.evidence
    registry._suggester = suggester
    return registry, [*loaded.diagnostics, *problems], loaded.files


def judge(
    documents: list[Document],
    loader_said: list[Diagnostic],
    failed: set[str],
    validate: Callable[[Document], list[Diagnostic]],
) -> tuple[list[Document], list[Diagnostic], set[str], dict[str, tuple[str, ...]]]:
    """The schema stage over loaded ``documents``: (the documents as rules see them, the schema's
    findings, the invalid files, the partial ones and their left-out fields). A file the loader
    found errors in is invalid; a field it or the schema found wrong is left out of the record
    (:func:`prune`), unless the record is wrong as a whole."""
    invalid = set(failed)
    broken: dict[str, list[str]] = defaultdict(list)
    whole: set[str] = set()

    def note(problem: Diagnostic) -> None:
        invalid.add(problem.file)
        if problem.path:
            broken[problem.file].append(problem.path)
        else:
            whole.add(problem.file)

    said: dict[str, set[str]] = defaultdict(set)
    for problem in loader_said:
        if problem.severity is Severity.ERROR:
            note(problem)
            if problem.path:
                said[problem.file].add(problem.path)
    out: list[Document] = []
    found: list[Diagnostic] = []
    partial: dict[str, tuple[str, ...]] = {}
    for doc in documents:
        known = said.get(doc.file, set())  # one finding per field: the loader's says more
        problems = [p for p in validate(doc) if p.path not in known]
        found.extend(problems)
        for problem in problems:
            note(problem)
        if doc.file in broken and doc.file not in whole:
            fields = tuple(dict.fromkeys(broken[doc.file]))
            partial[doc.file] = fields
            kept = tuple(f for f in fields if f != "id")  # a malformed id still names the record
            doc = replace(doc, data=prune(doc.data, kept))
        out.append(doc)
    return out, found, invalid, partial


def run_check(
    paths: Paths,
    today: dt.date,
    only: set[str] | None = None,
    base: Registry | None = None,
    deleted: set[str] | None = None,
    cache: Path | None = None,
) -> CheckResult:
    """``only``: report on these files alone (the whole registry is judged all the same).
    ``base``: the registry at the base revision (``--base``), for the rules that compare.
    ``deleted``: ids of records being deleted; with ``only``, the files still naming them are
    reported too (a deletion leaves no file to name). ``cache``: the cache folder to use and update
    (:mod:`rectify.incremental`, :mod:`rectify.delta`); the result is the same as without it. With
    ``base`` the rules run uncached (the G- rules compare with another revision)."""
    if cache is None:
        return _run_check(paths, today, only, base, deleted, None)
    from rectify.cache import locked

    with locked(cache):  # one check at a time reads and writes the cache (the snapshot is many files)
        return _run_check(paths, today, only, base, deleted, cache)


def _run_check(
    paths: Paths,
    today: dt.date,
    only: set[str] | None,
    base: Registry | None,
    deleted: set[str] | None,
    cache: Path | None,
) -> CheckResult:
    if cache is not None and base is None:
        from rectify.delta import delta_check

        quick = delta_check(paths, today, cache)
        if quick is not None:
            return select(quick, only, deleted)
    warm = None
    if cache is not None:
        from rectify.incremental import Warm

        warm = Warm.open(paths, cache)
    registry, diagnostics, files = build_registry(paths, warm)
    context = Context(today=today, base=base)
    runner: Runner = run_rule
    if warm is not None and base is None:
        from rectify.rulecache import RuleCache

        runner = RuleCache(warm, registry, context)  # judges the changed records now, located at once
    raised: set[str] = set()
    with positions_later() as locate:
        found, skips = run_rules(registry, context, tracking(runner, raised))
    snapshot = warm is not None and base is None and not raised and not warm.unkeyed
    if only is not None and not snapshot:  # only the findings reported are placed
        keep = _widen(only, deleted, lambda name: [r.source.file for r in registry.referrers.get(name, ())])
        found = [d for d in found if d.file in keep]
    found = locate(found)
    if warm is not None:
        if snapshot:
            from rectify.delta import record

            record(warm, registry, diagnostics, found, skips, today)
        warm.save()
    full = Judged(
        [*diagnostics, *found],
        skips,
        files,
        registry.invalid,
        registry.partial,
        lambda name: [r.source.file for r in registry.referrers.get(name, ())],
        registry,
    )
    return select(full, only, deleted)


def tracking(runner: Runner, raised: set[str]) -> Runner:
    """``runner``, noting the rules that failed (their findings came from the strict registry)."""

    def run(entry: Rule, registry: Registry, context: Context) -> list[Diagnostic]:
        try:
            return runner(entry, registry, context)
        except Exception:
            raised.add(entry.id)
            raise

    return run


@dataclass(slots=True)
class Judged:
    """Every finding of a check, before what is reported is chosen."""

    diagnostics: list[Diagnostic]
    skips: list[Skip]
    files: int
    invalid: set[str]
    partial: dict[str, tuple[str, ...]]
    referrers: Callable[[str], list[str]]  # id → files naming it
    registry: Registry | None = None


def _widen(only: set[str], deleted: set[str] | None, referrers: Callable[[str], list[str]]) -> set[str]:
    return only | {file for name in deleted or () for file in referrers(name)}


def select(judged: Judged, only: set[str] | None, deleted: set[str] | None) -> CheckResult:
    """The check's result: the findings on ``only`` (and on the files naming ``deleted`` ids), or all."""
    diagnostics, skips = judged.diagnostics, judged.skips
    if only is not None:
        only = _widen(only, deleted, judged.referrers)
        diagnostics = [d for d in diagnostics if d.file in only]
        skips = [s for s in skips if s.file in only]
    diagnostics.sort(key=Diagnostic.sort_key)
    checked = judged.files if only is None else len(only)
    notes = skip_notes(skips, judged.invalid, judged.partial, only)
    return CheckResult(diagnostics, judged.files, judged.registry, skips=skips, notes=notes, checked=checked)


def skip_notes(
    skips: list[Skip],
    invalid: set[str],
    partial: dict[str, tuple[str, ...]],
    only: set[str] | None = None,
) -> list[str]:
    """``跳过：<file>：字段 … 有误，规则 … 未检查它们（改正后再运行 check）``; and the records the rules
    could not read at all."""
    by_file: dict[str, list[Skip]] = defaultdict(list)
    for skip in skips:
        by_file[skip.file].append(skip)
    lines = []
    for file in sorted(set(by_file) | invalid, key=file_order):
        if only is not None and file not in only:
            continue
        if file not in partial:
            lines.append(f"跳过：{file} 无法作为整条记录读取，规则都未检查它；先改正上面的错误，再运行检查")
            continue
        entries = by_file.get(file, [])
        fields = "、".join(partial[file])
        whole = "、".join(dict.fromkeys(s.rule for s in entries if not s.fields))
        some = "、".join(dict.fromkeys(s.rule for s in entries if s.fields))
        line = f"跳过：{file} 的字段 {fields} 有误，规则未检查这些字段"
        line += f"（涉及 {some}）" if some else ""
        line += f"，规则 {whole} 无法检查这条记录" if whole else ""
        lines.append(line + "；其余字段已检查，改正后再运行检查")
    return lines
