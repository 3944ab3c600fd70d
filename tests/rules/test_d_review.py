"""D-review：责任倒查（数据驱动的用例，见 tests/rules/fixtures/D-review/）。"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.harness import case_id, cases, run_case


@pytest.mark.parametrize("case", cases("D-review"), ids=case_id)
def test_d_review(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)
