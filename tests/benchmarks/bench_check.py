"""Benchmark: a cold ``rectify check`` against merely parsing the same files with libyaml.

    python tests/benchmarks/bench_check.py [N ...] [--runs K] [--dir FOLDER]   (default N = 10000)

``--dir FOLDER`` writes each generated registry to ``FOLDER/N`` and reuses it next time (100,000 records
take minutes to generate); ``--runs`` is how many runs each time is the best of (default 3).
``RECTIFY_JOBS=1`` measures the check parsing in one process.

Prints, per N: files, parse-only time (read + yaml.load with CSafeLoader, fresh process),
``rectify check`` time (fresh process), their ratio, the check's peak memory, and check-jsonschema's
time on the hazard files when it is installed. Each time is the best of three runs. Peak memory is
given twice: the largest single process (``ru_maxrss`` from ``wait4``, the kernel's own high-water
mark) and the whole process tree's resident set summed, sampled every 20 ms from ``/proc`` (what
counts once the check parses in several processes). Goals (issue 13): check ≤ parse time at
100,000 records; peak ≤ 1 GiB.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))

from synthetic import write  # noqa: E402

PARSE_ONLY = """
import pathlib, sys, yaml
n = 0
for p in pathlib.Path(sys.argv[1]).rglob('*.yaml'):
    yaml.load(p.read_bytes().decode('utf-8'), Loader=yaml.CSafeLoader)
    n += 1
print(n)
"""


def best(cmd: list[str], runs: int = 3) -> tuple[float, subprocess.CompletedProcess[str]]:
    times = []
    proc = None
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
    assert proc is not None
    return min(times), proc


def _tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and its descendants now (0 for those already gone)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            for task in Path(f"/proc/{current}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
    return total


def peak_memory(cmd: list[str]) -> tuple[int, int]:
    """(largest process's peak, process tree's sampled peak), in bytes, over one run of ``cmd``."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.02):
            peak = max(peak, _tree_rss(proc.pid))

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, _, usage = os.wait4(proc.pid, 0)
    done.set()
    sampler.join()
    proc.returncode = 0  # reaped by wait4
    return usage.ru_maxrss * 1024, peak


def registry_for(n: int, keep: Path | None, tmp: str) -> Path:
    if keep is None:
        return write(Path(tmp), n, REPO / "schemas")
    root = keep / str(n)
    if not (root / "registry" / "jurisdiction.yaml").is_file():
        write(root, n, REPO / "schemas")
    return root


def main(sizes: list[int], runs: int = 3, keep: Path | None = None) -> None:
    print(
        f"{'N':>7} {'文件数':>7} {'仅解析(s)':>10} {'check(s)':>9} {'倍数':>6} {'峰值(单进程)':>12}"
        f" {'峰值(进程树)':>12} {'每记录':>8} {'check-jsonschema(s)':>20}"
    )
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = registry_for(n, keep, tmp)
            files = sum(1 for _ in (root / "registry").rglob("*.yaml"))
            parse_t, _ = best([sys.executable, "-c", PARSE_ONLY, str(root / "registry")], runs)
            check = [sys.executable, "-m", "rectify", "--root", str(root), "check", "--today", "2023-12-31"]
            check.append("--no-cache")  # cold: the cache's warm runs are bench_warm.py's
            check_t, proc = best(check, runs)
            if proc.returncode != 0:
                print(proc.stdout[-2000:], proc.stderr[-2000:])
                raise SystemExit(f"check failed on the synthetic registry (exit {proc.returncode})")
            largest, tree = peak_memory(check)
            venv_cj = Path(sys.executable).parent / "check-jsonschema"  # installed with the dev tools
            cj = str(venv_cj) if venv_cj.is_file() else shutil.which("check-jsonschema")
            cj_text = "未安装" if not cj else "未运行（N > 10000）"
            if cj and n <= 10_000:  # it takes minutes already at 10,000, and the file list grows too long
                hazards = sorted(str(p) for p in (root / "registry" / "hazards").rglob("*.yaml"))
                cj_t, _ = best(
                    [cj, "--schemafile", str(root / "schemas" / "hazard.schema.json"), *hazards], runs=1
                )
                cj_text = f"{cj_t:.2f}"
            mib = 1024 * 1024
            print(
                f"{n:>7} {files:>7} {parse_t:>10.2f} {check_t:>9.2f} {check_t / parse_t:>6.2f}"
                f" {largest / mib:>9.0f} MiB {tree / mib:>9.0f} MiB {max(largest, tree) / files / 1024:>5.1f} KiB"
                f" {cj_text:>20}"
            )


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="冷启动 rectify check 与单进程解析的对比")
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", type=Path)
    args = parser.parse_args()
    main(args.sizes, args.runs, args.dir)
