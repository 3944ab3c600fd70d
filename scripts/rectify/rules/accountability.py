"""Who answers for a violation or a major hazard: enforcement or timely referral, and training plus the
maximum penalty for the enterprise's main person (一(四)); liability for problems is in ``liability``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from rectify.diagnostics import Diagnostic, Severity
from rectify.facts import Facts, date, facts_of
from rectify.model import Document, Registry
from rectify.rules import Context, Reads, rule, through_people

ENTERPRISE_ACCOUNTABILITY = frozenset(
    {
        "accountability",
        "maximum_penalty",
        "penalty",
        "suspension",
        "closure",
        "prosecution",
        "interview",
        "circular",
    }
)


ENFORCEMENT = frozenset(
    {"penalty", "rectification_order", "maximum_penalty", "suspension", "closure", "prosecution"}
)


def _referral_dates(
    facts: Facts, inspection: dict[str, Any], finding: dict[str, Any], target: str | None
) -> list[dt.date]:
    """When the finding was referred: the hazard's ``referrals[].date`` and the body's referral actions."""
    by = inspection.get("by")
    hazard_id = finding.get("hazard")
    out: list[dt.date] = []
    if isinstance(hazard_id, str):
        for ref in facts.data("hazard", hazard_id).get("referrals") or []:
            on = date(ref.get("date"))
            if ref.get("to") and on is not None:
                out.append(on)
        actions = facts.actions_by_hazard.get(hazard_id, [])
    else:
        actions = facts.actions_by_target.get(target or "", [])
    for action in actions:
        on = date(action.data.get("date"))
        if action.data.get("type") == "referral" and action.data.get("by") == by and on is not None:
            out.append(on)
    return out


def _enforced(facts: Facts, by: Any, finding: dict[str, Any], target: str | None) -> bool:
    """Whether ``by`` recorded an enforcement action for the finding (its hazard, the enterprise or its main person)."""
    hazard_id = finding.get("hazard")
    actions = list(facts.actions_by_hazard.get(hazard_id, [])) if isinstance(hazard_id, str) else []
    for party in (target, facts.main_person(target)):
        if party:
            actions += facts.actions_by_target.get(party, [])
    return any(a.data.get("type") in ENFORCEMENT and a.data.get("by") == by for a in actions)


@rule(
    "H-referral",
    Severity.ERROR,
    "发现违法行为要严肃执法，无执法权的部门及时移交",
    "一(四) 没有执法权限的部门要及时移交",
    depends=Reads(on=("hazard", "inspection"), kinds=("action", "organization"), refs=("*",), refs2=("*",)),
)
def check_referral(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    通知一(四)：“发现的问题隐患涉嫌违法的要严肃执法，没有执法权限的部门要及时移交给有关部门进行执法。”

    - **无执法权的单位**（机构的 `enforcement` 不含隐患或企业所属行业；为空即无执法权）在检查中发现
      违法行为（`findings[].violation: true`），必须移交有执法权的部门：在隐患的 `referrals[]` 中登记，
      或登记一条由该单位作出的 `type: referral` 处置（列明隐患，或以企业为对象）。
    - **及时**：移交日期距检查日期不得超过移交时限（工作日，按放假调休安排计算）。时限取专项整治的
      `referral_working_days`（例如 CAMP-2023-001 方案写明“2个工作日内移交”），未规定的取
      `jurisdiction.yaml` 的 `referral_working_days`，都没有的取 5 个工作日。决定与理由：通知只说“及时”，
      由专项整治方案或本市统一规定具体时限最合安委办的做法；5 个工作日是没有规定时的兜底，与行政
      执法移送案件的通常时限相当。时限内尚未移交为 **提醒**（注明最迟日期）；超过时限仍未移交，或移交
      晚于时限，为 **警告**。
    - **有执法权的单位**发现违法行为，应当自己执法，不是移交：须登记该单位作出的执法处置（`type` 为
      `penalty` 行政处罚、`rectification_order` 责令限期整改、`maximum_penalty`、`suspension`、`closure`
      或 `prosecution`，列明隐患或以企业、其主要负责人为对象）；没有为 **提醒**（执法程序需要时间，
      是待办事项）。
    - 隐患的移交对象本身对该行业没有执法权、或移交日期早于发现日期，为 **错误**（移交无效或记录有误）。

    PASS: 市经信局（无执法权）9 月 6 日检查发现违法，隐患 `referrals: [{to: city-emergency, date: 2023-09-08}]`
    （2 个工作日）；市应急局执法检查发现违法，登记了 `type: penalty` 处置。
    FAIL: 市商务局发现违法 3 周后仍无移交（警告）；9 月 6 日发现、9 月 20 日才移交而方案时限 2 个工作日（警告）；
    移交给另一个无执法权的部门（错误）；市应急局发现违法没有任何执法处置（提醒）。
    """
    facts = facts_of(registry)
    for doc in registry.records("inspection"):
        inspection = doc.data
        by = inspection.get("by")
        if inspection.get("type") == "self" or registry.get("organization", by or "") is None:
            continue
        targets = [t for t in inspection.get("targets") or [] if registry.get("enterprise", t)]
        limit = facts.referral_limit(inspection.get("campaign"))
        found_on = date(inspection.get("date"))
        for index, finding in enumerate(inspection.get("findings") or []):
            if finding.get("violation") is not True:
                continue
            target = finding.get("enterprise") or (targets[0] if len(targets) == 1 else None)
            hazard = facts.data("hazard", finding.get("hazard"))
            industry = hazard.get("industry") or facts.data("enterprise", target).get("industry")
            here: list[str | int] = ["findings", index, "violation"]
            summary = finding.get("summary", "")
            if facts.can_enforce(by, industry):
                if not _enforced(facts, by, finding, target):
                    yield doc.diagnostic(
                        "H-referral",
                        Severity.ALERT,
                        here,
                        f"{facts.name(by)} 有执法权，发现的违法行为「{summary}」尚未登记执法处置"
                        "（行政处罚、责令限期整改等）：涉嫌违法的要严肃执法",
                    )
                continue
            yield from _timeliness(
                facts,
                doc,
                here,
                found_on,
                limit,
                _referral_dates(facts, inspection, finding, target),
                context,
                f"{facts.name(by)} 对该行业没有执法权，发现的违法行为「{summary}」",
            )
    for doc in registry.records("hazard"):
        found_on = date((doc.data.get("found") or {}).get("date"))
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
            on = date(ref.get("date"))
            if on and found_on and on < found_on:
                yield doc.diagnostic(
                    "H-referral",
                    Severity.ERROR,
                    ["referrals", index, "date"],
                    f"移交日期 {on} 早于发现日期 {found_on}",
                )


