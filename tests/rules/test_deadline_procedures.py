"""The documented ways a deadline moves (docs/guide/editing.md: 延期, 重新打开), done end to end as
staff do them: edit the record's text in a real Git work tree and run ``rectify check --base HEAD``.
The deadline in force they produce is the one the rules, the deadline report and the site all count
from (``rectify.facts.deadline_in_force`` / ``overdue_days``)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path
from typing import Any

from rectify.check import run_check
from rectify.deadline_report import build
from rectify.facts import facts_of
from rectify.paths import find
from rectify.site.context import days_overdue
from tests.conftest import make_registry
from tests.git.repo import Repo
from tests.helpers import cli, explain

HAZARD = "registry/hazards/2023/HAZ-2023-00001.yaml"

EXTENSION = """extensions:
  - requested_on: 2023-11-20
    new_deadline: 2024-02-10
    reason: 防爆除尘器到货延迟
    approved_by: zhao-lei-yjj
    approved_on: 2023-11-25
"""
ACCEPTANCE = """acceptance:
  date: 2023-11-28
  by: sun-hao-yjj
  result: passed
"""
REOPENING = """reopened:
  - date: 2023-12-05
    reason: 复查发现泄爆装置未安装到位
    by: zhao-lei-yjj
    new_deadline: 2024-02-10
    previous_acceptance:
      date: 2023-11-28
      by: sun-hao-yjj
      result: passed
"""


def _repo(tmp_path: Path, closed: bool = False) -> Path:
    root = make_registry(tmp_path / "repo")
    if closed:
        text = _text(root).replace("status: rectifying", "status: closed")
        (root / HAZARD).write_text(
            text + "  - date: 2023-11-20\n    note: 安装完成\n    by: wang-qiang-qy\n" + ACCEPTANCE,
            encoding="utf-8",
        )
    Repo(root).commit("基准")
    return root


def _text(root: Path) -> str:
    return (root / HAZARD).read_text(encoding="utf-8")


def _check(root: Path, today: str) -> tuple[subprocess.CompletedProcess[str], list[dict[str, Any]]]:
    proc = cli("--root", str(root), "check", "--today", today, "--base", "HEAD", "--format", "json")
    assert proc.returncode in (0, 1), explain(proc)
    return proc, json.loads(proc.stdout)


def _on_hazard(found: list[dict[str, Any]]) -> list[tuple[str, str, int, str]]:
    return [(d["rule"], d["severity"], d["line"], d["path"]) for d in found if d["file"] == HAZARD]


def _counted(root: Path, today: dt.date) -> tuple[int, int]:
    """Days overdue as the site and the deadline report count them."""
    result = run_check(find(root), today)
    hazard = result.registry.get("hazard", "HAZ-2023-00001")
    assert hazard is not None
    report = build(result.registry, result.diagnostics, today)
    rows = [r for r in report["overdue"] if r["id"] == "HAZ-2023-00001"]
    site = days_overdue(hazard.data, today, facts_of(result.registry).calendar)
    return site, rows[0]["days_overdue"] if rows else 0


def test_extension_as_documented_is_clean_and_moves_the_deadline(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    _, found = _check(root, "2023-12-05")
    assert _on_hazard(found) == [("H-overdue", "alert", 21, "rectification.deadline")]
    (root / HAZARD).write_text(_text(root) + EXTENSION, encoding="utf-8")
    proc, found = _check(root, "2023-12-05")
    assert proc.returncode == 0, explain(proc)
    assert _on_hazard(found) == []
    # 2024-02-10 falls in the 春节 holiday: the last day moves to Sunday 2024-02-18 (调休上班).
    proc, found = _check(root, "2024-02-20")
    assert _on_hazard(found) == [("H-overdue", "alert", 36, "extensions[0].new_deadline")], explain(proc)
    assert "已逾期 2 天" in found[0]["message"] and "顺延至 2024-02-18" in found[0]["message"]
    assert _counted(root, dt.date(2024, 2, 20)) == (2, 2)
    assert _counted(root, dt.date(2024, 2, 18)) == (0, 0)


def test_extension_that_also_rewrites_the_registered_deadline_is_refused(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    text = _text(root).replace("deadline: 2023-11-30", "deadline: 2024-02-10")
    (root / HAZARD).write_text(text + EXTENSION, encoding="utf-8")
    proc, found = _check(root, "2023-12-05")
    assert proc.returncode == 1, explain(proc)
    assert sorted(_on_hazard(found)) == [
        ("G-ratchet", "error", 21, "rectification.deadline"),
        ("H-extension", "error", 36, "extensions[0].new_deadline"),
    ]
    assert "请改回 2023-11-30" in next(d["message"] for d in found if d["rule"] == "G-ratchet")


def test_reopening_as_documented_keeps_the_acceptance_and_counts_from_the_new_deadline(
    tmp_path: Path,
) -> None:
    root = _repo(tmp_path, closed=True)
    text = _text(root).replace(ACCEPTANCE, "").replace("status: closed", "status: rectifying")
    (root / HAZARD).write_text(text + REOPENING, encoding="utf-8")
    proc, found = _check(root, "2023-12-20")
    assert proc.returncode == 0, explain(proc)
    assert _on_hazard(found) == []
    proc, found = _check(root, "2024-02-20")
    assert _on_hazard(found) == [("H-overdue", "alert", 41, "reopened[0].new_deadline")], explain(proc)
    assert "已逾期 2 天" in found[0]["message"] and "重新打开后的时限" in found[0]["message"]
    # counted from the reopening's deadline, not from 2023-11-30 (82 days)
    assert _counted(root, dt.date(2024, 2, 20)) == (2, 2)


def test_reopening_that_drops_or_leaves_the_acceptance_is_refused(tmp_path: Path) -> None:
    root = _repo(tmp_path, closed=True)
    reopening = REOPENING.split("    previous_acceptance:")[0]
    rectifying = _text(root).replace("status: closed", "status: rectifying")
    (root / HAZARD).write_text(rectifying.replace(ACCEPTANCE, "") + reopening, encoding="utf-8")
    proc, found = _check(root, "2023-12-20")
    assert proc.returncode == 1, explain(proc)
    assert _on_hazard(found) == [("G-ratchet", "error", 38, "reopened[0]")], explain(proc)
    (root / HAZARD).write_text(rectifying + reopening, encoding="utf-8")
    proc, found = _check(root, "2023-12-20")
    assert proc.returncode == 1, explain(proc)
    assert _on_hazard(found) == [("H-accept", "error", 38, "acceptance.date")], explain(proc)
    assert "previous_acceptance" in found[0]["message"] and "请销号" not in proc.stdout
