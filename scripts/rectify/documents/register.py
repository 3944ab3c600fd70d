"""The 重大事故隐患清单 of a campaign for archiving (专门造册归档，签字归档备案备查): landscape A4,
one row per major hazard, signature columns for the responsible person and the acceptor, and the
header row repeated on every page."""

from __future__ import annotations

import datetime as dt

from rectify.documents.figures import closed_by, deadline_at
from rectify.documents.layout import Official, chinese_date
from rectify.documents.source import DocumentError, Source
from rectify.ids import sort_key as id_sort_key

COLUMNS = [
    "序号",
    "编号",
    "隐患点",
    "隐患内容",
    "整改时限",
    "责任部门",
    "责任人",
    "验收人",
    "销号情况",
    "责任人签字",
    "验收人签字",
]
WIDTHS_MM = [10, 24, 28, 36, 20, 20, 16, 16, 19, 18, 18]


def closing_state(hazard: dict[str, object], day: dt.date) -> str:
    """销号情况 on ``day``: 已销号 with its date, or 未销号 with the days overdue."""
    closed = closed_by(hazard, day)
    if closed is not None:
        return f"已销号（{chinese_date(closed)}）"
    deadline = deadline_at(hazard, day)
    if deadline is not None and deadline < day:
        return f"未销号，逾期{(day - deadline).days}天"
    return "未销号"


def register(source: Source, campaign_id: str, day: dt.date | None) -> Official:
    campaign = source.record("campaign", campaign_id, "专项整治")
    concerned = [
        d for d in source.registry.by_kind.get("hazard", {}).values() if d.data.get("campaign") == campaign_id
    ]
    source.require_clean(concerned)
    hazards = sorted(
        (d for d in concerned if d.data.get("level") == "major"), key=lambda d: id_sort_key(d.id or "")
    )
    if not hazards:
        raise DocumentError(
            f"专项整治 {campaign_id}（{campaign.data.get('title', '')}）没有登记重大事故隐患，未生成清单。"
        )
    as_of = day or source.today
    official = Official(source.masthead(as_of.year, None), landscape=True)
    official.title(f"{campaign.data.get('title', '')}重大事故隐患清单")
    official.paragraph(
        f"填报单位：{source.name(campaign.data.get('lead_department'))}"
        f"\u3000\u3000截至{chinese_date(as_of)}\u3000\u3000共{len(hazards)}项",
        indent=False,
    )
    rows = []
    for index, doc in enumerate(hazards, start=1):
        hazard = doc.data
        rect = hazard.get("rectification") or {}
        deadline = deadline_at(hazard, as_of)
        rows.append(
            [
                index,
                doc.id,
                f"{source.name(hazard.get('enterprise'))}{hazard.get('location') or ''}",
                hazard.get("title", ""),
                chinese_date(deadline) if deadline else "",
                source.name(rect.get("department")),
                source.name(rect.get("person")),
                source.name(rect.get("acceptor")) if rect.get("acceptor") else "",
                closing_state(hazard, as_of),
                "",
                "",
            ]
        )
    official.table(COLUMNS, rows, WIDTHS_MM)
    official.paragraph(
        "制表人：\u3000\u3000\u3000\u3000\u3000\u3000审核人：\u3000\u3000\u3000\u3000\u3000\u3000"
        "归档日期：\u3000\u3000年\u3000月\u3000日",
        indent=False,
    )
    return official
