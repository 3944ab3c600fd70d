"""Who answers for a hazard: referral by bodies without enforcement power, training and maximum
penalty for enterprises, liability for an incident during rectification (一(四)、四)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from rectify.diagnostics import Diagnostic, Severity
from rectify.facts import Facts, date, facts_of
from rectify.load import Document
from rectify.model import Registry
from rectify.rules import Context, rule

ENTERPRISE_ACCOUNTABILITY = frozenset(
    {"accountability", "maximum_penalty", "suspension", "closure", "prosecution", "interview", "circular"}
)
DEPARTMENT_ACCOUNTABILITY = frozenset({"accountability", "interview", "circular"})


def _referred(facts: Facts, inspection: dict[str, Any], finding: dict[str, Any], target: str | None) -> bool:
    by = inspection.get("by")
    hazard_id = finding.get("hazard")
    if isinstance(hazard_id, str):
        for ref in facts.data("hazard", hazard_id).get("referrals") or []:
            if ref.get("to"):
                return True
        actions = facts.actions_by_hazard.get(hazard_id, [])
    else:
        actions = facts.actions_by_target.get(target or "", [])
    return any(a.data.get("type") == "referral" and a.data.get("by") == by for a in actions)


@rule("H-referral", Severity.ERROR, "无执法权的部门发现违法行为须移交", "一(四) 没有执法权限的部门要及时移交")
def check_referral(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    检查中发现违法行为（`findings[].violation: true`）的单位，如果对该行业没有执法权（机构的
    `enforcement` 不含隐患或企业所属行业；为空即无执法权），必须移交有执法权的部门：在隐患的
    `referrals[]` 中登记，或登记一条由该单位作出的 `type: referral` 处置（列明隐患，或以企业为对象）。
    没有移交为 **警告**，在报告中列出。

    隐患的移交对象本身对该行业没有执法权、或移交日期早于发现日期，为 **错误**（移交无效或记录有误）。

    PASS: 市经信局（无执法权）指导服务发现违法，隐患 `referrals: [{to: city-emergency, on: 2023-09-08}]`。
    FAIL: 市商务局（无执法权）发现违法，隐患没有移交记录、也没有移交处置（警告）；移交给另一个无执法权的部门（错误）。
    """
    facts = facts_of(registry)
    for doc in registry.records("inspection"):
        inspection = doc.data
        by = inspection.get("by")
        if inspection.get("type") == "self" or registry.get("organization", by or "") is None:
            continue
        targets = [t for t in inspection.get("targets") or [] if registry.get("enterprise", t)]
        for index, finding in enumerate(inspection.get("findings") or []):
            if finding.get("violation") is not True:
                continue
            target = finding.get("enterprise") or (targets[0] if len(targets) == 1 else None)
            hazard = facts.data("hazard", finding.get("hazard"))
            industry = hazard.get("industry") or facts.data("enterprise", target).get("industry")
            if facts.can_enforce(by, industry):
                continue
            if not _referred(facts, inspection, finding, target):
                yield doc.diagnostic(
                    "H-referral",
                    Severity.WARNING,
                    ["findings", index, "violation"],
                    f"{facts.name(by)} 对该行业没有执法权，发现的违法行为「{finding.get('summary', '')}」"
                    "尚未移交有执法权的部门（在隐患 referrals 中登记，或登记 type: referral 的处置）",
                )
    for doc in registry.records("hazard"):
        found_on = date((doc.data.get("found") or {}).get("on"))
        for index, ref in enumerate(doc.data.get("referrals") or []):
            to = ref.get("to")
            if registry.get("organization", to or "") is not None and not facts.can_enforce(
                to, doc.data.get("industry")
            ):
                yield doc.diagnostic(
                    "H-referral",
                    Severity.ERROR,
                    ["referrals", index, "to"],
                    f"移交对象 {facts.name(to)} 对该行业也没有执法权：应移交有执法权的部门",
                )
            on = date(ref.get("on"))
            if on and found_on and on < found_on:
                yield doc.diagnostic(
                    "H-referral",
                    Severity.ERROR,
                    ["referrals", index, "on"],
                    f"移交日期 {on} 早于发现日期 {found_on}",
                )


def maximum_penalty_reasons(hazard: dict[str, Any]) -> list[str]:
    """Why the enterprise of a major hazard is due for training and the maximum penalty (empty: not due)."""
    if hazard.get("level") != "major":
        return []
    reasons = []
    if hazard.get("self_found") is not True:
        reasons.append("未自查发现")
    if hazard.get("internally_listed") is not True:
        reasons.append("未在企业内部挂牌督办")
    if hazard.get("accident_during_rectification") or (hazard.get("found") or {}).get("source") == "accident":
        reasons.append("导致事故")
    return reasons


def missing_penalties(facts: Facts, hazard: Document) -> tuple[str | None, list[str]]:
    """(main person, which of 集中培训 / 顶格处罚 are not yet recorded against them for ``hazard``)."""
    enterprise = hazard.data.get("enterprise")
    main = facts.main_person(enterprise)
    done = {
        a.data.get("type")
        for a in facts.actions_by_hazard.get(hazard.id or "", [])
        if a.data.get("target") == main
        or (a.data.get("type") == "maximum_penalty" and a.data.get("target") == enterprise)
    }
    wanted = [("training", "集中培训"), ("maximum_penalty", "顶格处罚")]
    return main, [label for kind, label in wanted if kind not in done]