def _timeliness(
    facts: Facts,
    doc: Document,
    here: list[str | int],
    found_on: dt.date | None,
    limit: int,
    referred: list[dt.date],
    context: Context,
    what: str,
) -> Iterator[Diagnostic]:
    latest = facts.calendar.add_working_days(found_on, limit) if found_on is not None else None
    if referred:
        first = min(referred)
        if latest is not None and first > latest:
            yield doc.diagnostic(
                "H-referral",
                Severity.WARNING,
                here,
                f"{what}于 {first} 才移交，超过移交时限 {limit} 个工作日（应在 {latest} 前）：移交不及时",
            )
        return
    if latest is not None and context.today <= latest:
        yield doc.diagnostic(
            "H-referral",
            Severity.ALERT,
            here,
            f"{what}尚未移交有执法权的部门：应在 {latest} 前（{limit} 个工作日内）移交",
        )
        return
    yield doc.diagnostic(
        "H-referral",
        Severity.WARNING,
        here,
        f"{what}尚未移交有执法权的部门（在隐患 referrals 中登记，或登记 type: referral 的处置）"
        + (f"，已超过移交时限 {latest}" if latest is not None else ""),
    )


def self_inspection_problem(registry: Registry, hazard: dict[str, Any]) -> tuple[list[str | int], str] | None:
    """Why ``self_found: true`` is not supported by the enterprise's own self-inspection (``None``: it is).

    The evidence is ``self_inspection`` (or ``found.by`` when that is a self-inspection): an inspection of
    type ``self`` by the hazard's enterprise, on or before ``found.date``, whose findings list the hazard."""
    if hazard.get("self_found") is not True:
        return None
    found = hazard.get("found") or {}
    named = hazard.get("self_inspection") or found.get("by")
    record = registry.get("inspection", named) if isinstance(named, str) else None
    path: list[str | int] = ["self_inspection"] if hazard.get("self_inspection") else ["self_found"]
    if record is None or record.data.get("type") != "self":
        return [
            "self_found"
        ], "self_found: true 没有指向企业的自查记录（self_inspection 填写企业自查检查的编号）"
    data = record.data
    if data.get("by") != hazard.get("enterprise"):
        return path, f"自查记录 {named} 不是隐患所在企业自己的自查"
    on, found_on = date(data.get("date")), date(found.get("date"))
    if on and found_on and on > found_on:
        return path, f"自查记录 {named}（{on}）晚于隐患发现日期 {found_on}：不是企业先自查发现的"
    if hazard.get("id") not in {f.get("hazard") for f in data.get("findings") or []}:
        return path, f"自查记录 {named} 的问题隐患清单没有列出 {hazard.get('id')}"
    return None


def maximum_penalty_reasons(hazard: dict[str, Any], registry: Registry | None = None) -> list[str]:
    """Why the enterprise of a major hazard is due for training and the maximum penalty (empty: not due).

    With ``registry``, a ``self_found: true`` without a self-inspection record to show for it counts as
    not self-found."""
    if hazard.get("level") != "major":
        return []
    reasons = []
    proven = hazard.get("self_found") is True and (
        registry is None or self_inspection_problem(registry, hazard) is None
    )
    if not proven:
        reasons.append("未自查发现")
    if hazard.get("internally_listed") is not True:
        reasons.append("未在企业内部挂牌督办")
    if accident_on(hazard) is not None or (hazard.get("found") or {}).get("source") == "accident":
        reasons.append("导致事故")
    return reasons


