"""Campaigns and their plans: 方案编制, 牵头部门审查, 各单位方案, 宣传教育, 总结评估 (一(二)、二、三)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

from rectify.diagnostics import Diagnostic, Severity
from rectify.facts import GOVERNMENT_TYPES, STARTED, date, facts_of
from rectify.model import Document, Registry
from rectify.rules import Context, Reads, rule
from rectify.similarity import compare, normalize, own_chars

PLAN_PARTS = (
    ("focus", "整治重点"),
    ("standards", "标准"),
    ("milestones", "时限（时间节点）"),
    ("responsible", "责任人"),
)
SUMMARY_PARTS = (
    ("completion", "完成情况"),
    ("problems", "存在问题"),
    ("experience", "经验做法"),
    ("outcomes", "工作成效"),
    ("institutional_outcomes", "制度性成果"),
)
PUBLICITY_TYPES = frozenset({"publicity", "warning_education", "media"})
COPY_WARNING, COPY_ERROR = 0.5, 0.8  # share of the plan taken from an upper text
REPRODUCED_WARNING, REPRODUCED_ERROR = 0.3, 0.5  # share of an upper text found in the plan
REPRODUCED_MIN_CHARS = 200  # shorter upper texts are not measured for reproduction
OWN_MIN_CHARS = 200  # a forwarding note with less of its own is no plan
FORWARDING = re.compile(r"(现将|现把).{0,80}?转发给?你们|转发给你们")


def _started(registry: Registry, campaign_id: Any) -> bool:
    doc = registry.get("campaign", campaign_id) if isinstance(campaign_id, str) else None
    return doc is not None and doc.data.get("status") in STARTED


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


@rule(
    "C-plan",
    Severity.ERROR,
    "方案明确整治重点、标准、时限、责任人",
    "二(一) 明确整治重点、标准、时限、责任人",
    depends=Reads(on=("campaign", "plan"), kinds=("campaign",)),
)
def check_plan(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    专项整治进入实施（`implementing`、`summarizing`、`closed`）后，其方案 `plan` 必须有整治重点
    `focus`、标准 `standards`、带完成时限的时间节点 `milestones`、责任人 `responsible`；缺项为 **错误**。
    方案编制阶段（`planning`）不检查。

    各部门、县区、企业的实施方案（`registry/plans/`）缺项为 **警告**：由牵头部门在审查时退回
    （见 C-review），不阻止登记。

    PASS: `status: implementing`，`plan` 四项齐全。
    FAIL: `status: implementing`，`plan` 没有 `standards`（错误）。
    """
    for doc in registry.records("campaign"):
        if doc.data.get("status") not in STARTED:
            continue
        plan = doc.data.get("plan") or {}
        missing = [label for key, label in PLAN_PARTS if _empty(plan.get(key))]
        if missing:
            yield doc.diagnostic(
                "C-plan",
                Severity.ERROR,
                ["plan"],
                f"专项整治已进入实施，方案缺少：{'、'.join(missing)}",
            )
    for doc in registry.records("plan"):
        if not _started(registry, doc.data.get("campaign")):
            continue
        missing = [label for key, label in PLAN_PARTS if _empty(doc.data.get(key))]
        if missing:
            yield doc.diagnostic("C-plan", Severity.WARNING, ["id"], f"实施方案缺少：{'、'.join(missing)}")


