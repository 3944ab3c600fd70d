"""D-local-notice：发现重大问题及时通报属地政府（数据驱动的用例，见 tests/rules/fixtures/D-local-notice/）。"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.harness import case_id, cases, run_case


@pytest.mark.parametrize("case", cases("D-local-notice"), ids=case_id)
def test_d_local_notice(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)
