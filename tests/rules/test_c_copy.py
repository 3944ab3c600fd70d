"""C-copy：方案不得照搬照抄上级文件（数据驱动的用例，见 tests/rules/fixtures/C-copy/）。"""

from __future__ import annotations

from pathlib import Path

import pytest

from rectify.similarity import compare, normalize, own_chars
from tests.rules.harness import case_id, cases, run_case


@pytest.mark.parametrize("case", cases("C-copy"), ids=case_id)
def test_c_copy(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)


UPPER = "坚持人民至上生命至上，统筹发展和安全，聚焦重点行业领域全面排查整治重大事故隐患，企业主要负责人要带头开展自查自改。"
OWN = "濉溪县南坪工业园十二家木制品企业九月十五日前完成除尘器泄爆片核查，县财政安排二百万元技改补助。"


def test_reproduction_counts_the_upper_text_inside_a_long_plan() -> None:
    """C-copy: however much own text surrounds it, the share of the upper text reproduced stays high."""
    result = compare(OWN * 5 + UPPER + OWN * 5, UPPER)
    assert result.reproduced == 1.0
    assert result.containment < 0.5  # below the plan-side warning: only reproduction catches it


def test_own_chars_leaves_out_what_the_upper_texts_contain() -> None:
    assert own_chars(UPPER, [UPPER]) == 0
    assert own_chars(UPPER + OWN, [UPPER]) == len(normalize(OWN))
    assert own_chars(OWN, []) == len(normalize(OWN))
