"""I-coverage：县镇检查全覆盖（数据驱动的用例，见 tests/rules/fixtures/I-coverage/）。"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.harness import case_id, cases, run_case


@pytest.mark.parametrize("case", cases("I-coverage"), ids=case_id)
def test_i_coverage(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)
