"""The text of an import's outcome: each row's fate, located rejections, and the totals."""

from __future__ import annotations

from rectify.ledger.importer import CREATED, REJECTED, STATUS_NAMES, UNCHANGED, UPDATED, Plan
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
            out.extend(f"  {problem}" for problem in outcome.problems)
        elif outcome.status == UPDATED:
            out.append(f"{where}：{name} {outcome.file}（{'、'.join(outcome.changed)}）")
        else:
            out.append(f"{where}：{name} {outcome.file}")
        out.extend(f"  {note}" for note in outcome.notes)
    verb = "将" if dry_run else ""
    totals = (
        f"共 {len(plan.outcomes)} 行：{verb}新建 {plan.count(CREATED)}，{verb}更新 {plan.count(UPDATED)}，"
        f"未变 {plan.count(UNCHANGED)}，拒绝 {plan.count(REJECTED)}。"
    )
    if dry_run:
        totals += "（试运行：未写入任何文件）"
    elif plan.count(REJECTED):
        totals += "被拒绝的行未写入任何内容，请按上面的说明修改后重新导入。"
    out.append(totals)
    return "\n".join(out)
