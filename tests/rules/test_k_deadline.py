"""K-deadline：征求意见逾期视为无意见；回复须主要负责人签字并盖章（数据驱动的用例，见 tests/rules/fixtures/K-deadline/）。"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.harness import case_id, cases, run_case


@pytest.mark.parametrize("case", cases("K-deadline"), ids=case_id)
def test_k_deadline(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)
