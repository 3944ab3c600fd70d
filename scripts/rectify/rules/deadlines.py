"""Deadlines: overdue and due-soon hazards, extensions, campaign milestones (四 逾期没有完成目标任务)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from rectify.diagnostics import Diagnostic, Severity
from rectify.facts import (
    DUE_SOON_WORKING_DAYS,
    OPEN_STATUSES,
    Deadline,
    date,
    deadline_in_force,
    deadline_on,
    deadline_steps,
    facts_of,
)
from rectify.model import Registry
from rectify.rules import Context, Reads, rule, through_people

LEVEL_LABEL = {"major": "重大事故隐患", "general": "一般事故隐患"}


def shifted(day: dt.date, due: dt.date) -> str:
    """``（休息日，顺延至 2023-10-07）`` when a limit's last day moved, else nothing."""
    return f"（休息日，顺延至 {due}）" if due != day else ""


def overdue_grade(days: int) -> str:
    """How bad an overdue is: the report and the message use the same words."""
    if days > 90:
        return "严重逾期（超过 90 天）"
    if days > 30:
        return "逾期超过 30 天"
    return "逾期"


@rule(
    "H-overdue",
    Severity.ALERT,
    "隐患逾期未整改",
    "四 逾期没有完成目标任务",
    each="hazard",
    reads=("enterprise", "organization", "person"),
    depends=through_people(("hazard",)),
)
def check_overdue(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    未销号（待整改、整改中、待验收）的隐患，过了现行整改时限（`rectification.deadline`，或其后按日期
    最晚生效的已批准延期 `extensions[].new_deadline`、重新打开时定的 `reopened[].new_deadline`；时限当日
    仍在期限内，次日起逾期）仍未销号，发出 **提醒**，并注明逾期天数和程度：30 天以内为“逾期”，超过
    30 天、超过 90 天（严重逾期）逐级加重，供调度和追责。重新打开的隐患从重新打开时定的新时限起算逾期。
    报告、台账、网站的逾期天数都由同一个函数（`rectify.facts.overdue_days`）计算。

    时限的最后一日是休息日（法定节假日，或不是调休上班日的周六、周日）的，顺延至其后第一个工作日，
    按国家放假调休安排计算（chinese-calendar / `registry/calendar.yaml`）。决定与理由：通知没有规定
    期间的计算，按《民法典》第二百零三条“期间的最后一日是法定休假日的，以法定休假日结束的次日为
    期间的最后一日”办理，这是法律文件计算期限的通行规则；延期、重新打开后的新时限同样顺延。该年
    放假安排未收录时不作顺延。本规则、H-due-soon、H-extension、H-liability、C-milestone、K-deadline
    都通过同一个函数（`rectify.facts.last_day`）计算。

    以下情况是数据本身的问题，为 **错误**（提交者可以改正，应阻止合并）：

    - 登记的整改时限早于发现日期 `found.date`；重新打开后的时限早于重新打开日期；
    - 与基准版本比较（`check --base`）时，本次新登记的隐患一登记就已逾期，且没有任何延期记录说明
      原因——补录早已逾期的隐患，应同时登记延期申请（及批准情况），否则应核对时限。

    PASS: `status: rectifying`，`deadline: 2024-01-31`，今天 2023-12-31。
    FAIL: `status: rectifying`，`deadline: 2023-11-30`，今天 2023-12-31（提醒：逾期 31 天）；
    `found.date: 2023-09-12` 而 `deadline: 2023-09-01`（错误）。
    PASS（顺延）：`deadline: 2023-10-01`（国庆假期），今天 2023-10-09：时限顺延至 10 月 7 日（周六调休上班），
    10 月 8 日起逾期——今天逾期 2 天，而不是 8 天。
    """
    facts = facts_of(registry)
    base_hazards = context.base.by_kind.get("hazard", {}) if context.base is not None else None
    for doc in registry.records("hazard"):
        hazard = doc.data
        found_on = date((hazard.get("found") or {}).get("date"))
        registered = date((hazard.get("rectification") or {}).get("deadline"))
        if found_on and registered and registered < found_on:
            yield doc.diagnostic(
                "H-overdue",
                Severity.ERROR,
                ["rectification", "deadline"],
                f"整改时限 {registered} 早于发现日期 {found_on}：请核对整改时限",
            )
            continue
        yield from _reopenings(doc.diagnostic, hazard)
        deadline = deadline_in_force(hazard)
        if hazard.get("status") not in OPEN_STATUSES or deadline is None:
            continue
        due = facts.due(deadline)
        if due >= context.today:
            continue
        days = (context.today - due).days
        level = LEVEL_LABEL.get(hazard.get("level", ""), "隐患")
        if base_hazards is not None and doc.id not in base_hazards and not hazard.get("extensions"):
            yield doc.diagnostic(
                "H-overdue",
                Severity.ERROR,
                list(deadline.path),
                f"本次新登记的{level}整改时限 {deadline.on} 已过（今天 {context.today}）："
                "补录已逾期的隐患应同时登记延期申请及批准情况，否则请核对整改时限",
            )
            continue
        rect = hazard.get("rectification") or {}
        where = "（已延期）" if deadline.extended else "（重新打开后的时限）" if deadline.reopened else ""
        yield doc.diagnostic(
            "H-overdue",
            Severity.ALERT,
            list(deadline.path),
            f"{level}{overdue_grade(days)}：整改时限 {deadline.on}{where}{shifted(deadline.on, due)}，"
            f"至 {context.today} 已逾期 {days} 天；"
            f"责任部门 {facts.name(rect.get('department'))}，责任人 {facts.name(rect.get('person'))}",
        )


@rule(
    "H-due-soon",
    Severity.ALERT,
    "隐患即将到期",
    "—",
    each="hazard",
    reads=("enterprise", "organization", "person"),
    depends=through_people(("hazard",)),
)
def check_due_soon(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    未销号的隐患，现行整改时限在今天起 10 个工作日之内（含今天到期），发出 **提醒**。
    工作日按国家法定节假日和调休安排计算（chinese-calendar；其未收录的年份取 `registry/calendar.yaml`）。
    两处都没有收录的年份无法判断哪天上班，不作猜测：对今后 31 天内到期的隐患提醒“无法按工作日计算”，
    请在 `registry/calendar.yaml` 中补录该年的放假安排。

    PASS: 今天 2023-09-27，`deadline: 2023-10-20`（国庆调休后第 10 个工作日之后）。
    FAIL: 今天 2023-09-27，`deadline: 2023-10-13`：9 月 28 日、10 月 7 日（周六调休上班）、8 日（周日
    调休上班）、9–13 日，共 8 个工作日，在 10 个工作日之内。时限落在休息日的按顺延后的日期计算（见 H-overdue）。
    """
    facts = facts_of(registry)
    calendar = facts.calendar
    limit = calendar.add_working_days(context.today, DUE_SOON_WORKING_DAYS)
    horizon = limit if limit is not None else context.today + dt.timedelta(days=31)
    for doc in registry.records("hazard"):
        hazard = doc.data
        deadline = deadline_in_force(hazard)
        if hazard.get("status") not in OPEN_STATUSES or deadline is None:
            continue
        due = facts.due(deadline)
        if not context.today <= due <= horizon:
            continue
        level = LEVEL_LABEL.get(hazard.get("level", ""), "隐患")
        if limit is None:
            unknown = "、".join(str(y) for y in calendar.unknown_years(context.today, horizon))
            yield doc.diagnostic(
                "H-due-soon",
                Severity.ALERT,
                list(deadline.path),
                f"{level}整改时限 {due}：{unknown} 年的法定节假日安排未收录（chinese-calendar 未覆盖，"
                "registry/calendar.yaml 中也没有），无法按工作日计算剩余时间，请补录该年放假安排",
            )
            continue
        left = calendar.working_days_after(context.today, due)
        when = "今天到期" if due == context.today else f"还剩 {left} 个工作日"
        rect = hazard.get("rectification") or {}
        yield doc.diagnostic(
            "H-due-soon",
            Severity.ALERT,
            list(deadline.path),
            f"{level}即将到期：整改时限 {deadline.on}{shifted(deadline.on, due)}，{when}；责任部门 {facts.name(rect.get('department'))}，"
            f"责任人 {facts.name(rect.get('person'))}",
        )


@rule(
    "H-extension",
    Severity.ERROR,
    "延期须在原时限届满前批准",
    "四 逾期没有完成目标任务",
    each="hazard",
    reads=("enterprise", "organization", "person"),
    depends=through_people(("hazard",)),
)
def check_extensions(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    延期（`extensions[]`）从原整改时限 `rectification.deadline` 起逐次接续：每一次延期移动的是它之前的
    现行时限（原时限、上一次已批准延期的 `new_deadline`，或其间重新打开时定的 `reopened[].new_deadline`，
    按批准日、重新打开日先后接续）。`rectification.deadline` 始终保留原时限：新时限只写在延期条目的
    `new_deadline`，不要同时改写 `rectification.deadline`（G-ratchet 拒绝改写；改写后新时限与原时限相同，
    本规则报错并说明）。这样每次变更都是一条追加的、由批准人签名的记录，工作人员只需追加一条。

    **错误**（记录自相矛盾或不完整）：批准人 `approved_by` 与批准日期 `approved_on` 只填了一个；批准
    早于申请；新时限不晚于被延期的时限；批准人是企业自己的人员（企业不能批准自己的延期）。

    **警告**（如实记录了违反通知的做法，不阻止合并，但要报告）：原时限届满后才申请或才批准的延期——
    逾期不因事后批准而消除，原时限次日至批准日之间仍按逾期追责。

    未批准（没有 `approved_on`）的延期申请不改变现行时限。时限的最后一日是休息日的顺延至下一个工作日
    （见 H-overdue），在顺延后的最后一日申请、批准仍算届满前。

    PASS: 原时限 2023-11-30，`requested_on: 2023-11-20`，`approved_on: 2023-11-25`，`new_deadline: 2024-01-31`。
    FAIL: `approved_on: 2023-12-05`（原时限 2023-11-30 已过，警告）；`new_deadline: 2023-11-15`（早于原时限，错误）；
    `rectification.deadline` 与 `new_deadline` 都写成 2024-01-31（错误：原时限被改写）。
    """
    facts = facts_of(registry)
    for doc in registry.records("hazard"):
        hazard = doc.data
        steps = deadline_steps(hazard)
        enterprise = hazard.get("enterprise")
        for index, extension in enumerate(hazard.get("extensions") or []):
            here: list[str | int] = ["extensions", index]
            requested = date(extension.get("requested_on"))
            approved = date(extension.get("approved_on"))
            new = date(extension.get("new_deadline"))
            approver = extension.get("approved_by")
            current = _moved(hazard, steps, index, requested)
            if bool(approver) != bool(approved):
                missing = "approved_on（批准日期）" if approver else "approved_by（批准人）"
                yield doc.diagnostic(
                    "H-extension", Severity.ERROR, here, f"延期批准信息不完整：缺少 {missing}"
                )
            if approved and requested and approved < requested:
                yield doc.diagnostic(
                    "H-extension",
                    Severity.ERROR,
                    [*here, "approved_on"],
                    f"批准日期 {approved} 早于申请日期 {requested}",
                )
            if approver and facts.organization_of(approver) == enterprise:
                yield doc.diagnostic(
                    "H-extension",
                    Severity.ERROR,
                    [*here, "approved_by"],
                    f"批准人 {facts.name(approver)} 是隐患所在企业的人员：企业不能批准自己的延期",
                )
            if current is not None and new is not None and new <= current:
                same = new == current and current == steps[0].on if steps else False
                hint = (
                    "：rectification.deadline 应保留原整改时限，新时限只写在本条延期的 new_deadline 中"
                    if same
                    else ""
                )
                yield doc.diagnostic(
                    "H-extension",
                    Severity.ERROR,
                    [*here, "new_deadline"],
                    f"延期后的时限 {new} 不晚于被延期的时限 {current}{hint}",
                )
            ends = facts.last_day(current) if current is not None else None
            if ends is not None and requested is not None and requested > ends:
                yield doc.diagnostic(
                    "H-extension",
                    Severity.WARNING,
                    [*here, "requested_on"],
                    f"原时限 {current} 届满后（{requested}）才申请延期：逾期期间仍按逾期追责",
                )
            elif ends is not None and approved is not None and approved > ends:
                yield doc.diagnostic(
                    "H-extension",
                    Severity.WARNING,
                    [*here, "approved_on"],
                    f"原时限 {current} 届满后（{approved}）才批准延期：{current} 次日至批准日仍按逾期追责",
                )


def _moved(
    hazard: dict[str, Any], steps: list[Deadline], index: int, requested: dt.date | None
) -> dt.date | None:
    """The deadline extension ``index`` moves: the one in force just before it took force (or, for a
    request not yet approved, the one in force when it was requested)."""
    where = ("extensions", index, "new_deadline")
    for position, step in enumerate(steps):
        if step.path == where:
            return steps[position - 1].on
    before = deadline_on(hazard, requested) if requested is not None else deadline_in_force(hazard)
    return before.on if before is not None else None


def _reopenings(diagnostic: Any, hazard: dict[str, Any]) -> Iterator[Diagnostic]:
    """A reopening's new deadline (``reopened[].new_deadline``) cannot precede the reopening itself."""
    for index, entry in enumerate(hazard.get("reopened") or []):
        day, new = date(entry.get("date")), date(entry.get("new_deadline"))
        if day is not None and new is not None and new < day:
            yield diagnostic(
                "H-overdue",
                Severity.ERROR,
                ["reopened", index, "new_deadline"],
                f"重新打开后的整改时限 {new} 早于重新打开日期 {day}：请核对新时限",
            )


@rule(
    "C-milestone",
    Severity.ALERT,
    "方案时间节点逾期未完成",
    "四 逾期没有完成目标任务",
    depends=Reads(on=("campaign", "plan"), kinds=("organization", "person"), refs=("*",)),
)
def check_milestones(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    专项整治方案和各单位实施方案中的时间节点（`plan.milestones[]` / `milestones[]`），过了完成时限
    （含当日；落在休息日的顺延至下一个工作日，见 H-overdue）仍没有填写完成日期 `done_on` 的，按负责单位发出 **提醒**。完成日期晚于今天的视为填写
    错误（**错误**：不能预先填写完成）。

    PASS: `deadline: 2023-11-30`，`done_on: 2023-11-29`。
    FAIL: `deadline: 2023-11-30`，没有 `done_on`，今天 2023-12-31（提醒：逾期 31 天，负责单位 市安委办）。
    """
    facts = facts_of(registry)
    sources = [
        (doc, ["plan", "milestones"], (doc.data.get("plan") or {})) for doc in registry.records("campaign")
    ]
    sources += [(doc, ["milestones"], doc.data) for doc in registry.records("plan")]
    for doc, prefix, holder in sources:
        for index, milestone in enumerate(holder.get("milestones") or []):
            deadline = date(milestone.get("deadline"))
            done = date(milestone.get("done_on"))
            name = milestone.get("name", "")
            if done is not None and done > context.today:
                yield doc.diagnostic(
                    "C-milestone",
                    Severity.ERROR,
                    [*prefix, index, "done_on"],
                    f"时间节点「{name}」的完成日期 {done} 晚于今天 {context.today}：不能预先填写完成",
                )
            due = facts.last_day(deadline) if deadline is not None else None
            if done is None and deadline is not None and due is not None and due < context.today:
                days = (context.today - due).days
                yield doc.diagnostic(
                    "C-milestone",
                    Severity.ALERT,
                    [*prefix, index],
                    f"时间节点「{name}」完成时限 {deadline}{shifted(deadline, due)}，已逾期 {days} 天未完成；"
                    f"负责：{facts.name(milestone.get('owner'))}",
                )
