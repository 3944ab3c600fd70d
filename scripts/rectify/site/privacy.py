"""The public build's last gate: every private value of the registry (fields marked ``x-private``,
and the names of people to be shown only by role) is searched for in every output file, in the
forms a page, a JSON file or a spreadsheet would hold it. One match fails the build."""

from __future__ import annotations

import gzip
import html
import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import ahocorasick

from rectify.model import Registry
from rectify.schema import iter_pattern

MIN_LENGTH = 2  # shorter values (a single character) would match everywhere
NAME_SOURCE = "name（公开时隐去姓名）"
SEARCH_INDEX = "search/search_index.json"


@dataclass(frozen=True, slots=True)
class Leak:
    file: str  # output path relative to the site folder
    value: str  # the private value (for the message)
    source: str  # "<record file>: <field>"


def private_values(registry: Registry) -> dict[str, str]:
    """Every private value → where it comes from (the record file and field)."""
    values: dict[str, str] = {}

    def add(value: object, source: str) -> None:
        if isinstance(value, dict):
            for key, sub in value.items():
                add(sub, f"{source}.{key}")
        elif isinstance(value, list):
            for sub in value:
                add(sub, source)
        elif isinstance(value, str | int) and not isinstance(value, bool):
            text = str(value).strip()
            if len(text) >= MIN_LENGTH:
                values.setdefault(text, source)

    for kind, patterns in registry.schemas.private.items():
        for doc in registry.by_kind.get(kind, {}).values():
            for pattern in patterns:
                for path, value in iter_pattern(doc.data, pattern):
                    add(value, f"{doc.file}: {'.'.join(str(p) for p in path)}")
    # a name that a person record publishes is public, even where a contact field repeats it
    shown = {
        str(p.data.get("name"))
        for p in registry.by_kind.get("person", {}).values()
        if not p.data.get("anonymize")
    }
    for public_name in shown & values.keys():
        del values[public_name]
    for person in registry.by_kind.get("person", {}).values():
        name = person.data.get("name")
        if person.data.get("anonymize") and isinstance(name, str) and name not in shown:
            add(name, f"{person.file}: {NAME_SOURCE}")
    return values


def _forms(value: str) -> set[str]:
    """How a value can appear in output: as is, HTML/XML-escaped, JSON-escaped (ASCII or not)."""
    return {
        value,
        html.escape(value, quote=True),
        html.escape(value, quote=False),
        json.dumps(value)[1:-1],
        json.dumps(value, ensure_ascii=False)[1:-1],
    }


def _contents(path: Path) -> Iterator[tuple[str, str]]:
    """(name, text) of a file, and of each member of a zip (xlsx) or gzip file."""
    data = path.read_bytes()
    if path.suffix in (".xlsx", ".zip") and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                yield f"{path.name}!{member}", archive.read(member).decode("utf-8", errors="ignore")
        return
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    yield path.name, data.decode("utf-8", errors="ignore")


def _automaton(values: Iterable[str]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for value in values:
        for form in _forms(value):
            automaton.add_word(form, value)
    if len(automaton):
        automaton.make_automaton()
    return automaton


def _find(automaton: ahocorasick.Automaton, text: str) -> set[str]:
    return {value for _end, value in automaton.iter(text)} if len(automaton) else set()


def scan(site_dir: Path, values: dict[str, str], handwritten: frozenset[str] = frozenset()) -> list[Leak]:
    """Every output file holding a private value (Aho–Corasick: one pass per file).

    ``handwritten``: output pages written by hand in ``docs/`` (guides, the rules page). Their
    examples may use a common name that happens to be an anonymized person's, so there only the
    ``x-private`` values are searched; names are searched in everything generated from the registry.
    """
    names = {v for v, source in values.items() if source.endswith(NAME_SOURCE)}
    every, private_only = _automaton(values), _automaton(set(values) - names)
    leaks: list[Leak] = []
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(site_dir).as_posix()
        found: set[str] = set()
        if rel == SEARCH_INDEX:
            for entry in json.loads(path.read_text(encoding="utf-8")).get("docs", []):
                page = str(entry.get("location", "")).split("#", 1)[0] or "index.html"
                automaton = private_only if page in handwritten else every
                found |= _find(
                    automaton, f"{entry.get('title', '')}\n{entry.get('text', '')}".replace("\u200b", "")
                )
        else:
            automaton = private_only if rel in handwritten else every
            for _name, text in _contents(path):
                found |= _find(automaton, text)
        leaks.extend(Leak(rel, value, values[value]) for value in sorted(found))
    return leaks
