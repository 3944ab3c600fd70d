"""Site build benchmark: build time and output size for synthetic registries of N hazards.

    .venv/bin/python tests/benchmarks/bench_site.py 1000 5000 20000

Each run writes a synthetic registry (tests/benchmarks/synthetic.py) and runs the real
``rectify build --profile public`` on it in a fresh process, as CI and staff do.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402


def size_of(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def scripts_of(out: Path, page: str) -> int:
    """Bytes of script a page loads (its <script src> files)."""
    import re

    html = (out / page).read_text(encoding="utf-8")
    return sum(
        (out / page).parent.joinpath(src.split("?")[0]).resolve().stat().st_size
        for src in re.findall(r'<script src="([^"]+)"', html)
    )


def web_figures(out: Path) -> dict[str, int]:
    import gzip

    index = (out / "search" / "search_index.json").read_bytes()
    return {
        "index": len(index),
        "index_gz": len(gzip.compress(index)),
        "js_home": scripts_of(out, "index.html"),
        "js_register": scripts_of(out, "hazards/index.html"),
        "js_record": scripts_of(out, "hazards/2023/HAZ-2023-00001.html"),
    }


def run(hazards: int) -> tuple[float, int, int, dict[str, int]]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        synthetic.write(root, hazards, REPO / "schemas")
        for name in ("mkdocs.yml",):
            (root / name).write_text((REPO / name).read_text(encoding="utf-8"), encoding="utf-8")
        os.symlink(REPO / "docs", root / "docs")
        out = root / "out"
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        start = time.perf_counter()
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "rectify",
                "--root",
                str(root),
                "build",
                "--profile",
                "public",
                "--today",
                "2023-12-31",
                "--out",
                str(out),
            ],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            print(proc.stdout[-3000:], proc.stderr[-3000:], sep="\n")
            raise SystemExit(f"build failed for {hazards} hazards")
        files, size = size_of(out)
        return elapsed, files, size, web_figures(out)


def main() -> None:
    counts = [int(a) for a in sys.argv[1:]] or [1000, 5000, 20000]
    print(
        f"{'hazards':>8} {'seconds':>8} {'files':>8} {'MB':>8} {'KB/hazard':>10}"
        f" {'index KB':>9} {'gzip KB':>8} {'JS KB home/register/record':>27}"
    )
    for n in counts:
        elapsed, files, size, web = run(n)
        js = f"{web['js_home'] / 1e3:.0f}/{web['js_register'] / 1e3:.0f}/{web['js_record'] / 1e3:.0f}"
        print(
            f"{n:>8} {elapsed:>8.1f} {files:>8} {size / 1e6:>8.1f} {size / 1e3 / n:>10.1f}"
            f" {web['index'] / 1e3:>9.0f} {web['index_gz'] / 1e3:>8.0f} {js:>27}",
            flush=True,
        )


if __name__ == "__main__":
    main()
