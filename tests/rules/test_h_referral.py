"""H-referral：无执法权的部门发现违法行为须移交（数据驱动的用例，见 tests/rules/fixtures/H-referral/）。"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.harness import case_id, cases, run_case


@pytest.mark.parametrize("case", cases("H-referral"), ids=case_id)
def test_h_referral(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)
