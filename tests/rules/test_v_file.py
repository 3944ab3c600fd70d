"""V-file（数据驱动的用例，见 tests/rules/fixtures/V-file/）。"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.harness import case_id, cases, run_case


@pytest.mark.parametrize("case", cases("V-file"), ids=case_id)
def test_v_file(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)
