"""E-publish：企业公布隐患清单并报告主管部门（数据驱动的用例，见 tests/rules/fixtures/E-publish/）。"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.harness import case_id, cases, run_case


@pytest.mark.parametrize("case", cases("E-publish"), ids=case_id)
def test_e_publish(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)
