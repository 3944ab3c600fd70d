"""C-subplans：各责任部门和县区制定实施方案（数据驱动的用例，见 tests/rules/fixtures/C-subplans/）。"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.harness import case_id, cases, run_case


@pytest.mark.parametrize("case", cases("C-subplans"), ids=case_id)
def test_c_subplans(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)
