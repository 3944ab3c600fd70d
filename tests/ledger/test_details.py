"""The detail sheets (整改进展、延期、验收、移交): exported with the hazards, imported back into the
same record files, history lists append-only, references shown and read by name."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from rectify import report
from rectify.cli import main
from rectify.ledger.columns import all_ledgers
from rectify.ledger.importer import plan_import
from rectify.ledger.read import read_workbook
from rectify.ledger.yamlio import write_atomic
from rectify.load import parse
from rectify.paths import find
from rectify.schema import Schemas
from tests.conftest import REPO
from tests.evidence.images import PLAIN_PDF, photo
from tests.helpers import check

HAZARDS = "registry/hazards/2023"


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    root = tmp_path / "sample"
    shutil.copytree(REPO / "registry", root / "registry")
    shutil.copytree(REPO / "schemas", root / "schemas")
    return root


def run(root: Path, *args: str) -> int:
    return main(["--root", str(root), "ledger", *args])


def export(root: Path, tmp: Path) -> Path:
    book = tmp / "out" / "hazards.xlsx"
    assert run(root, "export", "--kind", "hazards", "--out", str(book)) == 0
    return book


def add_rows(book: Path, sheet: str, rows: list[dict[str, Any]], target: Path | None = None) -> int:
    """Rows appended below the exported ones, by header (saved to ``target`` when given); the
    number of the first row added."""
    workbook = load_workbook(book)
    ws = workbook[sheet]
    headers = [c.value for c in ws[2]]
    first = ws.max_row + 1
    for offset, values in enumerate(rows):
        for header, value in values.items():
            ws.cell(first + offset, headers.index(header) + 1).value = value
    workbook.save(target or book)
    return first


def edit_cell(
    book: Path, sheet: str, hazard: str, header: str, value: Any, number: int | None = None
) -> None:
    workbook = load_workbook(book)
    ws = workbook[sheet]
    headers = [c.value for c in ws[2]]
    for row in range(3, ws.max_row + 1):
        if ws.cell(row, 1).value == hazard and (number is None or ws.cell(row, 2).value == number):
            ws.cell(row, headers.index(header) + 1).value = value
            workbook.save(book)
            return row
    raise AssertionError(f"no row for {hazard} in {sheet}")


def record(root: Path, hazard_id: str) -> dict[str, Any]:
    data, _, problems = parse((root / HAZARDS / f"{hazard_id}.yaml").read_text(encoding="utf-8"), hazard_id)
    assert data is not None and problems == []
    return data


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted((root / "registry").rglob("*"))
        if p.is_file()
    }


def test_export_has_every_detail_entry_and_imports_back_unchanged(sample: Path, tmp_path: Path) -> None:
    path = sample / HAZARDS / "HAZ-2023-00006.yaml"
    text = (
        path.read_text(encoding="utf-8")
        .replace("progress:\n", "progress:  # 进展由县应急局记录\n")
        .replace("    by: xu-ming-cy\n", "    by: xu-ming-cy  # 企业填报\n", 1)
    )
    path.write_text(text, encoding="utf-8")
    before = snapshot(sample)
    book = export(sample, tmp_path)
    workbook = load_workbook(book)
    assert workbook.sheetnames[:6] == ["隐患台账", "整改进展", "延期", "验收", "移交", "附件"]
    expected = {"整改进展": "progress", "延期": "extensions", "移交": "referrals"}
    for sheet, field in expected.items():
        total = sum(len(record(sample, p.stem).get(field) or []) for p in (sample / HAZARDS).glob("*.yaml"))
        assert workbook[sheet].max_row - 2 == total > 0
    accepted = sum(1 for p in (sample / HAZARDS).glob("*.yaml") if record(sample, p.stem).get("acceptance"))
    assert workbook["验收"].max_row - 2 == accepted
    ext = [c.value for c in workbook["延期"][3]]
    assert ext == ["HAZ-2023-00006", 1, dt.datetime(2023, 11, 10), dt.datetime(2024, 1, 31),
                   "紧急切断阀为定制防爆型产品，供货周期延长，需与安全仪表系统同步调试", "周磊（市应急局）",
                   dt.datetime(2023, 11, 20)]  # fmt: skip

    assert run(sample, "import", str(book), "--today", "2023-12-31") == 0
    assert snapshot(sample) == before


def test_a_progress_row_appends_one_entry_and_keeps_every_other_line(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sample / HAZARDS / "HAZ-2023-00006.yaml"
    original = path.read_text(encoding="utf-8").replace("progress:\n", "progress:  # 按时间顺序\n")
    path.write_text(original, encoding="utf-8")
    book = export(sample, tmp_path)
    row = add_rows(book, "整改进展", [
        {"隐患编号": "HAZ-2023-00006", "日期": "2023/11/25", "进展情况": "紧急切断阀安装完成", "记录人": "赵磊（市应急局）"},
    ])  # fmt: skip

    assert run(sample, "import", str(book), "--today", "2023-11-26") == 0

    updated = path.read_text(encoding="utf-8")
    assert updated == original + (
        "  - date: 2023-11-25\n    note: 紧急切断阀安装完成\n    by: zhao-lei-yjj\n"
    )
    assert (
        f"工作表“整改进展”第 {row} 行：追加 registry/hazards/2023/HAZ-2023-00006.yaml（整改进展第 3 条）"
    ) in capsys.readouterr().out


@pytest.mark.parametrize(
    ("header", "value", "column"),
    [
        ("进展情况", "已制定整改方案（修改）", "D"),
        ("日期", dt.datetime(2023, 6, 16), "C"),
        ("记录人", None, "E"),
    ],
)
def test_an_edited_history_entry_is_refused_at_its_row_and_nothing_is_written(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], header: str, value: Any, column: str
) -> None:
    book = export(sample, tmp_path)
    row = edit_cell(book, "整改进展", "HAZ-2023-00006", header, value, number=1)
    main_row = edit_cell(book, "隐患台账", "HAZ-2023-00006", "隐患描述", "同一记录的另一处改动")
    before = snapshot(sample)

    assert run(sample, "import", str(book), "--today", "2023-11-26") == 1

    assert snapshot(sample) == before
    out = capsys.readouterr().out
    assert (
        f"工作表“整改进展”第 {row} 行 {column} 列（{header}）：第 1 条整改进展已登记，不得修改（只可追加）：本行改动了{header}。"
    ) in out
    assert (
        f"工作表“隐患台账”第 {main_row} 行 整行：同一记录 HAZ-2023-00006 在工作表“整改进展”第 {row} 行被拒绝，本行一并未写入"
    ) in out


def test_an_extension_may_gain_its_approval_but_not_change_its_reason(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sample / HAZARDS / "HAZ-2023-00027.yaml"
    original = path.read_text(encoding="utf-8").replace("status:", "# 县应急局复核\nstatus:").rstrip("\n") + (
        "\nextensions:  # 企业申请\n  - requested_on: 2023-12-08\n    new_deadline: 2024-02-29\n    reason: 设备供货延迟\n"
    )
    path.write_text(original, encoding="utf-8")
    book = export(sample, tmp_path)
    edit_cell(book, "延期", "HAZ-2023-00027", "批准人", "周磊（市应急局）")
    edit_cell(book, "延期", "HAZ-2023-00027", "批准日期", "2023-12-10")
    assert run(sample, "import", str(book), "--today", "2023-12-11") == 0
    assert (
        path.read_text(encoding="utf-8")
        == original + "    approved_by: zhou-lei-yjj\n    approved_on: 2023-12-10\n"
    )
    assert record(sample, "HAZ-2023-00027")["extensions"] == [
        {"requested_on": "2023-12-08", "new_deadline": "2024-02-29", "reason": "设备供货延迟",
         "approved_by": "zhou-lei-yjj", "approved_on": "2023-12-10"}
    ]  # fmt: skip
    capsys.readouterr()

    edit_cell(book, "延期", "HAZ-2023-00027", "延期理由", "设备供货延迟，另需停产检修")
    before = snapshot(sample)
    assert run(sample, "import", str(book), "--today", "2023-12-11") == 1
    assert snapshot(sample) == before
    assert "第 1 条延期已登记，不得修改（只可追加）：本行改动了延期理由" in capsys.readouterr().out


def test_entry_numbers_that_do_not_exist_or_repeat_and_unknown_hazards_are_refused(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = export(sample, tmp_path)
    row = add_rows(book, "移交", [
        {"隐患编号": "HAZ-2023-00029", "条目序号": 5, "接收单位": "淮北市应急管理局", "移交日期": "2023-10-01"},
        {"隐患编号": "HAZ-2023-09999", "接收单位": "淮北市应急管理局", "移交日期": "2023-10-01"},
        {"隐患编号": None, "接收单位": "淮北市应急管理局", "移交日期": "2023-10-01"},
        {"隐患编号": "HAZ-2023-00029", "条目序号": 1, "接收单位": "淮北市应急管理局", "移交日期": "2023-09-08",
         "移交理由": "市经信局指导服务中发现涉嫌违法行为，本部门无执法权，移交市应急管理局依法查处"},
    ])  # fmt: skip
    before = snapshot(sample)
    assert run(sample, "import", str(book), "--today", "2023-12-31") == 1
    assert snapshot(sample) == before
    out = capsys.readouterr().out
    assert f"工作表“移交”第 {row} 行 B 列（条目序号）：HAZ-2023-00029 没有第 5 条移交（已登记 1 条）" in out
    assert f"工作表“移交”第 {row + 1} 行 A 列（隐患编号）：找不到隐患 HAZ-2023-09999" in out
    assert f"工作表“移交”第 {row + 2} 行 A 列（隐患编号）：未填写：请填写所属隐患的编号" in out
    assert f"工作表“移交”第 {row + 3} 行 B 列（条目序号）：第 1 条移交在本工作表中重复（另见第 3 行）" in out


def test_acceptance_is_one_row_per_hazard_and_a_second_row_is_refused(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    row = {"隐患编号": "HAZ-2023-00043", "验收日期": "2023-12-29", "实际验收人": "sun-hao-yjj",
           "验收结论": "验收通过", "验收意见": "同意销号"}  # fmt: skip
    book = export(sample, tmp_path)
    twice = tmp_path / "twice.xlsx"
    add_rows(book, "验收", [row, {**row, "验收意见": "重复"}], twice)
    before = snapshot(sample)
    assert run(sample, "import", str(twice), "--today", "2023-12-31") == 1
    assert snapshot(sample) == before
    out = capsys.readouterr().out
    assert "A 列（隐患编号）：HAZ-2023-00043 的验收在本工作表中重复" in out

    once = tmp_path / "once.xlsx"
    add_rows(book, "验收", [row], once)
    edit_cell(once, "隐患台账", "HAZ-2023-00043", "整改状态", "已销号")
    # closing a major hazard needs its after-photo and acceptance sheet (V-closed): without them the
    # row is refused; placed beside the workbook they are attached in the same import
    assert run(sample, "import", str(once), "--today", "2023-12-31") == 1
    assert "V-closed" in capsys.readouterr().out and snapshot(sample) == before
    folder = tmp_path / "附件" / "HAZ-2023-00043"
    folder.mkdir(parents=True)
    (folder / "after-1.jpg").write_bytes(photo())
    (folder / "acceptance_sheet-1.pdf").write_bytes(PLAIN_PDF)
    assert run(sample, "import", str(once), "--today", "2023-12-31") == 0, capsys.readouterr().out
    hazard = record(sample, "HAZ-2023-00043")
    assert hazard["acceptance"] == {
        "date": "2023-12-29",
        "by": "sun-hao-yjj",
        "result": "passed",
        "note": "同意销号",
    }
    assert hazard["status"] == "closed"


def test_names_in_reference_cells_import_as_ids_and_ambiguous_names_list_the_candidates(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    twin = sample / "registry/people/sun-hao-sx.yaml"
    twin.write_text(
        (sample / "registry/people/sun-hao-yjj.yaml").read_text(encoding="utf-8")
        .replace("id: sun-hao-yjj", "id: sun-hao-sx").replace("organization: city-emergency", "organization: suixi"),
        encoding="utf-8",
    )  # fmt: skip
    book = export(sample, tmp_path)
    rows = [
        {
            "隐患编号": "HAZ-2023-00029",
            "日期": "2023-12-01",
            "进展情况": "复查一",
            "记录人": "孙浩（市应急局）",
        },
        {"隐患编号": "HAZ-2023-00054", "日期": "2023-12-01", "进展情况": "复查二", "记录人": "孙浩"},
        {
            "隐患编号": "HAZ-2023-00056",
            "日期": "2023-12-01",
            "进展情况": "复查三",
            "记录人": "淮北市应急管理局",
        },
        {"隐患编号": "HAZ-2023-00059", "日期": "2023-12-01", "进展情况": "复查四", "记录人": "zhao-lei-yjj"},
    ]
    add_rows(book, "整改进展", rows)
    assert run(sample, "import", str(book), "--today", "2023-12-02") == 1
    out = capsys.readouterr().out
    assert (
        "E 列（记录人）：名称“孙浩”对应多条记录：孙浩（濉溪县）（sun-hao-sx）、孙浩（市应急局）（sun-hao-yjj）；"
        "请改填其中一条的编号"
    ) in out
    assert [e["by"] for e in record(sample, "HAZ-2023-00029")["progress"]][-1] == "sun-hao-yjj"
    assert record(sample, "HAZ-2023-00056")["progress"][-1] == {
        "date": "2023-12-01",
        "note": "复查三",
        "by": "city-emergency",
    }
    assert record(sample, "HAZ-2023-00059")["progress"][-1]["by"] == "zhao-lei-yjj"
    listed = {c.value for col in load_workbook(book)["选项"].iter_cols() for c in col}
    assert {"孙浩（市应急局）", "孙浩（濉溪县）"} <= listed


def test_reference_columns_show_names_with_dropdowns_of_registered_names(
    sample: Path, tmp_path: Path
) -> None:
    workbook = load_workbook(export(sample, tmp_path))
    ws = workbook["隐患台账"]
    headers = [c.value for c in ws[2]]
    assert "整改落实·指定验收人" in headers and "验收人" not in headers
    assert [c.value for c in workbook["验收"][2]] == [
        "隐患编号",
        "验收日期",
        "实际验收人",
        "验收结论",
        "验收意见",
    ]
    person = headers.index("责任人") + 1
    assert ws.cell(3, person).value == "方琳（淮北市悦汇商业管理有限公司）"
    assert ws.cell(3, headers.index("所属县区") + 1).value == "相山区人民政府"
    assert ws.cell(3, headers.index("所在企业") + 1).value == "淮北市悦汇商业管理有限公司"
    letter = ws.cell(2, person).column_letter
    rule = next(dv for dv in ws.data_validations.dataValidation if str(dv.sqref).startswith(f"{letter}3"))
    assert rule.type == "list" and rule.formula1.startswith("'选项'!$") and not rule.showErrorMessage
    column = rule.formula1.split("!")[1].split(":")[0].replace("$", "")[:-1]
    listed = [c.value for c in workbook["选项"][column]][1:]
    listed = [v for v in listed if v is not None]
    people = list((sample / "registry/people").glob("*.yaml"))
    assert len(listed) == len(set(listed)) == len(people)
    assert "孙浩（市应急局）" in listed
    assert len(",".join(listed)) > 255  # why the list lives on a sheet, not inline


def test_guide_says_the_id_stays_blank_for_new_rows(sample: Path, tmp_path: Path) -> None:
    guide = [
        str(c.value)
        for row in load_workbook(export(sample, tmp_path))["填写说明"].iter_rows()
        for c in row
        if c.value
    ]
    assert (
        "1. 每行一条记录。新增记录的行，隐患编号留空：导入时新建记录并自动编号；隐患编号已存在的行更新该记录。"
        in guide
    )
    assert any("工作表“延期”" in line and "只可补填原先空着的批准人、批准日期" in line for line in guide)


def test_export_defaults_to_the_ignored_ledger_out_folder(
    sample: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(sample, "export", "--kind", "hazards") == 0
    assert (sample / "ledger-out" / "隐患台账.xlsx").is_file()
    assert "/ledger-out/" in (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert f"到 {sample / 'ledger-out' / '隐患台账.xlsx'}" in capsys.readouterr().out


def test_new_records_pass_check_after_appending(sample: Path, tmp_path: Path) -> None:
    book = export(sample, tmp_path)
    add_rows(book, "移交", [
        {"隐患编号": "HAZ-2023-00029", "接收单位": "淮北市应急管理局", "移交日期": "2023-12-01", "移交理由": "再次移交"},
    ])  # fmt: skip
    assert run(sample, "import", str(book), "--today", "2023-12-02") == 0
    referrals = record(sample, "HAZ-2023-00029")["referrals"]
    assert len(referrals) == 2 and referrals[-1] == {
        "to": "city-emergency",
        "date": "2023-12-01",
        "reason": "再次移交",
    }
    changed = {f"{HAZARDS}/HAZ-2023-00029.yaml"}
    assert [d for d in check(sample, "2023-12-02", only=changed) if d.severity == "error"] == []


@pytest.mark.parametrize(
    ("sheet", "values"),
    [
        ("延期", {"隐患编号": "HAZ-2023-00027", "申请日期": "2023-12-08", "延期后时限": "2023-12-01",
                  "延期理由": "早于原时限", "批准人": "周磊（市应急局）", "批准日期": "2023-12-10"}),
        ("延期", {"隐患编号": "HAZ-2023-00027", "申请日期": "2023-12-08", "延期后时限": "2024-01-31",
                  "延期理由": "只有批准人", "批准人": "周磊（市应急局）"}),
        ("验收", {"隐患编号": "HAZ-2023-00027", "验收日期": "2023-12-29"}),
    ],
)  # fmt: skip
def test_dry_run_prints_the_very_lines_rectify_check_prints(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], sheet: str, values: dict[str, Any]
) -> None:
    """Each refusal carries CI's own line; written out, the record makes ``rectify check`` print it."""
    book = export(sample, tmp_path)
    add_rows(book, sheet, [values])
    before = snapshot(sample)
    assert run(sample, "import", str(book), "--dry-run", "--today", "2023-12-31") == 1
    assert snapshot(sample) == before
    printed = [
        line.strip()[3:] for line in capsys.readouterr().out.splitlines() if line.strip().startswith("CI：")
    ]
    assert printed

    paths = find(sample)
    sheets, _ = read_workbook(book, all_ledgers(Schemas(paths.schemas), ["hazard"]))
    plan = plan_import(paths, sheets, dt.date(2023, 12, 31))
    for pending in plan.records:
        if pending.rejected() and pending.text:
            write_atomic(pending.path, pending.text)
    said = report.text(check(sample, "2023-12-31")).splitlines()
    assert set(printed) <= set(said), (printed, said)


