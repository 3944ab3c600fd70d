"""The hazard register itself: 五落实, the acceptor, closing by acceptance (一(三)、一(四))."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rectify.diagnostics import Diagnostic, Severity
from rectify.facts import DUE_SOON_WORKING_DAYS, Facts, date, facts_of
from rectify.model import Document, Registry
from rectify.rules import Context, Reads, rule, through_people

UNIVERSAL_INDUSTRY = "fire"  # GB 35181 重大火灾隐患判定方法 applies to units of every industry
FIVE = (
    ("department", "责任部门"),
    ("person", "责任人"),
    ("acceptor", "验收人"),
    ("measures", "整改措施"),
    ("funds_cny", "整改资金"),
    ("emergency_plan", "应急预案"),
)


INSPECTION_SOURCES = frozenset({"government_inspection", "covert", "expert"})


def found_by_inspection(registry: Registry, hazard: dict[str, Any]) -> bool:
    """Whether a guidance, supervision or enforcement inspection (not the enterprise's own) found it."""
    found = hazard.get("found") or {}
    if found.get("source") in INSPECTION_SOURCES:
        return True
    by = found.get("by")
    inspection = registry.get("inspection", by) if isinstance(by, str) else None
    return inspection is not None and inspection.data.get("type") != "self"


def _missing(rect: dict[str, Any], key: str) -> bool:
    value = rect.get(key)
    return value is None or value == "" or value == []


@rule(
    "H-five",
    Severity.ERROR,
    "重大事故隐患五落实",
    "一(三)、一(四) 责任、措施、资金、期限和应急预案“五落实”",
    each="hazard",
    reads=("inspection",),
    depends=Reads(on=("hazard",), refs=("inspection",)),
)
def check_five(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    重大事故隐患要写明隐患点（`location`）、整改时限，并落实“五落实”：责任部门、企业责任人、验收人、
    整改措施、整改资金、应急预案（`rectification.department/person/acceptor/measures/funds_cny/emergency_plan`）。
    隐患点和时限由 schema 强制。

    验收人只对检查发现的重大隐患强制（发现途径为政府部门检查、暗查暗访、专家检查，或 `found.by` 是
    一次非企业自查的检查）：通知一(四)对“指导检查执法”中“发现的重大隐患”要求“明确……验收人”，
    而一(三)对企业自己排查的隐患要求的是“责任、措施、资金、期限和应急预案落实到位”，不含验收人。

    刚登记、状态仍为 `open`（待整改）的，整改方案可能还在制定：缺项为 **警告**；进入整改
    （`rectifying` 及以后）仍有缺项，为 **错误**——没有措施、资金、责任人的整改无从验收。

    PASS: 重大隐患，`status: rectifying`，六项齐全；群众举报、企业自行整改的重大隐患没有验收人。
    FAIL: 重大隐患，`status: rectifying`，缺 `rectification.acceptor`（错误）；`status: open`，缺
    `funds_cny`（警告）。
    """
    for doc in registry.records("hazard"):
        hazard = doc.data
        if hazard.get("level") != "major":
            continue
        rect = hazard.get("rectification") or {}
        wanted = FIVE if found_by_inspection(registry, hazard) else [f for f in FIVE if f[0] != "acceptor"]
        missing = [label for key, label in wanted if _missing(rect, key)]
        if not missing:
            continue
        severity = Severity.WARNING if hazard.get("status") == "open" else Severity.ERROR
        stage = "（待整改，须在开始整改前补齐）" if severity is Severity.WARNING else ""
        yield doc.diagnostic(
            "H-five",
            severity,
            ["rectification"],
            f"重大事故隐患“五落实”缺少：{'、'.join(missing)}{stage}",
        )


@rule(
    "H-acceptor",
    Severity.ERROR,
    "重大事故隐患的验收人独立于整改责任人和企业",
    "一(四) 明确验收人",
    each="hazard",
    reads=("enterprise", "organization", "person"),
    depends=through_people(("hazard",)),
)
def check_acceptor(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    通知一(四)：“对发现的重大隐患要专门造册归档，明确隐患点、整改时限、责任部门、责任人、验收人”。
    重大事故隐患的验收人（`rectification.acceptor`）和实际验收的人（`acceptance.by`）不能是整改责任人，
    也不能是隐患所在企业的人员（人员的 `organization` 是该企业）：自己验收自己的整改等于没有验收（**错误**）。

    一般事故隐患不适用：通知只对重大隐患要求明确验收人，没有禁止企业自行验收一般隐患的整改
    （企业自查自纠、即查即改，二(二)3），本规则对一般隐患不报独立性错误。

    实际验收人与登记的验收人不是同一人（任何等级），为 **警告**：应更正登记或说明由谁授权代为验收。

    PASS: `person: wang-qiang-qy`（企业总经理），`acceptor: sun-hao-yjj`（市应急局）；一般事故隐患由企业
    安全员验收。
    FAIL: 重大隐患 `acceptor: wang-qiang-qy`（即整改责任人）；重大隐患的 `acceptor` 是企业安全员（错误）；
    `acceptance.by: zhou-lei-yjj` 而 `acceptor: sun-hao-yjj`（警告）。
    """
    facts = facts_of(registry)
    for doc in registry.records("hazard"):
        hazard = doc.data
        rect = hazard.get("rectification") or {}
        acceptance = hazard.get("acceptance") or {}
        if hazard.get("level") == "major":
            yield from _independent(facts, doc, rect, acceptance)
        registered, actual = rect.get("acceptor"), acceptance.get("by")
        if isinstance(registered, str) and isinstance(actual, str) and registered != actual:
            yield doc.diagnostic(
                "H-acceptor",
                Severity.WARNING,
                ["acceptance", "by"],
                f"实际验收人 {facts.name(actual)} 不是登记的验收人 {facts.name(registered)}：请更正登记或说明授权",
            )


def _independent(
    facts: Facts, doc: Document, rect: dict[str, Any], acceptance: dict[str, Any]
) -> Iterator[Diagnostic]:
    responsible = rect.get("person")
    enterprise = doc.data.get("enterprise")
    checks = [
        (["rectification", "acceptor"], rect.get("acceptor"), "验收人"),
        (["acceptance", "by"], acceptance.get("by"), "实际验收人"),
    ]
    for path, person, role in checks:
        if not isinstance(person, str):
            continue
        if person == responsible:
            yield doc.diagnostic(
                "H-acceptor",
                Severity.ERROR,
                path,
                f"{role} {facts.name(person)} 就是整改责任人：重大事故隐患须由整改责任人以外的人验收",
            )
        elif facts.organization_of(person) == enterprise:
            yield doc.diagnostic(
                "H-acceptor",
                Severity.ERROR,
                path,
                f"{role} {facts.name(person)} 是隐患所在企业 {facts.name(enterprise)} 的人员："
                "企业不能验收自己的重大事故隐患整改",
            )


@rule(
    "H-basis",
    Severity.ERROR,
    "重大事故隐患写明判定依据且标准适用于该行业",
    "一(四) 重大隐患；判定标准",
    each="hazard",
)
def check_basis(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    认定为重大事故隐患（`level: major`），必须写明判定依据 `basis`：`registry/standards.yaml` 中的判定
    标准和条款。没有依据的“重大隐患”无法复核，也无法据此顶格处罚（**错误**）。标准和条款是否在目录中
    由 R-ref 检查。

    所引标准须适用于隐患所属行业（标准的 `industry` 等于隐患的 `industry`），否则为 **错误**：例如
    危险化学品企业的隐患不能按煤矿标准判定。决定与理由：《重大火灾隐患判定方法》（GB 35181，
    `industry: fire`）适用于各行业单位的消防安全，引用它不受行业限制；标准未登记行业的，不作限制。

    一般事故隐患引用判定标准的条款，为 **警告**：目录中的标准都是重大事故隐患判定标准，条款所列情形
    即重大事故隐患，登记为一般隐患须核实等级（确属一般隐患的，例如只具备条款情形的一部分，在
    `description` 中写明理由后可保留）。通知要求对重大事故隐患挂牌督办、顶格处罚，定级偏低就逃过了这些。

    PASS: `industry: industry_trade`，`basis: {standard: gongmao-2023, clause: 第十条}`；酒店（`other`）的
    疏散通道隐患引用 `fire-gb35181` 6.4；一般隐患不写 `basis`。
    FAIL: 重大隐患没有 `basis`；`industry: hazardous_chemicals` 引用 `coal-2020`（错误）；`level: general`
    引用 `gongmao-2023` 第十一条（警告：请核实等级）。
    """
    for doc in registry.records("hazard"):
        hazard = doc.data
        if hazard.get("level") != "major":
            yield from _general_with_basis(registry, doc)
            continue
        basis = hazard.get("basis")
        if not basis:
            yield doc.diagnostic(
                "H-basis",
                Severity.ERROR,
                ["level"],
                "重大事故隐患没有写明判定依据 basis（判定标准及条款）",
            )
            continue
        standard_id = basis.get("standard")
        standard = registry.standards.get(standard_id) if isinstance(standard_id, str) else None
        if standard is None:
            continue
        fits = standard.get("industry")
        industry = hazard.get("industry")
        if fits and fits not in (industry, UNIVERSAL_INDUSTRY):
            yield doc.diagnostic(
                "H-basis",
                Severity.ERROR,
                ["basis", "standard"],
                f"判定标准《{standard.get('title', standard_id)}》适用于{industry_label(registry, fits)}，"
                f"隐患所属行业为{industry_label(registry, industry)}：请引用该行业的判定标准",
            )


def _general_with_basis(registry: Registry, doc: Document) -> Iterator[Diagnostic]:
    """A hazard not registered as major that cites a clause of a major-hazard judgement standard."""
    basis = doc.data.get("basis")
    standard_id = basis.get("standard") if isinstance(basis, dict) else None
    standard = registry.standards.get(standard_id) if isinstance(standard_id, str) else None
    if standard is None or not isinstance(basis, dict):
        return
    level = registry.schemas.label("hazard_level", str(doc.data.get("level", "")))
    yield doc.diagnostic(
        "H-basis",
        Severity.WARNING,
        ["basis", "clause"] if basis.get("clause") else ["basis"],
        f"所引《{standard.get('title', standard_id)}》{basis.get('clause') or ''}是重大事故隐患的判定情形，"
        f"隐患却登记为{level}：请核实隐患等级（确属{level}的，请在 description 中写明理由）",
    )


def industry_label(registry: Registry, code: Any) -> str:
    """The Chinese label of an industry code (from the schema's ``x-labels``)."""
    labels = registry.schemas.defs["industry"].get("x-labels") or {}
    return str(labels.get(code, code))


@rule(
    "H-accept",
    Severity.ERROR,
    "销号须有验收通过记录",
    "一(三) 闭环管理、验收销号",
    each="hazard",
    reads=("enterprise", "organization", "person"),
    depends=through_people(("hazard",)),
)
def check_accept(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    已销号（`status: closed`）的隐患必须有验收记录 `acceptance`，结论为 `passed`，验收日期不早于最后
    一条整改进展（`progress[].date`），也不晚于今天（**错误**：没有验收就销号是“纸上整改”）。

    验收已通过而状态仍未改为 `closed`，为 **警告**（请销号）。状态为 `awaiting_acceptance`（待验收）、
    最后一条进展后超过 10 个工作日仍未验收，为 **提醒**。

    重新打开（`reopened[]`）之后，原验收是历史：它应原样移入该次重新打开的 `previous_acceptance`，
    `acceptance` 留给重新整改后的新验收（见 G-ratchet）。因此 `acceptance` 的日期不晚于最后一次重新打开的，
    是留在原处的旧验收：状态未销号时为 **错误**（请移入 `previous_acceptance`——而不是提示“请销号”），
    状态为已销号时同样为 **错误**（重新打开后尚未重新验收）。重新打开的隐患不会被提示再次销号。

    PASS: `status: closed`，`acceptance: {date: 2023-11-28, by: sun-hao-yjj, result: passed}`，最后进展 2023-11-20。
    PASS: `status: rectifying`，`reopened: [{date: 2023-12-05, new_deadline: 2024-01-31, previous_acceptance: {…}, …}]`，
    没有 `acceptance`。
    FAIL: `status: closed` 没有 `acceptance`；`acceptance.result: failed`；验收 2023-11-10 早于进展 2023-11-20；
    12 月 5 日重新打开，`acceptance.date: 2023-11-28` 仍留在原处。
    """
    facts = facts_of(registry)
    for doc in registry.records("hazard"):
        hazard = doc.data
        status = hazard.get("status")
        acceptance = hazard.get("acceptance")
        progress = [d for d in (date(p.get("date")) for p in hazard.get("progress") or []) if d is not None]
        last = max(progress, default=None)
        reopenings = [date(r.get("date")) for r in hazard.get("reopened") or []]
        reopened = max((d for d in reopenings if d is not None), default=None)
        accepted_on = date(acceptance.get("date")) if isinstance(acceptance, dict) else None
        if reopened is not None and accepted_on is not None and accepted_on <= reopened:
            index = len(reopenings) - 1 - reopenings[::-1].index(reopened)
            yield doc.diagnostic(
                "H-accept",
                Severity.ERROR,
                ["acceptance", "date"],
                f"隐患已于 {reopened} 重新打开，acceptance 仍是此前 {accepted_on} 的验收："
                f"请把它原样移入 reopened 第 {index + 1} 条的 previous_acceptance"
                + ("，重新整改验收后再销号" if status == "closed" else "，整改完成后再写新的验收"),
            )
            continue
        if status == "closed":
            if not acceptance:
                yield doc.diagnostic(
                    "H-accept",
                    Severity.ERROR,
                    ["status"],
                    "已销号但没有验收记录 acceptance：须验收通过才能销号",
                )
                continue
            if acceptance.get("result") != "passed":
                yield doc.diagnostic(
                    "H-accept",
                    Severity.ERROR,
                    ["acceptance", "result"],
                    "已销号但验收结论不是“通过”（passed）：验收未通过的隐患应继续整改",
                )
            accepted = date(acceptance.get("date"))
            if accepted and last and accepted < last:
                yield doc.diagnostic(
                    "H-accept",
                    Severity.ERROR,
                    ["acceptance", "date"],
                    f"验收日期 {accepted} 早于最后一条整改进展 {last}：验收应在整改完成之后",
                )
            if accepted and accepted > context.today:
                yield doc.diagnostic(
                    "H-accept",
                    Severity.ERROR,
                    ["acceptance", "date"],
                    f"验收日期 {accepted} 晚于今天 {context.today}：不能预先登记验收",
                )
        elif acceptance and acceptance.get("result") == "passed":
            yield doc.diagnostic(
                "H-accept",
                Severity.WARNING,
                ["status"],
                f"验收已于 {acceptance.get('date')} 通过，状态仍为 {status}：请销号（status: closed）",
            )
        elif status == "awaiting_acceptance" and not acceptance and last is not None:
            due = facts.calendar.add_working_days(last, DUE_SOON_WORKING_DAYS)
            if due is not None and due < context.today:
                acceptor = (hazard.get("rectification") or {}).get("acceptor")
                yield doc.diagnostic(
                    "H-accept",
                    Severity.ALERT,
                    ["status"],
                    f"待验收已超过 {DUE_SOON_WORKING_DAYS} 个工作日（最后进展 {last}，应在 {due} 前验收）；"
                    f"验收人 {facts.name(acceptor)}",
                )
