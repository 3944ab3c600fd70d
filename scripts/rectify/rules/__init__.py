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

from rectify.diagnostics import Diagnostic, Severity, parse_path, within
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
    # What the rule reads, for the warm check (rectify.rulecache): with ``each`` set, every finding
    # is on a record of that kind ("*": any record) and depends only on that record, on the records
    # of the kinds in ``reads``, on jurisdiction/standards/calendar, the schemas and the date checked.
    # Without it the rule reads the whole registry and runs on all of it every time.
    each: str | None = None
    reads: tuple[str, ...] = ()
    # What each finding depends on, for the delta check (rectify.delta); None: the whole registry.
    depends: Reads | None = None


@dataclass(frozen=True, slots=True)
class Reads:
    """What a rule's findings on one record depend on, besides that record itself, the date checked,
    jurisdiction/standards/calendar, the schemas, the plan texts and the attachments' facts. The
    delta check (:mod:`rectify.delta`) judges again only the records a change can reach this way.

    ``on``: the kinds of the records it reports on ("*": any record); ``kinds``: kinds it reads in
    full (any change to one of them judges all of ``on`` again); ``refs``: records of these kinds
    ("*": any) whose id the judged record names; ``refs2``, ``refs3``: records those name in turn, and
    what they name; ``referrers``:
    records of these kinds that name the judged record; ``same_id``: the other records with its id;
    ``evidence``: it also reports on the attachments in ``registry/evidence/<its id>/``; ``hints``:
    its messages may suggest ids and names from the whole registry ("您是不是要写")."""

    on: tuple[str, ...]
    kinds: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()
    refs2: tuple[str, ...] = ()
    refs3: tuple[str, ...] = ()
    referrers: tuple[str, ...] = ()
    same_id: bool = False
    evidence: bool = False
    hints: bool = False


def through_people(on: tuple[str, ...], *whole: str) -> Reads:
    """The reads of a rule that names the people and bodies a record points at: what the record names,
    the people and bodies those name, and their main persons (hazard → person → body → main person,
    three hops); bodies (parent chains, enforcement powers) and the ``whole`` kinds in full."""
    return Reads(
        on=on,
        kinds=tuple(sorted({"organization", *whole})),
        refs=("*",),
        refs2=("enterprise", "organization", "person"),
        refs3=("person",),
    )


RULES: dict[str, Rule] = {}


def declare(rule_id: str, severity: Severity, title: str, source: str, doc: str) -> None:
    """Document a check that a pipeline stage (loader, schema) performs itself."""
    RULES[rule_id] = Rule(rule_id, severity, title, source, inspect.cleandoc(doc))


def rule(
    rule_id: str,
    severity: Severity,
    title: str,
    source: str = "—",
    *,
    each: str | None = None,
    reads: tuple[str, ...] = (),
    depends: Reads | None = None,
) -> Callable[[RuleFn], RuleFn]:
    """Register a rule function ``(registry, context) -> Iterator[Diagnostic]``; ``each`` and
    ``reads`` declare what its findings depend on (see :class:`Rule`), ``depends`` more finely
    (:class:`Reads`; by default ``each`` and ``reads`` as a :class:`Reads`)."""
    if each is not None and (each in reads or "*" in reads):
        raise ValueError(f"{rule_id}: a rule that reads other records of its own kind is not per-record")

    def register(fn: RuleFn) -> RuleFn:
        doc = inspect.cleandoc(fn.__doc__ or "")
        declared = depends
        if declared is None and each is not None:
            declared = Reads(on=(each,), kinds=tuple(sorted(reads)))
        RULES[rule_id] = Rule(rule_id, severity, title, source, doc, fn, each, tuple(sorted(reads)), declared)
        return fn

    return register


@dataclass(frozen=True, slots=True)
class Skip:
    """A rule did not judge ``fields`` of ``file`` (all of it when ``fields`` is empty): they are
    invalid, and a finding there would only repeat or guess at the schema's."""

    rule: str
    file: str
    fields: tuple[str, ...] = ()


Runner = Callable[["Rule", Registry, Context], list[Diagnostic]]


def run_rule(entry: Rule, registry: Registry, context: Context) -> list[Diagnostic]:
    assert entry.run is not None
    return list(entry.run(registry, context))


def run_rules(
    registry: Registry, context: Context, runner: Runner = run_rule
) -> tuple[list[Diagnostic], list[Skip]]:
    """Every rule's findings, and what the rules could not judge. Records with invalid fields are
    judged on the rest (see ``Registry.partial``): a rule's finding on a left-out field is dropped
    as a skip (except the G- rules': what changed is judged whether or not it is valid); a rule that
    cannot judge such a record at all runs again without them. ``runner`` runs one rule (the warm
    check's reuses per-record findings; the output must be the same)."""
    out: list[Diagnostic] = []
    skips: set[Skip] = set()
    strict: Registry | None = None
    words = _field_words(registry)
    for entry in RULES.values():
        if entry.run is None:
            continue
        try:
            found = runner(entry, registry, context)
        except (KeyError, TypeError, AttributeError, ValueError, IndexError):
            if not registry.partial:
                raise
            strict = strict or registry.strict()
            found = list(entry.run(strict, context))
            skips.update(Skip(entry.id, file) for file in registry.partial)
        for finding in found:
            if entry.id.startswith("G-"):  # a change to an invalid field is still a change: never skipped
                out.append(finding)
                continue
            hit = tuple(f for f in registry.partial.get(finding.file, ()) if _depends(finding, f, words))
            if hit:
                skips.add(Skip(entry.id, finding.file, hit))
            else:
                out.append(finding)
    return out, sorted(skips, key=lambda s: (s.file, s.rule, s.fields))


def _field_words(registry: Registry) -> dict[str, tuple[str, ...]]:
    """How a message may name each left-out field: its key and its Chinese title."""
    out: dict[str, tuple[str, ...]] = {}
    for doc in registry.documents:
        for name in registry.partial.get(doc.file, ()):
            path = parse_path(name)
            key = next((p for p in reversed(path) if isinstance(p, str)), name)
            title = registry.schemas.title(doc.kind, path) or ""
            out[name] = tuple(w for w in (key, title.split("（")[0]) if w)
    return out


def _depends(finding: Diagnostic, field: str, words: dict[str, tuple[str, ...]]) -> bool:
    """Whether ``finding`` judged the left-out ``field``: it is on the field, or on a record or
    group holding it and names it (``缺少：整改资金`` when ``funds_cny`` was left out as invalid)."""
    if within(finding.path, field):
        return True
    holds = not finding.path or within(field, finding.path)
    return holds and any(word in finding.message for word in words.get(field, ()))


def run_all(registry: Registry, context: Context) -> list[Diagnostic]:
    return run_rules(registry, context)[0]


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
