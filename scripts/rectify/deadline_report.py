"""The deadline and accountability report (期限与问责报告) as data: overdue and due-soon hazards,
listed supervision, enterprises due for training and the maximum penalty, inspection coverage,
consultations past their deadline, and every other alert and warning of the rules. Pure: built
from a checked registry; :mod:`rectify.commands.report` renders it as Markdown or JSON."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from rectify.diagnostics import Diagnostic, Severity
from rectify.documents.figures import record_label
from rectify.facts import DUE_SOON_WORKING_DAYS, OPEN_STATUSES, deadline_in_force, facts_of
from rectify.ids import sort_key as id_sort_key
from rectify.model import Registry
from rectify.rules import RULES
from rectify.rules.accountability import maximum_penalty_reasons, missing_penalties
from rectify.rules.consultations import tally
from rectify.rules.deadlines import overdue_grade
from rectify.rules.inspections import coverage

SUPERVISION = {"city": "市级挂牌督办", "county": "县区级挂牌督办", "department": "部门挂牌督办"}
LEVEL = {"major": "重大", "general": "一般"}


def build(registry: Registry, diagnostics: list[Diagnostic], today: dt.date) -> dict[str, Any]:
    facts = facts_of(registry)
    overdue: list[dict[str, Any]] = []
    due_soon: list[dict[str, Any]] = []
    listed: list[dict[str, Any]] = []
    penalties: list[dict[str, Any]] = []
    limit = facts.calendar.add_working_days(today, DUE_SOON_WORKING_DAYS)
    for doc in registry.records("hazard"):
        hazard = doc.data
        rect = hazard.get("rectification") or {}
        deadline = deadline_in_force(hazard)
        row = {
            "id": doc.id,
            "file": doc.file,
            "level": LEVEL.get(hazard.get("level", ""), ""),
            "title": hazard.get("title", ""),
            "enterprise": facts.name(hazard.get("enterprise")),
            "district": facts.name(hazard.get("district")),
            "department": facts.name(rect.get("department")),
            "person": facts.name(rect.get("person")),
            "deadline": deadline.on.isoformat() if deadline else None,
            "extended": bool(deadline and deadline.extended),
            "status": registry.schemas.label("hazard_status", hazard.get("status", "")),
        }
        is_open = hazard.get("status") in OPEN_STATUSES
        due = facts.due(deadline) if deadline else None  # a last day on a rest day moves on, as in the rules
        if deadline is not None and due is not None and due != deadline.on:
            row["deadline_moved_to"] = due.isoformat()
        days = facts.overdue_days(hazard, today)
        if days:
            overdue.append({**row, "days_overdue": days, "grade": overdue_grade(days)})
        elif is_open and due and limit and today <= due <= limit:
            left = facts.calendar.working_days_after(today, due)
            due_soon.append({**row, "working_days_left": left})
        supervision = (hazard.get("supervision") or {}).get("level")
        if is_open and supervision in SUPERVISION:
            by = (hazard.get("supervision") or {}).get("by")
            listed.append({**row, "supervision": SUPERVISION[supervision], "by": facts.name(by)})
        reasons = maximum_penalty_reasons(hazard, registry)
        if reasons:
            main, missing = missing_penalties(facts, doc)
            if missing:
                penalties.append(
                    {
                        **row,
                        "main_person": facts.name(main) if main else None,
                        "reasons": reasons,
                        "missing": missing,
                    }
                )
    overdue.sort(key=lambda r: (-r["days_overdue"], id_sort_key(r["id"])))
    due_soon.sort(key=lambda r: (r["deadline"], id_sort_key(r["id"])))
    return {
        "today": today.isoformat(),
        "calendar": _calendar_note(registry, today),
        "overdue": overdue,
        "overdue_by_department": _count(overdue, "department"),
        "overdue_by_district": _count(overdue, "district"),
        "due_soon": due_soon,
        "due_soon_working_days": DUE_SOON_WORKING_DAYS,
        "listed_supervision": listed,
        "maximum_penalty": penalties,
        "coverage": _coverage(registry),
        "consultations": _consultations(registry, today),
        "other_findings": [
            {
                **d.as_dict(),
                "title": RULES[d.rule].title if d.rule in RULES else d.rule,
                "record": record_label(registry, d.file),
            }
            for d in diagnostics
            if d.severity is not Severity.ERROR and d.rule not in ("H-overdue", "H-due-soon")
        ],
        "errors": sum(1 for d in diagnostics if d.severity is Severity.ERROR),
    }


def _count(rows: list[dict[str, Any]], key: str) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row[key]] += 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _calendar_note(registry: Registry, today: dt.date) -> str | None:
    calendar = facts_of(registry).calendar
    unknown = calendar.unknown_years(today, today + dt.timedelta(days=31))
    if not unknown:
        return None
    years = "、".join(str(y) for y in unknown)
    return (
        f"{years} 年的法定节假日安排未收录（chinese-calendar 未覆盖，registry/calendar.yaml 中也没有）："
        "“即将到期”无法按工作日计算，本报告未作猜测，请补录该年放假安排。"
    )


def _coverage(registry: Registry) -> list[dict[str, Any]]:
    facts = facts_of(registry)
    out = []
    for doc in registry.records("campaign"):
        for area in coverage(facts, doc):
            if not area.inspections and not area.missed:
                continue
            out.append(
                {
                    "campaign": doc.id,
                    "campaign_title": doc.data.get("title", ""),
                    "area": facts.name(area.area),
                    "enterprises": len(area.enterprises),
                    "inspected": len(area.enterprises) - len(area.missed),
                    "not_inspected": [facts.name(e.id) for e in area.missed],
                }
            )
    return out


def _consultations(registry: Registry, today: dt.date) -> list[dict[str, Any]]:
    facts = facts_of(registry)
    out = []
    for doc in registry.records("consultation"):
        deadline = doc.data.get("deadline", "")
        if not deadline or today.isoformat() <= deadline:
            continue
        result = tally(registry, doc.data)
        out.append(
            {
                "id": doc.id,
                "title": doc.data.get("title", ""),
                "deadline": deadline,
                "recipients": len(result.recipients),
                "answered_in_time": [facts.name(r) for r in result.in_time],
                "late": [facts.name(r) for r in result.late],
                "invalid": [facts.name(r) for r in result.invalid],
                "no_opinion": [facts.name(r) for r in result.silent + result.late],
            }
        )
    return out