def test_a_refused_hazard_row_holds_back_its_detail_rows(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = export(sample, tmp_path)
    main_row = edit_cell(book, "隐患台账", "HAZ-2023-00029", "整改时限", "2023-02-30")
    row = add_rows(
        book, "整改进展", [{"隐患编号": "HAZ-2023-00029", "日期": "2023-12-01", "进展情况": "复查"}]
    )
    before = snapshot(sample)
    assert run(sample, "import", str(book), "--today", "2023-12-31") == 1
    assert snapshot(sample) == before
    out = capsys.readouterr().out
    assert (
        f"工作表“整改进展”第 {row} 行 整行：同一记录 HAZ-2023-00029 在工作表“隐患台账”第 {main_row} 行被拒绝"
        in out
    )


def test_a_shown_name_whose_unit_changed_still_names_the_person(sample: Path, tmp_path: Path) -> None:
    book = export(sample, tmp_path)
    add_rows(book, "整改进展", [
        {"隐患编号": "HAZ-2023-00029", "日期": "2023-12-01", "进展情况": "复查", "记录人": "孙浩（县应急局）"},
        {"隐患编号": "HAZ-2023-00054", "日期": "2023-12-01", "进展情况": "复查", "记录人": "孙浩 (市应急局)"},
    ])  # fmt: skip
    assert run(sample, "import", str(book), "--today", "2023-12-02") == 0
    assert record(sample, "HAZ-2023-00029")["progress"][-1]["by"] == "sun-hao-yjj"
    assert record(sample, "HAZ-2023-00054")["progress"][-1]["by"] == "sun-hao-yjj"


@pytest.mark.parametrize("typed", ["孙浩", "孙浩（市应急局）", "sun-hao-yjj", " 孙浩（市应急局） "])
def test_a_name_typed_in_a_main_sheet_reference_cell_imports_as_the_id(
    sample: Path, tmp_path: Path, typed: str
) -> None:
    book = export(sample, tmp_path)
    edit_cell(book, "隐患台账", "HAZ-2023-00029", "整改落实·指定验收人", typed)
    edit_cell(book, "隐患台账", "HAZ-2023-00029", "所属县区", "濉溪县")  # a body's short name
    assert run(sample, "import", str(book), "--today", "2023-12-02") == 0
    hazard = record(sample, "HAZ-2023-00029")
    assert hazard["rectification"]["acceptor"] == "sun-hao-yjj"
    assert hazard["district"] == "suixi"
