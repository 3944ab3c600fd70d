"""Rules about change rather than state (G-*): the registry compared with its base revision, and
the signatures on the commits between them.

G-ratchet runs inside ``rectify check --base REV`` (``context.base`` is the registry at REV).
G-signed needs the commits themselves, so ``rectify verify-signatures`` performs it; it is
declared here so that its id, title and examples are documented with every other rule.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rectify.diagnostics import Diagnostic, Severity
from rectify.fields import KIND_NAMES
from rectify.history.base import BaseRegistry
from rectify.model import Document, Registry
from rectify.rules import Context, Reads, declare, rule

# Append-only history lists: (kind, field, 中文名, fields an existing entry may still gain).
HISTORY_LISTS = [
    ("hazard", "progress", "整改进展", ()),
    ("hazard", "extensions", "延期", ("approved_by", "approved_on")),  # a request is approved later
    ("hazard", "referrals", "移交", ()),
    ("hazard", "reopened", "重新打开记录", ()),
    ("consultation", "responses", "反馈", ()),
]
# Fields that say which thing a record is: changing them gives the id to another thing.
IDENTITY = {
    "hazard": ("enterprise", "found.date"),
    "inspection": ("by", "date"),
    "action": ("type", "target", "date"),
    "plan": ("campaign", "owner"),
    "consultation": ("issuer", "sent_on"),
}


def _get(data: dict[str, Any], dotted: str) -> Any:
    value: Any = data
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _shown(value: Any) -> str:
    """A value as a message shows it (records compared whatever their shape: no ``None``)."""
    return "（空）" if value is None or value == "" else str(value)


def _list(data: dict[str, Any], name: str) -> list[Any]:
    value = data.get(name)
    return value if isinstance(value, list) else []


@rule("G-ratchet", Severity.ERROR, "登记在册的内容只进不退", "一(四) 签字归档备案备查", depends=Reads(on=()))
def ratchet(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """与基准版本（合并请求的目标分支，``rectify check --base 修订``）相比：登记的记录不得删除或改名；
    编号不得挪作他用（隐患的所在企业和发现日期等标识字段不变）；隐患的整改状态只能沿
    待整改 → 整改中 → 待验收 → 已销号 前进，退回须在 ``reopened`` 中追加一条写明理由的记录；
    整改进展、延期、移交、重新打开记录和征求意见的反馈只能在末尾追加，已有条目不得修改或删除；
    已通过的验收不得改写。没有 ``--base`` 时本规则不运行。

    **现行整改时限只有一种写法**（与 H-overdue、H-extension、报告、网站、台账一致）：
    ``rectification.deadline`` 始终保留最初确定的时限，**不得改写**；延期是在 ``extensions`` 末尾追加一条，
    新时限写在该条的 ``new_deadline``，批准后填写 ``approved_by``、``approved_on``，从批准日起生效；
    重新打开是在 ``reopened`` 末尾追加一条，新时限写在该条的 ``new_deadline``。这样每一次时限变化都是
    一条追加的、由批准人或决定人签名的记录，原时限和逾期的起算点不会因改写而消失；工作人员也只需
    追加一条，不必同时改两处。

    重新打开已销号的隐患：把原来的验收记录 ``acceptance`` **原样移入**新追加的 ``reopened`` 条目的
    ``previous_acceptance``（原验收作为历史保留），状态改回 ``rectifying``；整改完成后再写新的 ``acceptance``。

    基准版本按基准版本自己的 ``schemas/`` 读取（本次变更收紧 schema 不影响比较；基准版本没有
    ``schemas/`` 时改用当前的并提示），无论基准或本次的记录是否符合 schema 都照样比较字段取值；
    基准版本中无法解析的文件不得修改或删除，基准版本 ``registry/`` 中的符号链接和子模块一律报错。

    PASS：在 ``progress`` 末尾追加一条进展，状态由 ``rectifying`` 改为 ``awaiting_acceptance``。

    PASS：追加延期 ``{new_deadline: 2024-01-31, approved_by: zhao-lei-yjj, approved_on: 2023-11-20, …}``，
    ``rectification.deadline`` 保持 ``2023-11-30`` 不变。

    PASS：已销号的隐患追加 ``reopened`` 一条（日期、理由、决定人、``new_deadline``，``previous_acceptance``
    为原验收），删除 ``acceptance``，状态改回 ``rectifying``。

    FAIL：删除 ``registry/hazards/2023/HAZ-2023-00001.yaml``。

    FAIL：状态由 ``closed`` 改回 ``rectifying``，但没有追加 ``reopened`` 记录。

    FAIL：``rectification.deadline`` 由 ``2023-11-30`` 改为 ``2023-12-31``（即使同时追加了批准的延期：
    新时限只写在延期条目里）。

    FAIL：重新打开时删除了原验收，却没有把它移入 ``reopened`` 新条目的 ``previous_acceptance``。

    FAIL：修改 ``progress`` 第 1 条的日期或内容。

    FAIL：本次变更给隐患 schema 加一个必填字段（基准记录因此不再符合 schema），同时把已销号的隐患改回整改中。
    """
    base = context.base
    if base is None:
        return
    if isinstance(base, BaseRegistry):
        yield from base.refusals
    head_files = {doc.file: doc for doc in registry.documents}
    statuses = _lifecycle(base, registry)
    for old in base.documents:
        if old.kind in ("jurisdiction", "standards", "calendar"):
            continue
        kind, record_id = old.kind, old.id
        indexed = record_id is not None and base.get(kind, record_id) is old
        new = registry.get(kind, record_id) if indexed and record_id else head_files.get(old.file)
        if new is None or new.kind != kind:
            if indexed or old.file not in registry.invalid:
                yield _deleted(old, kind, record_id or old.file, old.file in head_files)
            continue
        yield from _identity(old, new, kind)
        if kind == "hazard":
            yield from _hazard(old, new, statuses)
        for list_kind, name, label, may_gain in HISTORY_LISTS:
            if list_kind == kind:
                yield from _append_only(old, new, name, label, may_gain)
    if isinstance(base, BaseRegistry):
        yield from _unreadable(base, registry, head_files)


def _lifecycle(base: Registry, registry: Registry) -> dict[str, str]:
    """The hazard lifecycle in the order of the base's schema (the head's cannot reorder it), with
    the head's Chinese labels."""
    labels = registry.schemas.labels("hazard_status")
    definition = base.schemas.defs.get("hazard_status")
    order = definition.get("enum") if isinstance(definition, dict) else None
    if not isinstance(order, list) or not all(isinstance(s, str) for s in order):
        return labels
    return {status: labels.get(status) or status for status in order}


