"""C-lead：明确牵头部门和市政府负责同志（数据驱动的用例，见 tests/rules/fixtures/C-lead/）。"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.harness import case_id, cases, run_case


@pytest.mark.parametrize("case", cases("C-lead"), ids=case_id)
def test_c_lead(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)
