"""H-due-soon：隐患即将到期（数据驱动的用例，见 tests/rules/fixtures/H-due-soon/）。"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.harness import case_id, cases, run_case


@pytest.mark.parametrize("case", cases("H-due-soon"), ids=case_id)
def test_h_due_soon(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)
