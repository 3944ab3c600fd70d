"""The ledger import judges as CI judges (issue 9, item 15): every rule, and G-ratchet against the
current commit, on real Git repositories — a reopened hazard or a deadline moved without an
approved extension is refused at its sheet, row and column with CI's own words, and nothing is
written; a cleared optional cell removes the field and nothing else; outside Git the import warns."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from rectify.cli import main
from rectify.ledger.emit import remove_key
from rectify.load import parse
from tests.git.repo import GIT_ENV, Repo

HAZARD = "registry/hazards/2023/HAZ-2023-00001.yaml"
TODAY = "2023-12-01"
CLOSED = """acceptance:
  date: 2023-11-20
  by: sun-hao-yjj
  result: passed
"""
EXTENSION = """extensions:
  - requested_on: 2023-11-20
    new_deadline: 2023-12-31
    reason: 防爆除尘器到货延迟
    approved_by: zhao-lei-yjj
    approved_on: 2023-11-22
"""


def edit(root: Path, old: str, new: str) -> None:
    path = root / HAZARD
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def committed(root: Path, closed: bool = False, extension: bool = False) -> Repo:
    """The registry committed as HEAD, with the hazard closed or carrying an approved extension."""
    text = (root / HAZARD).read_text(encoding="utf-8")
    if closed:
        text = text.replace("status: rectifying", "status: closed") + CLOSED
    if extension:
        text += EXTENSION
    (root / HAZARD).write_text(text, encoding="utf-8")
    repo = Repo(root)
    repo.commit("登记册")
    return repo


def ledger(path: Path, headers: list[str], row: list[Any]) -> Path:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "隐患台账"
    ws.append(headers)
    ws.append(row)
    book.save(path)
    return path


def run(root: Path, *args: str) -> int:
    return main(["--root", str(root), "ledger", "import", *args, "--today", TODAY])


def ci_says(root: Path) -> tuple[int, list[dict[str, Any]]]:
    """``rectify check --base HEAD`` on the work tree, as CI runs it on a pull request."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "rectify",
            "--root",
            str(root),
            "check",
            "--base",
            "HEAD",
            "--today",
            TODAY,
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        env=GIT_ENV,
        cwd=root,
    )
    return proc.returncode, json.loads(proc.stdout)


@pytest.mark.parametrize(
    ("setup", "headers", "row", "column"),
    [
        ({"closed": True}, ["隐患编号", "整改状态"], ["HAZ-2023-00001", "整改中"], "B 列（整改状态）"),
        ({"closed": True}, ["隐患编号", "整改状态"], ["HAZ-2023-00001", "待整改"], "B 列（整改状态）"),
        ({}, ["隐患编号", "整改时限"], ["HAZ-2023-00001", "2023-12-31"], "B 列（整改时限）"),
        (
            {},
            ["隐患编号", "隐患名称", "整改时限"],
            ["HAZ-2023-00001", "新名称", "2023/11/29"],
            "C 列（整改时限）",
        ),
    ],
)
def test_a_step_back_is_refused_with_cis_words_and_nothing_is_written(
    repo: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    setup: dict[str, bool],
    headers: list[str],
    row: list[Any],
    column: str,
) -> None:
    committed(repo, **setup)
    before = (repo / HAZARD).read_bytes()
    book = ledger(tmp_path / "l.xlsx", headers, row)

    assert run(repo, str(book), "--dry-run") == 1
    dry = capsys.readouterr().out
    assert run(repo, str(book)) == 1
    real = capsys.readouterr().out
    assert (repo / HAZARD).read_bytes() == before

    # the same change made by hand is what CI would judge: the import said exactly that
    value = row[-1]
    if headers[-1] == "整改状态":
        edit(repo, "status: closed", f"status: {'rectifying' if value == '整改中' else 'open'}")
    else:
        edit(repo, "deadline: 2023-11-30", f"deadline: {value.replace('/', '-')}")
    code, findings = ci_says(repo)
    ratchet = [f for f in findings if f["rule"] == "G-ratchet"]
    assert code == 1 and len(ratchet) == 1
    expected = f"工作表“隐患台账”第 2 行 {column}：{ratchet[0]['message']}（G-ratchet）"
    assert expected in dry and expected in real, dry


