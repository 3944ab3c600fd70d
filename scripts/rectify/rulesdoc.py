"""The rules page (docs/rules.md), generated from the registry of rules so that code and
documentation cannot drift: ``rectify rules > docs/rules.md``; a test fails when they differ."""

from __future__ import annotations

from rectify.fields import KIND_NAMES
from rectify.notice import PAGES, REQUIREMENTS, resolve
from rectify.rules import RULES, Rule
from rectify.schema import Schemas

GROUPS = "RCHIEKG"  # reading order: records, campaigns, hazards, inspections, enterprises, consultations, Git


def _anchor(rule: Rule) -> str:
    """The id MkDocs' table of contents gives the heading (its slug keeps only the ASCII rule id)."""
    return rule.id.lower()


def _ordered() -> list[Rule]:
    return sorted(RULES.values(), key=lambda r: (GROUPS.find(r.id[0]), r.id))


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _field(schemas: Schemas, target: str) -> str:
    """``隐患·验收人 `hazard.rectification.acceptor```: a field as staff call it, with its path."""
    found = resolve(schemas, target)
    kind = target.partition(".")[0]
    title = (
        f"{KIND_NAMES.get(kind, '辖区' if kind == 'jurisdiction' else kind)}·{found.title}" if found else ""
    )
    return f"{title} `{target}`".strip()


def traceability(schemas: Schemas) -> list[str]:
    """The notice, requirement by requirement, with the rules, fields and pages that carry it out."""
    out = [
        "## 通知条款对照",
        "",
        "《关于规范安全生产专项整治工作的通知（征求意见稿）》及征求意见函的每一项要求，由哪条规则检查、"
        "记在哪个字段、在网站哪个页面公开。“落实方式”为 **规则检查**（CI 按规则报告）、**登记**（有字段"
        "记录，没有规则判断）或 **公开展示**（只在网站上展示）。本表由 `rectify rules` 从 `rectify.notice` 生成。",
        "",
        "| 条款 | 通知原文（摘） | 落实方式 | 规则 | 字段 | 页面 |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for req in REQUIREMENTS:
        rules = "、".join(f"[{r}](#{r.lower()})" for r in req.rules) or "—"
        fields = "<br>".join(_cell(_field(schemas, f)) for f in req.fields) or "—"
        pages = "、".join(PAGES.get(p, p) for p in req.pages) or "—"
        out.append(
            f"| {req.paragraph} | {_cell(req.quote)} | {req.coverage} | {rules} | {fields} | {pages} |"
        )
    out.append("")
    return out


def markdown(schemas: Schemas) -> str:
    out = [
        "# 规则",
        "",
        "<!-- 本页由 `rectify rules > docs/rules.md` 从规则注册表生成，请勿手工修改。 -->",
        "",
        "每条规则有固定编号、级别和所依据的通知条款。**错误** 阻止合并；**警告** 仅在 `--strict` 时阻止；"
        "**提醒**（逾期、即将到期等随时间出现的情况）只报告、从不阻止。"
        "表中的级别是规则可能给出的最高级别，同一规则在不同情形下的级别见各条说明。",
        "",
        "| 编号 | 级别 | 规则 | 依据 |",
        "| --- | --- | --- | --- |",
    ]
    for rule in _ordered():
        source = rule.source.replace("|", "\\|")
        out.append(f"| [{rule.id}](#{_anchor(rule)}) | {rule.severity.label} | {rule.title} | {source} |")
    out.append("")
    out += traceability(schemas)
    for rule in _ordered():
        out += [
            f"## {rule.id}",  # the heading is the id alone: its slug is then exactly the anchor
            "",
            f"**{rule.title}**",
            "",
            f"- 级别：{rule.severity.label}",
            f"- 依据：{rule.source}",
            "",
            rule.doc,
            "",
        ]
    return "\n".join(out).rstrip() + "\n"
