"""The text of an import's outcome: each row's fate, located rejections, and the totals."""

from __future__ import annotations

from rectify.ledger.outcomes import CREATED, REJECTED, STATUS_NAMES, UNCHANGED, UPDATED, Plan
from rectify.ledger.read import Sheet


def summary(plan: Plan, sheets: list[Sheet], notices: list[str], dry_run: bool, verbose: bool) -> str:
    out: list[str] = []
    for sheet in sheets:
        if sheet.ignored:
            out.append(f"工作表“{sheet.name}”：以下列不是台账字段，未导入：{'、'.join(sheet.ignored)}")
    out.extend(notices)
    for outcome in plan.outcomes:
        if outcome.status == UNCHANGED and not verbose:
            continue
        where = f"工作表“{outcome.sheet}”第 {outcome.row} 行"
        name = STATUS_NAMES[outcome.status]
        if outcome.status == REJECTED:
            out.append(f"{where}：{name}，未写入")
            for problem in outcome.problems:
                out.append(f"  {problem}")
                if problem.ci:
                    out.append(f"    CI：{problem.ci}")
        elif outcome.entry:
            verb = "追加" if outcome.status == CREATED else name
            changed = f"：{'、'.join(outcome.changed)}" if outcome.status == UPDATED else ""
            out.append(f"{where}：{verb} {outcome.file}（{outcome.entry}{changed}）")
        elif outcome.status == UPDATED:
            out.append(f"{where}：{name} {outcome.file}（{'、'.join(outcome.changed)}）")
        else:
            out.append(f"{where}：{name} {outcome.file}")
        for note in outcome.notes:
            out.append(f"  {note}")
            if note.ci:
                out.append(f"    CI：{note.ci}")
    verb = "将" if dry_run else ""
    appended = sum(1 for o in plan.outcomes if o.status == CREATED and o.entry)
    totals = (
        f"共 {len(plan.outcomes)} 行：{verb}新建 {plan.count(CREATED) - appended}，"
        + (f"{verb}追加 {appended}，" if appended else "")
        + f"{verb}更新 {plan.count(UPDATED)}，"
        f"未变 {plan.count(UNCHANGED)}，拒绝 {plan.count(REJECTED)}。"
    )
    if dry_run:
        totals += "（试运行：未写入任何文件）"
    elif plan.count(REJECTED):
        totals += "被拒绝的行未写入任何内容，请按上面的说明修改后重新导入。"
    out.append(totals)
    return "\n".join(out)
