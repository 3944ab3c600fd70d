"""R-signing-key: a key registered to two or more people, however each line spells it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import make_registry
from tests.helpers import check
from tests.rules.harness import apply, case_id, cases, run_case


@pytest.mark.parametrize("case", cases("R-signing-key"), ids=case_id)
def test_r_signing_key(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)


def test_message_names_the_other_record_and_line(tmp_path: Path) -> None:
    root = make_registry(tmp_path / "repo")
    apply(cases("R-signing-key", "bad")[0], root)
    found = {d.file: d.message for d in check(root) if d.rule == "R-signing-key"}
    assert (
        "wang-qiang-qy（registry/people/wang-qiang-qy.yaml 第 8 行）"
        in found["registry/people/sun-hao-yjj.yaml"]
    )
    assert (
        "sun-hao-yjj（registry/people/sun-hao-yjj.yaml 第 7 行）"
        in found["registry/people/wang-qiang-qy.yaml"]
    )
    assert "SHA256:" in found["registry/people/sun-hao-yjj.yaml"]
