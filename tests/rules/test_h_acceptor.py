"""H-acceptor：验收人独立于整改责任人和企业（数据驱动的用例，见 tests/rules/fixtures/H-acceptor/）。"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.harness import case_id, cases, run_case


@pytest.mark.parametrize("case", cases("H-acceptor"), ids=case_id)
def test_h_acceptor(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)
