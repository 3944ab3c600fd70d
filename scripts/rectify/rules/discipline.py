"""四、严肃工作纪律: the follow-up the notice asks for once targets are missed or something goes wrong —
追责 for overdue targets, 责任倒查 after an accident, joint 督查 with the party/government 督查 office,
and clue referral (线索移交) to 纪检监察. All are actions (``type`` responsibility_review,
joint_supervision, clue_referral, assessment for 考核), linked by ``hazards``, ``inspection`` and
``follows``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from rectify.diagnostics import Diagnostic, Severity
from rectify.facts import OPEN_STATUSES, Facts, date, deadline_in_force, facts_of
from rectify.model import Document, Registry
from rectify.rules import Context, Reads, rule, through_people

PURSUIT = frozenset({"accountability", "interview", "circular"})  # 追究责任: 追责问责、约谈、通报
PURSUE_AFTER_DAYS = 90  # H-overdue's 严重逾期 grade
REVIEW_DAYS = 60  # 事故调查报告期限（《生产安全事故报告和调查处理条例》第二十九条）


def _pursued(facts: Facts, party: Any, since: dt.date, hazard: str | None = None) -> bool:
    """An accountability action after ``since`` for ``hazard``, or against ``party`` or its main person."""
    if hazard is not None:
        actions = facts.actions_by_hazard.get(hazard, [])
    else:
        actions = [
            a for p in {party, facts.main_person(party)} for a in facts.actions_by_target.get(p or "", [])
        ]
    return any(a.data.get("type") in PURSUIT and (date(a.data.get("date")) or since) > since for a in actions)


@rule(
    "D-pursue",
    Severity.ALERT,
    "逾期没有完成目标任务的追究责任",
    "四 逾期没有完成目标任务的，要依纪依规追究责任",
    depends=through_people(("campaign", "hazard", "plan", "responsibility"), "action"),
)
def check_pursue(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    “逾期没有完成目标任务的，要依纪依规追究责任”。逾期本身由 H-overdue、C-milestone、D-duty-overdue
    提醒；追责要经核实，不是逾期次日就能作出，所以本规则以 H-overdue 的“严重逾期”为界：逾期 **超过
    90 天** 仍未完成，而逾期后没有登记追究责任的处置（`accountability` 追责问责、`interview` 约谈或
    `circular` 通报），发出 **提醒**：

    - 未销号的隐患：处置须列明该隐患（`hazards`）；
    - 方案时间节点（`milestones[]`，无 `done_on`）：处置对象为负责单位或其主要负责人；
    - 责任清单任务（`duties[]`，未完成）：处置对象为责任人（单位）或其主要负责人。

    考核（`type: assessment`）记录对各级各部门的考核结果，是“综合运用考核、约谈、通报、挂牌督办”的
    手段之一，不替代追责。

    PASS: 整改时限 2023-08-31，今天 2023-12-31（逾期 122 天），有 2023-12-05 列明该隐患的 accountability。
    FAIL: 同样逾期 122 天，没有逾期后的追责、约谈或通报（提醒）。
    """
    facts = facts_of(registry)
    limit = context.today - dt.timedelta(days=PURSUE_AFTER_DAYS)
    for doc in registry.records("hazard"):
        deadline = deadline_in_force(doc.data)
        if doc.data.get("status") not in OPEN_STATUSES or deadline is None or deadline.on >= limit:
            continue
        if not _pursued(facts, None, deadline.on, doc.id):
            dept = (doc.data.get("rectification") or {}).get("department")
            yield doc.diagnostic(
                "D-pursue",
                Severity.ALERT,
                list(deadline.path),
                f"隐患逾期 {(context.today - deadline.on).days} 天（时限 {deadline.on}）仍未销号，尚未登记追究责任的处置"
                f"（追责问责、约谈或通报，列明本隐患）；责任部门 {facts.name(dept)}",
            )
    sources: list[tuple[Document, list[str | int], list[dict[str, Any]], str, str]] = []
    for doc in registry.records("campaign"):
        sources.append(
            (
                doc,
                ["plan", "milestones"],
                (doc.data.get("plan") or {}).get("milestones") or [],
                "owner",
                "时间节点",
            )
        )
    for doc in registry.records("plan"):
        sources.append((doc, ["milestones"], doc.data.get("milestones") or [], "owner", "时间节点"))
    for doc in registry.records("responsibility"):
        duties = [{**d, "owner": doc.data.get("holder")} for d in doc.data.get("duties") or []]
        sources.append((doc, ["duties"], duties, "owner", "任务"))
    for doc, prefix, items, key, what in sources:
        for index, item in enumerate(items):
            due = date(item.get("deadline"))
            if due is None or due >= limit or item.get("done_on") or item.get("status") == "done":
                continue
            party = item.get(key)
            if not _pursued(facts, party, due):
                label = item.get("name") or item.get("task") or ""
                yield doc.diagnostic(
                    "D-pursue",
                    Severity.ALERT,
                    [*prefix, index],
                    f"{what}「{label}」逾期 {(context.today - due).days} 天（时限 {due}）仍未完成，"
                    f"尚未登记对 {facts.name(party)} 追究责任的处置（追责问责、约谈或通报）",
                )


