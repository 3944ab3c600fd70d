"""A campaign's 实施方案 in 公文 form, from its record: period, focus, standards, milestones and
who answers for what — so a plan written in the registry can be issued as it stands."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rectify.documents.layout import Official, chinese_date
from rectify.documents.source import DocumentError, Source
from rectify.facts import date

NUMBERS = "一二三四五六七八九十"


def _day(value: Any) -> str:
    parsed = date(value)
    return chinese_date(parsed) if parsed else "（未定）"


def _section(official: Official, number: int, title: str) -> None:
    official.heading1(f"{NUMBERS[number - 1]}、{title}")


def plan(source: Source, campaign_id: str, number: int | None, day: dt.date | None) -> Official:
    doc = source.record("campaign", campaign_id, "专项整治")
    campaign = doc.data
    content = campaign.get("plan")
    if not isinstance(content, dict) or not (content.get("focus") or content.get("milestones")):
        raise DocumentError(
            f"专项整治 {campaign_id} 尚未登记实施方案（plan 的整治重点和时间节点），未生成方案。"
        )
    document = content.get("document") or {}
    issued = day or date(document.get("date")) or source.today
    recipients = [*(campaign.get("districts") or []), *(campaign.get("departments") or [])]
    official = Official(source.masthead(issued.year, number, recipients))
    official.masthead_block()
    title = str(document.get("title") or f"{campaign.get('title', '')}实施方案")
    official.title(f"关于印发《{title}》的通知")
    official.recipients()
    official.body(f"现将《{title}》印发给你们，请认真贯彻落实。")
    official.paragraph()
    official.title(title)
    period = campaign.get("period") or {}
    official.body(
        f"为做好{campaign.get('title', '')}工作，"
        + (
            "根据"
            + "、".join(
                f"《{s.get('title')}》" for s in campaign.get("source_documents") or [] if s.get("title")
            )
            + "，"
            if campaign.get("source_documents")
            else ""
        )
        + "制定本方案。"
    )
    section = 1
    _section(official, section, "整治时间")
    official.body(f"{_day(period.get('start'))}至{_day(period.get('end'))}。")
    section += 1
    _section(official, section, "整治重点")
    for i, item in enumerate(content.get("focus") or [], start=1):
        official.body(f"（{NUMBERS[i - 1] if i <= 10 else i}）{item}。".replace("。。", "。"))
    if content.get("standards"):
        section += 1
        _section(official, section, "整治标准")
        for i, item in enumerate(content["standards"], start=1):
            official.body(f"{i}. {item}")
    section += 1
    _section(official, section, "时间安排")
    for i, m in enumerate(content.get("milestones") or [], start=1):
        official.body(
            f"{i}. {m.get('name', '')}：{_day(m.get('deadline'))}前完成，由{source.name(m.get('owner'))}负责。"
        )
    section += 1
    _section(official, section, "责任分工")
    official.body(
        f"{source.name(campaign.get('leader'))}统筹协调，{source.name(campaign.get('lead_department'))}牵头，"
        + (
            "、".join(source.name(d) for d in campaign.get("departments") or []) + "按职责分工负责，"
            if campaign.get("departments")
            else ""
        )
        + (
            "、".join(source.name(d) for d in campaign.get("districts") or []) + "落实属地管理责任。"
            if campaign.get("districts")
            else "各地落实属地管理责任。"
        )
    )
    for person in content.get("responsible") or []:
        official.body(
            f"{source.name(person.get('person'))}：{person.get('duty', '')}。".replace("。。", "。")
        )
    official.signature(issued)
    official.record(issued)
    return official
