"""Every registered rule is tested, has a bad fixture and is documented with PASS/FAIL examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from rectify.rules import RULES
from tests.rules.harness import FIXTURES, cases

TEST_SOURCES = {
    p: p.read_text(encoding="utf-8")
    for p in Path(__file__).parent.glob("test_*.py")
    if p.name != "test_meta.py"
}


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_has_test_fixture_and_docs(rule_id: str) -> None:
    entry = RULES[rule_id]
    assert any(f'"{rule_id}"' in text for text in TEST_SOURCES.values()), (
        f"{rule_id}：tests/rules/ 中没有测试文件提到它"
    )
    bad = cases(rule_id, "bad")
    assert bad, f"{rule_id}：缺少 {FIXTURES / rule_id / 'bad'} 下的例子"
    assert "PASS" in entry.doc and "FAIL" in entry.doc, f"{rule_id}：文档缺少 PASS/FAIL 示例"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in entry.title), f"{rule_id}：标题应为中文"
    assert entry.source, rule_id


def test_fixture_folders_name_registered_rules() -> None:
    unknown = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir() and p.name not in RULES)
    assert unknown == []
