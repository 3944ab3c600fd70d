"""Site build benchmark: the public build of synthetic registries of N hazards, measured.

    .venv/bin/python tests/benchmarks/bench_site.py 1000 5000 20000
    .venv/bin/python tests/benchmarks/bench_site.py --browser 1000   # also time to first search result
    .venv/bin/python tests/benchmarks/bench_site.py --root DIR       # a registry written before, built into DIR/out

Each run writes a synthetic registry (tests/benchmarks/synthetic.py) and runs the real
``rectify build --profile public`` on it in a fresh process, as CI and staff do. For each N it
prints: build time, the build's peak memory (RSS), total size, bytes per record page (mean and
max, against the 10 KB budget), the search index and the register's data file (raw and gzip,
against their budgets), and the bytes of script each kind of page loads (home, register, a record
page, and a search: the home page's scripts plus the search worker and its Chinese language files).
With ``--browser``, the time from opening the home page to the first result for 燃气 in a headless
Chromium (Debian's, as the browser tests use). With ``--all-in-index`` also the index as it would be
if every record page stayed in it (the entries the build would add, written into a copy of the
built site): its size and time to the first result, for the decision in rectify.site.search.

Budgets (docs/guide/admin.md, 站点的规模): record page ≤ 10 KB; the whole site ≤ 1 GB at 100,000
hazards; the search index ≤ 3 MB (≤ 1 MB compressed: what a phone fetches and indexes in seconds);
the register's data file ≤ 800 bytes per hazard raw (the sample's real text: ~760 B, ~110 B
compressed — 2 MB to fetch at 20,000 hazards);
the build ≤ 5 minutes at 100,000 hazards.
"""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402

PAGE_BUDGET = 10_000
SITE_BUDGET = 1_000_000_000  # GitHub Pages' limit, at 100,000 hazards
INDEX_BUDGET, INDEX_GZ_BUDGET = 3_000_000, 1_000_000
REGISTER_BUDGET_PER_HAZARD = 800  # the sample's real text: ~760 B a hazard raw, ~110 B compressed
RECORD_FOLDERS = ("hazards/2023", "inspections/2023", "enterprises", "actions/cases", "consultations")


@dataclass
class Figures:
    hazards: int
    seconds: float
    peak_mb: float
    files: int
    size: int
    page_mean: float
    page_max: int
    pages: int
    index: int
    index_gz: int
    register: int
    register_gz: int
    js: dict[str, int]
    first_result: float | str | None = "not measured"
    all_in_index: tuple[int, int, float | None] | None = None  # bytes, gzip bytes, first result


def scripts_of(out: Path, page: str) -> int:
    """Bytes of script a page loads (its <script src> files)."""
    html = (out / page).read_text(encoding="utf-8")
    total = 0
    for src in re.findall(r'<script src="([^"]+)"', html):
        script = (out / page).parent.joinpath(src.split("?")[0]).resolve()
        if not script.is_file():
            raise SystemExit(f"{page}: the script {src} it loads is missing")
        total += script.stat().st_size
    return total


def search_scripts(out: Path) -> int:
    """What a search adds to the page: the theme's search worker and the Chinese language files it imports."""
    scripts = out / "assets" / "javascripts"
    files = [*scripts.glob("workers/search.*.min.js")]
    files += [scripts / "lunr" / "min" / f"lunr.{name}.min.js" for name in ("stemmer.support", "zh")]
    return sum(f.stat().st_size for f in files if f.is_file())


def record_pages(out: Path) -> list[int]:
    return [
        p.stat().st_size
        for folder in RECORD_FOLDERS
        for p in (out / folder).glob("*.html")
        if p.name != "index.html"
    ]


def build(root: Path, out: Path) -> tuple[float, float]:
    """Run the public build: (seconds, peak RSS in MB, from the process's own rusage)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "rectify", "--root", str(root), "build", "--profile", "public"]
    cmd += ["--today", "2023-12-31", "--out", str(out)]
    start = time.perf_counter()
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
        _pid, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        log.seek(0)
        text = log.read().decode("utf-8", "replace")
    if os.waitstatus_to_exitcode(status) != 0:
        print(text[-4000:])
        raise SystemExit("build failed")
    return elapsed, usage.ru_maxrss / 1024


def first_result(out: Path, query: str = "燃气") -> float | None:
    """Seconds from opening the home page (served over HTTP) to the first search result (None:
    none within two minutes)."""
    import functools
    import http.server
    import threading

    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(REPO))
    from tests.helpers import CHROMIUM, CHROMIUM_ARGS

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page()
            start = time.perf_counter()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/index.html?q={query}")
            try:
                page.wait_for_selector(".md-search-result__item", timeout=120_000)
                elapsed: float | None = time.perf_counter() - start
            except Exception:  # playwright's TimeoutError: reported as "no result"
                elapsed = None
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return elapsed


def every_record_indexed(root: Path, out: Path, browser: bool) -> tuple[int, int, float | None]:
    """The built index with every record page's entry added (as if no kind left the index)."""
    import datetime as dt
    import json

    from rectify.check import build_registry
    from rectify.paths import find
    from rectify.site import search
    from rectify.site.context import SiteOptions
    from rectify.site.generate import generate
    from rectify.site.html import page_url

    registry, _, _ = build_registry(find(root))
    content = generate(registry, SiteOptions(today=dt.date(2023, 12, 31)))
    index_file = out / "search" / "search_index.json"
    index = json.loads(index_file.read_text(encoding="utf-8"))
    present = {d["location"] for d in index["docs"]}
    for src, record in content.records.items():
        url = page_url(src, False)
        if url not in present:
            index["docs"].append(search.entry(url, record.search_title or record.title, record.search))
    data = json.dumps(index, ensure_ascii=False, separators=(",", ":")).encode()
    index_file.write_bytes(data)
    return len(data), len(gzip.compress(data)), first_result(out) if browser else None


