"""The traceability table (rectify.notice, rendered on the rules page): every requirement of the notice
has a row, quotes the notice's own words, and points only at rules, fields and pages that exist."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rectify.check import build_registry
from rectify.notice import PAGES, REQUIREMENTS, resolve
from rectify.paths import find
from rectify.rules import RULES
from rectify.schema import Schemas
from rectify.site.context import SiteOptions
from rectify.site.generate import generate
from tests.conftest import REPO

NOTICE = (Path(__file__).parent / "notice.txt").read_text(encoding="utf-8")  # the seed, verbatim
PARAGRAPHS = (
    "函",
    "一(一)",
    "一(二)",
    "一(三)",
    "一(四)",
    "二(一)",
    "二(二)1",
    "二(二)2",
    "二(二)3",
    "二(三)",
    "三",
    "四",
)


def _flat(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("index", range(len(REQUIREMENTS)))
def test_requirement_quotes_the_notice_and_maps_to_what_exists(index: int) -> None:
    req = REQUIREMENTS[index]
    schemas = Schemas(find(REPO).schemas)
    for part in req.quote.split("……"):
        assert _flat(part) in _flat(NOTICE), f"{req.paragraph}：引文「{part}」不在通知原文中"
    assert req.paragraph in PARAGRAPHS
    assert req.rules or req.fields or req.pages, f"{req.quote}：没有任何落实方式"
    for rule_id in req.rules:
        assert rule_id in RULES, f"{req.quote}：规则 {rule_id} 未注册"
    for target in req.fields:
        assert resolve(schemas, target) is not None, f"{req.quote}：字段 {target} 不在 schema 中"
    for page in req.pages:
        assert page in PAGES, f"{req.quote}：页面 {page} 未登记在 notice.PAGES"


def test_every_paragraph_and_every_notice_rule_has_rows() -> None:
    assert {req.paragraph for req in REQUIREMENTS} == set(PARAGRAPHS)
    mapped = {rule for req in REQUIREMENTS for rule in req.rules}
    notice_rules = {r.id for r in RULES.values() if r.run is not None and r.source != "—" and r.id[0] != "R"}
    assert notice_rules - mapped == set(), "这些依据通知的规则没有出现在对照表中"


def test_resolve_rejects_what_is_not_a_field() -> None:
    schemas = Schemas(find(REPO).schemas)
    assert resolve(schemas, "hazard.rectification.acceptor") is not None
    assert resolve(schemas, "consultation.responses.received_at") is not None  # through a list
    assert resolve(schemas, "hazard.rectification.acceptors") is None
    assert resolve(schemas, "hazard") is None
    assert resolve(schemas, "nothing.id") is None


def test_every_listed_page_is_generated_by_the_site() -> None:
    registry, _, _ = build_registry(find(REPO))
    site = generate(registry, SiteOptions(today=dt.date(2023, 12, 31)))
    assert set(PAGES) - set(site.pages) == set()
