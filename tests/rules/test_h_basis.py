"""H-basis：重大事故隐患写明判定依据且标准适用于该行业（数据驱动的用例，见 tests/rules/fixtures/H-basis/）。"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.harness import case_id, cases, run_case


@pytest.mark.parametrize("case", cases("H-basis"), ids=case_id)
def test_h_basis(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)
