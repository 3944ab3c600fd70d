"""C-publicity：开展宣传教育或警示教育（数据驱动的用例，见 tests/rules/fixtures/C-publicity/）。"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.harness import case_id, cases, run_case


@pytest.mark.parametrize("case", cases("C-publicity"), ids=case_id)
def test_c_publicity(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)
