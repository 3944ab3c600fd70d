"""H-register：检查发现的隐患登记入台账（数据驱动的用例，见 tests/rules/fixtures/H-register/）。"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.harness import case_id, cases, run_case


@pytest.mark.parametrize("case", cases("H-register"), ids=case_id)
def test_h_register(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)
