"""H-liability：整改期间发生事故的责任划分（数据驱动的用例，见 tests/rules/fixtures/H-liability/）。"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.harness import case_id, cases, run_case


@pytest.mark.parametrize("case", cases("H-liability"), ids=case_id)
def test_h_liability(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)
