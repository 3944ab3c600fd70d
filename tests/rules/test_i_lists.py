"""I-lists：检查有监督检查清单和问题隐患清单（数据驱动的用例，见 tests/rules/fixtures/I-lists/）。"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.harness import case_id, cases, run_case


@pytest.mark.parametrize("case", cases("I-lists"), ids=case_id)
def test_i_lists(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)