@rule(
    "C-review",
    Severity.ERROR,
    "方案经牵头部门审查通过后实施",
    "二(一) 牵头部门负责方案审查",
    depends=Reads(on=("campaign", "plan"), kinds=("campaign", "organization", "person")),
)
def check_review(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    专项整治进入实施后，方案须经牵头部门（`lead_department`）审查通过（`plan.review`：`by` 为牵头
    部门，`result: approved`）：没有审查、审查单位不是牵头部门、结论不是通过，为 **错误**；审查日期
    晚于实施开始日期 `period.start`，为 **警告**（先实施后审查）。

    各单位的实施方案（`registry/plans/`）在专项整治实施后仍未审查通过，为 **警告**（待审查或已退回）；
    审查单位不是该专项整治的牵头部门，为 **错误**。

    PASS: `lead_department: city-emergency`，`plan.review: {by: city-emergency, date: 2023-05-06, result: approved}`，
    `period.start: 2023-05-15`。
    FAIL: `plan.review.by: city-housing`（不是牵头部门，错误）；`review.date: 2023-06-01` 晚于开始 2023-05-15（警告）。
    """
    for doc in registry.records("campaign"):
        if doc.data.get("status") not in STARTED:
            continue
        lead = doc.data.get("lead_department")
        review = (doc.data.get("plan") or {}).get("review")
        if not review:
            yield doc.diagnostic(
                "C-review",
                Severity.ERROR,
                ["plan"],
                "专项整治已进入实施，方案没有牵头部门的审查记录 plan.review",
            )
            continue
        yield from _review(doc, ["plan", "review"], review, lead, Severity.ERROR)
        start, reviewed = date((doc.data.get("period") or {}).get("start")), date(review.get("date"))
        if start and reviewed and reviewed > start:
            yield doc.diagnostic(
                "C-review",
                Severity.WARNING,
                ["plan", "review", "date"],
                f"方案审查日期 {reviewed} 晚于实施开始日期 {start}：应先审查后实施",
            )
    for doc in registry.records("plan"):
        campaign = registry.get("campaign", doc.data.get("campaign", ""))
        if campaign is None or campaign.data.get("status") not in STARTED:
            continue
        review = doc.data.get("review")
        if not review:
            yield doc.diagnostic(
                "C-review", Severity.WARNING, ["id"], "专项整治已在实施，本实施方案尚未经牵头部门审查"
            )
            continue
        yield from _review(doc, ["review"], review, campaign.data.get("lead_department"), Severity.WARNING)


def _review(
    doc: Document, path: list[str | int], review: dict[str, Any], lead: Any, not_approved: Severity
) -> Iterator[Diagnostic]:
    if lead and review.get("by") != lead:
        yield doc.diagnostic(
            "C-review",
            Severity.ERROR,
            [*path, "by"],
            f"方案由 {review.get('by')} 审查，应由专项整治牵头部门 {lead} 审查",
        )
    if review.get("result") != "approved":
        yield doc.diagnostic(
            "C-review",
            not_approved,
            [*path, "result"],
            "方案审查结论不是“通过”（approved）：退回修改的方案应修改后重新审查",
        )


@rule(
    "C-lead",
    Severity.ERROR,
    "明确牵头部门和市政府负责同志",
    "一(二) 明确牵头部门和市政府负责同志",
    depends=Reads(on=("campaign",), kinds=("organization", "person")),
)
def check_lead(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    每个专项整治都要有牵头部门 `lead_department`（它负责审查方案，编制阶段即须明确）；进入实施后还要
    有负责的市政府负责同志 `leader`。缺少为 **错误**。`leader` 所在单位不是政府或党委（例如只是某部门
    的局长）为 **警告**：通知要求的是市政府负责同志。

    PASS: `lead_department: city-emergency`，`leader: wang-jianguo-fsz`（市政府副市长）。
    FAIL: `status: implementing` 没有 `leader`（错误）；`leader: zhao-lei-yjj`（市应急局局长，警告）。
    """
    facts = facts_of(registry)
    for doc in registry.records("campaign"):
        data = doc.data
        if not data.get("lead_department"):
            yield doc.diagnostic("C-lead", Severity.ERROR, ["id"], "专项整治没有明确牵头部门 lead_department")
        leader = data.get("leader")
        if not leader:
            if data.get("status") in STARTED:
                yield doc.diagnostic(
                    "C-lead", Severity.ERROR, ["id"], "专项整治已进入实施，没有明确市政府负责同志 leader"
                )
            continue
        org = facts.organization_of(leader)
        org_type = facts.data("organization", org).get("type")
        if org is not None and org_type not in GOVERNMENT_TYPES:
            yield doc.diagnostic(
                "C-lead",
                Severity.WARNING,
                ["leader"],
                f"负责同志 {facts.name(leader)} 所在单位 {facts.name(org)} 不是市政府或市委：应明确市政府负责同志",
            )


@rule(
    "C-summary",
    Severity.ERROR,
    "总结评估五个部分齐全",
    "二(三) 总结评估",
    depends=Reads(
        on=("campaign", "plan"), kinds=("campaign", "enterprise", "organization", "person", "plan")
    ),
)
def check_summary(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    通知二(三)：“各级各部门要对照专项整治目标任务进行梳理，重点围绕专项整治完成情况、存在问题、经验做法、
    工作成效、制度性成果等方面开展全面系统总结评估”。

    进入总结评估（`summarizing`）或已结束（`closed`）的专项整治，`summary` 要写明完成情况、存在问题、
    经验做法、工作成效、制度性成果五部分。

    “各级各部门”都要总结：该专项整治下各行业部门和地方政府的实施方案（`registry/plans/`，`kind` 为
    `department` 或 `local`）也要有本单位的 `summary`，五部分齐全。企业实施方案（`kind: enterprise`）只在
    专项整治要求时（`enterprise_summaries: true`）才要——决定与理由：通知的“各级各部门”指党政机关，
    没有要求生产经营单位总结；牵头部门可以在方案中另行要求，这时按同样标准检查。

    总结评估阶段缺项为 **警告**（总结正在撰写）；已结束仍缺项为 **错误**。

    PASS: `status: closed`，`summary` 五项齐全，各县区、部门方案也有五项齐全的 `summary`。
    FAIL: `status: closed`，没有 `summary.institutional_outcomes`（错误）；`status: summarizing` 缺项（警告）；
    已结束的专项整治下，相山区方案没有 `summary`（错误）；`enterprise_summaries: true` 而企业方案没有总结（警告或错误）。
    """
    facts = facts_of(registry)
    for doc in registry.records("campaign"):
        status = doc.data.get("status")
        if status not in ("summarizing", "closed"):
            continue
        severity = Severity.ERROR if status == "closed" else Severity.WARNING
        yield from _summary(doc, doc.data.get("summary") or {}, ["status"], severity, "总结评估")
        kinds = {"department", "local"} | (
            {"enterprise"} if doc.data.get("enterprise_summaries") is True else set()
        )
        for plan in facts.plans_by_campaign.get(doc.id or "", []):
            if plan.file in registry.invalid or plan.data.get("kind") not in kinds:
                continue
            yield from _summary(
                plan,
                plan.data.get("summary") or {},
                ["id"],
                severity,
                f"{facts.name(plan.data.get('owner'))} 的总结评估",
            )


def _summary(
    doc: Document, summary: dict[str, Any], anchor: list[str | int], severity: Severity, what: str
) -> Iterator[Diagnostic]:
    missing = [label for key, label in SUMMARY_PARTS if _empty(summary.get(key))]
    if missing:
        yield doc.diagnostic(
            "C-summary",
            severity,
            ["summary"] if summary else anchor,
            f"{what}缺少：{'、'.join(missing)}",
        )


@rule(
    "C-subplans",
    Severity.WARNING,
    "各责任部门和县区制定实施方案",
    "二(二) 1–3 各单位制定实施方案",
    depends=Reads(on=("campaign",), kinds=("enterprise", "organization", "person", "plan")),
)
def check_subplans(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    专项整治进入实施后，`departments` 中的每个责任部门和 `districts` 中的每个县区（园区）都要有自己的
    实施方案：`registry/plans/` 中一条 `campaign` 为该专项整治、`owner` 为该单位的记录。缺少为 **警告**，
    按单位列出。

    PASS: `departments: [city-housing]`，有 `PLAN-2023-004`（`owner: city-housing`）。
    FAIL: `districts: [lieshan]`，没有烈山区的实施方案。
    """
    facts = facts_of(registry)
    for doc in registry.records("campaign"):
        if doc.data.get("status") not in STARTED:
            continue
        owners = {p.data.get("owner") for p in facts.plans_by_campaign.get(doc.id or "", [])}
        for key in ("departments", "districts"):
            for index, party in enumerate(doc.data.get(key) or []):
                if party not in owners:
                    yield doc.diagnostic(
                        "C-subplans",
                        Severity.WARNING,
                        [key, index],
                        f"{facts.name(party)} 尚未登记本专项整治的实施方案",
                    )


@rule(
    "C-publicity",
    Severity.WARNING,
    "开展宣传教育或警示教育",
    "三、深化宣传教育",
    depends=Reads(on=("campaign",), kinds=("activity",)),
)
def check_publicity(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    实施中及之后的专项整治，至少要有一项宣传教育、警示教育或媒体宣传活动（`registry/activities/`，
    `campaign` 为该专项整治，`type` 为 `publicity`、`warning_education` 或 `media`；业务培训不算）。
    没有为 **警告**。

    PASS: `EDU-2023-001`（`type: warning_education`，`campaign: CAMP-2023-001`）。
    FAIL: 实施中的 CAMP-2023-006 没有任何宣传教育活动。
    """
    facts = facts_of(registry)
    for doc in registry.records("campaign"):
        if doc.data.get("status") not in STARTED:
            continue
        activities = facts.activities_by_campaign.get(doc.id or "", [])
        if not any(a.data.get("type") in PUBLICITY_TYPES for a in activities):
            yield doc.diagnostic(
                "C-publicity",
                Severity.WARNING,
                ["status"],
                "专项整治尚未登记宣传教育或警示教育活动",
            )


def _text(registry: Registry, doc: Document, name: Any) -> tuple[str, str] | None:
    if not isinstance(name, str):
        return None
    rel = (PurePosixPath(doc.file).parent / name).as_posix()
    text = registry.texts.get(rel)
    return (rel, text) if text is not None else None


def upper_texts(registry: Registry, campaign: Document) -> list[tuple[str, str] | None]:
    """What a plan under ``campaign`` must not copy: the campaign's upper documents and its parent's plan."""
    out = [
        _text(registry, campaign, source.get("text"))
        for source in campaign.data.get("source_documents") or []
    ]
    parent = registry.get("campaign", campaign.data.get("parent", ""))
    if parent is not None:
        out.append(_text(registry, parent, (parent.data.get("plan") or {}).get("text")))
    return out


@rule(
    "C-copy",
    Severity.ERROR,
    "方案不得照搬照抄、原文转发上级文件",
    "二(一) 不得照搬照抄、原文转发上级文件",
    depends=Reads(on=("campaign", "plan"), kinds=("campaign",)),
)
def check_copy(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    通知二(一)：“用语准确简洁，不得照搬照抄、原文转发上级文件”。

    比较的文本：专项整治方案正文（`plan.text`）与其上级文件（`source_documents[].text`）和上级专项整治的
    方案正文（`parent` 的 `plan.text`）；各单位实施方案的正文（`text`）与其专项整治的方案正文，以及同样的
    上级文件和上级方案。按去掉标点和排版后的 5 字连续片段比较，两个方向都量：

    - **照抄比例**：方案中有多少片段出自上级文本。达到 50% 为 **警告**（照搬照抄），80% 为 **错误**。
    - **复制程度**：上级文本有多少片段原样出现在方案中——无论方案在前后另写了多少自己的话。上级文本
      的 30% 以上原样出现为 **警告**，50% 以上（大部分）为 **错误**：把上级文件整段套进方案，就是原文
      转发。上级文本少于 200 字时不计复制程度（短文本的重合多是通用说法）。
    - **转发通知**：正文是“现将《……》转发给你们，请结合实际认真贯彻落实”一类的转发语，而扣除与上级
      文本重合的部分后，本单位自己的内容不足 200 字，为 **错误**：这是原文转发，没有自己的方案。
      决定与理由：200 字约为一段话，写不下整治重点、标准、时限、责任人（二(一)），低于此即没有方案。

    消息给出比例和最长的照抄段落。

    PASS: 本市方案结合本地产业、点名重点区域，与上级文件重合度 12%。
    FAIL: 方案正文与上级专项整治方案重合度 85%（错误）；方案前后各写了一千字自己的话，中间原样套入上级文件的
    七成（错误）；县区方案只有一段“现将《……》转发给你们，请认真贯彻落实”（错误）。
    """
    for doc in registry.records("campaign"):
        plan = doc.data.get("plan") or {}
        mine = _text(registry, doc, plan.get("text"))
        if mine is not None:
            yield from _copies(doc, ["plan", "text"], mine, upper_texts(registry, doc))
    for doc in registry.records("plan"):
        mine = _text(registry, doc, doc.data.get("text"))
        campaign = registry.get("campaign", doc.data.get("campaign", ""))
        if mine is None or campaign is None:
            continue
        own_plan = _text(registry, campaign, (campaign.data.get("plan") or {}).get("text"))
        yield from _copies(doc, ["text"], mine, [own_plan, *upper_texts(registry, campaign)])


def _copies(
    doc: Document, path: list[str | int], mine: tuple[str, str], others: list[tuple[str, str] | None]
) -> Iterator[Diagnostic]:
    uppers = [other for other in others if other is not None]
    own = own_chars(mine[1], [text for _, text in uppers])
    if FORWARDING.search(normalize(mine[1])) and own < OWN_MIN_CHARS:
        yield doc.diagnostic(
            "C-copy",
            Severity.ERROR,
            path,
            f"方案正文 {mine[0]} 是转发通知（“现将……转发给你们”），扣除上级文件内容后本单位自己的内容只有 "
            f"{own} 字：不得原文转发上级文件，须结合实际制定方案（整治重点、标准、时限、责任人）",
        )
        return
    for other in uppers:
        result = compare(mine[1], other[1])
        measured = result.source_chars >= REPRODUCED_MIN_CHARS
        reproduced = result.reproduced if measured else 0.0
        severity = _copy_severity(result.containment, reproduced)
        if severity is None:
            continue
        passage = result.longest if len(result.longest) <= 60 else result.longest[:60] + "……"
        yield doc.diagnostic(
            "C-copy",
            severity,
            path,
            f"方案正文 {mine[0]} 与 {other[0]} 的重合度为 {result.containment:.0%}"
            + (f"，上级文本的 {reproduced:.0%} 原样出现在方案中" if measured else "")
            + f"（{'原文转发' if severity is Severity.ERROR else '照搬照抄'}），最长照抄段落 {len(result.longest)} 字：「{passage}」",
        )


def _copy_severity(containment: float, reproduced: float) -> Severity | None:
    if containment >= COPY_ERROR or reproduced >= REPRODUCED_ERROR:
        return Severity.ERROR
    if containment >= COPY_WARNING or reproduced >= REPRODUCED_WARNING:
        return Severity.WARNING
    return None
