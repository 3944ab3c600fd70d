"""H-maxpenalty：未自查、未挂牌或致事故的重大隐患：集中培训并顶格处罚（数据驱动的用例，见 tests/rules/fixtures/H-maxpenalty/）。"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.harness import case_id, cases, run_case


@pytest.mark.parametrize("case", cases("H-maxpenalty"), ids=case_id)
def test_h_maxpenalty(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)
