"""Calls for comments (征求意见): who must answer, by when, signed and sealed; silence after the
deadline counts as 无意见."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from rectify.diagnostics import Diagnostic, Severity
from rectify.facts import Facts, date, facts_of
from rectify.load import Document
from rectify.model import Registry
from rectify.rules import Context, rule


@dataclass(slots=True)
class Tally:
    """Who was asked, who answered in time, who answered late, who never answered."""

    recipients: list[str] = field(default_factory=list)
    in_time: list[str] = field(default_factory=list)
    late: list[str] = field(default_factory=list)
    silent: list[str] = field(default_factory=list)


def recipients(registry: Registry, consultation: dict[str, Any]) -> list[str]:
    """The named recipients plus every member body of each recipient group (in registry order)."""
    out = list(consultation.get("recipients") or [])
    groups = set(consultation.get("recipient_groups") or [])
    if groups:
        for org in registry.records("organization"):
            if groups & set(org.data.get("member_of") or []) and org.id not in out:
                out.append(org.id or "")
    return out


def tally(registry: Registry, consultation: dict[str, Any]) -> Tally:
    result = Tally(recipients(registry, consultation))
    deadline = date(consultation.get("deadline"))
    answered: set[str] = set()
    for response in consultation.get("responses") or []:
        sender = response.get("from")
        on = date(response.get("on"))
        if deadline and on and on > deadline:
            result.late.append(sender)
        else:
            result.in_time.append(sender)
            answered.add(sender)
    late = set(result.late)
    result.silent = [r for r in result.recipients if r not in answered and r not in late]
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
)
def check_consultation(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    征求意见的截止日期 `deadline` 当天下班前（`jurisdiction.yaml` 的 `working_day_end`）仍可回复。过了
    截止日期：没有回复的征求对象（`recipients`，以及 `recipient_groups` 中各机构的全部成员单位）视为
    “无意见”，发出 **提醒** 并列出名单；截止日期之后才收到的回复按“逾期视为无意见”处理，也发出 **提醒**
    （意见可参考，但不计为按期回复）。

    回复须由该单位的主要负责人签字（`signed_by` 等于其 `main_person`）并加盖公章（`sealed: true`）：
    不符合为 **警告**。回复日期早于发函日期为 **错误**。

    PASS: 截止 2023-08-28，`responses: [{from: city-emergency, on: 2023-08-25, signed_by: sun-guoqiang-yjj, sealed: true}]`，
    其主要负责人为 sun-guoqiang-yjj。
    FAIL: 今天 2023-12-31，市公安局没有回复（提醒：视为无意见）；`sealed: false`（警告）；
    `signed_by` 不是主要负责人（警告）。
    """
    facts = facts_of(registry)
    for doc in registry.records("consultation"):
        data = doc.data
        deadline, sent = date(data.get("deadline")), date(data.get("sent_on"))
        for index, response in enumerate(data.get("responses") or []):
            on = date(response.get("on"))
            if on and sent and on < sent:
                yield doc.diagnostic(
                    "K-deadline",
                    Severity.ERROR,
                    ["responses", index, "on"],
                    f"回复日期 {on} 早于发函日期 {sent}",
                )
            if deadline and on and on > deadline and context.today > deadline:
                yield doc.diagnostic(
                    "K-deadline",
                    Severity.ALERT,
                    ["responses", index, "on"],
                    f"{facts.name(response.get('from'))} 于 {on} 回复，晚于截止日期 {deadline}：逾期视为无意见",
                )
            yield from _signature(facts, doc, index, response)
        if deadline is None or context.today <= deadline:
            continue
        silent = tally(registry, data).silent
        if silent:
            names = "、".join(facts.name(r) for r in silent)
            yield doc.diagnostic(
                "K-deadline",
                Severity.ALERT,
                ["deadline"],
                f"截止日期 {deadline} 已过，{len(silent)} 个单位没有回复，视为无意见：{names}",
            )
