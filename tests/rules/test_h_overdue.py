"""H-overdue：隐患逾期未整改（数据驱动的用例，见 tests/rules/fixtures/H-overdue/）。"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.harness import case_id, cases, run_case


@pytest.mark.parametrize("case", cases("H-overdue"), ids=case_id)
def test_h_overdue(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)


def _git(repo: Path, *args: str) -> None:
    import subprocess

    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=测试", "-c", "user.email=t@example.cn", *args],
        check=True,
        capture_output=True,
    )


NEW = "registry/hazards/2023/HAZ-2023-00002.yaml"


@pytest.mark.parametrize("extended", [False, True])
def test_a_change_that_registers_an_already_overdue_hazard_is_an_error(repo: Path, extended: bool) -> None:
    """With ``check --base``, a hazard new in the change and already past its deadline is the change's
    own doing (an error), unless an extension record explains it; the same hazard at the base is an alert."""
    from tests.helpers import cli, explain

    _git(repo.parent, "init", "-q", "-b", "main", str(repo))
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "基准")
    text = (repo / "registry/hazards/2023/HAZ-2023-00001.yaml").read_text(encoding="utf-8")
    text = text.replace("HAZ-2023-00001", "HAZ-2023-00002").replace("砂光车间除尘系统", "抛光车间除尘系统")
    if extended:
        text += (
            "extensions:\n  - requested_on: 2023-11-20\n    new_deadline: 2023-12-20\n"
            "    reason: 防爆除尘器到货延迟\n    approved_by: zhao-lei-yjj\n    approved_on: 2023-11-25\n"
        )
    (repo / NEW).write_text(text, encoding="utf-8")
    deadline_line = 1 + text.splitlines().index("  deadline: 2023-11-30")
    proc = cli("check", "--base", "HEAD", "--today", "2023-12-31", "--format", "json", NEW, cwd=repo)
    import json

    findings = [
        (d["rule"], d["severity"], d["line"]) for d in json.loads(proc.stdout) if d["rule"] == "H-overdue"
    ]
    if extended:
        assert proc.returncode == 0, explain(proc)
        assert [(rule, severity) for rule, severity, _ in findings] == [("H-overdue", "alert")], explain(proc)
    else:
        assert proc.returncode == 1, explain(proc)
        assert findings == [("H-overdue", "error", deadline_line)], explain(proc)
    # committed, the same hazard is part of the base: overdue is then only an alert
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "登记")
    later = cli("check", "--base", "HEAD", "--today", "2023-12-31", "--format", "json", NEW, cwd=repo)
    assert [(d["rule"], d["severity"]) for d in json.loads(later.stdout) if d["rule"] == "H-overdue"] == [
        ("H-overdue", "alert")
    ], explain(later)
