"""docs/rules.md is generated from the registry of rules and must be current."""

from __future__ import annotations

from pathlib import Path

from rectify.paths import find
from rectify.rules import RULES
from rectify.rulesdoc import markdown as render
from rectify.schema import Schemas
from tests.conftest import REPO
from tests.helpers import cli, explain


def markdown() -> str:
    return render(Schemas(find(REPO).schemas))


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
    (traceability,) = re.findall(r'<h2 id="([^"]+)">通知条款对照</h2>', html)
    assert links and links == ids - {traceability}
    assert "{#" not in html


def test_rules_command_prints_the_committed_page_anywhere(tmp_path: Path) -> None:
    """Outside a registry the page comes from rectify's own schemas: same output, exit 0."""
    proc = cli("rules", cwd=tmp_path)
    assert proc.returncode == 0, explain(proc)
    assert proc.stdout == (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
