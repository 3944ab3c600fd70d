"""Inspections and what they must leave behind: the two lists, the hazard register, full coverage,
and the enterprise's own published hazard list (一(四)、二(二))."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from rectify.diagnostics import Diagnostic, Severity
from rectify.facts import AREA_TYPES, STARTED, facts_of
from rectify.model import Registry
from rectify.rules import Context, rule

LEVEL_LABEL = {"major": "重大事故隐患", "general": "一般事故隐患"}


@rule("H-register", Severity.ERROR, "检查发现的隐患登记入台账", "一(四) 专门造册归档")
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


@rule("I-lists", Severity.ERROR, "检查有监督检查清单和问题隐患清单", "一(四) 建立监督检查清单、问题隐患清单")
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


@rule("I-coverage", Severity.ALERT, "县镇检查全覆盖", "二(二)1 县、镇两级检查全覆盖")
def check_coverage(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    实施中及之后的专项整治，县（区、园区）、镇（街道）两级的检查要覆盖辖区内每一家生产经营单位。
    一次检查算作某辖区的覆盖检查：它填了 `area`，或检查单位本身是县、区、镇、园区；辖区内的企业是
    `district` 或 `town` 为该辖区的企业（专项整治填了 `industries` 时，只算这些行业的企业）。
    某辖区已开始覆盖检查、但还有企业没有被检查到，发出 **提醒**，列出未检查的企业。

    PASS: 韩村镇的覆盖检查 `targets` 包含韩村镇登记的全部企业。
    FAIL: 烈山区的覆盖检查没有检查星辰酒店（提醒：烈山区 3/4，未检查 星辰酒店）。
    """
    facts = facts_of(registry)
    for doc in registry.records("campaign"):
        if doc.data.get("status") not in STARTED:
            continue
        industries = set(doc.data.get("industries") or [])
        inspected: dict[str, set[str]] = defaultdict(set)
        for inspection in facts.inspections_by_campaign.get(doc.id or "", []):
            area = inspection.data.get("area")
            by = inspection.data.get("by")
            if not area and facts.data("organization", by).get("type") in AREA_TYPES:
                area = by
            if area:
                inspected[area].update(inspection.data.get("targets") or [])
        districts = list(doc.data.get("districts") or [])
        for area in sorted(inspected):
            enterprises = [
                e
                for e in facts.enterprises_by_area.get(area, [])
                if not industries or e.data.get("industry") in industries
            ]
            missed = [e for e in enterprises if e.id not in inspected[area]]
            if not missed:
                continue
            parent = facts.data("organization", area).get("parent")
            anchor = area if area in districts else parent if parent in districts else None
            path: list[str | int] = ["districts", districts.index(anchor)] if anchor else ["id"]
            names = "、".join(facts.name(e.id) for e in missed)
            covered = len(enterprises) - len(missed)
            yield doc.diagnostic(
                "I-coverage",
                Severity.ALERT,
                path,
                f"{facts.name(area)} 检查覆盖 {covered}/{len(enterprises)} 家企业，尚未检查：{names}",
            )


@rule("E-publish", Severity.WARNING, "企业公布隐患清单并报告主管部门", "二(二)3 隐患清单在企业内公布并报告")
def check_publish(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    台账中有隐患的企业，要把隐患清单在企业内部公布（`hazard_list_published_on`），并报告行业主管
    部门（`reported_to` 包含其 `competent_department`）。缺少为 **警告**。

    PASS: `hazard_list_published_on: 2023-09-20`，`reported_to: [city-emergency]`，主管部门 city-emergency。
    FAIL: 有隐患的企业没有 `hazard_list_published_on`；`reported_to` 不含主管部门（警告）。
    """
    facts = facts_of(registry)
    for doc in registry.records("enterprise"):
        hazards = facts.hazards_by_enterprise.get(doc.id or "", [])
        if not hazards:
            continue
        data = doc.data
        published = data.get("hazard_list_published_on")
        if not published:
            yield doc.diagnostic(
                "E-publish",
                Severity.WARNING,
                ["id"],
                f"企业有 {len(hazards)} 条隐患在台账中，尚未在企业内公布隐患清单（hazard_list_published_on）",
            )
        department = data.get("competent_department")
        if department and department not in (data.get("reported_to") or []):
            yield doc.diagnostic(
                "E-publish",
                Severity.WARNING,
                ["reported_to"] if data.get("reported_to") else ["competent_department"],
                f"隐患清单尚未报告行业主管部门 {facts.name(department)}（reported_to）",
            )
