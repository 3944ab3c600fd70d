"""Importing real-looking ledgers: messy cells, rejected rows located to sheet/row/column, updates
that keep the file's comments, and export → import changing nothing."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from rectify.cli import main
from rectify.load import parse
from tests.conftest import REPO
from tests.helpers import check

HAZARDS = "registry/hazards/2023"
HEADERS = ["序号", "隐患编号", "隐患名称", "所在企业", "所属县区", "行业领域", "隐患点", "隐患等级",
           "发现日期", "发现途径", "整改时限", "责任部门", "整改状态", "企业自查发现", "整改资金（元）", "整改措施"]  # fmt: skip


def ledger(path: Path, rows: list[list[Any]], headers: list[str] = HEADERS, sheet: str = "隐患台账") -> Path:
    """A ledger as staff keep it: a merged title row, then the header, then rows, then blank rows."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    ws.cell(1, 1, "濉溪县 2023 年隐患排查治理台账")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    for index, header in enumerate(headers, 1):
        ws.cell(2, index, header)
    for r, values in enumerate(rows, 3):
        for c, value in enumerate(values, 1):
            ws.cell(r, c, value)
    for r in range(len(rows) + 3, len(rows) + 8):  # trailing rows that only look used
        ws.cell(r, 1).value = "   "
    book.save(path)
    return path


def run(root: Path, *args: str) -> int:
    return main(["--root", str(root), "ledger", *args])


def hazard(root: Path, hazard_id: str) -> dict[str, Any]:
    """Read as the registry reads it (YAML 1.2-like: dates stay strings, ``on`` is a key)."""
    data, _, problems = parse((root / HAZARDS / f"{hazard_id}.yaml").read_text(encoding="utf-8"), hazard_id)
    assert data is not None and problems == []
    return data


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted((root / "registry").rglob("*"))
        if p.is_file()
    }


def test_messy_ledger_creates_exactly_the_expected_records(repo: Path, tmp_path: Path) -> None:
    row = ["1", None, "配电室未配备绝缘手套", "91340621MA2NTE0T19", "suixi", "工贸", "配电室", "一般事故隐患"]
    rows = [
        [*row, dt.datetime(2023, 8, 28), "企业自查", "2023-09-30", "city-emergency", "待整改", "是", 1200, "配备绝缘手套\n张贴操作规程"],
        [2, None, "叉车未年检", "淮北市测试木业有限公司", "　濉溪县　", "industry_trade", "成品库", "general",
         "2023/8/28", "self_inspection", "2023年9月30日", "city-emergency", "open", "否", "３０００", None],
        [3, None, "消防通道堆放杂物", "91340621MA2NTE0T19", "suixi", "消防", "东侧通道", "一般事故隐患",
         "２０２３－０８－２８", "政府部门检查", 45199, "city-emergency", "整改中", "false", "0", None],
    ]  # fmt: skip
    book = ledger(tmp_path / "台账.xlsx", rows)
    before = snapshot(repo)

    assert run(repo, "import", str(book), "--today", "2023-09-01") == 0

    created = set(snapshot(repo)) - set(before)
    assert created == {f"{HAZARDS}/HAZ-2023-0000{n}.yaml" for n in (2, 3, 4)}
    first, second, third = (hazard(repo, f"HAZ-2023-0000{n}") for n in (2, 3, 4))
    assert first == {
        "id": "HAZ-2023-00002",
        "level": "general",
        "title": "配电室未配备绝缘手套",
        "enterprise": "91340621MA2NTE0T19",
        "district": "suixi",
        "industry": "industry_trade",
        "location": "配电室",
        "found": {"date": "2023-08-28", "source": "self_inspection"},
        "self_found": True,
        "rectification": {
            "deadline": "2023-09-30",
            "department": "city-emergency",
            "measures": ["配备绝缘手套", "张贴操作规程"],
            "funds_cny": 1200,
        },
        "status": "open",
    }
    assert (second["district"], second["enterprise"], second["found"]["date"]) == (
        "suixi",
        "91340621MA2NTE0T19",
        "2023-08-28",
    )
    assert (
        second["rectification"]["deadline"],
        second["rectification"]["funds_cny"],
        second["self_found"],
    ) == ("2023-09-30", 3000, False)
    assert (third["found"], third["rectification"]["deadline"]) == (
        {"date": "2023-08-28", "source": "government_inspection"},
        "2023-09-30",
    )
    assert (third["status"], third["rectification"]["funds_cny"], third["industry"]) == (
        "rectifying",
        0,
        "fire",
    )
    text = (repo / HAZARDS / "HAZ-2023-00002.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../schemas/hazard.schema.json\n")
    assert "found:\n  date: 2023-08-28\n" in text  # a date, not a quoted string
    assert [d for d in check(repo, "2023-09-01", only=created) if d.severity == "error"] == []


