"""D-pursue：逾期没有完成目标任务的追究责任（数据驱动的用例，见 tests/rules/fixtures/D-pursue/）。"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.harness import case_id, cases, run_case


@pytest.mark.parametrize("case", cases("D-pursue"), ids=case_id)
def test_d_pursue(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)
