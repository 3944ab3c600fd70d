"""Who answers for a problem during rectification of a 挂牌督办 or 限期整改 hazard (四, last sentence)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rectify.diagnostics import Diagnostic, Severity
from rectify.facts import Facts, date, deadline_on, facts_of
from rectify.model import Registry
from rectify.rules import Context, rule, through_people
from rectify.rules.accountability import ENTERPRISE_ACCOUNTABILITY

DEPARTMENT_ACCOUNTABILITY = frozenset({"accountability", "interview", "circular"})


def _ids(*values: Any) -> set[str]:
    return {v for v in values if isinstance(v, str)}


CAUSES = {
    "supervision": "跟踪督促不到位",
    "gatekeeping": "把关不严",
    "acceptance": "验收不认真",
    "enterprise_only": "经查与主管部门履职无关",
}


@dataclass(frozen=True, slots=True)
class Liable:
    """Who must be held to account for a problem during rectification, as groups of acceptable targets:
    each group needs at least one accountability action against one of its members."""

    on: dt.date
    deadline: dt.date
    within: bool
    groups: list[tuple[str, frozenset[str], frozenset[str]]]  # (label, targets, action types)
    undetermined: list[str]  # after the deadline with no recorded cause: who is to be looked at


def liable_parties(facts: Facts, hazard: dict[str, Any]) -> Liable | None:
    """The parties 四 names for a problem during rectification of a 限期整改 hazard (``None``: no problem)."""
    problem = hazard.get("accident_during_rectification") or {}
    on = date(problem.get("date"))
    step = deadline_on(hazard, on) if on is not None else None
    registered = step.on if step is not None else None
    if on is None or registered is None:
        return None
    deadline = facts.last_day(registered)
    rect = hazard.get("rectification") or {}
    enterprise = hazard.get("enterprise")
    persons = _ids(rect.get("person"), facts.main_person(enterprise))
    groups = [
        ("企业", frozenset(_ids(enterprise)), ENTERPRISE_ACCOUNTABILITY),
        ("相关责任人", frozenset(persons), ENTERPRISE_ACCOUNTABILITY),
    ]
    within = on <= deadline
    undetermined: list[str] = []
    if not within:
        department = rect.get("department")
        supervisors = _ids(department, facts.main_person(department), rect.get("supervisor"))
        acceptance = hazard.get("acceptance") or {}
        accepted_on = date(acceptance.get("date"))
        acceptor = acceptance.get("by") or rect.get("acceptor")
        acceptor_org = facts.organization_of(acceptor)
        acceptors = _ids(acceptor, acceptor_org, facts.main_person(acceptor_org))
        causes = set(problem.get("causes") or [])
        if causes & {"supervision", "gatekeeping"}:
            label = (
                "主管部门（"
                + "、".join(CAUSES[c] for c in ("supervision", "gatekeeping") if c in causes)
                + "）"
            )
            groups.append((label, frozenset(supervisors), DEPARTMENT_ACCOUNTABILITY))
        if "acceptance" in causes:
            groups.append(("验收人及其单位（验收不认真）", frozenset(acceptors), DEPARTMENT_ACCOUNTABILITY))
        if not causes:
            undetermined.append(f"督办 {'、'.join(facts.name(p) for p in sorted(supervisors))}")
            if acceptance.get("result") == "passed" and accepted_on is not None and accepted_on <= on:
                undetermined.append(f"验收 {'、'.join(facts.name(p) for p in sorted(acceptors))}")
    return Liable(on, deadline, within, groups, undetermined)


@rule(
    "H-liability",
    Severity.ERROR,
    "整改期间发生问题的责任追究",
    "四 整改期限内发生问题的追究企业及相关责任人的责任；到期因跟踪督促不到位或把关不严、验收不认真而引发问题的追究主管部门的责任",
    each="hazard",
    reads=("action", "enterprise", "organization", "person"),
    depends=through_people(("hazard",), "action"),
)
def check_liability(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    通知四：“挂牌督办和限期整改的隐患，整改期限内发生问题的，追究企业及相关责任人的责任；整改时间到期，
    因跟踪督促不到位或把关不严、验收不认真而引发问题的，要追究主管部门的责任。”

    适用于登记了整改期间问题（`accident_during_rectification`：事故，也包括未酿成事故的险情、问题）的
    隐患——台账中的隐患都有整改时限，都是“限期整改”的，挂牌督办的也在其中。期限按问题发生当日有效的
    时限判断（之后才批准的延期不算；最后一日是休息日的顺延，见 H-overdue）。

    - **期限内**：追究企业 **和** 相关责任人，两者都要有处置——对企业（对象为企业），对相关责任人
      （整改责任人 `rectification.person` 或企业主要负责人）；处置类型为追责、顶格处罚、行政处罚、停产整顿、
      关闭、移送司法、约谈或通报。
    - **到期后**：企业并不因此免责（同上两项仍然要有）；另须查明是否因主管部门 **跟踪督促不到位**、
      **把关不严** 或 **验收不认真** 引发，写入 `accident_during_rectification.causes`（`supervision`、
      `gatekeeping`、`acceptance`，或 `enterprise_only`：经查与主管部门履职无关）。前两种追究主管部门——
      责任部门 `rectification.department`、其主要负责人或督办责任人 `rectification.supervisor`；验收不认真
      追究验收人（`acceptance.by`，否则 `rectification.acceptor`）及其单位（或单位主要负责人）。处置类型为
      追责问责、约谈或通报。原因尚未查明时也发出 **提醒**，列出应倒查的督办方，隐患曾验收通过的再列出验收方。

    处置须列明该隐患，日期不早于问题发生日期。缺少任何一方为 **提醒**。问题日期早于隐患发现日期为
    **错误**（那不是“整改期间”的问题，应按发现途径 `accident` 登记）。

    PASS: 时限 2024-01-31，11 月 20 日发生问题，有对企业（行政处罚）和对企业主要负责人（追责）的处置。
    FAIL: 时限内，只处罚了企业、没有追究相关责任人（提醒）；时限 2023-11-30，12 月 10 日发生问题、原因未查明
    （提醒）；原因为验收不认真，只追究了责任部门、没有追究验收人（提醒）。
    """
    facts = facts_of(registry)
    for doc in registry.records("hazard"):
        liable = liable_parties(facts, doc.data)
        if liable is None:
            continue
        found_on = date((doc.data.get("found") or {}).get("date"))
        if found_on and liable.on < found_on:
            yield doc.diagnostic(
                "H-liability",
                Severity.ERROR,
                ["accident_during_rectification", "date"],
                f"问题发生日期 {liable.on} 早于隐患发现日期 {found_on}：不是整改期间发生的问题",
            )
            continue
        actions = facts.actions_by_hazard.get(doc.id or "", [])
        missing = [
            f"{label}（{'、'.join(facts.name(t) for t in sorted(targets)) or '未登记'}）"
            for label, targets, kinds in liable.groups
            if not any(
                a.data.get("type") in kinds
                and a.data.get("target") in targets
                and (date(a.data.get("date")) or liable.on) >= liable.on
                for a in actions
            )
        ]
        when = "之内" if liable.within else "到期之后"
        head = f"{liable.on} 发生问题，在整改时限 {liable.deadline} {when}"
        if missing:
            yield doc.diagnostic(
                "H-liability",
                Severity.ALERT,
                ["accident_during_rectification"],
                f"{head}：尚未登记对 {'、'.join(missing)} 的追责处置",
            )
        if liable.undetermined:
            yield doc.diagnostic(
                "H-liability",
                Severity.ALERT,
                ["accident_during_rectification", "date"],
                f"{head}：须倒查是否因跟踪督促不到位、把关不严或验收不认真引发（填写 causes），"
                f"应倒查：{'；'.join(liable.undetermined)}",
            )