def run(hazards: int, browser: bool, counterfactual: bool = False) -> Figures:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        synthetic.write(root, hazards, REPO / "schemas")
        return measure(root, hazards, browser, counterfactual)


def measure(root: Path, hazards: int, browser: bool, counterfactual: bool = False) -> Figures:
    """Build the registry at ``root`` (public profile) into ``root/out`` and measure it."""
    if not (root / "mkdocs.yml").is_file():
        (root / "mkdocs.yml").write_text((REPO / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    if not (root / "docs").exists():
        os.symlink(REPO / "docs", root / "docs")
    out = root / "out"
    elapsed, peak = build(root, out)
    files = [p for p in out.rglob("*") if p.is_file()]
    pages = record_pages(out)
    index = (out / "search" / "search_index.json").read_bytes()
    register = (out / "data" / "register-major.json").read_bytes()
    register += (out / "data" / "register-general.json").read_bytes()
    home = scripts_of(out, "index.html")
    return Figures(
        hazards=hazards,
        seconds=elapsed,
        peak_mb=peak,
        files=len(files),
        size=sum(p.stat().st_size for p in files),
        page_mean=sum(pages) / len(pages),
        page_max=max(pages),
        pages=len(pages),
        index=len(index),
        index_gz=len(gzip.compress(index)),
        register=len(register),
        register_gz=len(gzip.compress(register)),
        js={
            "home": home,
            "register": scripts_of(out, "hazards/index.html"),
            "record": scripts_of(out, "hazards/2023/HAZ-2023-00001.html"),
            "search": home + search_scripts(out),
        },
        first_result=first_result(out) if browser else "not measured",
        all_in_index=every_record_indexed(root, out, browser) if counterfactual else None,
    )


def verdict(ok: bool) -> str:
    return "ok" if ok else "OVER"


def report(f: Figures) -> None:
    n = f.hazards
    kb = 1e3
    print(f"\n== {n:,} hazards ({f.pages:,} record pages, {f.files:,} files)", flush=True)
    print(
        f"  build time          {f.seconds:8.1f} s     ({f.seconds / n * 1000:.1f} ms per hazard; budget 300 s at 100,000)"
    )
    print(f"  peak memory         {f.peak_mb:8.0f} MB")
    print(
        f"  total size          {f.size / 1e6:8.1f} MB    ({f.size / n / kb:.1f} KB per hazard; budget 1 GB at 100,000)"
    )
    print(
        f"  record page         {f.page_mean / kb:8.1f} KB mean, {f.page_max / kb:.1f} KB max"
        f" (budget 10 KB: {verdict(f.page_max <= PAGE_BUDGET)})"
    )
    print(
        f"  search index        {f.index / kb:8.0f} KB, {f.index_gz / kb:.0f} KB gzip"
        f" (budget 3 MB / 1 MB gzip: {verdict(f.index <= INDEX_BUDGET and f.index_gz <= INDEX_GZ_BUDGET)})"
    )
    print(
        f"  register data       {f.register / kb:8.0f} KB, {f.register_gz / kb:.0f} KB gzip"
        f" ({f.register / n:.0f} B per hazard; budget {REGISTER_BUDGET_PER_HAZARD} B:"
        f" {verdict(f.register / n <= REGISTER_BUDGET_PER_HAZARD)})"
    )
    js = f.js
    print(
        f"  script per page     home {js['home'] / kb:.0f} KB, register {js['register'] / kb:.0f} KB,"
        f" record page {js['record'] / kb:.0f} KB, search {js['search'] / kb:.0f} KB"
    )
    if f.first_result is None:
        print("  first search result  none within 120 s (燃气, from opening the home page)")
    elif not isinstance(f.first_result, str):
        print(f"  first search result {f.first_result:8.1f} s     (燃气, from opening the home page)")
    if f.all_in_index is not None:
        size, gz, seconds = f.all_in_index
        when = f", first result {seconds:.1f} s" if seconds is not None else ""
        print(f"  every record in the index: {size / kb:.0f} KB, {gz / kb:.0f} KB gzip{when}")


def main() -> None:
    args = sys.argv[1:]
    browser = "--browser" in args
    counterfactual = "--all-in-index" in args
    if "--root" in args:  # a synthetic registry written before: N is its hazards
        at = args.index("--root")
        root, args = Path(args[at + 1]), args[:at] + args[at + 2 :]
        hazards = len(list((root / "registry" / "hazards").rglob("HAZ-*.yaml")))
        report(measure(root, hazards, "--browser" in args, "--all-in-index" in args))
        return
    counts = [int(a) for a in args if not a.startswith("--")] or [1000, 5000, 20000]
    runs = []
    for n in counts:
        runs.append(run(n, browser, counterfactual))
        report(runs[-1])
    if len(runs) >= 2:  # the growth per hazard between the last two runs, carried to 100,000
        a, b = runs[-2], runs[-1]
        per = b.hazards - a.hazards

        def at(x: float, y: float) -> float:
            return y + (y - x) / per * (100_000 - b.hazards)

        seconds, size, peak = at(a.seconds, b.seconds), at(a.size, b.size), at(a.peak_mb, b.peak_mb)
        print(
            f"\n== growth {a.hazards:,} → {b.hazards:,}, carried to 100,000 hazards: build {seconds:.0f} s"
            f" ({verdict(seconds <= 300)}), size {size / 1e9:.2f} GB ({verdict(size <= SITE_BUDGET)}),"
            f" peak memory {peak / 1e3:.1f} GB"
        )


if __name__ == "__main__":
    main()
