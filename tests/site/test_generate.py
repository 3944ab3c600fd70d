"""The pure step (Registry → pages and files) without MkDocs: escaping, overdue, links, profiles."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rectify.check import build_registry
from rectify.paths import find
from rectify.site.context import SiteOptions, days_overdue, deadline_in_force
from rectify.site.generate import generate
from rectify.site.html import esc, plain, relative, safe_url
from rectify.site.privacy import private_values
from tests.site.conftest import PRIVATE


def test_esc_leaves_no_markup() -> None:
    text = esc("<script>x</script> [a](javascript:b) {{ c }} **d** `e` | f\nline")
    for bad in ("<script", "[a]", "(javascript:", "{{", "**", "`", "|", ":"):
        assert bad not in text
    assert text.endswith("<br>line")
    assert "<" not in plain("<b>&'\"{x}") and "&" not in plain("a&b")


def test_safe_url_allows_only_http() -> None:
    assert safe_url("https://www.gov.cn/a") == "https://www.gov.cn/a"
    assert safe_url("javascript:alert(1)") is None
    assert safe_url('https://x" onmouseover="y') is None


def test_relative_links() -> None:
    assert relative("hazards/2023/HAZ-2023-00001.md", "index.md", False) == "hazards/2023/HAZ-2023-00001.html"
    assert relative("actions/index.md#ACT-1", "hazards/2023/H.md", False) == "../../actions/index.html#ACT-1"
    assert relative("data/x.json", "hazards/index.md", True) == "../data/x.json"


def test_deadline_in_force_and_overdue() -> None:
    hazard = {
        "status": "rectifying",
        "rectification": {"deadline": "2023-11-30"},
        "extensions": [
            {"new_deadline": "2023-12-15", "approved_on": "2023-11-20"},
            {"new_deadline": "2024-01-31"},  # requested, not approved
        ],
    }
    assert deadline_in_force(hazard) == "2023-12-15"
    assert days_overdue(hazard, dt.date(2023, 12, 15)) == 0, "the deadline day itself is not overdue"
    assert days_overdue(hazard, dt.date(2023, 12, 16)) == 1
    assert days_overdue({**hazard, "status": "closed"}, dt.date(2024, 6, 1)) == 0


def test_generate_public_and_internal(planted: Path) -> None:
    registry, _, _ = build_registry(find(planted))
    public = generate(registry, SiteOptions(profile="public", today=dt.date(2023, 12, 31)))
    internal = generate(registry, SiteOptions(profile="internal", today=dt.date(2023, 12, 31)))
    for doc in registry.records("hazard"):
        assert f"hazards/2023/{doc.id}.md" in public.records
    assert {"index.md", "hazards/index.md", "downloads.md", "reports/summary.md"} <= set(public.pages)
    assert "downloads/hazards.csv" in public.files and "downloads/deadlines.ics" in public.files
    secrets = private_values(registry)
    assert PRIVATE["phone"] in secrets and PRIVATE["anonymized_name"] in secrets

    def everything(content: object) -> str:
        pages = getattr(content, "pages", {})
        records = getattr(content, "records", {})
        files = getattr(content, "files", {})
        return "\n".join(
            [
                *pages.values(),
                *(r.body + r.title for r in records.values()),
                *(f.decode("utf-8", "ignore") for f in files.values()),
            ]
        )

    shown = everything(public)
    assert not [v for v in secrets if v in shown]
    assert [v for v in secrets if v in everything(internal)], "the internal build shows private values"
