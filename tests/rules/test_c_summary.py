"""C-summary：总结评估五个部分齐全（数据驱动的用例，见 tests/rules/fixtures/C-summary/）。"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.harness import case_id, cases, run_case


@pytest.mark.parametrize("case", cases("C-summary"), ids=case_id)
def test_c_summary(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)