def _accident_on(hazard: dict[str, Any]) -> dt.date | None:
    """The accident a hazard answers for; one dated before the hazard was found is H-liability's error."""
    found = hazard.get("found") or {}
    found_on = date(found.get("date"))
    accident = date((hazard.get("accident_during_rectification") or {}).get("date"))
    if accident is not None:
        return None if found_on is not None and accident < found_on else accident
    return found_on if found.get("source") == "accident" else None


@rule(
    "D-review",
    Severity.ALERT,
    "责任倒查",
    "四 运用好安全监管执法责任倒查机制，深入倒查上级督查检查反馈问题和事故发生责任",
    depends=through_people(("action", "hazard"), "action"),
)
def check_review(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    责任倒查登记为 `type: responsibility_review` 的处置：倒查事故的，`hazards` 列明发生事故的隐患；
    倒查上级督查检查反馈问题的，`inspection` 填那次督查检查。两者都没有的倒查记录为 **错误**
    （不知道倒查的是什么）。

    隐患整改期间发生事故（`accident_during_rectification`），或隐患是事故暴露的（`found.source:
    accident`），须倒查事故发生责任。倒查要时间：以事故调查报告的期限为准（《生产安全事故报告和
    调查处理条例》第二十九条，自事故发生之日起 **60 日**），60 日后仍没有列明该隐患的倒查，发出
    **提醒**。倒查日期早于事故日期为 **错误**。

    PASS: 事故 2023-10-20，ACT-…（responsibility_review，hazards 含该隐患，date: 2023-11-15）。
    FAIL: 事故 2023-09-20，今天 2023-12-31，没有倒查（提醒）；倒查记录既没有 hazards 也没有 inspection（错误）。
    """
    facts = facts_of(registry)
    reviews: dict[str, list[Document]] = defaultdict(list)
    for action in registry.records("action"):
        if action.data.get("type") != "responsibility_review":
            continue
        if not action.data.get("hazards") and not action.data.get("inspection"):
            yield action.diagnostic(
                "D-review",
                Severity.ERROR,
                ["type"],
                "责任倒查须列明所倒查的事故隐患（hazards）或上级督查检查（inspection）",
            )
        for hazard_id in action.data.get("hazards") or []:
            reviews[hazard_id].append(action)
    for doc in registry.records("hazard"):
        accident = _accident_on(doc.data)
        if accident is None:
            continue
        found = reviews.get(doc.id or "", [])
        for action in found:
            on = date(action.data.get("date"))
            if on is not None and on < accident:
                yield action.diagnostic(
                    "D-review", Severity.ERROR, ["date"], f"倒查日期 {on} 早于 {doc.id} 的事故日期 {accident}"
                )
        if not found and accident + dt.timedelta(days=REVIEW_DAYS) < context.today:
            yield doc.diagnostic(
                "D-review",
                Severity.ALERT,
                [
                    "accident_during_rectification"
                    if doc.data.get("accident_during_rectification")
                    else "found"
                ],
                f"{accident} 发生事故，已超过 {REVIEW_DAYS} 日，尚未登记责任倒查（type: responsibility_review，"
                f"列明本隐患）；责任部门 {facts.name((doc.data.get('rectification') or {}).get('department'))}",
            )


@rule(
    "D-joint",
    Severity.ERROR,
    "安委办联合党委政府督查部门开展督查",
    "四 各级安委办要联合党委政府督查部门开展督查",
    depends=Reads(on=("action", "inspection"), kinds=("action", "inspection", "organization")),
)
def check_joint(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    联合督查登记为 `type: joint_supervision` 的处置：`by` 为安委办，`partners` 列出参加的党委政府督查
    部门（机构类型 `inspection_office`，如市委督查室、市政府督查室），`inspection` 填那次督查的检查记录，
    `target` 为被督查的县区或部门。`by` 不是安委办，或 `partners` 中没有督查部门，为 **错误**（这样的记录
    也不算联合督查）。

    安委办在一项专项整治中开展了督查（`type: supervision`、`by` 为安委办的检查），却没有一次是与督查
    部门联合的（没有联合督查记录指向其中任何一次检查），为 **警告**。不要求每一次督查都联合：
    通知要求的是建立联合督查的做法，日常督查仍可由安委办单独开展。

    PASS: 市安委办督查 INSP-…，ACT-…（joint_supervision，partners: [city-gov-inspection-office]，inspection: INSP-…）。
    FAIL: 市安委办在 CAMP-2023-001 中的两次督查都没有联合督查记录（警告）；联合督查的 partners 只有
    市应急局（错误）。
    """
    facts = facts_of(registry)
    joint: set[str] = set()
    for action in registry.records("action"):
        if action.data.get("type") != "joint_supervision":
            continue
        valid = True
        if _org_type(facts, action.data.get("by")) != "safety_office":
            valid = False
            yield action.diagnostic(
                "D-joint",
                Severity.ERROR,
                ["by"],
                f"联合督查由安委办牵头，{facts.name(action.data.get('by'))} 不是安委办",
            )
        partners = action.data.get("partners") or []
        if not any(_org_type(facts, p) == "inspection_office" for p in partners):
            valid = False
            yield action.diagnostic(
                "D-joint",
                Severity.ERROR,
                ["partners"] if partners else ["type"],
                "联合督查须有党委政府督查部门参加（partners 中列出机构类型为督查部门的单位）",
            )
        if valid and isinstance(action.data.get("inspection"), str):
            joint.add(action.data["inspection"])
    groups: dict[tuple[str, str], list[Document]] = defaultdict(list)
    for inspection in registry.records("inspection"):
        by, campaign = inspection.data.get("by"), inspection.data.get("campaign")
        kind = inspection.data.get("type")
        if kind == "supervision" and isinstance(campaign, str) and _org_type(facts, by) == "safety_office":
            groups[(str(by), campaign)].append(inspection)
    for (by, campaign), inspections in groups.items():
        if not any(i.id in joint for i in inspections):
            first = min(inspections, key=lambda i: (str(i.data.get("date", "")), i.id or ""))
            yield first.diagnostic(
                "D-joint",
                Severity.WARNING,
                ["by"],
                f"{facts.name(by)} 在 {campaign} 中开展了 {len(inspections)} 次督查，没有一次与党委政府督查部门"
                "联合（登记 type: joint_supervision 的处置，inspection 指向其中一次督查）",
            )


@rule(
    "D-clue",
    Severity.ERROR,
    "违纪违法问题线索移交纪检监察",
    "四 建立和落实与纪检监察部门安全生产违法违纪问题线索移交查办工作机制",
    depends=Reads(on=("action",), kinds=("action", "organization", "person"), refs=("*",)),
)
def check_clues(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    倒查、督查、追责等处置中发现公职人员涉嫌违纪违法问题线索的（`discipline_issue: true`），须移交
    纪检监察机关：登记 `type: clue_referral` 的处置，`follows` 指向发现线索的那条处置，对象为纪委监委
    （机构类型 `discipline_inspection`）。没有移交发出 **提醒**。

    **错误**：线索移交的对象不是纪检监察机关；移交日期早于发现线索的处置日期。

    PASS: ACT-0050（responsibility_review，discipline_issue: true），ACT-0051（clue_referral，target: city-discipline，
    follows: ACT-0050）。
    FAIL: ACT-0050 发现问题线索而没有移交（提醒）；线索移交给市应急局（错误）。
    """
    facts = facts_of(registry)
    referred: dict[str, list[Document]] = defaultdict(list)
    for action in registry.records("action"):
        if action.data.get("type") != "clue_referral":
            continue
        target = action.data.get("target")
        if registry.kinds_of(str(target)) and _org_type(facts, target) != "discipline_inspection":
            yield action.diagnostic(
                "D-clue",
                Severity.ERROR,
                ["target"],
                f"问题线索应移交纪检监察机关，{facts.name(target)} 不是纪检监察机关",
            )
        follows = action.data.get("follows")
        if isinstance(follows, str):
            referred[follows].append(action)
            source_on, on = date(facts.data("action", follows).get("date")), date(action.data.get("date"))
            if source_on and on and on < source_on:
                yield action.diagnostic(
                    "D-clue",
                    Severity.ERROR,
                    ["date"],
                    f"移交日期 {on} 早于发现线索的 {follows}（{source_on}）",
                )
    for action in registry.records("action"):
        if action.data.get("discipline_issue") is True and not referred.get(action.id or ""):
            yield action.diagnostic(
                "D-clue",
                Severity.ALERT,
                ["discipline_issue"],
                "发现违纪违法问题线索，尚未移交纪检监察机关（登记 type: clue_referral，follows 指向本处置）",
            )


def _org_type(facts: Facts, org_id: Any) -> str | None:
    value = facts.data("organization", org_id).get("type")
    return value if isinstance(value, str) else None
