"""H-five：重大事故隐患五落实（数据驱动的用例，见 tests/rules/fixtures/H-five/）。"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.harness import case_id, cases, run_case


@pytest.mark.parametrize("case", cases("H-five"), ids=case_id)
def test_h_five(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)
