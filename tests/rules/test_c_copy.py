"""C-copy：方案不得照搬照抄上级文件（数据驱动的用例，见 tests/rules/fixtures/C-copy/）。"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.harness import case_id, cases, run_case


@pytest.mark.parametrize("case", cases("C-copy"), ids=case_id)
def test_c_copy(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)
