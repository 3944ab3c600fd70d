"""Calls for comments (征求意见): who must answer, by when, signed and sealed; silence after the
deadline counts as 无意见."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from rectify.diagnostics import Diagnostic, Severity
from rectify.facts import Facts, clock, date, facts_of
from rectify.model import Document, Registry
from rectify.rules import Context, Reads, rule


@dataclass(slots=True)
class Tally:
    """Who was asked, who answered validly in time, who answered in time with a reply that is not
    valid (not signed by the main person or not sealed), who answered late, who never answered."""

    recipients: list[str] = field(default_factory=list)
    in_time: list[str] = field(default_factory=list)
    late: list[str] = field(default_factory=list)
    silent: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)


def recipients(registry: Registry, consultation: dict[str, Any]) -> list[str]:
    """The named recipients plus every member body of each recipient group (in registry order)."""
    out = list(consultation.get("recipients") or [])
    groups = set(consultation.get("recipient_groups") or [])
    if groups:
        for org in registry.records("organization"):
            if groups & set(org.data.get("member_of") or []) and org.id not in out:
                out.append(org.id or "")
    return out


def closes(facts: Facts, consultation: dict[str, Any]) -> dt.date | None:
    """The last day replies are accepted: the deadline, moved past rest days (:func:`facts.last_day`)."""
    deadline = date(consultation.get("deadline"))
    return facts.last_day(deadline) if deadline is not None else None


def is_late(facts: Facts, last: dt.date | None, response: dict[str, Any]) -> bool:
    """Received after the last day, or on it after the end of the working day (下班前)."""
    on = date(response.get("date"))
    if last is None or on is None:
        return False
    if on != last:
        return on > last
    at = clock(response.get("received_at"))
    return at is not None and at > facts.working_day_end


def is_valid(facts: Facts, response: dict[str, Any]) -> bool:
    """主要负责人签字、加盖公章: signed by the sender's registered main person and sealed."""
    main = facts.main_person(response.get("from"))
    return main is not None and response.get("signed_by") == main and response.get("sealed") is True


def tally(registry: Registry, consultation: dict[str, Any]) -> Tally:
    facts = facts_of(registry)
    result = Tally(recipients(registry, consultation))
    last = closes(facts, consultation)
    answered: set[str] = set()
    for response in consultation.get("responses") or []:
        sender = response.get("from")
        if is_late(facts, last, response):
            result.late.append(sender)
        elif is_valid(facts, response):
            result.in_time.append(sender)
        else:
            result.invalid.append(sender)
        answered.add(sender)
    result.silent = [r for r in result.recipients if r not in answered]
    return result


def _signature(facts: Facts, doc: Document, index: int, response: dict[str, Any]) -> Iterator[Diagnostic]:
    sender = response.get("from")
    signer = response.get("signed_by")
    main = facts.main_person(sender)
    here: list[str | int] = ["responses", index]
    if not signer:
        yield doc.diagnostic(
            "K-deadline",
            Severity.WARNING,
            here,
            f"{facts.name(sender)} 的回复没有主要负责人签字（signed_by）",
        )
    elif main is None:
        yield doc.diagnostic(
            "K-deadline",
            Severity.WARNING,
            [*here, "signed_by"],
            f"{facts.name(sender)} 未登记主要负责人（main_person），无法核对签字人 {facts.name(signer)}",
        )
    elif signer != main:
        yield doc.diagnostic(
            "K-deadline",
            Severity.WARNING,
            [*here, "signed_by"],
            f"{facts.name(sender)} 的回复由 {facts.name(signer)} 签字，不是主要负责人 {facts.name(main)}",
        )
    if response.get("sealed") is not True:
        yield doc.diagnostic(
            "K-deadline",
            Severity.WARNING,
            [*here, "sealed"] if "sealed" in response else here,
            f"{facts.name(sender)} 的回复未加盖公章",
        )