def _unreadable(
    base: BaseRegistry, registry: Registry, head_files: dict[str, Document]
) -> Iterator[Diagnostic]:
    """A base file that cannot be read cannot be compared: it may stay as it is, not change or go."""
    for file, why in sorted(base.unreadable.items()):
        if file in head_files:
            done = "在本次变更中被修改"
        elif file not in registry.invalid:
            done = "在本次变更中被删除或改名"
        else:
            continue  # still unreadable: the loader reports it
        yield Diagnostic(
            "G-ratchet",
            Severity.ERROR,
            file,
            1,
            1,
            "",
            f"基准版本中的 {file} 无法读取（{why}），无法与之比较，但它{done}：请由管理员在目标分支上先修复该文件，"
            "再合并本变更",
        )


def _deleted(old: Document, kind: str, record_id: str, file_kept: bool) -> Diagnostic:
    label = KIND_NAMES.get(kind, kind)
    line, column = old.locate(["id"])
    if file_kept:
        what = f"文件 {old.file} 现在记录的不是{label} {record_id}（编号被改掉了）"
    else:
        what = f"{label} {record_id}（{old.file}）被删除或改名"
    return Diagnostic(
        "G-ratchet",
        Severity.ERROR,
        old.file,
        line,
        column,
        "id",
        f"{what}：登记在册的记录不得删除或改名。如登记有误，请保留原记录，在其中说明更正情况",
    )


def _identity(old: Document, new: Document, kind: str) -> Iterator[Diagnostic]:
    for dotted in IDENTITY.get(kind, ()):
        before, after = _get(old.data, dotted), _get(new.data, dotted)
        if before is not None and before != after:
            yield new.diagnostic(
                "G-ratchet",
                Severity.ERROR,
                dotted.split("."),
                f"{KIND_NAMES[kind]} {new.id or new.file} 的标识字段 {dotted} 由 {_shown(before)} 改为 {_shown(after)}：编号不得挪作他用，"
                "另一事项请用新编号登记",
            )


