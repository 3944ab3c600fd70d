"""C-review：方案经牵头部门审查通过后实施（数据驱动的用例，见 tests/rules/fixtures/C-review/）。"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.harness import case_id, cases, run_case


@pytest.mark.parametrize("case", cases("C-review"), ids=case_id)
def test_c_review(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)
