"""Benchmark: the Excel ledger on a synthetic registry.

    python tests/benchmarks/bench_ledger.py [N ...]        (default N = 5000)

Per N (hazards in the registry, and rows in the ledger): the time of a cold ``rectify ledger
export`` (the hazard sheet and its detail sheets), then of ``rectify ledger import`` (fresh process
each) for four ledgers — the export itself (all unchanged), every hazard row edited (N updates),
every hazard row as a new record (N creations), a progress row appended to every hazard not yet
closed (3N/4 appends on the 整改进展 sheet) — with the registry restored between runs. Ends by counting ``rectify check`` errors
in the hazard files after the last import (the synthetic registry's own findings are counted apart).
Each run's peak resident memory is printed too (MiB, in the order of the times), and on a second
line its processor time (user + system, steadier than the wall time on a shared machine).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import load_workbook

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))

from synthetic import write  # noqa: E402

PEAKS: list[int] = []  # KiB: each run's peak resident memory (its largest process; rusage from wait4)
CPU: list[float] = []  # seconds of processor time (user + system) of each run, its workers included


def timed(*args: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Wall time of ``rectify`` in a fresh process; its peak memory and processor time go to PEAKS, CPU."""
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen([sys.executable, "-m", "rectify", *args], stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        proc = subprocess.CompletedProcess(child.args, child.returncode, out.read(), err.read())
    PEAKS.append(usage.ru_maxrss)
    CPU.append(usage.ru_utime + usage.ru_stime)
    return seconds, proc


def variant(source: Path, target: Path, edit: str) -> Path:
    book = load_workbook(source)
    sheet = book["隐患台账"]
    headers = [c.value for c in sheet[2]]
    title = headers.index("隐患名称") + 1
    if edit == "append":
        status = headers.index("整改状态") + 1
        progress = book["整改进展"]
        ids = [
            sheet.cell(r, 1).value
            for r in range(3, sheet.max_row + 1)
            if sheet.cell(r, status).value != "已销号"
        ]
        for offset, hazard in enumerate(ids, progress.max_row + 1):
            for column, value in enumerate([hazard, None, "2023-11-30", "复查：报警装置已安装"], 1):
                progress.cell(offset, column).value = value
        book.save(target)
        return target
    if edit == "create":  # the acceptance lives on the 验收 sheet, keyed by the old id: left out
        status = headers.index("整改状态") + 1
        for name in ("整改进展", "延期", "验收", "移交", "附件"):
            del book[name]
    for row in range(3, sheet.max_row + 1):
        if edit == "update":
            sheet.cell(row, title).value = f"{sheet.cell(row, title).value}（复查）"
        else:
            sheet.cell(row, 1).value = None  # no id: a new record
            if sheet.cell(row, status).value == "已销号":
                sheet.cell(row, status).value = "待验收"
    book.save(target)
    return target


def main(sizes: list[int]) -> None:
    print(
        f"{'N':>6} {'导出(s)':>8} {'导入未变(s)':>11} {'导入更新(s)':>11} {'导入新建(s)':>11} {'导入追加(s)':>11}"
        f"  {'峰值内存 MiB（导出/未变/更新/新建/追加）':>10}  结果"
    )
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = write(Path(tmp) / "repo", n, REPO / "schemas")
            pristine = Path(tmp) / "pristine"
            shutil.copytree(root / "registry", pristine)
            base = ["--root", str(root), "ledger"]
            book = Path(tmp) / "hazards.xlsx"
            PEAKS.clear()
            CPU.clear()
            export_t, proc = timed(*base, "export", "--kind", "hazards", "--out", str(book))
            assert proc.returncode == 0, proc.stdout + proc.stderr
            times, results = [], []
            for name, workbook in (
                ("unchanged", book),
                ("update", variant(book, Path(tmp) / "update.xlsx", "update")),
                ("create", variant(book, Path(tmp) / "create.xlsx", "create")),
                ("append", variant(book, Path(tmp) / "append.xlsx", "append")),
            ):
                shutil.rmtree(root / "registry")
                shutil.copytree(pristine, root / "registry")
                seconds, proc = timed(*base, "import", str(workbook), "--today", "2023-12-31")
                if proc.returncode != 0:
                    print(proc.stdout[-3000:], proc.stderr[-3000:])
                    raise SystemExit(f"import ({name}) failed with exit {proc.returncode}")
                times.append(seconds)
                results.append(proc.stdout.strip().splitlines()[-1])
            peaks = "/".join(f"{kib / 1024:.0f}" for kib in PEAKS)
            cpu = " ".join(f"{seconds:>11.2f}" for seconds in CPU[1:])
            _, proc = timed("--root", str(root), "check", "--today", "2023-12-31", "--format", "json")
            errors = [d for d in json.loads(proc.stdout) if d["severity"] == "error"]
            written = [d for d in errors if d["file"].startswith("registry/hazards/")]
            verdict = (
                f"导入的隐患文件错误 {len(written)} 个（合成登记册其余错误 {len(errors) - len(written)} 个）"
            )
            cells = " ".join(f"{t:>11.2f}" for t in times)
            print(f"{n:>6} {export_t:>8.2f} {cells}  {peaks:>10}  {verdict}")
            print(f"{'CPU':>6} {CPU[0]:>8.2f} {cpu}  （处理器时间，秒：机器繁忙时墙钟时间偏大，它较稳定）")
            for line in results:
                print(f"{'':>6} {line}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [5000])
