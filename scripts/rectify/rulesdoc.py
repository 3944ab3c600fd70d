"""The rules page (docs/rules.md), generated from the registry of rules so that code and
documentation cannot drift: ``rectify rules > docs/rules.md``; a test fails when they differ."""

from __future__ import annotations

from rectify.rules import RULES, Rule


def _anchor(rule: Rule) -> str:
    return rule.id.lower()


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
    for rule in RULES.values():
        source = rule.source.replace("|", "\\|")
        out.append(f"| [{rule.id}](#{_anchor(rule)}) | {rule.severity.label} | {rule.title} | {source} |")
    out.append("")
    for rule in RULES.values():
        out += [
            f"## {rule.id}：{rule.title} {{#{_anchor(rule)}}}",
            "",
            f"- 级别：{rule.severity.label}",
            f"- 依据：{rule.source}",
            "",
            rule.doc,
            "",
        ]
    return "\n".join(out).rstrip() + "\n"
