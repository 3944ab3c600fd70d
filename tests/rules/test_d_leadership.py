"""D-leadership：党政同责、一岗双责：第一责任人与班子成员职责（数据驱动的用例，见 tests/rules/fixtures/D-leadership/）。"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.harness import case_id, cases, run_case


@pytest.mark.parametrize("case", cases("D-leadership"), ids=case_id)
def test_d_leadership(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)
