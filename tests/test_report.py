"""``rectify report`` on the sample registry: overdue, due soon, follow-ups and non-respondents."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import REPO
from tests.helpers import cli, explain


def _json(*args: str, root: Path = REPO) -> dict[str, object]:
    proc = cli("--root", str(root), "report", "--format", "json", *args)
    assert proc.returncode == 0, explain(proc)
    data: dict[str, object] = json.loads(proc.stdout)
    return data


def test_sample_report_lists_deadlines_and_follow_ups() -> None:
    data = _json("--today", "2023-12-31")
    overdue = {row["id"]: row["days_overdue"] for row in data["overdue"]}  # type: ignore[attr-defined]
    assert overdue == {
        "HAZ-2023-00036": 46,
        "HAZ-2023-00055": 20,  # deadline Sunday 2023-12-10 ends on Monday 12-11 (facts.last_day)
        "HAZ-2023-00029": 16,
        "HAZ-2023-00054": 16,
        "HAZ-2023-00027": 11,
        "HAZ-2023-00028": 11,
    }
    due = {row["id"]: row["working_days_left"] for row in data["due_soon"]}  # type: ignore[attr-defined]
    # 2024-01-01 is a holiday: from Sunday 2023-12-31, 01-05 is the 4th working day, 01-10 the 7th
    # deadlines on Sunday 2023-12-31 end on Tuesday 2024-01-02 (facts.last_day): one working day left
    assert due == {"HAZ-2023-00025": 1, "HAZ-2023-00043": 1, "HAZ-2023-00056": 4, "HAZ-2023-00059": 7}
    assert [row["id"] for row in data["maximum_penalty"]] == ["HAZ-2023-00060"]  # type: ignore[attr-defined]
    (consultation,) = data["consultations"]  # type: ignore[misc]
    assert consultation["id"] == "CONS-2023-001"
    # recipients without a reply: 6 areas and 3 enterprises addressed by name and, through the group, the
    # 市安委会 member units that did not answer (逾期视为无意见)
    assert len(consultation["no_opinion"]) == 40
    assert consultation["late"] == ["市市场监管局（city-market）"]
    assert "市公安局（city-police）" in consultation["no_opinion"]
    gaps = {(c["campaign"], c["area"]): c["not_inspected"] for c in data["coverage"]}  # type: ignore[attr-defined]
    assert gaps[("CAMP-2023-001", "烈山区（lieshan）")] == [
        "淮北市星辰酒店管理有限公司（91340604MA2PJTYHN3）"
    ]
    assert data["errors"] == 0


def test_every_notice_rule_shows_in_the_sample_report() -> None:
    data = _json("--today", "2023-12-31")
    shown = {d["rule"] for d in data["other_findings"]}  # type: ignore[attr-defined]
    if data["overdue"]:
        shown.add("H-overdue")
    if data["due_soon"]:
        shown.add("H-due-soon")
    notice_rules = {
        "C-plan", "C-review", "C-copy", "C-lead", "C-summary", "C-subplans", "C-milestone", "C-publicity",
        "H-five", "H-register", "H-overdue", "H-due-soon", "H-extension", "H-acceptor", "H-accept",
        "H-referral", "H-maxpenalty", "H-liability", "I-lists", "I-coverage", "E-publish", "K-deadline",
        "D-leadership", "D-duty-overdue", "D-local-notice", "E-risks", "D-pursue", "D-joint", "D-clue",
    }  # fmt: skip
    assert notice_rules - shown == set()


def test_markdown_report_and_unknown_calendar_year(repo: Path) -> None:
    proc = cli("--root", str(REPO), "report", "--today", "2023-12-31")
    assert proc.returncode == 0, explain(proc)
    assert proc.stdout.startswith("# 安全生产专项整治期限与问责报告（2023-12-31）\n")
    assert "## 一、逾期未整改的隐患（6 条）" in proc.stdout
    assert "| HAZ-2023-00036 | 重大 |" in proc.stdout
    assert "视为无意见（40 个）" in proc.stdout
    proc = cli("--root", str(repo), "report", "--today", "2099-06-01")
    assert proc.returncode == 0, explain(proc)
    assert "2099 年的法定节假日安排未收录" in proc.stdout
