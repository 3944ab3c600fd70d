"""D-joint：安委办联合党委政府督查部门开展督查（数据驱动的用例，见 tests/rules/fixtures/D-joint/）。"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.harness import case_id, cases, run_case


@pytest.mark.parametrize("case", cases("D-joint"), ids=case_id)
def test_d_joint(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)
