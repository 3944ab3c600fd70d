"""Numbers stay exact (issue 9, item 14): amounts and counts have a schema maximum that `check`
enforces with file, line and field; large valid amounts go through export → import digit for
digit; a ledger cell too large or too precise is refused at its cell; no integer passes through
a float on the way to YAML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from rectify.cli import main
from rectify.ledger.emit import scalar
from rectify.load import parse
from tests.helpers import check

HAZARD = "registry/hazards/2023/HAZ-2023-00001.yaml"
ACTION = "registry/actions/2023/ACT-2023-0902.yaml"
ACTIVITY = "registry/activities/EDU-2023-001.yaml"
ACTIVITY_TEXT = """id: EDU-2023-001
title: 安全生产月集中宣传
type: publicity
by: city-emergency
date: 2023-06-16
participants: {participants}
"""


def set_line(root: Path, rel: str, key: str, value: str) -> int:
    """Replace the value of the line ``key: …`` and return its (1-based) line number."""
    path = root / rel
    lines = path.read_text(encoding="utf-8").split("\n")
    for index, line in enumerate(lines):
        if line.strip().startswith(f"{key}:"):
            lines[index] = f"{line[: line.index(key)]}{key}: {value}"
            path.write_text("\n".join(lines), encoding="utf-8")
            return index + 1
    raise AssertionError(key)


def schema_errors(root: Path) -> set[tuple[str, str, int, str]]:
    return {(d.rule, d.file, d.line, d.path) for d in check(root) if d.rule == "R-schema"}


@pytest.mark.parametrize("value", [str(10**12 + 1), "12345678901234567890", "1000000000000.01", "9" * 4000])
def test_check_refuses_an_amount_over_the_maximum_with_file_line_and_field(repo: Path, value: str) -> None:
    line = set_line(repo, HAZARD, "funds_cny", value)
    assert schema_errors(repo) == {("R-schema", HAZARD, line, "rectification.funds_cny")}
    message = next(d.message for d in check(repo) if d.rule == "R-schema")
    assert "整改资金（元）" in message and "不能大于 1000000000000" in message
    assert len(message) < 200  # a 4,000-digit number is described, not printed


def test_check_refuses_a_penalty_and_a_count_over_their_maxima(repo: Path) -> None:
    line = set_line(repo, ACTION, "penalty_cny", "1e13")
    (repo / ACTIVITY).parent.mkdir(parents=True, exist_ok=True)
    (repo / ACTIVITY).write_text(ACTIVITY_TEXT.format(participants=10**10 + 1), encoding="utf-8")
    assert schema_errors(repo) == {
        ("R-schema", ACTION, line, "penalty_cny"),
        ("R-schema", ACTIVITY, 6, "participants"),
    }


def test_the_maxima_themselves_are_valid(repo: Path) -> None:
    set_line(repo, HAZARD, "funds_cny", str(10**12))
    set_line(repo, ACTION, "penalty_cny", "999999999999.99")
    (repo / ACTIVITY).parent.mkdir(parents=True, exist_ok=True)
    (repo / ACTIVITY).write_text(ACTIVITY_TEXT.format(participants=10**10), encoding="utf-8")
    assert schema_errors(repo) == set()


@pytest.mark.parametrize(
    "value", ["1000000000000", "999999999999.99", "123456789012.5", "0.01", "7", "100000000000"]
)
def test_large_valid_amounts_round_trip_digit_for_digit(repo: Path, tmp_path: Path, value: str) -> None:
    set_line(repo, HAZARD, "funds_cny", value)
    set_line(repo, ACTION, "penalty_cny", value)
    before = {p: p.read_bytes() for p in (repo / "registry").rglob("*.yaml")}
    for kind in ("hazards", "actions"):
        book = tmp_path / f"{kind}.xlsx"
        assert main(["--root", str(repo), "ledger", "export", "--kind", kind, "--out", str(book)]) == 0
        assert main(["--root", str(repo), "ledger", "import", str(book), "--today", "2023-11-01"]) == 0
    assert {p: p.read_bytes() for p in (repo / "registry").rglob("*.yaml")} == before
    assert f"funds_cny: {value}\n" in (repo / HAZARD).read_text(encoding="utf-8")


def test_export_of_a_record_with_a_huge_number_does_not_crash(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    set_line(repo, HAZARD, "funds_cny", "9" * 4000)
    book = tmp_path / "h.xlsx"
    assert main(["--root", str(repo), "ledger", "export", "--kind", "hazards", "--out", str(book)]) == 0
    assert f"未通过 schema 检查，未导出（请先修复）：{HAZARD}" in capsys.readouterr().out


def funds_ledger(path: Path, value: Any, as_text: bool) -> Path:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "隐患台账"
    ws.append(["隐患编号", "整改资金（元）"])
    ws.append(["HAZ-2023-00001", value])
    if as_text:
        ws.cell(2, 2).data_type = "s"
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("value", "as_text", "written"),
    [
        ("999999999999.99", True, "999999999999.99"),
        ("1,000,000,000,000元", True, "1000000000000"),
        ("１２３４５６７８９０１２", True, "123456789012"),
        (1e12, False, "1000000000000"),
        (999999999999, False, "999999999999"),
        (1234.5, False, "1234.5"),
    ],
)
def test_a_ledger_amount_is_written_exactly(
    repo: Path, tmp_path: Path, value: Any, as_text: bool, written: str
) -> None:
    book = funds_ledger(tmp_path / "n.xlsx", value, as_text)
    assert main(["--root", str(repo), "ledger", "import", str(book), "--today", "2023-11-01"]) == 0
    assert f"  funds_cny: {written}\n" in (repo / HAZARD).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("value", "as_text", "message"),
    [
        ("12345678901234567890", True, "不能大于 1000000000000，实为 12345678901234567890（R-schema）"),
        ("1000000000000.5", True, "不能大于 1000000000000"),
        (1.2345678901234567e19, False, "超过 Excel 能精确保存的 15 位有效数字"),
        ("0.123456789012345678", True, "有效数字太多"),
        ("9" * 4000, True, "应为数字，实为"),
        ("-5", True, "不能小于 0"),
    ],
)
def test_a_ledger_amount_too_large_or_too_precise_is_refused_at_its_cell(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], value: Any, as_text: bool, message: str
) -> None:
    before = (repo / HAZARD).read_bytes()
    book = funds_ledger(tmp_path / "n.xlsx", value, as_text)
    assert main(["--root", str(repo), "ledger", "import", str(book), "--today", "2023-11-01"]) == 1
    assert (repo / HAZARD).read_bytes() == before
    out = capsys.readouterr().out
    assert "工作表“隐患台账”第 2 行 B 列（整改资金（元））：" in out and message in out, out


@pytest.mark.parametrize("number", [1e16, 1.5e-7, 123456789012.5, 10**20, -3, 0.1 + 0.2])
def test_yaml_numbers_read_back_as_the_same_number(number: float) -> None:
    data, _, problems = parse(f"amount: {scalar(number)}\n", "x.yaml")
    assert problems == [] and data == {"amount": number} and type(data["amount"]) is type(number)