def test_a_step_forward_is_imported_and_says_what_ci_says(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Moving on (整改中 → 待验收) under an approved extension, deadline untouched: G-ratchet passes;
    what CI reports without blocking (an alert here) the import reports too, in the same words."""
    committed(repo, extension=True)
    row = ["HAZ-2023-00001", "待验收", "2023-11-30"]
    book = ledger(tmp_path / "l.xlsx", ["隐患编号", "整改状态", "整改时限"], row)
    assert run(repo, str(book), "--dry-run") == 0
    dry = capsys.readouterr().out
    assert run(repo, str(book)) == 0
    assert "status: awaiting_acceptance\n" in (repo / HAZARD).read_text(encoding="utf-8")
    code, findings = ci_says(repo)
    assert code == 0 and findings, findings
    labels = {"alert": "提醒", "warning": "警告"}
    for finding in findings:
        assert finding["file"] == HAZARD and finding["severity"] in labels
        line = (
            f"{labels[finding['severity']]}：工作表“隐患台账”第 2 行 B 列（整改状态）：{finding['message']}"
        )
        assert f"{line}（{finding['rule']}）" in dry, dry


def test_the_judgement_is_of_the_work_tree_against_head(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An uncommitted edit that CI would refuse makes any row touching that record refused too."""
    committed(repo)
    edit(repo, "deadline: 2023-11-30", "deadline: 2024-03-31")
    before = (repo / HAZARD).read_bytes()
    book = ledger(tmp_path / "l.xlsx", ["隐患编号", "隐患名称"], ["HAZ-2023-00001", "新名称"])
    assert run(repo, str(book)) == 1
    assert "（G-ratchet）" in capsys.readouterr().out
    assert (repo / HAZARD).read_bytes() == before


@pytest.mark.parametrize("git", ["none", "no-commit"])
def test_without_a_commit_to_compare_the_import_warns_and_goes_on(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], git: str
) -> None:
    if git == "no-commit":
        Repo(repo)
    book = ledger(tmp_path / "l.xlsx", ["隐患编号", "隐患名称"], ["HAZ-2023-00001", "新名称"])
    assert run(repo, str(book)) == 0
    out = capsys.readouterr().out
    expected = "不在 Git 仓库中" if git == "none" else "未能读取当前提交（HEAD）的登记册"
    assert expected in out and "没有进行“只进不退”检查（G-ratchet）" in out, out
    assert "title: 新名称\n" in (repo / HAZARD).read_text(encoding="utf-8")


def test_clearing_optional_cells_removes_those_fields_and_nothing_else(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(repo, "description: ", "# 描述由县应急局核实\ndescription: ")
    edit(repo, "internally_listed: true\n", "internally_listed: true  # 企业自报\n# 以下为整改落实\n")
    committed(repo)
    original = (repo / HAZARD).read_text(encoding="utf-8")
    book = ledger(
        tmp_path / "l.xlsx",
        ["隐患编号", "隐患描述", "企业内部挂牌督办", "隐患点"],
        ["HAZ-2023-00001", None, "   ", "砂光车间除尘系统"],
    )
    assert run(repo, str(book)) == 0, capsys.readouterr().out
    updated = (repo / HAZARD).read_text(encoding="utf-8")
    assert "object at 0x" not in updated
    removed = [line for line in original.split("\n") if line not in updated.split("\n")]
    assert removed == [
        "description: 砂光车间干式除尘系统未采用防爆设计，未设置泄爆装置。",
        "internally_listed: true  # 企业自报",
    ]
    assert updated.split("\n") == [line for line in original.split("\n") if line not in removed]
    data, _, _ = parse(updated, HAZARD)
    assert data is not None and "description" not in data and "internally_listed" not in data
    assert ci_says(repo)[0] == 0


@pytest.mark.parametrize(
    ("header", "field"),
    [("隐患点", "location"), ("整改时限", "rectification.deadline"), ("隐患名称", "title")],
)
def test_clearing_a_required_cell_is_refused(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], header: str, field: str
) -> None:
    committed(repo)
    before = (repo / HAZARD).read_bytes()
    book = ledger(tmp_path / "l.xlsx", ["隐患编号", header], ["HAZ-2023-00001", None])
    assert run(repo, str(book)) == 1
    out = capsys.readouterr().out
    assert f"工作表“隐患台账”第 2 行 B 列（{header}）：缺少必填字段 {field}（" in out, out
    assert (repo / HAZARD).read_bytes() == before


def test_removing_the_last_key_of_a_mapping_removes_the_mapping_and_keeps_comments() -> None:
    text = "id: X\nacceptance:  # 验收\n  date: 2023-11-20\n# 备注一\nstatus: closed\nnote: |-\n  a\n  b\n# 备注二\n"
    assert (
        remove_key(text, ("acceptance", "date"))
        == "id: X\n# 备注一\nstatus: closed\nnote: |-\n  a\n  b\n# 备注二\n"
    )
    assert (
        remove_key(text, ("note",))
        == "id: X\nacceptance:  # 验收\n  date: 2023-11-20\n# 备注一\nstatus: closed\n# 备注二\n"
    )
    assert remove_key("a: 1\nb: [1, 2]  # x\nc: 3\n", ("b",)) == "a: 1\nc: 3\n"
    assert remove_key("a: {b: 1, c: 2}\n", ("a", "b")) is None  # flow style: the round trip does it
    assert remove_key("list:\n  - on: 1\n", ("zzz",)) == "list:\n  - on: 1\n"


def test_clearing_a_whole_required_group_is_refused_at_its_first_column(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Clearing every cell of 发现 removes ``found``, a required group with no column of its own."""
    committed(repo)
    before = (repo / HAZARD).read_bytes()
    book = ledger(
        tmp_path / "l.xlsx",
        ["隐患编号", "发现日期", "检查编号", "发现途径"],
        ["HAZ-2023-00001", None, None, None],
    )
    assert run(repo, str(book)) == 1
    out = capsys.readouterr().out
    assert "工作表“隐患台账”第 2 行 B 列（发现日期）：缺少必填字段 found（" in out, out
    assert (repo / HAZARD).read_bytes() == before
