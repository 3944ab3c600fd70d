"""The check pipeline: load → schema → registry → rules, every finding collected and sorted."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rectify.diagnostics import Diagnostic, Severity
from rectify.load import load_registry
from rectify.model import Registry
from rectify.paths import Paths
from rectify.rules import Context, run_all
from rectify.schema import Schemas


@dataclass(slots=True)
class CheckResult:
    diagnostics: list[Diagnostic]
    files: int
    registry: Registry

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity is severity)

    def blocking(self, strict: bool = False) -> bool:
        """Errors block; warnings block under ``--strict``; alerts never block."""
        return any(
            d.severity is Severity.ERROR or (strict and d.severity is Severity.WARNING)
            for d in self.diagnostics
        )


def build_registry(paths: Paths, only: set[str] | None = None) -> tuple[Registry, list[Diagnostic], int]:
    """Load and schema-check the registry. With ``only``, the schema stage runs on those files alone
    (the rest is context)."""
    loaded = load_registry(paths)
    schemas = Schemas(paths.schemas)
    diagnostics = list(loaded.diagnostics)
    invalid = set(loaded.failed) | {d.file for d in loaded.diagnostics if d.severity is Severity.ERROR}
    for doc in loaded.documents:
        if only is not None and doc.file not in only:
            continue
        problems = schemas.validate(doc)
        if problems:
            invalid.add(doc.file)
            diagnostics.extend(problems)
    registry = Registry.build(loaded.documents, schemas, invalid, loaded.companions)
    registry.texts = loaded.texts
    registry.evidence = loaded.evidence
    return registry, diagnostics, loaded.files


def run_check(
    paths: Paths, today: dt.date, only: set[str] | None = None, base: Registry | None = None
) -> CheckResult:
    """``base``: the registry at the base revision (``--base``), for the rules that compare."""
    registry, diagnostics, files = build_registry(paths, only)
    diagnostics.extend(run_all(registry, Context(today=today, base=base)))
    if only is not None:
        diagnostics = [d for d in diagnostics if d.file in only]
    diagnostics.sort(key=Diagnostic.sort_key)
    return CheckResult(diagnostics, files, registry)
