"""D-duty-overdue：责任清单、包保任务逾期未完成（数据驱动的用例，见 tests/rules/fixtures/D-duty-overdue/）。"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.harness import case_id, cases, run_case


@pytest.mark.parametrize("case", cases("D-duty-overdue"), ids=case_id)
def test_d_duty_overdue(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)
