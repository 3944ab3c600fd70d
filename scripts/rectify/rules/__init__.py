"""The registry of rules: each has a stable id, a severity, the notice paragraph it enforces and a
docstring with PASS/FAIL examples; the rules page of the site is generated from this list.

Checks done by the loader and the schema stage are declared here too (``run`` is ``None``), so
every id a user can meet is documented in one place.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from rectify.diagnostics import Diagnostic, Severity
from rectify.model import Registry


@dataclass(frozen=True, slots=True)
class Context:
    """What a rule may know besides the registry: the date it is judged on and, when the check
    runs against a base revision (``--base``), the registry as it was there."""

    today: dt.date
    base: Registry | None = None


RuleFn = Callable[[Registry, Context], Iterator[Diagnostic]]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity
    title: str
    source: str  # the notice's paragraph, or "—"
    doc: str
    run: RuleFn | None = None


RULES: dict[str, Rule] = {}


def declare(rule_id: str, severity: Severity, title: str, source: str, doc: str) -> None:
    """Document a check that a pipeline stage (loader, schema) performs itself."""
    RULES[rule_id] = Rule(rule_id, severity, title, source, inspect.cleandoc(doc))


def rule(rule_id: str, severity: Severity, title: str, source: str = "—") -> Callable[[RuleFn], RuleFn]:
    """Register a rule function ``(registry, context) -> Iterator[Diagnostic]``."""

    def register(fn: RuleFn) -> RuleFn:
        RULES[rule_id] = Rule(rule_id, severity, title, source, inspect.cleandoc(fn.__doc__ or ""), fn)
        return fn

    return register


def run_all(registry: Registry, context: Context) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for entry in RULES.values():
        if entry.run is not None:
            out.extend(entry.run(registry, context))
    return out


def _load_modules() -> Any:
    # The explicit list of rule modules; importing one registers its rules.
    from rectify.rules import (  # noqa: F401
        accountability,
        campaigns,
        consultations,
        deadlines,
        discipline,
        duties,
        evidence,
        git,
        hazards,
        inspections,
        liability,
        loading,
        privacy,
        references,
        signing,
    )

    return None


_load_modules()
