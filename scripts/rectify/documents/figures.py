"""The periodic figures (定期汇总) of major hazards, computed once: the monthly and quarterly
reports, ``rectify report --format json`` and the site's 定期汇总 page all call :func:`period_figures`.

Everything is "as of" the period's end: a hazard counts as closed from its acceptance date, an
extension moves the deadline from the day it was approved, and days overdue are counted to the end
date (the deadline day itself is not overdue). Names, never codes. Linear in the registry.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rectify.facts import date, deadline_in_force
from rectify.ids import sort_key as id_sort_key
from rectify.model import Registry

SUPERVISED = frozenset({"city", "county", "department"})
QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True, slots=True)
class Period:
    kind: str  # month | quarter
    start: dt.date
    end: dt.date
    key: str  # 2023-11 | 2023-Q4

    @property
    def label(self) -> str:
        if self.kind == "quarter":
            return f"{self.start.year}年{QUARTER_NAMES[(self.start.month - 1) // 3 + 1]}"
        return f"{self.start.year}年{self.start.month}月"

    def following(self) -> Period:
        day = self.end + dt.timedelta(days=1)
        return quarter_of(day) if self.kind == "quarter" else month_of(day)

    def until(self, day: dt.date) -> Period:
        """The same period cut at ``day`` (a report run in the middle of a month)."""
        return Period(self.kind, self.start, min(self.end, max(day, self.start)), self.key)


def month_of(day: dt.date) -> Period:
    start = day.replace(day=1)
    following = (start + dt.timedelta(days=32)).replace(day=1)
    return Period("month", start, following - dt.timedelta(days=1), f"{day.year}-{day.month:02d}")


def quarter_of(day: dt.date) -> Period:
    quarter = (day.month - 1) // 3 + 1
    start = dt.date(day.year, 3 * quarter - 2, 1)
    end = month_of(dt.date(day.year, 3 * quarter, 1)).end
    return Period("quarter", start, end, f"{day.year}-Q{quarter}")


def parse_period(kind: str, text: str) -> Period | None:
    """``2023-11`` (month) or ``2023-Q4`` (quarter); ``None`` when malformed."""
    if kind == "month":
        match = _MONTH.match(text)
        return month_of(dt.date(int(match[1]), int(match[2]), 1)) if match else None
    match = _QUARTER.match(text)
    return quarter_of(dt.date(int(match[1]), 3 * int(match[2]), 1)) if match else None


def plain_name(registry: Registry, record_id: Any) -> str:
    """The full name of a body, person or enterprise, or a campaign's title — never its code."""
    if not isinstance(record_id, str) or not record_id:
        return "（未填写）"
    for kind in registry.kinds_of(record_id):
        data = registry.by_kind[kind][record_id].data
        value = data.get("name") or data.get("title")
        if isinstance(value, str) and value:
            return value
    return "（未登记）"


def record_label(registry: Registry, file: str) -> str:
    """Which record a file holds, as officers name it: a title or name (plans by their owner,
    hazards and inspections by their id)."""
    record_id = Path(file).stem.removesuffix(".plan")
    for kind in registry.kinds_of(record_id):
        data = registry.by_kind[kind][record_id].data
        if kind == "plan":
            return f"{plain_name(registry, data.get('owner'))}实施方案"
        if kind in ("hazard", "inspection"):
            return f"{record_id}"
        return plain_name(registry, record_id)
    return ""


def closed_by(hazard: dict[str, Any], day: dt.date) -> dt.date | None:
    """The acceptance date if the hazard was closed (验收销号) on or before ``day``."""
    if hazard.get("status") != "closed":
        return None
    on = date((hazard.get("acceptance") or {}).get("date"))
    return on if on is not None and on <= day else None


def deadline_at(hazard: dict[str, Any], day: dt.date) -> dt.date | None:
    """The deadline in force on ``day``: :func:`rectify.facts.deadline_in_force` with only the
    extensions approved by then."""
    extensions = [
        e
        for e in hazard.get("extensions") or []
        if isinstance(e, dict) and (approved := date(e.get("approved_on"))) is not None and approved <= day
    ]
    deadline = deadline_in_force({**hazard, "extensions": extensions})
    return deadline.on if deadline else None


def _group() -> dict[str, int]:
    return {"found": 0, "closed": 0, "open": 0, "overdue": 0}


def _rate(closed: int, total: int) -> float:
    return round(100.0 * closed / total, 1) if total else 0.0


