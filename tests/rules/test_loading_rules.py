"""Fixture cases of the checks made while reading files (R-yaml, R-duplicate-key, R-date, R-encoding,
R-limits, R-layout, R-bool-key)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.harness import case_id, cases, run_case

LOADING_RULES = ["R-yaml", "R-duplicate-key", "R-date", "R-encoding", "R-limits", "R-layout", "R-bool-key"]


@pytest.mark.parametrize(
    "case", [c for r in LOADING_RULES for c in cases(r)], ids=lambda c: f"{c.parent.parent.name}:{case_id(c)}"
)
def test_loading_rule_fixture(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)