@rule(
    "K-deadline",
    Severity.ALERT,
    "征求意见逾期视为无意见；回复须主要负责人签字并盖章",
    "征求意见函 主要负责人签字、加盖公章；逾期视为无意见",
    depends=Reads(on=("consultation",), kinds=("organization", "person"), refs=("*",)),
)
def check_consultation(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    征求意见函：“请于2023年8月28日下午下班前将书面修改意见建议（主要负责人签字、加盖公章）反馈我办，
    逾期视为无意见。”

    - **截止时刻**：截止日期 `deadline` 当天下班时间（`jurisdiction.yaml` 的 `working_day_end`）之前
      收到的回复按期。截止日当天收到、收到时间 `responses[].received_at`（HH:MM）晚于下班时间的，为
      逾期。截止日当天收到而没有登记收到时间的，按期计算（收文登记在工作时间内），但发出 **警告**，
      请补登收到时间。
    - **休息日**：截止日期是休息日（法定节假日或不上班的周末）的，“下班前”无从谈起，发出 **警告**；
      按顺延至下一个工作日下班前计算（同 H-overdue 的期间规则）。
    - **逾期视为无意见**：过了截止时刻，没有回复的征求对象（`recipients`，以及 `recipient_groups` 中
      各机构的全部成员单位）视为“无意见”，发出 **提醒** 并列出名单；逾期收到的回复也按“逾期视为
      无意见”处理，发出 **提醒**（意见可参考，但不计为按期回复）。
    - **有效回复**：回复须由该单位的主要负责人签字（`signed_by` 等于其 `main_person`）并加盖公章
      （`sealed: true`），否则不是有效的书面意见：每条发出 **警告**；截止后，这些单位不计入按期回复，
      在提醒中单独列出（“回复不符合要求”），统计中也单列（`invalid`）。决定与理由：函件把签字、盖章
      写在反馈要求之内，缺少即不是函件要求的书面意见；但单位确实表达了意见，不能与未回复混为一谈。
    - 回复日期早于发函日期为 **错误**。

    PASS: 截止 2023-08-28（周一），`working_day_end: "17:30"`，`responses: [{from: city-emergency, date: 2023-08-28,
    received_at: "17:10", signed_by: sun-guoqiang-yjj, sealed: true}]`，其主要负责人为 sun-guoqiang-yjj。
    FAIL: 今天 2023-12-31，市公安局没有回复（提醒：视为无意见）；2023-08-28 `received_at: "18:05"`（提醒：
    下班后收到，逾期）；`sealed: false`（警告，并列为回复不符合要求）；`signed_by` 不是主要负责人（警告）；
    `deadline: 2023-10-01`（国庆节，警告）。
    """
    facts = facts_of(registry)
    for doc in registry.records("consultation"):
        data = doc.data
        deadline, sent = date(data.get("deadline")), date(data.get("sent_on"))
        last = closes(facts, data)
        if deadline is not None and last is not None and last != deadline:
            yield doc.diagnostic(
                "K-deadline",
                Severity.WARNING,
                ["deadline"],
                f"截止日期 {deadline} 是休息日，“下班前”无从谈起：按顺延至 {last} 下班前计算，请改定在工作日",
            )
        end = facts.working_day_end.strftime("%H:%M")
        for index, response in enumerate(data.get("responses") or []):
            on = date(response.get("date"))
            sender = facts.name(response.get("from"))
            if on and sent and on < sent:
                yield doc.diagnostic(
                    "K-deadline",
                    Severity.ERROR,
                    ["responses", index, "date"],
                    f"回复日期 {on} 早于发函日期 {sent}",
                )
            if last is not None and context.today > last and is_late(facts, last, response):
                at = response.get("received_at")
                when = f"{on} {at}" if on == last and at else f"{on}"
                yield doc.diagnostic(
                    "K-deadline",
                    Severity.ALERT,
                    ["responses", index, "received_at" if on == last else "date"],
                    f"{sender} 的回复于 {when} 收到，晚于截止时间 {last} {end}（下班前）：逾期视为无意见",
                )
            elif on is not None and on == last and "received_at" not in response:
                yield doc.diagnostic(
                    "K-deadline",
                    Severity.WARNING,
                    ["responses", index, "date"],
                    f"{sender} 的回复在截止日 {last} 收到，没有登记收到时间 received_at："
                    f"无法核对是否在下班（{end}）前，请补登",
                )
            yield from _signature(facts, doc, index, response)
        if last is None or context.today <= last:
            continue
        result = tally(registry, data)
        if result.silent:
            names = "、".join(facts.name(r) for r in result.silent)
            yield doc.diagnostic(
                "K-deadline",
                Severity.ALERT,
                ["deadline"],
                f"截止时间 {last} {end} 已过，{len(result.silent)} 个单位没有回复，视为无意见：{names}",
            )
        if result.invalid:
            names = "、".join(facts.name(r) for r in result.invalid)
            yield doc.diagnostic(
                "K-deadline",
                Severity.ALERT,
                ["responses"],
                f"{len(result.invalid)} 个单位的回复未经主要负责人签字或未加盖公章，不计为按期回复：{names}",
            )
