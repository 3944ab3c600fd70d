"""Benchmark: what the rules add to a cold ``rectify check``.

    python tests/benchmarks/bench_rules.py [N ...]        (default N = 10000)

For a synthetic registry of N hazards, a fresh process loads and schema-checks the registry
(the check without rules), then runs every registered rule, timing each. Prints the time of each
stage, the rules' share of the check (target: at most 25 %), and the slowest rules. Each figure
is the best of three fresh processes.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))

from synthetic import write  # noqa: E402

MEASURE = """
import datetime as dt, json, sys, time
from rectify.check import build_registry
from rectify.paths import find
from rectify.rules import RULES, Context
start = time.perf_counter()
registry, diagnostics, files = build_registry(find(__import__('pathlib').Path(sys.argv[1])))
loaded = time.perf_counter()
context = Context(today=dt.date(2023, 12, 31))
per_rule, found = {}, 0
for rule in RULES.values():
    if rule.run is None:
        continue
    t = time.perf_counter()
    found += sum(1 for _ in rule.run(registry, context))
    per_rule[rule.id] = time.perf_counter() - t
done = time.perf_counter()
print(json.dumps({"files": files, "load": loaded - start, "rules": done - loaded, "per_rule": per_rule, "found": found}))
"""


def measure(root: Path, runs: int = 3) -> dict[str, object]:
    best: dict[str, object] | None = None
    for _ in range(runs):
        proc = subprocess.run(
            [sys.executable, "-c", MEASURE, str(root)], capture_output=True, text=True, check=True
        )
        result = json.loads(proc.stdout)
        if best is None or result["load"] + result["rules"] < best["load"] + best["rules"]:  # type: ignore[operator]
            best = result
    assert best is not None
    return best


def main(sizes: list[int]) -> None:
    print(f"{'N':>7} {'文件数':>7} {'读取+schema(s)':>14} {'全部规则(s)':>12} {'规则占比':>8} {'发现':>7}")
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = write(Path(tmp), n, REPO / "schemas")
            r = measure(root)
            load, rules = float(r["load"]), float(r["rules"])  # type: ignore[arg-type]
            print(f"{n:>7} {r['files']:>7} {load:>14.2f} {rules:>12.2f} {rules / load:>8.1%} {r['found']:>7}")
            slowest = sorted(r["per_rule"].items(), key=lambda kv: -kv[1])[:5]  # type: ignore[attr-defined]
            print("        最慢的规则：" + "，".join(f"{k} {v * 1000:.0f} ms" for k, v in slowest))


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10000])
