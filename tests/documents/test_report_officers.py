"""``rectify report`` for officers: headline totals, names instead of codes, no file paths; the same
tables as a workbook."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from openpyxl import load_workbook

from tests.conftest import REPO
from tests.helpers import cli, explain


def test_markdown_has_totals_names_and_no_paths() -> None:
    proc = cli("--root", str(REPO), "report", "--today", "2023-12-31")
    assert proc.returncode == 0, explain(proc)
    text = proc.stdout
    assert "## 概况" in text
    assert "累计重大事故隐患 42 项，已销号 24 项，整改率 57.1%；未销号 18 项，其中逾期 5 项" in text
    assert "registry/" not in text and ".yaml" not in text
    assert not re.search(r"（[a-z][a-z0-9-]*）", text)  # no （city-emergency）
    assert not re.search(r"（9134\w{14}）", text)  # no （USCC）
    assert "| 淮北市危险化学品安全专项整治 |" in text or "淮北市重大事故隐患专项排查整治2023行动" in text
    assert "CAMP-2023-001 |" not in text  # campaigns by title
    title = yaml.safe_load((REPO / "registry/hazards/2023/HAZ-2023-00036.yaml").read_text(encoding="utf-8"))[
        "title"
    ]
    assert f"| HAZ-2023-00036 | 重大 | {title} | 濉溪县暖驿液化气有限公司 |" in text


def test_xlsx_has_the_same_tables(tmp_path: Path) -> None:
    out = tmp_path / "期限报告.xlsx"
    proc = cli("--root", str(REPO), "report", "--today", "2023-12-31", "--format", "xlsx", "--out", str(out))
    assert proc.returncode == 0, explain(proc)
    book = load_workbook(out, read_only=True)
    assert book.sheetnames == [
        "概况",
        "逾期未整改",
        "即将到期",
        "挂牌督办",
        "顶格处罚",
        "检查覆盖",
        "征求意见",
        "其他提醒与警告",
    ]
    rows = list(book["逾期未整改"].iter_rows(values_only=True))
    assert rows[0] == ("编号", "等级", "隐患", "企业", "县区", "责任部门", "责任人", "整改时限", "逾期天数")
    assert [r[0] for r in rows[1:]] == [
        "HAZ-2023-00036", "HAZ-2023-00055", "HAZ-2023-00029", "HAZ-2023-00054", "HAZ-2023-00027", "HAZ-2023-00028",
    ]  # fmt: skip
    assert rows[1][-1] == 46
    proc = cli("--root", str(REPO), "report", "--today", "2023-12-31")
    for row in rows[1:]:
        assert f"| {row[0]} | {row[1]} | {row[2]} | {row[3]} |" in proc.stdout
    summary = [r[0] for r in book["概况"].iter_rows(values_only=True)]
    assert any("整改率 57.1%" in str(line) for line in summary)


def test_xlsx_needs_out() -> None:
    proc = cli("--root", str(REPO), "report", "--format", "xlsx")
    assert proc.returncode == 2
    assert "xlsx 格式需要用 --out 指定输出文件" in proc.stderr
