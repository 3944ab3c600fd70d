"""docs/rules.md is generated from the registry of rules and must be current."""

from __future__ import annotations

from rectify.rules import RULES
from rectify.rulesdoc import markdown
from tests.conftest import REPO


def test_committed_rules_page_is_current() -> None:
    committed = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == markdown(), "docs/rules.md 已过时：请运行 .venv/bin/rectify rules > docs/rules.md"


def test_every_rule_has_its_section_with_notice_paragraph() -> None:
    page = markdown()
    for entry in RULES.values():
        assert f"## {entry.id}\n\n**{entry.title}**" in page
        assert f"- 依据：{entry.source}" in page


def test_rule_headings_get_the_anchors_the_table_links_to() -> None:
    import re

    import markdown

    from tests.conftest import REPO

    text = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    html = markdown.markdown(text, extensions=["tables", "toc"])
    ids = set(re.findall(r'<h2 id="([^"]+)"', html))
    links = set(re.findall(r"\]\(#([^)]+)\)", text))
    assert links and links == ids
    assert "{#" not in html
