"""C-milestone：方案时间节点逾期未完成（数据驱动的用例，见 tests/rules/fixtures/C-milestone/）。"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.harness import case_id, cases, run_case


@pytest.mark.parametrize("case", cases("C-milestone"), ids=case_id)
def test_c_milestone(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)