@rule(
    "H-maxpenalty",
    Severity.ALERT,
    "未自查、未挂牌或致事故的重大隐患：集中培训并顶格处罚",
    "一(四) 集中培训教育，并实行顶格处罚",
)
def check_maximum_penalty(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    重大事故隐患如果企业没有在自查中发现（`self_found` 不是 `true`，未填写按未自查处理），或没有在
    企业内部挂牌督办（`internally_listed` 不是 `true`），或导致了事故（`accident_during_rectification`，
    或发现途径为 `accident`），对企业主要负责人要集中培训教育，并实行顶格处罚：须登记列明该隐患的
    `type: training`（对象为企业主要负责人）和 `type: maximum_penalty`（对象为主要负责人或企业）两条处置。
    缺少时发出 **提醒**（跟进事项，由执法部门完成后登记），列入报告的“需集中培训和顶格处罚的企业”。

    PASS: `self_found: false` 的重大隐患，有 ACT-…（training，对象 企业主要负责人，hazards 含该隐患）和
    ACT-…（maximum_penalty）。
    FAIL: `self_found: false`，只有 training 没有 maximum_penalty（提醒）。
    """
    facts = facts_of(registry)
    for doc in registry.records("hazard"):
        reasons = maximum_penalty_reasons(doc.data)
        if not reasons:
            continue
        main, missing = missing_penalties(facts, doc)
        if not missing:
            continue
        who = (
            facts.name(main)
            if main
            else f"（企业 {facts.name(doc.data.get('enterprise'))} 未登记主要负责人）"
        )
        yield doc.diagnostic(
            "H-maxpenalty",
            Severity.ALERT,
            ["level"],
            f"重大事故隐患{'、'.join(reasons)}：企业主要负责人 {who} 尚未登记{'和'.join(missing)}处置",
        )


def deadline_on(hazard: dict[str, Any], day: dt.date) -> dt.date | None:
    """The deadline in force on ``day``: extensions approved later do not move it back in time."""
    current = date((hazard.get("rectification") or {}).get("deadline"))
    for extension in hazard.get("extensions") or []:
        approved, new = date(extension.get("approved_on")), date(extension.get("new_deadline"))
        if approved and new and approved <= day:
            current = new
    return current


def liable_party(hazard: dict[str, Any]) -> tuple[str, str | None, dt.date, dt.date] | None:
    """(who: enterprise|department, their id, incident date, deadline then) for an incident during rectification."""
    accident = hazard.get("accident_during_rectification") or {}
    on = date(accident.get("on"))
    if on is None:
        return None
    deadline = deadline_on(hazard, on)
    if deadline is None:
        return None
    if on <= deadline:
        return "enterprise", hazard.get("enterprise"), on, deadline
    return "department", (hazard.get("rectification") or {}).get("department"), on, deadline


@rule(
    "H-liability",
    Severity.ERROR,
    "整改期间发生事故的责任划分",
    "四 在整改期限内发生事故的由企业负责，超过期限的追究监管部门责任",
)
def check_liability(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    隐患整改期间发生事故（`accident_during_rectification`）：事故发生在当时有效的整改时限之内（含当日；
    事故之后才批准的延期不算），责任在企业；超过时限才发生，追究负责督促整改的部门
    （`rectification.department`）的责任。须登记列明该隐患、对责任方的处置：对企业为追责、顶格处罚、
    停产整顿、关闭、移送司法、约谈或通报（对象为企业或其主要负责人）；对部门为追责问责、约谈或通报
    （对象为该部门、其主要负责人或督办责任人）。处置日期须不早于事故日期（事故前因别的原因作出的处罚不算）。
    缺少时为 **提醒**。

    事故日期早于隐患发现日期为 **错误**（那不是“整改期间”的事故，应按发现途径 `accident` 登记）。

    PASS: 时限 2024-01-31，事故 2023-11-20，有对企业主要负责人的 accountability 处置。
    FAIL: 时限 2023-11-30，事故 2023-12-10，没有对责任部门的追责（提醒：责任在市应急局）。
    """
    facts = facts_of(registry)
    for doc in registry.records("hazard"):
        party = liable_party(doc.data)
        if party is None:
            continue
        who, liable, on, deadline = party
        found_on = date((doc.data.get("found") or {}).get("on"))
        if found_on and on < found_on:
            yield doc.diagnostic(
                "H-liability",
                Severity.ERROR,
                ["accident_during_rectification", "on"],
                f"事故日期 {on} 早于隐患发现日期 {found_on}：不是整改期间的事故",
            )
            continue
        if who == "enterprise":
            targets = {liable, facts.main_person(liable)}
            kinds = ENTERPRISE_ACCOUNTABILITY
            text = f"事故发生在整改时限 {deadline} 之内，责任在企业 {facts.name(liable)}"
        else:
            rect = doc.data.get("rectification") or {}
            targets = {liable, facts.main_person(liable), rect.get("supervisor")}
            kinds = DEPARTMENT_ACCOUNTABILITY
            text = f"事故发生在整改时限 {deadline} 之后，追究责任部门 {facts.name(liable)} 的责任"
        targets.discard(None)
        if not any(
            a.data.get("type") in kinds
            and a.data.get("target") in targets
            and (date(a.data.get("on")) or on) >= on
            for a in facts.actions_by_hazard.get(doc.id or "", [])
        ):
            yield doc.diagnostic(
                "H-liability",
                Severity.ALERT,
                ["accident_during_rectification"],
                f"{text}：尚未登记对其的追责处置",
            )
