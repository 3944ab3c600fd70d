"""Duties of the notice that are not about a single hazard: 党政同责、一岗双责 and the first
responsible person (一(一)), responsibility lists and 包保 tasks with deadlines, notifying the local
government of major problems (二(二)2) and the enterprise's risk list (二(二)3).

Decisions are recorded as fields, not new record kinds: leadership roles on people
(``leadership_role``, ``oversees``), the pairing of a party committee with its government
(``counterpart``), ``done_on`` on a task, ``risk_list`` on an enterprise, and the notification as an
action (``type: local_notice``), so the loader, the ledger and the site need no new kind.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from rectify.diagnostics import Diagnostic, Severity
from rectify.facts import Facts, date, facts_of
from rectify.model import Document, Registry
from rectify.rules import Context, Reads, rule

# 党委政府: the bodies whose main person is 安全生产第一责任人 (一(一))
PARTY_TYPES = frozenset({"party_committee"})
GOVERNMENT_TYPES = frozenset({"government", "county", "district", "town", "zone_committee"})
DEFAULT_LOCAL_NOTICE_DAYS = 2  # 通报属地政府: working days from the day the major hazard is found
ROLE_LABEL = {
    "first_responsible": "主要负责人（安全生产第一责任人）",
    "in_charge": "分管安全生产的负责同志",
    "member": "班子其他成员（一岗双责）",
}


def _org_type(facts: Facts, org_id: Any) -> str | None:
    value = facts.data("organization", org_id).get("type")
    return value if isinstance(value, str) else None


@rule(
    "D-leadership",
    Severity.ERROR,
    "党政同责、一岗双责：第一责任人与班子成员职责",
    "一(一) 各级党委政府主要负责人为安全生产第一责任人……党政同责、一岗双责",
    depends=Reads(on=("organization", "person"), kinds=("organization", "person", "responsibility")),
)
def check_leadership(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    人员的 `leadership_role` 记录其在本单位班子中的安全生产职责：`first_responsible`（主要负责人，
    安全生产第一责任人）、`in_charge`（分管负责同志）、`member`（班子其他成员，一岗双责）；
    `oversees` 列出其分管的部门或联系的县区。党委的 `counterpart` 填同级政府，政府填同级党委。

    **错误**（记录自相矛盾）：标为第一责任人的人员不是所在单位登记的主要负责人（`main_person`）；
    单位的主要负责人被标为分管或班子成员；党委与政府互为 `counterpart` 时类型不对（党委须对应政府、
    县区、乡镇或园区，反之亦然）。

    **警告**：

    - 党政同责：登记了同级党委与政府配对（`counterpart`）的，两者都须登记主要负责人——“各级党委
      政府主要负责人为安全生产第一责任人”，缺一方即第一责任人不明；
    - 一岗双责：党委政府的分管负责同志和班子其他成员须登记分管范围（`oversees`），并有本人的安全
      生产重点任务清单（`kind: leader_tasks` 的责任清单，“市政府负责同志安全生产重点任务清单”）。

    是否登记班子成员的职责由各地决定（未填 `leadership_role` 的人员不检查）：本规则检查登记了的
    内容是否一致、完整，不要求把所有领导干部都录入登记册。

    PASS: 市委 `counterpart: city-government`，市委、市政府都有 `main_person`；副市长
    `leadership_role: member`，`oversees: [city-housing]`，有 RESP-…（leader_tasks，holder 为其本人）。
    FAIL: 副市长 `leadership_role: first_responsible` 但市政府的主要负责人是市长（错误）；县委配对县政府，
    县政府未登记主要负责人（警告）；分管副县长没有重点任务清单（警告）。
    """
    facts = facts_of(registry)
    leader_lists = {
        r.data.get("holder")
        for r in registry.records("responsibility")
        if r.data.get("kind") == "leader_tasks"
    }
    for doc in registry.records("person"):
        role = doc.data.get("leadership_role")
        if role is None:
            continue
        org = doc.data.get("organization")
        main = facts.main_person(org)
        if role == "first_responsible" and main != doc.id:
            yield doc.diagnostic(
                "D-leadership",
                Severity.ERROR,
                ["leadership_role"],
                f"标为安全生产第一责任人，但 {facts.name(org)} 登记的主要负责人是 {facts.name(main)}："
                "第一责任人是本单位主要负责人",
            )
            continue
        if role != "first_responsible" and main == doc.id:
            yield doc.diagnostic(
                "D-leadership",
                Severity.ERROR,
                ["leadership_role"],
                f"是 {facts.name(org)} 的主要负责人，职责应为 first_responsible（安全生产第一责任人），"
                f"不是“{ROLE_LABEL.get(role, role)}”",
            )
            continue
        if role == "first_responsible" or _org_type(facts, org) not in PARTY_TYPES | GOVERNMENT_TYPES:
            continue
        if not doc.data.get("oversees"):
            yield doc.diagnostic(
                "D-leadership",
                Severity.WARNING,
                ["leadership_role"],
                f"{ROLE_LABEL[role]}未登记分管范围（oversees）：一岗双责须明确分管范围内的安全生产责任",
            )
        if doc.id not in leader_lists:
            yield doc.diagnostic(
                "D-leadership",
                Severity.WARNING,
                ["leadership_role"],
                f"{ROLE_LABEL[role]}没有本人的安全生产重点任务清单（kind: leader_tasks 的责任清单）",
            )
    for doc in registry.records("organization"):
        other = doc.data.get("counterpart")
        if other is None or registry.get("organization", other) is None:
            continue
        mine, theirs = doc.data.get("type"), _org_type(facts, other)
        pairs = (mine in PARTY_TYPES and theirs in GOVERNMENT_TYPES) or (
            mine in GOVERNMENT_TYPES and theirs in PARTY_TYPES
        )
        if not pairs:
            yield doc.diagnostic(
                "D-leadership",
                Severity.ERROR,
                ["counterpart"],
                f"同级党委或政府 {facts.name(other)} 的类型不对：党委应对应同级政府（县区、乡镇、园区），"
                "政府应对应同级党委",
            )
            continue
        # each missing main person once: on the body itself, or here if its counterpart does not pair back
        paired_back = facts.data("organization", other).get("counterpart") == doc.id
        for party, path in ((doc.id, ["id"]), (None if paired_back else other, ["counterpart"])):
            if party is not None and facts.main_person(party) is None:
                yield doc.diagnostic(
                    "D-leadership",
                    Severity.WARNING,
                    path,
                    f"党政同责：{facts.name(party)} 未登记主要负责人（安全生产第一责任人）",
                )


