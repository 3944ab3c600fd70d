"""Data-driven rule fixtures: ``tests/rules/fixtures/<rule-id>/{good,bad}/<case>/``.

A case is an overlay on the base registry (its files replace or add to it) and an ``expect.yaml``:

    about: 一句话说明这个例子
    today: 2023-12-31            # optional (default tests.helpers.TODAY, 2023-11-01)
    delete: [registry/...]       # optional: files removed from the base first
    expect:                      # bad cases: exactly these (rule, file, line) findings
      - [R-ref, registry/hazards/2023/HAZ-2023-00001.yaml, 12]

A good case expects no finding at all. Files ending in ``.bin`` are copied byte for byte without
the suffix (for encodings that are not UTF-8).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from tests.conftest import make_registry
from tests.helpers import TODAY, check, triples

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def cases(rule_id: str, kind: str | None = None) -> list[Path]:
    kinds = [kind] if kind else ["good", "bad"]
    return sorted(p for k in kinds for p in (FIXTURES / rule_id / k).glob("*") if p.is_dir())


def case_id(case: Path) -> str:
    return f"{case.parent.name}/{case.name}"


def apply(case: Path, root: Path) -> dict[str, object]:
    spec = yaml.safe_load((case / "expect.yaml").read_text(encoding="utf-8")) or {}
    for rel in spec.get("delete") or []:
        (root / rel).unlink()
    for source in sorted(case.rglob("*")):
        if source.is_dir() or source.name == "expect.yaml":
            continue
        rel = source.relative_to(case)
        target = root / (rel.with_suffix("") if source.suffix == ".bin" else rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return spec


def run_case(case: Path, tmp_path: Path) -> None:
    root = make_registry(tmp_path / "repo")
    spec = apply(case, root)
    found = check(root, today=str(spec.get("today") or TODAY))
    expected = {(r, f, int(n)) for r, f, n in (spec.get("expect") or [])}
    listing = "\n".join(f"{d.rule} {d.file}:{d.line}:{d.column} {d.message}" for d in found)
    assert triples(found) == expected, f"{case_id(case)}: {spec.get('about', '')}\n实际输出：\n{listing}"
