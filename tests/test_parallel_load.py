"""Large registries are parsed by worker processes: the findings, their order and their positions
are the same as parsing in one process, broken files included; a record keeps no node tree, and
its positions are composed again only when a finding names it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rectify import load
from rectify.model import Document, positions_later
from tests.benchmarks import synthetic
from tests.conftest import REPO

BROKEN = {
    "registry/hazards/2023/HAZ-2023-00003.yaml": "id: HAZ-2023-00003\n\ttitle: 制表符缩进\n",
    "registry/hazards/2023/HAZ-2023-00004.yaml": "id: HAZ-2023-00004\ntitle: 重复\ntitle: 键\n",
    "registry/hazards/2023/HAZ-2023-00005.yaml": "id: HAZ-2023-00005\ntitle: [未闭合\n",
    "registry/hazards/2023/HAZ-2023-00006.yaml": "",
    "registry/hazards/HAZ-2023-00007.yaml": "id: HAZ-2023-00007\n",  # no year folder
    "registry/hazards/2023/HAZ-2023-00008.yaml": "id: HAZ-2023-00008\non: 2023-09-01\n",
}


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic registry past the parallel threshold, with broken files among the good ones."""
    root = synthetic.write(tmp_path_factory.mktemp("big"), 1_900, REPO / "schemas")
    for rel, text in BROKEN.items():
        (root / rel).write_text(text, encoding="utf-8")
    (root / "registry/hazards/2023/HAZ-2023-00009.yaml").write_bytes("id: 编码\n".encode("gb18030"))
    assert sum(1 for _ in (root / "registry").rglob("*.yaml")) >= load.PARALLEL_FROM
    return root


def run_check(root: Path, jobs: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RECTIFY_JOBS": jobs}
    return subprocess.run(
        [sys.executable, "-m", "rectify", "--root", str(root), "check", "--today", "2023-12-31"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_parallel_output_is_byte_identical_to_one_process(big: Path) -> None:
    one, two = run_check(big, "1"), run_check(big, "2")
    assert one.returncode == two.returncode == 1  # the broken files are errors
    assert one.stdout == two.stdout
    assert one.stderr == two.stderr
    for rule, rel in [
        ("R-yaml", "HAZ-2023-00003.yaml:2:1"),
        ("R-duplicate-key", "HAZ-2023-00004.yaml:3:1"),
        ("R-bool-key", "HAZ-2023-00008.yaml:2:1"),
        ("R-encoding", "HAZ-2023-00009.yaml:1:5"),
    ]:
        assert any(rel in line and f"[{rule}]" in line for line in two.stdout.splitlines()), (rule, rel)


COMPARE = """
import json, os, sys, threading
from pathlib import Path
from rectify import load
from rectify.paths import find
assert threading.active_count() == 1  # a fresh process: forking is allowed, the pool runs
paths = find(Path(sys.argv[1]))
os.environ["RECTIFY_JOBS"] = "2"
parallel = load.load_registry(paths)
os.environ["RECTIFY_JOBS"] = "1"
serial = load.load_registry(paths)
docs = lambda r: [(d.kind, d.file, d.source, d.data) for d in r.documents]
print(json.dumps({
    "documents": len(parallel.documents),
    "same_documents": docs(parallel) == docs(serial),
    "same_diagnostics": parallel.diagnostics == serial.diagnostics,
    "failed": sorted(parallel.failed),
    "same_failed": parallel.failed == serial.failed,
}))
"""


def test_workers_return_what_one_process_reads(big: Path) -> None:
    """In a fresh (single-threaded) process, as the command runs: the test session's own threads
    (browsers, servers) would keep the pool from forking here."""
    proc = subprocess.run(
        [sys.executable, "-c", COMPARE, str(big)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["same_documents"] and result["same_diagnostics"] and result["same_failed"], result
    assert result["documents"] >= load.PARALLEL_FROM - len(BROKEN)
    unusable = {f"registry/hazards/2023/HAZ-2023-0000{n}.yaml" for n in (3, 5, 6, 9)}
    assert set(result["failed"]) == unusable | {"registry/hazards/HAZ-2023-00007.yaml"}


def test_pool_is_used_only_when_it_can_help(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("RECTIFY_JOBS", "3")
    assert load.workers() == 3
    monkeypatch.setenv("RECTIFY_JOBS", "0")  # not a count: the CPUs decide
    assert load.workers() >= 1
    jobs: list[load.Job] = [(str(tmp_path / "a.yaml"), "registry/a.yaml", "hazard", None)]
    (tmp_path / "a.yaml").write_text("id: x\n", encoding="utf-8")
    assert list(load._read_all(jobs)) == [({"id": "x"}, [])]


def test_positions_are_composed_from_the_record_when_a_finding_needs_them(tmp_path: Path) -> None:
    text = "id: HAZ-2023-00001\nrectification:\n  measures:\n    - 甲\n    - 乙\n"
    on_disk = tmp_path / "HAZ-2023-00001.yaml"
    on_disk.write_text(text, encoding="utf-8")
    data = {"id": "HAZ-2023-00001", "rectification": {"measures": ["甲", "乙"]}}
    disk = Document("hazard", "registry/hazards/2023/HAZ-2023-00001.yaml", str(on_disk), data)
    kept = Document("hazard", disk.file, "/nonexistent", data, "\n\n" + text)  # a base revision's text
    assert disk.locate(("rectification", "measures", 1)) == (5, 7)
    assert kept.locate(("rectification", "measures", 1)) == (7, 7)
    assert disk.locate(("rectification", "funds_cny")) == (2, 1)  # absent: its nearest ancestor
    with positions_later() as locate:
        later = disk.diagnostic("H-x", load.Severity.WARNING, ("rectification", "measures", 0), "消息")
        assert (later.line, later.column) == (0, 0)
        [found] = locate([later])
    assert (found.line, found.column, found.path) == (4, 7, "rectification.measures[0]")
    gone = Document("hazard", disk.file, str(tmp_path / "deleted.yaml"), data)
    assert gone.locate(("id",)) == (1, 1)  # the file vanished: the record is still reported