def accident_on(hazard: dict[str, Any]) -> dt.date | None:
    """The day of the accident (problem) the hazard led to: during rectification, or how it was found."""
    during = date((hazard.get("accident_during_rectification") or {}).get("date"))
    if during is not None:
        return during
    found = hazard.get("found") or {}
    return date(found.get("date")) if found.get("source") == "accident" else None


def missing_penalties(facts: Facts, hazard: Document) -> tuple[str | None, list[str]]:
    """(main person, which of 集中培训 / 顶格处罚 are not yet validly recorded for ``hazard``).

    Training counts when the enterprise's 行业主管部门 gives it to the main person; the penalty when a
    body with enforcement power in the hazard's industry imposes it on the main person or the
    enterprise, and — when the hazard led to an accident — not before that accident."""
    data = hazard.data
    enterprise = data.get("enterprise")
    main = facts.main_person(enterprise)
    competent = facts.data("enterprise", enterprise).get("competent_department")
    accident = accident_on(data)
    trained = penalised = False
    for action in facts.actions_by_hazard.get(hazard.id or "", []):
        kind, target, by = action.data.get("type"), action.data.get("target"), action.data.get("by")
        if kind == "training" and target == main and (competent is None or by == competent):
            trained = True
        on = date(action.data.get("date"))
        if (
            kind == "maximum_penalty"
            and target in (main, enterprise)
            and facts.can_enforce(by, data.get("industry"))
            and (accident is None or (on is not None and on >= accident))
        ):
            penalised = True
    missing = []
    if not trained:
        missing.append(f"由行业主管部门 {facts.name(competent)} 组织的集中培训" if competent else "集中培训")
    if not penalised:
        missing.append("有执法权部门的顶格处罚" + (f"（{accident} 事故之后作出）" if accident else ""))
    return main, missing


@rule(
    "H-maxpenalty",
    Severity.ERROR,
    "未自查、未挂牌或致事故的重大隐患：集中培训并顶格处罚",
    "一(四) 集中培训教育，并实行顶格处罚",
    each="hazard",
    reads=("action", "enterprise", "inspection", "organization", "person"),
    depends=through_people(("hazard",), "action"),
)
def check_maximum_penalty(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    通知一(四)：“对存在重大隐患没有自查、内部没有挂牌督办或发生事故的，企业（单位）主要负责人由行业
    主管部门开展集中培训教育，并实行顶格处罚”。

    重大事故隐患如果企业没有在自查中发现，或没有在企业内部挂牌督办（`internally_listed` 不是 `true`），
    或导致了事故（`accident_during_rectification`，或发现途径为 `accident`），须登记列明该隐患的两条处置：

    - `type: training`，对象为企业主要负责人，**实施单位为企业的行业主管部门**（`competent_department`）：
      通知写明由行业主管部门开展；别的单位办的培训不算。
    - `type: maximum_penalty`，对象为主要负责人或企业，**实施单位对该行业有执法权**（处罚须有执法权）；
      因事故而须顶格处罚的，处罚日期不得早于事故日期——事故前因别的原因作出的处罚不是对这次事故的处罚。

    缺少时发出 **提醒**（跟进事项，由执法部门完成后登记），列入报告的“需集中培训和顶格处罚的企业”。

    “没有自查”要凭证据判断：`self_found: true` 必须指向企业自己的自查记录——`self_inspection`（或
    `found.by`）是一次 `type: self`、检查单位为该企业、日期不晚于发现日期、问题隐患清单列出该隐患的
    检查。没有这样的记录为 **错误**（免于顶格处罚的理由没有凭据），并按未自查处理。未填写 `self_found`
    按未自查处理。

    PASS: `self_found: false` 的重大隐患，有 ACT-…（training，市应急局——企业的行业主管部门——对企业主要负责人）
    和 ACT-…（maximum_penalty，市应急局）；`self_found: true`，`self_inspection: INSP-2023-0005`（企业 9 月 1 日
    自查，清单列出该隐患）。
    FAIL: `self_found: false`，只有 training 没有 maximum_penalty（提醒）；培训由市经信局组织而企业主管部门是
    市应急局（提醒）；处罚由无执法权的单位作出（提醒）；事故 11 月 20 日、顶格处罚 9 月 28 日（提醒）；
    `self_found: true` 没有自查记录（错误）。
    """
    facts = facts_of(registry)
    for doc in registry.records("hazard"):
        if doc.data.get("level") == "major":
            problem = self_inspection_problem(registry, doc.data)
            if problem is not None:
                yield doc.diagnostic("H-maxpenalty", Severity.ERROR, problem[0], problem[1])
        reasons = maximum_penalty_reasons(doc.data, registry)
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
            f"重大事故隐患{'、'.join(reasons)}：企业主要负责人 {who} 尚未登记{'和'.join(missing)}",
        )
