"""C-plan：方案明确整治重点、标准、时限、责任人（数据驱动的用例，见 tests/rules/fixtures/C-plan/）。"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.harness import case_id, cases, run_case


@pytest.mark.parametrize("case", cases("C-plan"), ids=case_id)
def test_c_plan(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)
