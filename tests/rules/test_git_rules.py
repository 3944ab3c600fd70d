"""G-ratchet and G-signed on real Git repositories built from the fixture cases (see
``tests/git/scenarios.py`` for the case format)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.git.scenarios import run_ratchet_case, run_signed_case
from tests.rules.harness import case_id, cases


@pytest.mark.parametrize("case", cases("G-ratchet"), ids=case_id)
def test_g_ratchet(case: Path, tmp_path: Path) -> None:
    run_ratchet_case(case, tmp_path)


@pytest.mark.parametrize("case", cases("G-signed"), ids=case_id)
def test_g_signed(case: Path, tmp_path: Path) -> None:
    run_signed_case(case, tmp_path)
