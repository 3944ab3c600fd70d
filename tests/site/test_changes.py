"""What the timeline says a commit changed: Chinese field titles, codes as labels, references as
names, private fields masked and free text not repeated in the public profile."""

from __future__ import annotations

from pathlib import Path

import pytest

from rectify.check import build_registry
from rectify.model import Registry
from rectify.paths import find
from rectify.site.changes import MAX_SHOWN, describe
from rectify.site.context import INTERNAL, PUBLIC, Site, SiteOptions
from rectify.site.history import MISSING, FieldChange, History, Revision, diff


@pytest.fixture
def registry(repo: Path) -> Registry:
    person = repo / "registry/people/sun-hao-yjj.yaml"
    person.write_text(person.read_text(encoding="utf-8") + "anonymize: true\n", encoding="utf-8")
    return build_registry(find(repo))[0]


def site(registry: Registry, profile: str) -> Site:
    return Site(registry, SiteOptions(profile=profile), History())


def revision(*changes: FieldChange) -> Revision:
    return Revision("M", "1" * 40, "2" * 40, changes)


def test_codes_references_and_numbers(registry: Registry) -> None:
    text = describe(
        site(registry, PUBLIC),
        "hazard",
        revision(
            FieldChange(("status",), "open", "rectifying"),
            FieldChange(("rectification", "acceptor"), "zhao-lei-yjj", "sun-hao-yjj"),
            FieldChange(("rectification", "funds_cny"), 100, MISSING),
            FieldChange(("self_found",), False, True),
        ),
    )
    assert text == (
        "修改 整改状态：待整改 → 整改中；"
        "整改落实 · 验收人：赵磊（市应急管理局局长） → 市应急管理局执法科科员；"
        "整改落实 · 整改资金（元）：100 → （无）；"
        "企业自查发现：否 → 是"
    ).replace("市应急管理局", registry.by_kind["organization"]["city-emergency"].data["name"])


def test_private_fields_and_free_text(registry: Registry) -> None:
    changes = revision(
        FieldChange(("contact", "phone"), "0561-3012345", "13912345678"),
        FieldChange(("title",), "科员", "孙浩的职务"),
        FieldChange(("name",), MISSING, "孙浩"),
    )
    public = describe(site(registry, PUBLIC), "person", changes)
    assert public == "修改 联系方式 · 电话（不公开）；职务：文字已修改；姓名：已填写"
    internal = describe(site(registry, INTERNAL), "person", changes)
    assert "13912345678" in internal and "孙浩的职务" in internal


def test_list_items_are_numbered(registry: Registry) -> None:
    old = {"progress": [{"date": "2023-10-10", "note": "已订购"}]}
    new = {"progress": [{"date": "2023-10-10", "note": "已订购"}, {"date": "2023-11-01", "note": "已安装"}]}
    text = describe(site(registry, PUBLIC), "hazard", revision(*diff(old, new)))
    assert text == "修改 整改进展第 2 项 · 日期：（无） → 2023-11-01；整改进展第 2 项 · 进展情况：已填写"


def test_whole_revisions(registry: Registry) -> None:
    s = site(registry, PUBLIC)
    assert describe(s, "hazard", Revision("A", "0" * 40, "1" * 40, ())) == "新建记录"
    assert describe(s, "hazard", Revision("D", "1" * 40, "0" * 40, ())) == "删除记录"
    assert describe(s, "hazard", Revision("M", "1" * 40, "2" * 40, None)).endswith("（该版本无法按记录读取）")
    assert describe(s, "hazard", Revision("M", "1" * 40, "2" * 40, ())) == "记录内容未变（仅改动格式或注释）"
    many = revision(*(FieldChange(("measures",), [str(i)], [str(i + 1)]) for i in range(MAX_SHOWN + 3)))
    text = describe(s, "hazard", many)
    assert text.endswith("；另有 3 项修改") and text.count("measures") == MAX_SHOWN, text


def test_file_digests_are_shortened(registry: Registry) -> None:
    """A SHA-256 of an evidence file says which file; its first 12 characters do too (pages stay small)."""
    old, new = "a" * 64, "b" * 64
    change = FieldChange(("evidence", 0, "sha256"), old, new)
    text = describe(site(registry, INTERNAL), "hazard", revision(change))
    assert f"{'a' * 12}… → {'b' * 12}…" in text and old not in text
