"""Fixture runners for the rules about change (``tests/rules/fixtures/G-*/{good,bad}/<case>/``).

G-ratchet case: ``base/`` is laid over the base registry and committed; then ``head/`` is laid
over it (and ``delete`` applied) in the work tree, and ``rectify check --base HEAD`` runs.

G-signed case: ``expect.yaml`` describes the commits of a range, built with real keys::

    keys: {sun: sun-hao-yjj}       # key name → person it is registered to at the base revision
    commits:
      - overlay: c1                # a folder of this case laid over the tree (optional)
        register: {person: wang-qiang-qy, key: new}   # add a key in the range (optional)
        sign: sun                  # key to sign with; omitted = unsigned
        author: sun-hao-yjj        # default: the owner of the signing key
    expect: [[G-signed, registry/..., line]]
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import yaml

from rectify.check import run_check
from rectify.diagnostics import Severity
from rectify.history.base import load_registry_at
from rectify.history.signatures import verify
from rectify.paths import find
from tests.conftest import make_registry
from tests.git.repo import Repo, keygen
from tests.helpers import Triple, triples
from tests.rules.harness import case_id


def _spec(case: Path) -> dict[str, Any]:
    spec = yaml.safe_load((case / "expect.yaml").read_text(encoding="utf-8")) or {}
    assert isinstance(spec, dict)
    return spec


def _overlay(source: Path, root: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, root, dirs_exist_ok=True)


def _expected(spec: dict[str, Any]) -> set[Triple]:
    return {(r, f, int(n)) for r, f, n in (spec.get("expect") or [])}


def run_ratchet_case(case: Path, tmp_path: Path) -> None:
    root = make_registry(tmp_path / "repo")
    spec = _spec(case)
    _overlay(case / "base" / "registry", root / "registry")
    repo = Repo(root)
    repo.commit("基准")
    for rel in spec.get("delete") or []:
        (root / rel).unlink()
    _overlay(case / "head" / "registry", root / "registry")
    paths = find(root)
    found = run_check(paths, dt.date(2023, 12, 31), base=load_registry_at(paths, "HEAD")).diagnostics
    listing = "\n".join(f"{d.rule} {d.file}:{d.line}:{d.column} {d.message}" for d in found)
    broken = [d for d in found if d.rule in ("R-schema", "R-ref") and d.severity is Severity.ERROR]
    assert not broken, f"{case_id(case)}：例子本身不合 schema 或引用有误\n{listing}"
    got = triples([d for d in found if d.rule == "G-ratchet"])
    assert got == _expected(spec), f"{case_id(case)}: {spec.get('about', '')}\n实际输出：\n{listing}"


def run_signed_case(case: Path, tmp_path: Path) -> None:
    root = make_registry(tmp_path / "repo")
    spec = _spec(case)
    keys = {name: keygen(tmp_path / "keys", name) for name in _key_names(spec)}
    owners: dict[str, str] = dict(spec.get("keys") or {})
    _overlay(case / "base" / "registry", root / "registry")
    repo = Repo(root)
    for name, person in owners.items():
        repo.register(person, keys[name])
    base = repo.commit("基准")
    for number, step in enumerate(spec.get("commits") or [], 1):
        if step.get("overlay"):
            _overlay(case / step["overlay"] / "registry", root / "registry")
        if step.get("register"):
            reg = step["register"]
            repo.register(reg["person"], keys[reg["key"]])
            owners.setdefault(reg["key"], reg["person"])
        key = keys[step["sign"]] if step.get("sign") else None
        author = step.get("author") or owners.get(step.get("sign") or "", "wang-qiang-qy")
        repo.commit(f"第 {number} 步", key, repo.author(author))
    result = verify(find(root), base, "HEAD")
    listing = "\n".join(f"{d.rule} {d.file}:{d.line}:{d.column} {d.message}" for d in result.diagnostics)
    assert triples(result.diagnostics) == _expected(spec), (
        f"{case_id(case)}: {spec.get('about', '')}\n实际输出：\n{listing}"
    )


def _key_names(spec: dict[str, Any]) -> set[str]:
    names = set(spec.get("keys") or {})
    for step in spec.get("commits") or []:
        names.update(n for n in (step.get("sign"), (step.get("register") or {}).get("key")) if n)
    return names
