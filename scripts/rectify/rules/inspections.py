"""Inspections and what they must leave behind: the two lists, the hazard register, full coverage,
and the enterprise's own published hazard list (一(四)、二(二))."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rectify.diagnostics import Diagnostic, Severity
from rectify.facts import STARTED, Facts, date, facts_of
from rectify.model import Document, Registry
from rectify.rules import Context, Reads, rule

REPUBLISH_WORKING_DAYS = 5  # E-publish: a new hazard is on the published list within a week
MAX_PARENT_DEPTH = 6  # 部门 → 县 → 市: organisation chains are short
LEVEL_LABEL = {"major": "重大事故隐患", "general": "一般事故隐患"}


@rule(
    "H-register",
    Severity.ERROR,
    "检查发现的隐患登记入台账",
    "一(四) 专门造册归档",
    depends=Reads(on=("hazard", "inspection"), refs=("hazard", "inspection")),
)
def check_register(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    检查发现的重大事故隐患（`findings[].level: major`）必须登记入隐患台账，`findings[].hazard` 填隐患
    编号：没有为 **错误**。一般事故隐患没有登记为 **警告**（`problem` 级的一般问题不要求登记）。
    检查记录与台账的等级不一致（检查认定为重大、台账登记为一般或相反）为 **错误**。
    台账中隐患的 `found.by` 指向某次检查，但该检查的问题清单没有列出它，为 **警告**（两边对不上）。

    PASS: `findings: [{level: major, hazard: HAZ-2023-00001}]`，HAZ-2023-00001 为 `level: major`。
    FAIL: `findings: [{level: major, summary: …}]` 没有 `hazard`（错误）。
    """
    listed: dict[str, set[str]] = defaultdict(set)
    for doc in registry.records("inspection"):
        for index, finding in enumerate(doc.data.get("findings") or []):
            level, hazard_id = finding.get("level"), finding.get("hazard")
            if not hazard_id:
                if level in LEVEL_LABEL:
                    yield doc.diagnostic(
                        "H-register",
                        Severity.ERROR if level == "major" else Severity.WARNING,
                        ["findings", index],
                        f"发现的{LEVEL_LABEL[level]}「{finding.get('summary', '')}」未登记入隐患台账（findings[].hazard）",
                    )
                continue
            listed[doc.id or ""].add(hazard_id)
            hazard = registry.get("hazard", hazard_id)
            registered = hazard.data.get("level") if hazard is not None else None
            if registered in LEVEL_LABEL and level in LEVEL_LABEL and registered != level:
                yield doc.diagnostic(
                    "H-register",
                    Severity.ERROR,
                    ["findings", index, "level"],
                    f"检查认定为{LEVEL_LABEL[level]}，台账 {hazard_id} 登记为{LEVEL_LABEL[registered]}：请核对等级",
                )
    for doc in registry.records("hazard"):
        inspection = (doc.data.get("found") or {}).get("by")
        if (
            isinstance(inspection, str)
            and registry.get("inspection", inspection) is not None
            and doc.id not in listed.get(inspection, set())
        ):
            yield doc.diagnostic(
                "H-register",
                Severity.WARNING,
                ["found", "by"],
                f"隐患注明由检查 {inspection} 发现，但该检查的问题隐患清单没有列出 {doc.id}",
            )


