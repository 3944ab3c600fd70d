"""Forge issues for overdue major hazards (逾期重大事故隐患): one issue per hazard, opened or
updated while it is overdue, closed once the hazard is closed (验收销号). Pure: the plan is
computed from the registry and the existing issues; :mod:`rectify.commands.issues_sync` runs it
with ``gh``."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from rectify import facts
from rectify.model import Registry

LABEL = "逾期重大隐患"
_MARK = re.compile(r"<!-- rectify:(HAZ-\d{4}-\d{5,}) -->")


@dataclass(frozen=True, slots=True)
class Issue:
    number: int
    state: str  # OPEN | CLOSED
    body: str

    @property
    def hazard(self) -> str | None:
        match = _MARK.search(self.body)
        return match.group(1) if match else None


@dataclass(frozen=True, slots=True)
class Action:
    verb: str  # create | update | reopen | close
    hazard: str
    title: str = ""
    body: str = ""
    number: int | None = None


def deadline_in_force(data: dict[str, Any]) -> str | None:
    """The deadline in force (ISO text), as the rules compute it (:func:`rectify.facts.deadline_in_force`)."""
    deadline = facts.deadline_in_force(data)
    return deadline.on.isoformat() if deadline else None


def _body(hazard_id: str, data: dict[str, Any], file: str, deadline: str, days: int) -> str:
    found = data.get("rectification")
    rectification: dict[str, Any] = found if isinstance(found, dict) else {}
    return (
        f"<!-- rectify:{hazard_id} -->\n"
        f"重大事故隐患 **{hazard_id}**「{data.get('title', '')}」已逾期 **{days}** 天（整改时限 {deadline}，含当日）。\n\n"
        f"| 项目 | 内容 |\n| --- | --- |\n"
        f"| 记录 | `{file}` |\n"
        f"| 企业 | {data.get('enterprise', '—')} |\n"
        f"| 县区 | {data.get('district', '—')} |\n"
        f"| 责任部门 | {rectification.get('department', '—')} |\n"
        f"| 验收人 | {rectification.get('acceptor', '—')} |\n"
        f"| 状态 | {data.get('status', '—')} |\n\n"
        "本议题由每日整改期限报告自动维护：隐患验收销号（status: closed）后自动关闭。"
    )


def plan(registry: Registry, issues: list[Issue], today: dt.date) -> list[Action]:
    """What to do so that exactly the overdue, unclosed major hazards have an open issue."""
    by_hazard: dict[str, Issue] = {}
    for issue in sorted(issues, key=lambda i: (i.state != "OPEN", i.number)):
        if issue.hazard:
            by_hazard.setdefault(issue.hazard, issue)
    actions = []
    for doc in registry.records("hazard"):
        hazard_id, data = doc.id or "", doc.data
        existing = by_hazard.get(hazard_id)
        if data.get("status") == "closed":
            if existing is not None and existing.state == "OPEN":
                actions.append(Action("close", hazard_id, number=existing.number))
            continue
        deadline = deadline_in_force(data)
        if data.get("level") != "major" or deadline is None or dt.date.fromisoformat(deadline) >= today:
            continue
        days = (today - dt.date.fromisoformat(deadline)).days
        title = f"逾期重大隐患 {hazard_id}：{data.get('title', '')}"
        body = _body(hazard_id, data, doc.file, deadline, days)
        if existing is None:
            actions.append(Action("create", hazard_id, title, body))
        elif existing.state != "OPEN":
            actions.append(Action("reopen", hazard_id, title, body, existing.number))
        elif existing.body.strip() != body.strip():
            actions.append(Action("update", hazard_id, title, body, existing.number))
    return actions
