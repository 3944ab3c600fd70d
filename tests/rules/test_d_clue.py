"""D-clue：违纪违法问题线索移交纪检监察（数据驱动的用例，见 tests/rules/fixtures/D-clue/）。"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.harness import case_id, cases, run_case


@pytest.mark.parametrize("case", cases("D-clue"), ids=case_id)
def test_d_clue(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)