@rule(
    "I-lists",
    Severity.ERROR,
    "检查有监督检查清单和问题隐患清单",
    "一(四) 建立监督检查清单、问题隐患清单",
    depends=Reads(on=("inspection",)),
)
def check_lists(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    政府部门和县区的检查（`type` 不是 `self`）要有监督检查清单 `checklist`（至少一项）和问题隐患清单
    `findings`（没发现问题写 `findings: []`，表示查过、无问题）：缺少为 **错误**。企业自查缺少清单为
    **警告**。检查清单中有 `result: problem` 的项，问题隐患清单却是空的，为 **警告**。

    PASS: `checklist: [{item: 除尘系统防爆措施, result: problem}]`，`findings: [{…}]`。
    FAIL: 执法检查没有 `checklist`（错误）；清单有问题项而 `findings: []`（警告）。
    """
    for doc in registry.records("inspection"):
        data = doc.data
        severity = Severity.WARNING if data.get("type") == "self" else Severity.ERROR
        if not data.get("checklist"):
            yield doc.diagnostic("I-lists", severity, ["id"], "检查没有监督检查清单 checklist")
        if "findings" not in data:
            yield doc.diagnostic(
                "I-lists", severity, ["id"], "检查没有问题隐患清单 findings（未发现问题请写 findings: []）"
            )
        elif not data.get("findings") and any(
            item.get("result") == "problem" for item in data.get("checklist") or []
        ):
            yield doc.diagnostic(
                "I-lists",
                Severity.WARNING,
                ["findings"],
                "检查清单中有发现问题的项目，问题隐患清单却是空的",
            )


@dataclass(frozen=True, slots=True)
class AreaCoverage:
    """One county (district, zone) of a campaign: its enterprises, how many inspections of the county
    or its towns and departments the campaign has there, and which enterprises none of them visited."""

    index: int  # position in the campaign's ``districts``
    area: str
    enterprises: list[Document]
    inspections: int
    missed: list[Document]


def county_of(facts: Facts, org_id: Any, counties: set[str]) -> str | None:
    """The county of ``counties`` an inspecting body belongs to: itself, or up its ``parent`` chain
    (a town, or a county department). City bodies belong to none."""
    current = org_id
    for _ in range(MAX_PARENT_DEPTH):
        if not isinstance(current, str):
            return None
        if current in counties:
            return current
        current = facts.data("organization", current).get("parent")
    return None


def coverage(facts: Facts, campaign: Document) -> list[AreaCoverage]:
    """检查全覆盖 of one campaign, county by county (linear in its inspections and enterprises)."""
    districts = [d for d in campaign.data.get("districts") or [] if isinstance(d, str)]
    counties = set(districts)
    industries = set(campaign.data.get("industries") or [])
    inspected: dict[str, set[str]] = defaultdict(set)
    counted: dict[str, int] = defaultdict(int)
    for inspection in facts.inspections_by_campaign.get(campaign.id or "", []):
        data = inspection.data
        if data.get("type") == "self":
            continue
        county = county_of(facts, data.get("area"), counties) or county_of(facts, data.get("by"), counties)
        if county is not None:
            inspected[county].update(data.get("targets") or [])
            counted[county] += 1
    out = []
    for index, area in enumerate(districts):
        enterprises = [
            e
            for e in facts.enterprises_by_area.get(area, [])
            if not industries or e.data.get("industry") in industries
        ]
        missed = [e for e in enterprises if e.id not in inspected[area]]
        out.append(AreaCoverage(index, area, enterprises, counted[area], missed))
    return out


@rule(
    "I-coverage",
    Severity.WARNING,
    "县镇检查全覆盖",
    "二(二)1 县镇政府要对辖区企业做到检查全覆盖",
    depends=Reads(on=("campaign",), kinds=("enterprise", "organization"), referrers=("inspection",)),
)
def check_coverage(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    通知二(二)1：“分级、分类组织对本地企业进行检查，县镇政府要对辖区企业做到检查全覆盖。”

    实施中及之后的专项整治，对 `districts` 中的每个县（区、园区），统计本专项整治中属于该县的检查：
    检查区域 `area` 或检查单位是该县本身、其下的镇（街道）、或其下属部门（沿机构的 `parent` 上溯到该县）；
    镇的检查计入所属的县。企业自查和市级部门的检查不计入。辖区内的企业是 `district` 为该县的企业
    （专项整治填了 `industries` 时，只算这些行业的企业）。按专项整治和县区逐一报告，列出尚未检查的企业；
    一次检查也没有的县区是最严重的情况，单独说明“尚未开展任何检查”。

    何时从提醒变为警告（决定与理由）：检查全覆盖有一个完成时限——专项整治的 `coverage_by`（通常与方案
    “排查整治”节点一致），未填写时取实施期限结束日 `period.end`。时限之前，未覆盖是工作进度，为
    **提醒**；时限已过（最后一日是休息日的顺延）仍未覆盖，是没有完成通知要求的任务，为 **警告**。

    PASS: 濉溪县和段园镇（杜集区下的镇归杜集区）的检查合起来覆盖了各自县区的全部企业。
    FAIL: 烈山区的检查没有检查星辰酒店（提醒：烈山区 5/6，未检查 星辰酒店）；杜集区一次检查也没有（提醒，
    `coverage_by` 过后为警告）。
    """
    facts = facts_of(registry)
    for doc in registry.records("campaign"):
        if doc.data.get("status") not in STARTED:
            continue
        due = date(doc.data.get("coverage_by")) or date((doc.data.get("period") or {}).get("end"))
        late = due is not None and context.today > facts.last_day(due)
        severity = Severity.WARNING if late else Severity.ALERT
        when = f"（全覆盖时限 {due} 已过）" if late else (f"（全覆盖时限 {due}）" if due else "")
        for area in coverage(facts, doc):
            if not area.missed:
                continue
            names = "、".join(facts.name(e.id) for e in area.missed)
            if area.inspections == 0:
                text = f"{facts.name(area.area)} 尚未开展任何检查，辖区 {len(area.enterprises)} 家企业都未检查{when}：{names}"
            else:
                covered = len(area.enterprises) - len(area.missed)
                text = f"{facts.name(area.area)} 检查覆盖 {covered}/{len(area.enterprises)} 家企业{when}，尚未检查：{names}"
            yield doc.diagnostic("I-coverage", severity, ["districts", area.index], text)


def last_published(enterprise: dict[str, Any]) -> dt.date | None:
    """The latest day the enterprise published its hazard list (``hazard_list_published_on`` and
    every ``hazard_list_publications`` entry)."""
    days = [date(enterprise.get("hazard_list_published_on"))]
    days += [date(d) for d in enterprise.get("hazard_list_publications") or []]
    return max((d for d in days if d is not None), default=None)


@rule(
    "E-publish",
    Severity.WARNING,
    "企业公布隐患清单并报告主管部门",
    "二(二)3 隐患清单在企业内公布并报告",
    depends=Reads(on=("enterprise",), kinds=("organization",), refs=("*",), referrers=("hazard",)),
)
def check_publish(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    通知二(二)3：“隐患清单和整改落实情况要在企业内公布，接受职工监督，有关情况及时报告主管部门。”

    台账中有隐患的企业，要把隐患清单在企业内部公布（`hazard_list_published_on`，每一次公布记入
    `hazard_list_publications`），并报告行业主管部门（`reported_to` 包含其 `competent_department`）。

    公布是持续的，不是一次性的：在最近一次公布之后发现（`found.date` 晚于最近一次公布日期）的隐患，
    超过 5 个工作日仍没有新的公布，再次发出 **警告**，列出这些隐患。决定与理由：通知没有规定更新
    频次，5 个工作日（一周）是企业周例会、班组安全活动更新公示的通常节奏，也给企业登记整改措施
    留出时间；不比通知更严，又不让清单长期停留在旧版本。

    从未公布、`reported_to` 不含主管部门，为 **警告**。

    PASS: `hazard_list_publications: [2023-09-20, 2023-10-16]`，最后一条隐患 10 月 12 日发现。
    FAIL: 有隐患的企业没有公布记录；9 月 20 日公布后，10 月 12 日又发现隐患，到 10 月 20 日仍未再公布（警告）；
    `reported_to` 不含主管部门（警告）。
    """
    facts = facts_of(registry)
    for doc in registry.records("enterprise"):
        hazards = facts.hazards_by_enterprise.get(doc.id or "", [])
        if not hazards:
            continue
        data = doc.data
        published = last_published(data)
        if published is None:
            yield doc.diagnostic(
                "E-publish",
                Severity.WARNING,
                ["id"],
                f"企业有 {len(hazards)} 条隐患在台账中，尚未在企业内公布隐患清单（hazard_list_published_on）",
            )
        else:
            newer = []
            for hazard in hazards:
                found_on = date((hazard.data.get("found") or {}).get("date"))
                if found_on is None or found_on <= published:
                    continue
                due = facts.calendar.add_working_days(found_on, REPUBLISH_WORKING_DAYS)
                if due is not None and due < context.today:
                    newer.append(hazard.id or "")
            if newer:
                where = (
                    "hazard_list_publications"
                    if "hazard_list_publications" in data
                    else "hazard_list_published_on"
                )
                yield doc.diagnostic(
                    "E-publish",
                    Severity.WARNING,
                    [where],
                    f"隐患清单最近一次公布于 {published}，之后发现的 {len(newer)} 条隐患超过 "
                    f"{REPUBLISH_WORKING_DAYS} 个工作日仍未公布：{'、'.join(sorted(newer))}",
                )
        department = data.get("competent_department")
        if department and department not in (data.get("reported_to") or []):
            yield doc.diagnostic(
                "E-publish",
                Severity.WARNING,
                ["reported_to"] if data.get("reported_to") else ["competent_department"],
                f"隐患清单尚未报告行业主管部门 {facts.name(department)}（reported_to）",
            )
