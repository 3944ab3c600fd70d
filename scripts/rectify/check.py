"""The check pipeline: load → schema → registry → rules, every finding collected and sorted."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from rectify.diagnostics import Diagnostic, Severity, file_order
from rectify.load import load_registry
from rectify.model import Document, Registry, positions_later, prune
from rectify.paths import Paths
from rectify.rules import Context, Skip, run_rule, run_rules
from rectify.schema import Schemas
from rectify.suggest import Suggester

if TYPE_CHECKING:
    from rectify.incremental import Warm


@dataclass(slots=True)
class CheckResult:
    diagnostics: list[Diagnostic]
    files: int
    registry: Registry
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


def build_registry(
    paths: Paths, only: set[str] | None = None, warm: Warm | None = None
) -> tuple[Registry, list[Diagnostic], int]:
    """Load and schema-check the registry. With ``only``, the schema stage runs on those files alone
    (the rest is context). A record with invalid fields stays visible to rules without those fields
    (``Registry.partial``); only a record wrong as a whole is hidden from them. With ``warm``, each
    file's loaded and schema-checked form comes from the cache when its bytes are unchanged."""
    loaded = load_registry(paths) if warm is None else warm.load(paths)
    schemas = Schemas(paths.schemas)
    suggester = Suggester.from_documents(loaded.documents)
    diagnostics = list(loaded.diagnostics)
    invalid = set(loaded.failed)
    broken: dict[str, list[str]] = defaultdict(list)
    whole: set[str] = set()

    def note(problem: Diagnostic) -> None:
        invalid.add(problem.file)
        if problem.path:
            broken[problem.file].append(problem.path)
        else:
            whole.add(problem.file)

    loader_said: dict[str, set[str]] = defaultdict(set)
    for problem in loaded.diagnostics:
        if problem.severity is Severity.ERROR:
            note(problem)
            if problem.path:
                loader_said[problem.file].add(problem.path)
    documents: list[Document] = []
    partial: dict[str, tuple[str, ...]] = {}
    for doc in loaded.documents:
        if only is None or doc.file in only:
            said = loader_said.get(doc.file, set())  # one finding per field: the loader's says more
            found = (
                schemas.validate(doc, suggester) if warm is None else warm.validate(schemas, doc, suggester)
            )
            problems = [p for p in found if p.path not in said]
            diagnostics.extend(problems)
            for problem in problems:
                note(problem)
        if doc.file in broken and doc.file not in whole:
            fields = tuple(dict.fromkeys(broken[doc.file]))
            partial[doc.file] = fields
            kept = tuple(f for f in fields if f != "id")  # a malformed id still names the record
            doc = replace(doc, data=prune(doc.data, kept))
        documents.append(doc)
    refs_of = None if warm is None else warm.refs_of(schemas)
    registry = Registry.build(documents, schemas, invalid, loaded.companions, partial, refs_of)
    registry.texts = loaded.texts
    registry.evidence = loaded.evidence
    registry._suggester = suggester
    return registry, diagnostics, loaded.files


def run_check(
    paths: Paths,
    today: dt.date,
    only: set[str] | None = None,
    base: Registry | None = None,
    deleted: set[str] | None = None,
    cache: Path | None = None,
) -> CheckResult:
    """``base``: the registry at the base revision (``--base``), for the rules that compare.
    ``deleted``: ids of records being deleted; with ``only``, the files still naming them are
    reported too (a deletion leaves no file to name). ``cache``: the cache folder to use and update
    (:mod:`rectify.incremental`); the result is the same as without it. With ``base`` the rules
    run uncached (the G- rules compare with another revision)."""
    warm = None
    if cache is not None:
        from rectify.incremental import Warm

        warm = Warm.open(paths, cache)
    registry, diagnostics, files = build_registry(paths, only, warm)
    if only is not None and deleted:
        only = only | {ref.source.file for name in deleted for ref in registry.referrers.get(name, ())}
    context = Context(today=today, base=base)
    runner = run_rule
    if warm is not None and base is None:
        from rectify.rulecache import RuleCache

        runner = RuleCache(warm, registry, context)  # judges the changed records now, located at once
    with positions_later() as locate:
        found, skips = run_rules(registry, context, runner)
    if only is not None:  # only the findings reported are placed
        found = [d for d in found if d.file in only]
    found = locate(found)
    if warm is not None:
        warm.save()
    diagnostics.extend(found)
    if only is not None:
        diagnostics = [d for d in diagnostics if d.file in only]
        skips = [s for s in skips if s.file in only]
    diagnostics.sort(key=Diagnostic.sort_key)
    checked = files if only is None else len(only)
    notes = skip_notes(skips, registry, only)
    return CheckResult(diagnostics, files, registry, skips=skips, notes=notes, checked=checked)


def skip_notes(skips: list[Skip], registry: Registry, only: set[str] | None = None) -> list[str]:
    """``跳过：<file>：字段 … 有误，规则 … 未检查它们（改正后再运行 check）``; and the records the rules
    could not read at all."""
    by_file: dict[str, list[Skip]] = defaultdict(list)
    for skip in skips:
        by_file[skip.file].append(skip)
    lines = []
    for file in sorted(set(by_file) | registry.invalid, key=file_order):
        if only is not None and file not in only:
            continue
        if file not in registry.partial:
            lines.append(f"跳过：{file} 无法作为整条记录读取，规则都未检查它；先改正上面的错误，再运行检查")
            continue
        entries = by_file.get(file, [])
        fields = "、".join(registry.partial[file])
        whole = "、".join(dict.fromkeys(s.rule for s in entries if not s.fields))
        some = "、".join(dict.fromkeys(s.rule for s in entries if s.fields))
        line = f"跳过：{file} 的字段 {fields} 有误，规则未检查这些字段"
        line += f"（涉及 {some}）" if some else ""
        line += f"，规则 {whole} 无法检查这条记录" if whole else ""
        lines.append(line + "；其余字段已检查，改正后再运行检查")
    return lines
