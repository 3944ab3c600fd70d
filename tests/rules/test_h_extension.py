"""H-extension：延期须在原时限届满前批准（数据驱动的用例，见 tests/rules/fixtures/H-extension/）。"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.harness import case_id, cases, run_case


@pytest.mark.parametrize("case", cases("H-extension"), ids=case_id)
def test_h_extension(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)
