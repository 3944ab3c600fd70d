"""R-uscc: the GB 32100-2015 check digit, on real codes and planted mistakes."""

from __future__ import annotations

from pathlib import Path

import pytest

from rectify import uscc
from tests.rules.harness import case_id, cases, run_case


@pytest.mark.parametrize("case", cases("R-uscc"), ids=case_id)
def test_r_uscc(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)


# Codes published on business licences of well-known companies: each must pass.
REAL = [
    "91440300708461136T",
    "91110108551385082Q",
    "91350100M000100Y43",
    "91310000775785552L",
    "91110000802100433B",
]


@pytest.mark.parametrize("code", REAL)
def test_real_codes_pass(code: str) -> None:
    assert uscc.problem(code) is None


@pytest.mark.parametrize("code", REAL)
def test_every_single_character_change_is_caught(code: str) -> None:
    # The check digit catches any one wrong character in the first 17.
    for position in range(17):
        for replacement in uscc.ALPHABET:
            if replacement == code[position]:
                continue
            changed = code[:position] + replacement + code[position + 1 :]
            assert uscc.problem(changed) is not None, changed


def test_messages() -> None:
    assert uscc.problem("91440300708461136A") == "校验码应为 'T'，实为 'A'"
    assert uscc.problem("9144030070846113") == "应为 18 位，实为 16 位"
    assert "'I'" in (uscc.problem("9144030070846113IT") or "")