def _hazard(old: Document, new: Document, statuses: dict[str, str]) -> Iterator[Diagnostic]:
    """``statuses``: the lifecycle in schema order (the enum's order) with its Chinese labels."""
    order = {status: index for index, status in enumerate(statuses)}
    before, after = old.data.get("status"), new.data.get("status")
    reopens = _list(new.data, "reopened")[len(_list(old.data, "reopened")) :]
    if (
        isinstance(before, str)
        and order.get(after if isinstance(after, str) else "", -1) < order.get(before, 0)
        and not any(isinstance(r, dict) and str(r.get("reason") or "").strip() for r in reopens)
    ):
        now = f"{statuses.get(after, after)}（{after}）" if isinstance(after, str) else "空值（或不是文本）"
        yield new.diagnostic(
            "G-ratchet",
            Severity.ERROR,
            ["status"],
            f"隐患 {new.id or new.file} 的整改状态由 {statuses.get(before, before)}（{before}）退回{now}："
            "状态只能前进；确需重新打开，请在 reopened 中追加一条写明日期和理由的记录",
        )
    yield from _deadline(old, new)
    yield from _acceptance(old, new, reopens, len(_list(old.data, "reopened")))


def _deadline(old: Document, new: Document) -> Iterator[Diagnostic]:
    before = _get(old.data, "rectification.deadline")
    after = _get(new.data, "rectification.deadline")
    if before is None or before == after:
        return
    yield new.diagnostic(
        "G-ratchet",
        Severity.ERROR,
        ["rectification", "deadline"],
        f"隐患 {new.id or new.file} 的整改时限 rectification.deadline 由 {before} 改为 {_shown(after)}：这里始终保留最初确定的时限，"
        f"不得改写（请改回 {before}）。延期请在 extensions 末尾追加一条，新时限写在 new_deadline，经批准填写 approved_by、"
        "approved_on；重新打开请在 reopened 新条目中写 new_deadline",
    )


def _acceptance(old: Document, new: Document, reopens: list[Any], first: int) -> Iterator[Diagnostic]:
    """``reopens``: the reopenings this change appends (the first at ``reopened[first]``)."""
    before, after = old.data.get("acceptance"), new.data.get("acceptance")
    if not isinstance(before, dict) or before == after:
        return
    if any(isinstance(r, dict) and r.get("previous_acceptance") == before for r in reopens):
        return  # reopened: the old acceptance is kept, unchanged, in the reopening
    if (
        before.get("result") == "failed"
        and isinstance(after, dict)
        and str(after.get("date", "")) >= str(before.get("date", ""))
    ):
        return  # a failed acceptance is followed by a new one
    reopening = (
        "；重新打开时请把原验收原样移入新追加的 reopened 条目的 previous_acceptance"
        if reopens
        else "，已通过的验收只能在重新打开（reopened，原验收移入其 previous_acceptance）后重新验收"
    )
    where: list[str | int] = (
        ["reopened", first] if reopens and "acceptance" not in new.data else ["acceptance"]
    )
    yield new.diagnostic(
        "G-ratchet",
        Severity.ERROR,
        where,
        f"隐患 {new.id or new.file} 已有的验收记录（{_shown(before.get('date'))}，{_shown(before.get('by'))}）被修改或删除：验收记录不得改写；"
        f"未通过的验收只能由日期不早于它的新验收取代{reopening}",
    )


def _append_only(
    old: Document, new: Document, name: str, label: str, may_gain: tuple[str, ...]
) -> Iterator[Diagnostic]:
    before, after = _list(old.data, name), _list(new.data, name)
    for index, entry in enumerate(before):
        if index >= len(after):
            gone = len(before) - len(after)
            yield new.diagnostic(
                "G-ratchet",
                Severity.ERROR,
                [name] if name in new.data else [],
                f"{KIND_NAMES[old.kind]} {new.id or new.file} 的{label}（{name}）原有 {len(before)} 条，现在少了 {gone} 条："
                "历史记录只能在末尾追加，不得删除",
            )
            return
        current = after[index]
        if current == entry or _only_gained(entry, current, may_gain):
            continue
        yield new.diagnostic(
            "G-ratchet",
            Severity.ERROR,
            [name, index],
            f"{KIND_NAMES[old.kind]} {new.id or new.file} 的{label}（{name}）第 {index + 1} 条已被修改：历史记录只能在末尾追加，"
            "已有条目不得修改（更正请追加一条新记录说明）",
        )


