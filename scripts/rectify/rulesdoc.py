"""The rules page (docs/rules.md), generated from the registry of rules so that code and
documentation cannot drift: ``rectify rules > docs/rules.md``; a test fails when they differ."""

from __future__ import annotations

from rectify.rules import RULES, Rule

GROUPS = "RCHIEKG"  # reading order: records, campaigns, hazards, inspections, enterprises, consultations, Git


def _anchor(rule: Rule) -> str:
    """The id MkDocs' table of contents gives the heading (its slug keeps only the ASCII rule id)."""
    return rule.id.lower()


def _ordered() -> list[Rule]:
    return sorted(RULES.values(), key=lambda r: (GROUPS.find(r.id[0]), r.id))


def markdown() -> str:
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
