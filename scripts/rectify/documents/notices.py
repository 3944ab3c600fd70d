"""Documents about one hazard: the 重大事故隐患挂牌督办通知书 and the 移交函 for a referral."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rectify.documents.figures import deadline_at
from rectify.documents.layout import Official, chinese_date
from rectify.documents.source import DocumentError, Source
from rectify.facts import date

NUMERALS = "一二三四五六七八九十"


def _day(value: Any) -> str:
    parsed = date(value)
    return chinese_date(parsed) if parsed else "（未填写）"


def _hazard(source: Source, hazard_id: str) -> dict[str, Any]:
    return source.record("hazard", hazard_id, "隐患").data


def _facts(source: Source, hazard: dict[str, Any]) -> list[str]:
    found = hazard.get("found") or {}
    how = source.label("hazard_source", found.get("source")) if found.get("source") else "检查"
    inspection = source.registry.get("inspection", found.get("by") or "")
    who = source.name(inspection.data.get("by")) if inspection else ""
    where = f"{source.name(hazard.get('enterprise'))}{hazard.get('location') or ''}"
    text = [f"{_day(found.get('date'))}，{who}在{how}中发现{where}存在{hazard.get('title', '')}。"]
    if hazard.get("description"):
        text.append(str(hazard["description"]))
    return text


def supervision_notice(source: Source, hazard_id: str, number: int | None, day: dt.date | None) -> Official:
    """挂牌督办通知书: the hazard, 判定依据, the 五落实, the deadline in force, who supervises and
    what closing it takes. Only for a major hazard under 挂牌督办."""
    hazard = _hazard(source, hazard_id)
    if hazard.get("level") != "major":
        raise DocumentError(f"{hazard_id} 不是重大事故隐患，不能生成挂牌督办通知书。")
    supervision = hazard.get("supervision") or {}
    if supervision.get("level") in (None, "none"):
        raise DocumentError(f"{hazard_id} 未挂牌督办（supervision 为空或 none），不能生成挂牌督办通知书。")
    rect = hazard.get("rectification") or {}
    issued = day or date(supervision.get("date")) or source.today
    enterprise = source.name(hazard.get("enterprise"))
    official = Official(source.masthead(issued.year, number, [hazard.get("enterprise")]))
    official.masthead.cc += [
        source.short(rect.get("department")),
        source.short(hazard.get("district")),
    ]
    official.masthead_block()
    official.title(f"关于对{enterprise}重大事故隐患实行挂牌督办的通知")
    official.recipients()
    level = source.label("supervision_level", supervision.get("level"))
    official.body(
        f"你单位{hazard.get('title', '')}问题经判定为重大事故隐患（编号 {hazard_id}），"
        f"{_day(supervision.get('date'))}由{source.name(supervision.get('by'))}实行{level}。现将有关事项通知如下："
    )
    official.heading1("一、隐患基本情况")
    for line in _facts(source, hazard):
        official.body(line)
    official.body(
        f"隐患点：{hazard.get('location') or '（未填写）'}；所在县区：{source.name(hazard.get('district'))}。"
    )
    official.heading1("二、判定依据")
    official.body(f"依据{source.standard(hazard.get('basis'))}，判定为重大事故隐患。")
    official.heading1("三、整改要求（五落实）")
    deadline = deadline_at(hazard, source.today)
    person = source.registry.get("person", rect.get("person") or "")
    title = f"（{person.data.get('title')}）" if person and person.data.get("title") else ""
    official.heading2("（一）责任落实。")
    official.body(
        f"整改责任人：{source.name(rect.get('person'))}{title}；责任部门：{source.name(rect.get('department'))}"
        + (f"；督办责任人：{source.name(rect.get('supervisor'))}。" if rect.get("supervisor") else "。")
    )
    official.heading2("（二）措施落实。")
    for index, measure in enumerate(rect.get("measures") or ["（未登记整改措施）"], start=1):
        official.body(f"{index}. {measure}")
    official.heading2("（三）资金落实。")
    funds = rect.get("funds_cny")
    official.body(
        f"整改资金 {funds / 10000:g} 万元，由企业足额保障。"
        if isinstance(funds, int | float)
        else "整改资金未登记，请企业落实并报告。"
    )
    official.heading2("（四）期限落实。")
    official.body(f"整改时限：{chinese_date(deadline) if deadline else '（未填写）'}前完成整改。")
    official.heading2("（五）应急预案落实。")
    official.body(str(rect.get("emergency_plan") or "整改期间应落实临时安全措施和应急处置预案。"))
    official.heading1("四、督办和销号")
    official.body(
        f"督办单位：{source.name(supervision.get('by'))}（{level}，{_day(supervision.get('date'))}挂牌）。"
        f"整改完成后，你单位应向{source.name(rect.get('department'))}提交整改报告、整改前后影像资料、"
        f"资金使用凭证和验收申请，经验收人{source.name(rect.get('acceptor'))}现场核查合格后验收销号。"
        "整改期间发生生产安全事故的，依法从重追究责任。"
    )
    official.signature(issued)
    official.record(issued)
    return official


def referral(source: Source, hazard_id: str, number: int | None, day: dt.date | None) -> Official:
    """移交函: to the receiving body of the hazard's latest referral, with the facts and the basis."""
    hazard = _hazard(source, hazard_id)
    referrals = [r for r in hazard.get("referrals") or [] if isinstance(r, dict) and r.get("to")]
    if not referrals:
        raise DocumentError(f"{hazard_id} 没有移交记录（referrals），不能生成移交函。")
    entry = referrals[-1]
    issued = day or date(entry.get("date")) or source.today
    enterprise = source.name(hazard.get("enterprise"))
    official = Official(source.masthead(issued.year, number, [entry.get("to")]))
    official.masthead_block()
    official.title(f"关于移交{enterprise}涉嫌安全生产违法行为的函")
    official.recipients()
    official.heading1("一、基本事实")
    for line in _facts(source, hazard):
        official.body(line)
    official.body(f"隐患编号：{hazard_id}；隐患等级：{source.label('hazard_level', hazard.get('level'))}。")
    official.heading1("二、移交理由和依据")
    official.body(f"{entry.get('reason') or '本单位无相应行政执法权'}。")
    if hazard.get("basis"):
        official.body(f"判定依据：{source.standard(hazard.get('basis'))}。")
    official.body(
        "依据《中华人民共和国安全生产法》关于安全生产监督管理职责分工和行政执法的规定，现将该线索移交你单位依法处理。"
    )
    official.heading1("三、有关要求")
    official.body("请你单位依法调查处理，并将处理结果书面反馈我单位，以便在隐患台账中登记。")
    found_by = (hazard.get("found") or {}).get("by")
    attachments = [f"隐患登记表（{hazard_id}）"]
    if isinstance(found_by, str) and source.registry.get("inspection", found_by):
        attachments.append(f"检查记录（{found_by}）")
    official.attachments(attachments)
    official.signature(issued)
    official.record(issued)
    return official