@rule(
    "D-duty-overdue",
    Severity.ALERT,
    "责任清单、包保任务逾期未完成",
    "一(一) 重点任务清单、包保责任要求，履职尽责；四 逾期没有完成目标任务",
    depends=Reads(on=("responsibility",), kinds=("organization", "person"), refs=("*",)),
)
def check_duty_deadlines(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    责任清单（领导重点任务清单、部门和企业责任清单、包保责任）中的任务 `duties[]`，过了完成时限
    `deadline`（含当日，次日起逾期）仍未完成（`status` 不是 `done`），像逾期隐患一样发出 **提醒**，写明
    逾期天数和责任人（包保清单同时写明包保对象）。

    **错误**（记录自相矛盾）：完成日期 `done_on` 晚于今天（不能预先填写完成）；填了 `done_on`
    但 `status` 不是 `done`。

    PASS: `deadline: 2023-10-31`，`status: done`，`done_on: 2023-10-28`。
    FAIL: `deadline: 2023-10-31`，`status: in_progress`，今天 2023-12-31（提醒：逾期 61 天）；
    `status: in_progress` 却填了 `done_on`（错误）。
    """
    facts = facts_of(registry)
    for doc in registry.records("responsibility"):
        holder = facts.name(doc.data.get("holder"))
        targets = "、".join(facts.name(b.get("target")) for b in doc.data.get("baobao") or [])
        for index, duty in enumerate(doc.data.get("duties") or []):
            here: list[str | int] = ["duties", index]
            task = duty.get("task", "")
            done_on = date(duty.get("done_on"))
            if done_on is not None and done_on > context.today:
                yield doc.diagnostic(
                    "D-duty-overdue",
                    Severity.ERROR,
                    [*here, "done_on"],
                    f"任务「{task}」的完成日期 {done_on} 晚于今天 {context.today}：不能预先填写完成",
                )
            if done_on is not None and duty.get("status") != "done":
                yield doc.diagnostic(
                    "D-duty-overdue",
                    Severity.ERROR,
                    [*here, "status"],
                    f"任务「{task}」填写了完成日期 {done_on}，进展却不是“已完成”：请核对",
                )
                continue
            deadline = date(duty.get("deadline"))
            if duty.get("status") == "done" or deadline is None or deadline >= context.today:
                continue
            days = (context.today - deadline).days
            where = f"；包保对象 {targets}" if targets else ""
            yield doc.diagnostic(
                "D-duty-overdue",
                Severity.ALERT,
                [*here, "deadline"],
                f"任务「{task}」完成时限 {deadline}，至 {context.today} 已逾期 {days} 天未完成；责任人 {holder}{where}",
            )


def local_governments(facts: Facts, hazard: dict[str, Any]) -> set[str]:
    """The 属地政府 of a hazard: its county/district (or zone) and the enterprise's town."""
    enterprise = facts.data("enterprise", hazard.get("enterprise"))
    out = {hazard.get("district"), enterprise.get("district"), enterprise.get("town")}
    return {o for o in out if isinstance(o, str) and _org_type(facts, o) in GOVERNMENT_TYPES}


def notice_limit(registry: Registry) -> int:
    value = (registry.jurisdiction.data if registry.jurisdiction else {}).get("local_notice_working_days")
    return value if isinstance(value, int) else DEFAULT_LOCAL_NOTICE_DAYS


@rule(
    "D-local-notice",
    Severity.WARNING,
    "发现重大问题及时通报属地政府",
    "二(二)2 发现重大问题及时通报（报告）属地政府",
    depends=Reads(on=("action", "hazard"), kinds=("action", "organization"), refs=("*",), refs2=("*",)),
)
def check_local_notice(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    行业部门（机构类型 `department`）在检查中发现的重大事故隐患（`level: major`，`found.by` 是该部门
    的检查，企业自查不算），须通报隐患所在地政府：登记一条 `type: local_notice` 的处置，`hazards` 列明
    该隐患，对象（`target`）为隐患所在的县区（或园区）政府或企业所在乡镇政府。

    “及时”的界限：发现后 **2 个工作日** 内（发现当日不计，次日起算，含第 2 个工作日；按法定节假日
    和调休计算），可在 `registry/jurisdiction.yaml` 的 `local_notice_working_days` 中改为本地规定的
    天数（0 为当日）。取 2 个工作日，与示例中粉尘涉爆专项整治对移交时限的要求一致：属地政府要组织
    辖区整治，重大隐患应在下一次调度之前知道。

    **警告**：没有通报；最早一次通报晚于时限。**错误**：`local_notice` 的对象不是政府（党委、部门或
    企业都不是“属地政府”）；通报日期早于隐患发现日期。

    PASS: 市应急局 2023-09-12 执法检查发现重大隐患，ACT-…（local_notice，target: suixi，date: 2023-09-13）。
    FAIL: 没有通报（警告）；发现于 2023-09-28（周四），2023-10-09 才通报：国庆假期后已超过 2 个工作日（警告）；
    通报对象是市安委办（错误）。
    """
    facts = facts_of(registry)
    limit = notice_limit(registry)
    notices: dict[str, list[Document]] = defaultdict(list)
    for action in registry.records("action"):
        if action.data.get("type") != "local_notice":
            continue
        target = action.data.get("target")
        if not isinstance(target, str) or not registry.kinds_of(target):
            continue  # R-ref reports it
        if _org_type(facts, target) not in GOVERNMENT_TYPES:
            yield action.diagnostic(
                "D-local-notice",
                Severity.ERROR,
                ["target"],
                f"通报属地政府的对象 {facts.name(target)} 不是政府（应为隐患所在县区、园区或乡镇政府）",
            )
            continue
        for hazard_id in action.data.get("hazards") or []:
            notices[hazard_id].append(action)
    for doc in registry.records("hazard"):
        hazard = doc.data
        found = hazard.get("found") or {}
        inspection = facts.data("inspection", found.get("by"))
        by = inspection.get("by")
        if hazard.get("level") != "major" or inspection.get("type") == "self":
            continue
        if _org_type(facts, by) != "department":
            continue
        found_on = date(found.get("date"))
        local = local_governments(facts, hazard)
        valid = [a for a in notices.get(doc.id or "", []) if a.data.get("target") in local]
        for action in valid:
            on = date(action.data.get("date"))
            if found_on and on and on < found_on:
                yield action.diagnostic(
                    "D-local-notice",
                    Severity.ERROR,
                    ["date"],
                    f"通报日期 {on} 早于隐患 {doc.id} 的发现日期 {found_on}",
                )
        where = "、".join(facts.name(o) for o in sorted(local)) or "隐患所在地政府"
        if not valid:
            yield doc.diagnostic(
                "D-local-notice",
                Severity.WARNING,
                ["found", "by"],
                f"{facts.name(by)} 检查发现的重大事故隐患尚未通报属地政府 {where}"
                "（登记 type: local_notice 的处置，hazards 列明本隐患）",
            )
            continue
        first = min((d for a in valid if (d := date(a.data.get("date"))) is not None), default=None)
        due = facts.calendar.add_working_days(found_on, limit) if found_on else None
        if first is not None and due is not None and first > due:
            yield doc.diagnostic(
                "D-local-notice",
                Severity.WARNING,
                ["found", "date"],
                f"通报属地政府不及时：{found_on} 发现，{first} 才通报 {where}，"
                f"超过 {limit} 个工作日的时限（{due}）",
            )


def _risk_list_due(registry: Registry) -> dict[str, Document]:
    """Enterprises that have begun their own rectification work (自查自纠 or an enterprise plan)."""
    due: dict[str, Document] = {}
    for inspection in registry.records("inspection"):
        if inspection.data.get("type") == "self" and isinstance(inspection.data.get("by"), str):
            due.setdefault(inspection.data["by"], inspection)
    for plan in registry.records("plan"):
        if plan.data.get("kind") == "enterprise" and isinstance(plan.data.get("owner"), str):
            due.setdefault(plan.data["owner"], plan)
    return due


@rule(
    "E-risks",
    Severity.WARNING,
    "企业建立安全风险清单并落实管控措施",
    "二(二)3 建立安全风险和隐患清单，落实风险管控和隐患整改措施；一(三)",
    depends=Reads(on=("enterprise",), kinds=("organization", "plan"), refs=("*",), referrers=("inspection",)),
)
def check_risk_list(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    生产经营单位“将排查出的问题逐一登记，建立安全风险和隐患清单，落实风险管控和隐患整改措施”。
    隐患清单就是登记册中该企业的隐患；风险清单登记在企业记录的 `risk_list` 中（更新日期、各项风险的
    名称、风险点、等级、管控措施、管控责任人）。

    风险清单是企业自查自纠的成果，因此从企业开始自己的专项整治工作起要求：企业有自查记录
    （`type: self` 的检查）或企业实施方案（`kind: enterprise` 的方案）而没有风险清单，为 **警告**。

    清单中的风险没有管控措施（“落实风险管控措施”），或重大、较大风险没有管控责任人，为 **警告**；
    管控责任人不是本企业人员，为 **错误**（企业的风险由企业自己管控）。

    PASS: 企业有自查记录，`risk_list: {updated_on: 2023-09-05, risks: [{name: 粉尘爆炸, location: 砂光车间,
    level: major, measures: [...], person: wang-qiang-qy}]}`。
    FAIL: 企业有自查记录而没有 `risk_list`（警告）；重大风险没有 `measures`（警告）；管控责任人是
    市应急局的人员（错误）。
    """
    facts = facts_of(registry)
    due = _risk_list_due(registry)
    for doc in registry.records("enterprise"):
        risk_list = doc.data.get("risk_list")
        if risk_list is None:
            source = due.get(doc.id or "")
            if source is not None:
                what = "自查记录" if source.kind == "inspection" else "企业实施方案"
                yield doc.diagnostic(
                    "E-risks",
                    Severity.WARNING,
                    ["id"],
                    f"企业已有{what} {source.id}，但没有建立安全风险清单（risk_list）",
                )
            continue
        for index, risk in enumerate(risk_list.get("risks") or []):
            here: list[str | int] = ["risk_list", "risks", index]
            name = risk.get("name", "")
            if not risk.get("measures"):
                yield doc.diagnostic(
                    "E-risks", Severity.WARNING, here, f"风险「{name}」没有管控措施（measures）"
                )
            person = risk.get("person")
            if person is None and risk.get("level") in ("major", "significant"):
                yield doc.diagnostic(
                    "E-risks",
                    Severity.WARNING,
                    here,
                    f"{'重大' if risk.get('level') == 'major' else '较大'}风险「{name}」没有管控责任人（person）",
                )
            elif (
                person is not None
                and registry.get("person", person)
                and facts.organization_of(person) != doc.id
            ):
                yield doc.diagnostic(
                    "E-risks",
                    Severity.ERROR,
                    [*here, "person"],
                    f"风险「{name}」的管控责任人 {facts.name(person)} 不是本企业人员",
                )
