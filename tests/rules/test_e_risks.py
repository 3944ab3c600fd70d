"""E-risks：企业建立安全风险清单并落实管控措施（数据驱动的用例，见 tests/rules/fixtures/E-risks/）。"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.harness import case_id, cases, run_case


@pytest.mark.parametrize("case", cases("E-risks"), ids=case_id)
def test_e_risks(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)
