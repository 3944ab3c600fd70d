"""R-ref: ids unique and where they belong, every reference resolves to the right kind."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.harness import case_id, cases, run_case


@pytest.mark.parametrize("case", cases("R-ref"), ids=case_id)
def test_r_ref(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)
