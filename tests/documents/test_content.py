"""What the documents say: ids, names (never codes), 年月日 dates, one row per hazard, every reply."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import docx
import pytest
import yaml

from rectify.check import run_check
from rectify.documents.figures import parse_period
from rectify.documents.periodic import periodic_report
from rectify.documents.source import Source
from rectify.paths import find
from tests.conftest import REPO
from tests.documents.conftest import Generated, generate, text_of

SLUGS = re.compile(
    r"\b(city|suixi|xiangshan|duji|lieshan|hi-tech|coal-chem)[a-z-]*\b|\b[a-z]+-[a-z]+-[a-z]+\b"
)


def _hazards() -> dict[str, dict[str, object]]:
    return {
        p.stem: yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)  # keeps the key "on"
        for p in sorted((REPO / "registry" / "hazards").rglob("HAZ-*.yaml"))
    }


def _chinese(day: str) -> str:
    parsed = dt.date.fromisoformat(day)
    return f"{parsed.year}年{parsed.month}月{parsed.day}日"


def test_no_codes_or_iso_dates_anywhere(generated: Generated) -> None:
    for kind in (
        "supervision-notice",
        "referral",
        "monthly",
        "quarterly",
        "register",
        "consultation-feedback",
        "plan",
    ):
        text = text_of(generated.open(kind))
        assert not SLUGS.search(text), (kind, SLUGS.search(text))
        assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text), kind
        assert "None" not in text and "（未登记）" not in text, kind


def test_supervision_notice_content(generated: Generated) -> None:
    text = text_of(generated.open("supervision-notice"))
    assert "关于对淮北市悦汇商业管理有限公司重大事故隐患实行挂牌督办的通知" in text
    assert "HAZ-2023-00001" in text
    assert "悦汇商业广场三层东区" in text  # 隐患点
    assert "6.5" in text and "《" in text  # 判定依据 (basis.clause of HAZ-2023-00001)
    for five in (
        "（一）责任落实。",
        "（二）措施落实。",
        "（三）资金落实。",
        "（四）期限落实。",
        "（五）应急预案落实。",
    ):
        assert five in text
    assert "整改资金 26 万元" in text
    assert "整改时限：2023年7月31日前完成整改。" in text
    assert "督办单位：淮北市消防救援支队（部门挂牌督办，2023年5月20日挂牌）" in text
    assert "金辉" in text  # the acceptor by name
    assert "\n2023年5月20日\n" in text  # 成文日期 from the listing date


def test_supervision_notice_uses_the_extended_deadline(registry_copy: Path, tmp_path: Path) -> None:
    path = registry_copy / "registry/hazards/2023/HAZ-2023-00001.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "extensions:\n  - requested_on: 2023-07-20\n    new_deadline: 2023-08-31\n    reason: 设备到货延迟\n"
        "    approved_by: xie-wen-xfzd\n    approved_on: 2023-07-25\n",
        encoding="utf-8",
    )
    out = tmp_path / "notice.docx"
    generate(registry_copy, out, "supervision-notice", "HAZ-2023-00001")
    assert "整改时限：2023年8月31日前完成整改。" in text_of(docx.Document(str(out)))


def test_referral_names_the_receiving_body_and_reason(generated: Generated) -> None:
    document = generated.open("referral")
    text = text_of(document)
    assert "\n市应急局：\n" in text  # 主送: the referral's receiving body, by its short name
    assert "本部门无执法权，移交市应急管理局依法查处" in text
    assert "HAZ-2023-00029" in text
    assert "\n2023年9月8日\n" in text


def _expected_overdue(end: dt.date) -> set[tuple[str, int]]:
    """Computed here from the YAML, independently of rectify: major, found by ``end``, not accepted
    by ``end``, deadline in force (extensions approved by ``end``) before ``end``."""
    expected = set()
    for hid, hazard in _hazards().items():
        rect = hazard["rectification"]
        assert isinstance(rect, dict)
        deadline = dt.date.fromisoformat(str(rect["deadline"]))
        for ext in hazard.get("extensions") or []:  # type: ignore[attr-defined]
            if ext.get("approved_on") and dt.date.fromisoformat(str(ext["approved_on"])) <= end:
                deadline = dt.date.fromisoformat(str(ext["new_deadline"]))
        accepted = (hazard.get("acceptance") or {}).get("date")  # type: ignore[attr-defined]
        closed = hazard["status"] == "closed" and accepted and dt.date.fromisoformat(str(accepted)) <= end
        found = dt.date.fromisoformat(str(hazard["found"]["date"]))  # type: ignore[index]
        if hazard["level"] == "major" and found <= end and not closed and deadline < end:
            expected.add((hid, (end - deadline).days))
    return expected


def _overdue_rows(text: str) -> set[tuple[str, int]]:
    rows = set()
    for line in text.splitlines():
        cells = line.split("\t")
        if len(cells) == 7 and cells[1].startswith("HAZ-"):
            rows.add((cells[1], int(cells[6])))
    return rows


def test_monthly_lists_every_major_hazard_overdue_at_month_end(generated: Generated) -> None:
    text = text_of(generated.open("monthly"))
    expected = _expected_overdue(dt.date(2023, 11, 30))
    assert expected  # the sample has one at 2023-11-30
    assert _overdue_rows(text) == expected
    assert "关于2023年11月安全生产专项整治和重大事故隐患整改情况的报告" in text
    assert "中共淮北市委、市政府：" in text  # 主送 from jurisdiction.yaml → documents.report_to
    assert "四、检查发现的履职问题" in text and "五、下一步工作" in text
    assert "2023年12月，各专项整治将完成以下工作节点：" in text


@pytest.mark.parametrize("key", ["2023-07", "2023-08", "2023-10", "2023-12", "2023-Q3", "2023-Q4"])
def test_every_overdue_major_hazard_in_each_period(key: str) -> None:
    period = parse_period("quarter" if "Q" in key else "month", key)
    assert period is not None
    today = dt.date(2024, 1, 15)
    result = run_check(find(REPO), today)
    official, _ = periodic_report(Source(result.registry, result.diagnostics, today), period, None, None)
    text = text_of(docx.Document(io.BytesIO(official.to_bytes())))
    expected = _expected_overdue(period.end)
    assert _overdue_rows(text) == expected
    if not expected:
        assert (
            f"截至{period.end.year}年{period.end.month}月{period.end.day}日，没有逾期未整改的重大事故隐患。"
            in text
        )


def test_quarterly_next_steps_come_from_next_quarters_milestones(generated: Generated) -> None:
    text = text_of(generated.open("quarterly"))
    assert "2024年第一季度，各专项整治将完成以下工作节点：" in text
    assert "园区燃气用户排查" in text and "2024年1月31日前完成" in text  # PLAN-2023-038


def test_register_has_one_row_per_major_hazard_and_repeated_header(generated: Generated) -> None:
    document = generated.open("register")
    (table,) = document.tables
    header = [c.text for c in table.rows[0].cells]
    assert header == [
        "序号", "编号", "隐患点", "隐患内容", "整改时限", "责任部门", "责任人", "验收人", "销号情况", "责任人签字", "验收人签字",
    ]  # fmt: skip
    assert (
        table.rows[0]._tr.trPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader")
        is not None
    )
    expected = sorted(
        hid for hid, h in _hazards().items() if h.get("campaign") == "CAMP-2023-003" and h["level"] == "major"
    )
    ids = [row.cells[1].text for row in table.rows[1:]]
    assert ids == expected
    assert [row.cells[0].text for row in table.rows[1:]] == [str(i) for i in range(1, len(expected) + 1)]
    assert all(row.cells[9].text == "" and row.cells[10].text == "" for row in table.rows[1:])
    assert any(row.cells[8].text.startswith("已销号（2023年") for row in table.rows[1:])


def test_consultation_feedback_covers_every_body_consulted(generated: Generated) -> None:
    (table,) = generated.open("consultation-feedback").tables
    rows = {row.cells[1].text: [c.text for c in row.cells] for row in table.rows[1:]}
    assert rows["淮北市应急管理局"][5] == "采纳"
    assert rows["淮北市应急管理局"][3] == "孙国强签字，已盖章"
    assert rows["淮北市经济和信息化局"][3].endswith("未盖章")
    assert rows["淮北市经济和信息化局"][5] == "部分采纳" and "5个工作日" in rows["淮北市经济和信息化局"][6]
    assert rows["淮北市市场监督管理局"][4] == "视为无意见（逾期反馈）"
    assert rows["淮北市公安局"][2:5] == ["未反馈", "—", "无意见（逾期未反馈）"]
    assert rows["相山区人民政府"][4] == "无意见"
    consultation = yaml.load(
        (REPO / "registry/consultations/CONS-2023-001.yaml").read_text(encoding="utf-8"),
        Loader=yaml.BaseLoader,
    )
    members = set()
    for path in (REPO / "registry/organizations").glob("*.yaml"):
        org = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        if "city-safety-committee" in (org.get("member_of") or []):
            members.add(org["id"])
    responders = {r["from"] for r in consultation["responses"]}
    assert len(rows) == len(set(consultation["recipients"]) | members | responders)


def test_plan_issues_the_campaign_record(generated: Generated) -> None:
    text = text_of(generated.open("plan"))
    assert "关于印发《淮北市危险化学品安全专项整治实施方案》的通知" in text
    assert "2023年6月1日至2023年12月31日。" in text
    assert "重大危险源罐区紧急切断" in text
    assert "1. 动员部署：2023年6月10日前完成，由淮北市应急管理局负责。" in text