def _only_gained(before: Any, after: Any, may_gain: tuple[str, ...]) -> bool:
    """True when ``after`` is ``before`` plus some of the fields an entry may still gain."""
    if not (may_gain and isinstance(before, dict) and isinstance(after, dict)):
        return False
    added = set(after) - set(before)
    return added <= set(may_gain) and all(after[k] == v for k, v in before.items())


declare(
    "G-signed",
    Severity.ERROR,
    "每一次修改都由登记在册的人签名",
    "签字归档备案备查",
    """
    由 ``rectify verify-signatures --base 修订 [--head 修订]`` 执行（合并请求中对 ``base.sha..head.sha``）：
    区间内每个修改了 ``registry/`` 的提交都必须带有有效的 SSH 签名，所用公钥须登记在 **基准版本** 的
    ``registry/people/*.yaml`` 的 ``signing_keys`` 中（本次变更中新登记的公钥不算数）；签名人必须就是提交的
    作者（作者邮箱为签名人登记的 ``contact.email``，未登记邮箱时作者姓名与登记姓名一致）；把隐患改为
    已销号（closed）的内容必须由该隐患的验收人（``rectification.acceptor``，以基准版本为准）签名提交。

    **审批须由审批人本人签名**：记录中由具名的人批准或决定的事项——验收记录（``acceptance.by``）、延期的批准
    （``extensions[].approved_by``）、重新打开（``reopened[].by``）——须由该人本人签名；设立、变更或解除挂牌督办
    （``supervision``），须由督办单位（解除时为原督办单位）的人员签名；把重大事故隐患改为一般隐患、新增移交
    （``referrals``），须由督办单位（未挂牌时为责任部门 ``rectification.department``）的人员签名；方案审查
    （专项整治的 ``plan.review``、实施方案的 ``review``）须由审查人 ``person`` 本人（未写时为审查单位的人员）签名；
    征求意见的反馈（``responses``）须由签字人 ``signed_by`` 本人（未写时为反馈单位的人员）签名；以上各项
    安委办（``jurisdiction.yaml`` 的 ``office``）的人员也可签名。人员所属单位以基准版本的 ``organization``
    为准。判断依据是记录的取值（与写法无关），比较基准版本与本次变更后的记录：新出现的事项只有在区间内
    某个由审批人签名的提交写入了同样内容时才算数——录入人可以先录入，审批人再用自己的公钥签名提交一次
    （例如补填批准日期），即可。已从登记册删除、或列入
    ``registry/jurisdiction.yaml`` 的 ``signing.revoked_keys`` 的公钥一律无效。网页编辑和平台合并提交的处理
    由 ``jurisdiction.yaml`` 的 ``signing`` 决定（见管理员指南）。

    PASS：孙浩（sun-hao-yjj，验收人）用登记的公钥签名，把 HAZ-2023-00001 改为 closed。

    FAIL：未签名的提交修改了 ``registry/hazards/2023/HAZ-2023-00001.yaml``。

    FAIL：同一合并请求中先把新公钥加入自己的 ``signing_keys``，再用它签名。

    FAIL：王强用自己的公钥签名，但提交作者是孙浩。

    FAIL：企业负责人王强签名把隐患改为 closed（验收人是孙浩），无论写成 ``status: closed``、
    ``"status": closed``、``status: !!str closed`` 还是 ``status: >-`` 加下一行 ``closed``。

    FAIL：王强录入延期并写上 ``approved_by: zhao-lei-yjj``，赵磊本人没有签名提交过这条延期。

    PASS：科员录入延期（``approved_by: zhao-lei-yjj``），赵磊随后签名提交补填 ``approved_on``。

    FAIL：企业负责人签名把 ``level`` 由 major 改为 general（须由督办单位或安委办的人员签名）。
    """,
)
