"""The delta check (rectify.delta): after a few records changed, only what they reach is judged
again, and the output is byte for byte that of a cold check.

The property test edits records of every kind the sample has (values, names other records show,
ids, references, broken YAML and schema, adds, duplicates, deletes, renames) one at a time, and
after each edit compares the cached check with ``--no-cache``; it also asserts that the delta did
the work (not a fallback to the full check), so a rule whose declared reads are too narrow shows up
as a difference. More seeds: ``RECTIFY_DELTA_SEEDS="5 6 7" .venv/bin/python -m pytest tests/test_delta.py``.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from rectify import delta
from rectify.rules import RULES

from . import test_cache
from .test_cache import VALUES, records, sample, set_value

check = test_cache.check  # the same fixture: `rectify check` in this process, (exit code, stdout, stderr)

REPO = Path(__file__).resolve().parents[1]
Run = tuple[int, str, str]


def test_every_rule_declares_what_it_reads() -> None:
    """A rule without a declaration would send every delta check back to the full check."""
    undeclared = [r.id for r in RULES.values() if r.run is not None and r.depends is None]
    assert undeclared == []


FOLDERS = [
    "hazards",
    "hazards",
    "hazards",
    "inspections",
    "actions",
    "enterprises",
    "people",
    "organizations",
]
FOLDERS += ["campaigns", "responsibilities", "consultations", "plans", "activities"]


def record_edit(root: Path, rng: random.Random, shown: str) -> str:
    """One random edit of one record file (never jurisdiction, standards, calendar or schemas)."""
    folders = [f for f in FOLDERS if records(root, f)]
    path = rng.choice(records(root, rng.choice(folders)))
    reported = [root / f for f in re.findall(r"^(registry/\S+?\.yaml):", shown, re.M) if (root / f).exists()]
    reported = [p for p in reported if "/calendar" not in str(p)]
    if reported and rng.random() < 0.4:
        path = rng.choice(reported)
    rel = path.relative_to(root).as_posix()
    text = path.read_text(encoding="utf-8")
    what = rng.choice(
        ["value", "value", "value", "ref", "ref", "id", "yaml", "add", "duplicate", "delete", "rename"]
    )
    if what == "value":
        key = rng.choice(list(VALUES))
        if set_value(path, key, rng.choice(VALUES[key]), rng):
            return f"{rel}: {key}"
        what = "ref"
    if what == "ref":  # point a reference at another record of the registry, or at none
        ids = re.findall(
            r"^\s*(?:-\s+)?[a-z_]+: ((?:HAZ|INSP|ACT|CAMP)-\d{4}-\d+|[a-z]+(?:-[a-z0-9]+)+)\s*$", text, re.M
        )
        if ids:
            old = rng.choice(ids)
            others = [
                p.stem
                for f in ("people", "organizations", "enterprises", "hazards")
                for p in records(root, f)
            ]
            new = rng.choice([*others, "no-such-record"])
            path.write_text(text.replace(old, new, 1), encoding="utf-8")
            return f"{rel}: {old} → {new}"
        what = "id"
    if what == "id":
        path.write_text(re.sub(r"^id: (\S+)", r"id: \g<1>7", text, count=1, flags=re.M), encoding="utf-8")
        return f"{rel}: id changed"
    if what == "yaml":
        path.write_text(
            rng.choice([text + "\nbad: [unclosed\n", text.replace(":", "：", 1), ""]), encoding="utf-8"
        )
        return f"{rel}: broken"
    if what in ("add", "duplicate"):
        new = path.with_name(f"{path.stem}8.yaml")
        if what == "add":
            text = re.sub(r"^id: (\S+)", r"id: \g<1>8", text, count=1, flags=re.M)
        new.write_text(text, encoding="utf-8")
        return f"{new.relative_to(root)}: {what} of {rel}"
    if what == "delete":
        path.unlink()
        return f"{rel}: deleted"
    new = path.with_name(path.stem[:-1] + str(rng.randrange(10)) + path.suffix)
    if not new.exists():
        path.rename(new)
    return f"{rel} renamed to {new.name}"


@pytest.mark.parametrize(
    "seed", [int(s) for s in os.environ.get("RECTIFY_DELTA_SEEDS", "11 12 13 14").split()]
)
def test_delta_output_equals_cold_after_record_edits(
    tmp_path: Path, check: Callable[..., Run], seed: int
) -> None:
    root = sample(tmp_path / f"repo{seed}")
    rng = random.Random(seed)
    cold = check(root, "--no-cache")
    assert check(root) == cold
    history: list[str] = []
    used = 0
    steps = 25
    for _ in range(steps):
        history.append(record_edit(root, rng, cold[1]))
        warm = check(root)
        outcome = delta.OUTCOME[0]
        used += outcome == "delta"
        cold = check(root, "--no-cache")
        assert warm == cold, f"（{outcome}）after: " + "；".join(history)
    assert used >= steps * 0.6, f"the delta check ran {used} times of {steps}"


def test_delta_judges_only_what_one_edit_reaches(
    tmp_path: Path, check: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a synthetic registry of 2,000 hazards, editing one hazard loads a small part of it."""
    sys.path.insert(0, str(REPO / "tests" / "benchmarks"))
    from synthetic import write

    root = write(tmp_path / "syn", 2000, REPO / "schemas")
    files = sum(1 for _ in (root / "registry").rglob("*.yaml"))
    cold = check(root, "--no-cache")
    assert check(root) == cold
    loaded: list[int] = []
    real = delta._Delta._registry

    def counting(self: delta._Delta, needed: set[str], loaded_result: object) -> object:
        loaded.append(len(needed))
        return real(self, needed, loaded_result)  # type: ignore[arg-type]

    hazard = records(root, "hazards")[5]
    hazard.write_text(
        hazard.read_text(encoding="utf-8").replace("status: rectifying", "status: open"), "utf-8"
    )
    monkeypatch.setattr(delta._Delta, "_registry", counting)
    warm = check(root)
    assert delta.OUTCOME[0] == "delta"
    assert warm == check(root, "--no-cache")
    people = len(records(root, "people"))
    assert loaded and loaded[0] < people + 100, (loaded, files)  # the people (read whole) and a few others


def test_two_processes_compare_stats_as_one(tmp_path: Path) -> None:
    """The stat comparison split over a forked process finds the same files (run in a fresh process:
    the test session's threads keep it from forking)."""
    script = textwrap.dedent(
        f"""
        import os
        from rectify import delta
        root = {str(tmp_path)!r}
        listing, index = [], {{}}
        for n in range(300):
            path = os.path.join(root, f"f{{n}}.yaml")
            with open(path, "w") as handle:
                handle.write(str(n))
            st = os.stat(path)
            index[f"r/{{n}}"] = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, b"k")
            listing.append((path, f"r/{{n}}", "hazard"))
        for n in (3, 150, 151, 299):
            with open(listing[n][0], "a") as handle:
                handle.write("changed")
        os.unlink(listing[200][0])
        del index["r/250"]
        one = delta._compare(listing, index, 0, len(listing))
        delta.PARALLEL_STAT_FROM = 0
        two = delta._differing(listing, index)
        print(one == two, one)
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "True [3, 150, 151, 200, 250, 299]"