def _table(groups: dict[str, dict[str, int]]) -> list[dict[str, Any]]:
    rows = []
    for name, counts in sorted(groups.items()):
        total = counts["closed"] + counts["open"]
        rows.append({"name": name, **counts, "total": total, "rate": _rate(counts["closed"], total)})
    return rows


def period_figures(registry: Registry, period: Period) -> dict[str, Any]:
    """Headline figures, progress by campaign, county and department, and the overdue major hazards
    at ``period.end``. ``found`` and ``closed`` count within the period; the rest is as of its end."""
    end = period.end
    head = {
        "found": 0,
        "closed": 0,
        "total": 0,
        "closed_total": 0,
        "open": 0,
        "overdue": 0,
        "rate": 0.0,
        "supervised_open": 0,
        "supervised_closed": 0,
    }
    groups: dict[str, dict[str, dict[str, int]]] = {
        "campaign": defaultdict(_group),
        "district": defaultdict(_group),
        "department": defaultdict(_group),
    }
    overdue: list[dict[str, Any]] = []
    for doc in registry.records("hazard"):
        hazard = doc.data
        found = date((hazard.get("found") or {}).get("date"))
        if hazard.get("level") != "major" or found is None or found > end:
            continue
        rect = hazard.get("rectification") or {}
        keys = {
            "campaign": plain_name(registry, hazard.get("campaign"))
            if hazard.get("campaign")
            else "（未列入专项整治）",
            "district": plain_name(registry, hazard.get("district")),
            "department": plain_name(registry, rect.get("department")),
        }
        closed = closed_by(hazard, end)
        found_now = period.start <= found
        closed_now = closed is not None and period.start <= closed
        deadline = deadline_at(hazard, end)
        late = (end - deadline).days if closed is None and deadline is not None and deadline < end else 0
        head["total"] += 1
        head["found"] += found_now
        head["closed"] += closed_now
        head["closed_total"] += closed is not None
        head["open"] += closed is None
        head["overdue"] += late > 0
        supervision = hazard.get("supervision") or {}
        listed_on = date(supervision.get("date"))
        if supervision.get("level") in SUPERVISED and (listed_on is None or listed_on <= end):
            key = "supervised_open" if closed is None else "supervised_closed"
            head[key] += 1
        for name, key in keys.items():
            group = groups[name][key]
            group["found"] += found_now
            group["closed"] += closed is not None
            group["open"] += closed is None
            group["overdue"] += late > 0
        if late:
            overdue.append(
                {
                    "id": doc.id,
                    "title": str(hazard.get("title") or ""),
                    "enterprise": plain_name(registry, hazard.get("enterprise")),
                    "district": keys["district"],
                    "department": keys["department"],
                    "person": plain_name(registry, rect.get("person")),
                    "deadline": deadline.isoformat() if deadline else None,
                    "days_overdue": late,
                }
            )
    head["rate"] = _rate(int(head["closed_total"]), int(head["total"]))
    overdue.sort(key=lambda r: (-r["days_overdue"], id_sort_key(r["id"])))
    return {
        "period": period.key,
        "label": period.label,
        "start": period.start.isoformat(),
        "end": end.isoformat(),
        "headline": head,
        "by_campaign": _table(groups["campaign"]),
        "by_district": _table(groups["district"]),
        "by_department": _table(groups["department"]),
        "overdue": overdue,
    }


def next_milestones(registry: Registry, period: Period) -> list[dict[str, str]]:
    """Milestones of campaigns and plans falling due in ``period`` and not yet met: 下一步工作."""
    out = []
    for kind in ("campaign", "plan"):
        for doc in registry.records(kind):
            plan = doc.data.get("plan") if kind == "campaign" else doc.data
            if not isinstance(plan, dict):
                continue
            for milestone in plan.get("milestones") or []:
                due = date(milestone.get("deadline")) if isinstance(milestone, dict) else None
                if due is None or not period.start <= due <= period.end or milestone.get("done_on"):
                    continue
                owner = milestone.get("owner") or doc.data.get("owner") or doc.data.get("lead_department")
                campaign = doc.id if kind == "campaign" else doc.data.get("campaign")
                out.append(
                    {
                        "campaign": plain_name(registry, campaign),
                        "name": str(milestone.get("name") or ""),
                        "owner": plain_name(registry, owner),
                        "deadline": due.isoformat(),
                    }
                )
    out.sort(key=lambda m: (m["deadline"], m["campaign"], m["name"]))
    return out
