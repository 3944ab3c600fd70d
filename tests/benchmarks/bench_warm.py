"""Benchmark: the warm ``rectify check`` (issue 13, goal 3: ≤ 2 s after one file changed).

    python tests/benchmarks/bench_warm.py [N ...] [--dir FOLDER]     (default N = 10000)

For a synthetic registry of N hazards, each in a fresh process: the cold check (``--no-cache``),
the first cached check (filling ``.rectify-cache/``), a warm check with nothing changed, a warm
check after one hazard file was edited, and after one hazard record was added; with the warm run's
peak memory (``ru_maxrss``). Every warm output is compared byte for byte with a cold run's.
``--dir`` keeps the generated registries there (``FOLDER/N``) and reuses them on the next run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))

from synthetic import write  # noqa: E402

TODAY = "2023-12-31"


def run(root: Path, *options: str) -> tuple[float, int, bytes]:
    """(seconds, peak resident KiB, stdout) of one ``rectify check`` in a fresh process."""
    command = [sys.executable, "-m", "rectify", "check", "--today", TODAY, *options]
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(command, cwd=root, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"rectify check 失败（退出码 {proc.returncode}）：{root}")
        out.seek(0)
        return seconds, usage.ru_maxrss, out.read()


def registry(n: int, keep: Path | None) -> tuple[Path, bool]:
    """The synthetic registry of ``n`` hazards (reused from ``keep`` when there); whether it is temporary."""
    if keep is not None and (keep / str(n) / "registry").is_dir():
        return keep / str(n), False
    target = keep / str(n) if keep is not None else Path(tempfile.mkdtemp(prefix="bench-warm-"))
    write(target, n, REPO / "schemas")
    return target, keep is None


def edit_one(root: Path) -> tuple[Path, str]:
    """Change one hazard's status (the file and its text before, to put it back)."""
    hazard = next((root / "registry" / "hazards").rglob("*.yaml"))
    text = hazard.read_text(encoding="utf-8")
    hazard.write_text(text.replace("status: rectifying", "status: open", 1) + "\n", encoding="utf-8")
    return hazard, text


def add_one(root: Path) -> Path:
    source = next((root / "registry" / "hazards").rglob("*.yaml"))
    year = source.parent
    new_id = "HAZ-" + year.name + "-99999"
    text = source.read_text(encoding="utf-8")
    new = year / f"{new_id}.yaml"
    new.write_text(text.replace(f"id: {source.stem}", f"id: {new_id}", 1), encoding="utf-8")
    return new


def bench(n: int, keep: Path | None) -> None:
    root, temporary = registry(n, keep)
    shutil.rmtree(root / ".rectify-cache", ignore_errors=True)
    try:
        cold, cold_kib, cold_out = run(root, "--no-cache")
        fill, _, fill_out = run(root)
        warm, warm_kib, warm_out = run(root)
        assert fill_out == cold_out == warm_out, "缓存的输出与 --no-cache 不同"
        edited, before = edit_one(root)
        after_edit, edit_kib, edit_out = run(root)
        assert edit_out == run(root, "--no-cache")[2], "改一个文件后，缓存的输出与 --no-cache 不同"
        added = add_one(root)
        after_add, _, add_out = run(root)
        assert add_out == run(root, "--no-cache")[2], "加一条记录后，缓存的输出与 --no-cache 不同"
        added.unlink()
        edited.write_text(before, encoding="utf-8")
        files = sum(1 for _ in (root / "registry").rglob("*.yaml"))
        size = sum(p.stat().st_size for p in (root / ".rectify-cache").rglob("*") if p.is_file())
        print(
            f"{n:>7} {files:>7} {cold:>8.2f} {fill:>8.2f} {warm:>8.2f} {after_edit:>10.2f} {after_add:>10.2f}"
            f" {cold_kib / 1024:>9.0f} {max(warm_kib, edit_kib) / 1024:>9.0f} {size / 2**20:>8.0f}"
        )
    finally:
        if temporary:
            shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str]) -> None:
    keep = None
    if "--dir" in argv:
        at = argv.index("--dir")
        keep = Path(argv[at + 1])
        del argv[at : at + 2]
    sizes = [int(a) for a in argv] or [10000]
    print(
        f"{'N':>7} {'文件数':>7} {'冷(s)':>8} {'填缓存(s)':>8} {'无改动(s)':>8} {'改一文件(s)':>10} {'加一记录(s)':>10}"
        f" {'冷峰值MiB':>9} {'热峰值MiB':>9} {'缓存MiB':>8}"
    )
    for n in sizes:
        bench(n, keep)


if __name__ == "__main__":
    main(sys.argv[1:])
