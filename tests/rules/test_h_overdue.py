"""H-overdue：隐患逾期未整改（数据驱动的用例，见 tests/rules/fixtures/H-overdue/）。"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.harness import case_id, cases, run_case


@pytest.mark.parametrize("case", cases("H-overdue"), ids=case_id)
def test_h_overdue(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)
