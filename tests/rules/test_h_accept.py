"""H-accept：销号须有验收通过记录（数据驱动的用例，见 tests/rules/fixtures/H-accept/）。"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.harness import case_id, cases, run_case


@pytest.mark.parametrize("case", cases("H-accept"), ids=case_id)
def test_h_accept(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)