def test_bad_rows_are_rejected_with_sheet_row_and_column_and_nothing_written(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = ["1", None, "配电室未配备绝缘手套", "91340621MA2NTE0T19", "suixi", "工贸", "配电室", "一般事故隐患",
            "2023-08-28", "企业自查", "2023-09-30", "city-emergency", "待整改", "是", 0, None]  # fmt: skip
    unknown_district = [*good[:4], "不存在县", *good[5:]]
    impossible_date = [*good[:8], "2023-02-30", *good[9:]]
    duplicate = [*good[:1], "HAZ-2023-00009", *good[2:]]
    book = ledger(tmp_path / "bad.xlsx", [good, unknown_district, impossible_date, duplicate, duplicate])
    before = snapshot(repo)

    assert run(repo, "import", str(book), "--today", "2023-09-01") == 1

    after = snapshot(repo)
    assert set(after) - set(before) == {f"{HAZARDS}/HAZ-2023-00002.yaml"}  # only the good row
    assert all(after[name] == content for name, content in before.items())
    out = capsys.readouterr().out
    assert "工作表“隐患台账”第 4 行 E 列（所属县区）：找不到" in out
    assert "工作表“隐患台账”第 5 行 I 列（发现日期）：日期 2023-02-30 不存在" in out
    assert "工作表“隐患台账”第 6 行 B 列（隐患编号）：编号 HAZ-2023-00009 在本次导入中重复" in out
    assert "工作表“隐患台账”第 7 行 B 列（隐患编号）" in out
    assert "共 5 行：新建 1，更新 0，未变 0，拒绝 4。" in out


def test_rule_errors_reject_a_row_at_its_column(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The batch runs the real schema stage: a required cell left blank names its column."""
    row = ["1", None, "无名隐患", "91340621MA2NTE0T19", "suixi", "工贸", None, "一般事故隐患",
           "2023-08-28", "企业自查", "2023-09-30", "city-emergency", "待整改", None, None, None]  # fmt: skip
    book = ledger(tmp_path / "t.xlsx", [row])
    before = snapshot(repo)
    assert run(repo, "import", str(book), "--today", "2023-09-01") == 1
    assert snapshot(repo) == before
    out = capsys.readouterr().out
    assert "第 3 行" in out and "location" in out


def test_update_keeps_comments_order_and_other_lines(repo: Path, tmp_path: Path) -> None:
    path = repo / HAZARDS / "HAZ-2023-00001.yaml"
    original = path.read_text(encoding="utf-8").replace(
        "location: 砂光车间除尘系统\n",
        "location: 砂光车间除尘系统  # 现场核实 2023-09-12\n# 以下由县应急局补充\n",
    )
    path.write_text(original, encoding="utf-8")
    headers = ["隐患编号", "隐患名称", "整改状态", "验收·验收人"]
    book = ledger(
        tmp_path / "u.xlsx",
        [["HAZ-2023-00001", "除尘系统未采用防爆设计，未设泄爆口", "整改中", None]],
        headers,
    )

    assert run(repo, "import", str(book), "--today", "2023-10-20") == 0

    updated = path.read_text(encoding="utf-8")
    old_lines, new_lines = original.splitlines(), updated.splitlines()
    assert len(old_lines) == len(new_lines)
    changed = [(a, b) for a, b in zip(old_lines, new_lines, strict=True) if a != b]
    assert changed == [("title: 除尘系统未采用防爆设计", "title: 除尘系统未采用防爆设计，未设泄爆口")]
    assert "# 以下由县应急局补充" in updated and "# 现场核实 2023-09-12" in updated


def test_dry_run_writes_nothing(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = ledger(tmp_path / "d.xlsx", [["HAZ-2023-00001", "新名称"]], ["隐患编号", "隐患名称"])
    before = snapshot(repo)
    assert run(repo, "import", str(book), "--dry-run", "--today", "2023-10-20") == 0
    assert snapshot(repo) == before
    assert "将更新 1" in capsys.readouterr().out


def test_unreadable_workbook_is_a_usage_error(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = tmp_path / "x.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")
    assert run(repo, "import", str(fake)) == 2
    assert "不是有效的 .xlsx 文件" in capsys.readouterr().err


@pytest.mark.parametrize("kind", ["hazards", "inspections", "enterprises", "people"])
def test_export_then_import_changes_no_file_of_the_sample_registry(kind: str, tmp_path: Path) -> None:
    root = tmp_path / "copy"
    shutil.copytree(REPO / "registry", root / "registry")
    shutil.copytree(REPO / "schemas", root / "schemas")
    before = snapshot(root)
    book = tmp_path / f"{kind}.xlsx"
    assert run(root, "export", "--kind", kind, "--out", str(book)) == 0
    assert run(root, "import", str(book), "--today", "2023-12-31") == 0
    assert snapshot(root) == before


def test_export_workbook_has_dropdowns_dates_frozen_header_and_guide(repo: Path, tmp_path: Path) -> None:
    book_path = tmp_path / "h.xlsx"
    assert run(repo, "export", "--kind", "hazards", "--out", str(book_path)) == 0
    book = load_workbook(book_path)
    ws = book["隐患台账"]
    headers = [c.value for c in ws[2]]
    assert headers[:4] == ["隐患编号", "隐患等级", "隐患名称", "所在企业"]
    assert ws.freeze_panes == "B3"
    assert ws.cell(3, 1).value == "HAZ-2023-00001"
    deadline = ws.cell(3, headers.index("整改时限") + 1)
    assert deadline.value == dt.datetime(2023, 11, 30) and deadline.is_date
    assert ws.cell(3, headers.index("隐患等级") + 1).value == "重大事故隐患"
    level_col = f"{chr(ord('A') + headers.index('隐患等级'))}3"
    rules = [
        dv
        for dv in ws.data_validations.dataValidation
        if level_col in str(dv.sqref).split()[0] or str(dv.sqref).startswith(level_col)
    ]
    assert rules and rules[0].formula1.startswith("'选项'!$")
    assert book["选项"].sheet_state == "hidden"
    options = [c.value for c in book["选项"]["A"]]
    assert "重大事故隐患" in options and "一般事故隐患" in options
    guide_text = [str(c.value) for row in book["填写说明"].iter_rows() for c in row if c.value]
    assert "整改最迟完成日期（含当日），次日起逾期。" in guide_text
    assert ws.cell(2, headers.index("隐患名称") + 1).font.color.rgb.endswith("C00000")


def test_a_cell_merged_down_several_rows_counts_for_each(repo: Path, tmp_path: Path) -> None:
    row = [None, None, "配电室未配备绝缘手套", "91340621MA2NTE0T19", "suixi", "工贸", "配电室", "一般事故隐患",
           "2023-08-28", "企业自查", "2023-09-30", "city-emergency", "待整改", "是", 0, None]  # fmt: skip
    second = [*row[:2], "叉车未年检", *row[3:4], None, *row[5:]]
    path = ledger(tmp_path / "m.xlsx", [row, second])
    book = load_workbook(path)
    book["隐患台账"].merge_cells("E3:E4")  # 所属县区 written once for both rows
    book.save(path)
    assert run(repo, "import", str(path), "--today", "2023-09-01") == 0
    assert [hazard(repo, f"HAZ-2023-0000{n}")["district"] for n in (2, 3)] == ["suixi", "suixi"]
