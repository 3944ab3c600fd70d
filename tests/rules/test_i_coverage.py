"""I-coverage：县镇检查全覆盖（数据驱动的用例，见 tests/rules/fixtures/I-coverage/）。"""

from __future__ import annotations

from pathlib import Path

import pytest

from rectify.diagnostics import Severity
from tests.conftest import make_registry
from tests.helpers import check
from tests.rules.harness import FIXTURES, apply, case_id, cases, run_case


@pytest.mark.parametrize("case", cases("I-coverage"), ids=case_id)
def test_i_coverage(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)


@pytest.mark.parametrize(
    ("today", "severity"),
    [("2023-10-31", Severity.ALERT), ("2023-11-01", Severity.WARNING)],
)
def test_uncovered_county_turns_into_a_warning_after_coverage_by(
    today: str, severity: Severity, tmp_path: Path
) -> None:
    """Before the campaign's 检查全覆盖时限 an uncovered county is progress (alert); after it, a warning."""
    root = make_registry(tmp_path / "repo")
    apply(FIXTURES / "I-coverage" / "bad" / "after-coverage-deadline", root)
    (found,) = [d for d in check(root, today=today) if d.rule == "I-coverage"]
    assert (found.severity, found.file, found.line) == (
        severity,
        "registry/campaigns/CAMP-2023-001.yaml",
        7,
    )
    assert "杜集区（duji） 尚未开展任何检查" in found.message
