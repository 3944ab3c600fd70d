"""The 征求意见采纳情况表 of a consultation: every body consulted, its reply with the signature and
seal status, 无意见 for the silent and the late (逾期视为无意见), and how each opinion was handled
(``responses[].adoption`` and ``reason``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rectify.documents.layout import Official, chinese_date
from rectify.documents.source import Source
from rectify.facts import date
from rectify.rules.consultations import tally

COLUMNS = ["序号", "征求对象", "反馈日期", "签字盖章", "意见建议", "采纳情况", "理由"]
WIDTHS_MM = [10, 34, 22, 30, 60, 18, 51]


def _adoption_labels(source: Source) -> dict[str, str]:
    return source.registry.schemas.labels("adoption")


def _signed(source: Source, response: dict[str, Any]) -> str:
    signer = f"{source.name(response['signed_by'])}签字" if response.get("signed_by") else "无签字"
    seal = "已盖章" if response.get("sealed") else "未盖章"
    return f"{signer}，{seal}"


def feedback(source: Source, consultation_id: str, day: dt.date | None) -> Official:
    doc = source.record("consultation", consultation_id, "征求意见")
    data = doc.data
    result = tally(source.registry, data)
    labels = _adoption_labels(source)
    deadline = date(data.get("deadline"))
    replies: dict[str, dict[str, Any]] = {}
    for response in data.get("responses") or []:
        if isinstance(response, dict) and isinstance(response.get("from"), str):
            replies.setdefault(response["from"], response)
    late = set(result.late)
    order = list(result.recipients) + [r for r in replies if r not in result.recipients]
    rows = []
    for index, party in enumerate(order, start=1):
        response = replies.get(party)
        if response is None:
            rows.append([index, source.name(party), "未反馈", "—", "无意见（逾期未反馈）", "—", "—"])
            continue
        on = date(response.get("date"))
        shown_on = chinese_date(on) if on else ""
        if party in late:
            rows.append(
                [
                    index,
                    source.name(party),
                    shown_on,
                    _signed(source, response),
                    "视为无意见（逾期反馈）",
                    "—",
                    "—",
                ]
            )
            continue
        opinion = response.get("opinion")
        adoption = labels.get(str(response.get("adoption")), "") if response.get("adoption") else ""
        rows.append(
            [
                index,
                source.name(party),
                shown_on,
                _signed(source, response),
                opinion or "无意见",
                adoption or ("—" if not opinion else "待定"),
                response.get("reason") or ("—" if not opinion else ""),
            ]
        )
    document = data.get("document") or {}
    title = str(document.get("title") or data.get("title") or "")
    as_of = day or source.today
    official = Official(source.masthead(as_of.year, None), landscape=True)
    official.title(f"《{title}》征求意见采纳情况表")
    answered = len(result.in_time)
    official.paragraph(
        f"征求意见对象{len(result.recipients)}个，截止日期{chinese_date(deadline) if deadline else '（未填写）'}，"
        f"按期反馈{answered}个，逾期反馈{len(result.late)}个，未反馈{len(result.silent)}个（逾期反馈和未反馈的视为无意见）。",
        indent=False,
    )
    official.table(COLUMNS, rows, WIDTHS_MM)
    official.paragraph(
        f"起草单位：{source.name(data.get('issuer'))}\u3000\u3000{chinese_date(as_of)}", indent=False
    )
    return official
