"""Merges cannot carry unsigned content (issue 9, item 3): every registry file whose content at head
differs from the base holds what a properly signed commit of the range set, whatever the merges —
a second parent older than the base, parents in either order, octopus and criss-cross merges."""

from __future__ import annotations

from pathlib import Path

import pytest

from rectify.diagnostics import Diagnostic
from rectify.history.signatures import verify
from rectify.paths import find
from tests.git.repo import Key, Repo, keygen
from tests.security.history import HAZ, WANG, merge_of, progress, restore, signed_base

JURISDICTION = "registry/jurisdiction.yaml"


@pytest.fixture
def timeline(tmp_path: Path) -> tuple[Repo, dict[str, Key], str, str]:
    """O: 王强 holds a second key ``old``. B (the base): 孙浩 removed and revoked it, and 王强
    reported progress. Returns (repo, keys, O, B) with HEAD at B."""
    repo, keys = signed_base(tmp_path)
    keys["old"] = keygen(tmp_path / "keys", "old")
    repo.register("wang-qiang-qy", keys["old"])
    old = repo.commit("王强的第二把公钥", keys["sun"], repo.author("sun-hao-yjj"))
    data = repo.read(WANG)
    data["signing_keys"] = [keys["wang"].public]
    repo.write(WANG, data)
    repo.edit(
        JURISDICTION,
        signing={
            "revoked_keys": [
                {"key": keys["old"].public, "person": "wang-qiang-qy", "revoked_on": "2023-11-01"}
            ]
        },
    )
    repo.commit("吊销王强丢失的公钥", keys["sun"], repo.author("sun-hao-yjj"))
    progress(repo, "基准上的进展")
    base = repo.commit("进展", keys["wang"], repo.author("wang-qiang-qy"))
    return repo, keys, old, base


def found(repo: Repo, base: str) -> list[Diagnostic]:
    return verify(find(repo.root), base).diagnostics


@pytest.mark.parametrize("files", [[WANG], [JURISDICTION], [WANG, JURISDICTION], [HAZ]])
def test_unsigned_merge_cannot_bring_back_an_old_version(
    timeline: tuple[Repo, dict[str, Key], str, str], files: list[str]
) -> None:
    repo, _keys, old, base = timeline
    restore(repo, old, *files)
    merge = merge_of(repo, [base, old])
    result = found(repo, base)
    assert [(d.rule, d.file) for d in result] == [("G-signed", f) for f in sorted(files)], result
    for d in result:
        assert (
            merge[:10] in d.message and "合并时从另一父提交带入了它" in d.message and "没有签名" in d.message
        )


def test_old_first_parent_is_named_as_history_before_the_base(
    timeline: tuple[Repo, dict[str, Key], str, str],
) -> None:
    """Parents the other way round: the old content arrives through the first parent, so no
    commit of the range set it at all."""
    repo, _keys, old, base = timeline
    repo.git("checkout", "-q", old)
    restore(repo, base, HAZ, JURISDICTION)
    merge_of(repo, [old, base])
    result = found(repo, base)
    assert [d.file for d in result] == [WANG]
    assert "区间内没有任何提交设定过这一内容" in result[0].message


def test_merge_with_a_second_parent_older_than_base_is_fine_when_it_takes_nothing(
    timeline: tuple[Repo, dict[str, Key], str, str],
) -> None:
    repo, keys, old, base = timeline
    merge_of(repo, [base, old])
    progress(repo, "合并之后")
    repo.commit("进展", keys["wang"], repo.author("wang-qiang-qy"))
    assert found(repo, base) == []


@pytest.mark.parametrize("evil", ["edit", "delete", "add"])
def test_change_made_only_in_an_unsigned_merge(
    timeline: tuple[Repo, dict[str, Key], str, str], evil: str
) -> None:
    repo, keys, _old, base = timeline
    repo.git("checkout", "-q", "-b", "side")
    repo.edit("registry/people/sun-hao-yjj.yaml", title="执法科副科长")
    side = repo.commit("孙浩职务", keys["sun"], repo.author("sun-hao-yjj"))
    repo.git("checkout", "-q", base)
    restore(repo, side, "registry/people/sun-hao-yjj.yaml")
    target = {"edit": WANG, "delete": HAZ, "add": "registry/people/li-si.yaml"}[evil]
    if evil == "edit":
        repo.edit(WANG, title="董事长")
    elif evil == "delete":
        (repo.root / HAZ).unlink()
    else:
        repo.write(target, {"id": "li-si", "name": "李四", "organization": "city-emergency", "title": "科员"})
    merge_of(repo, [base, side])
    assert [d.file for d in found(repo, base)] == [target]


def test_octopus_merge(timeline: tuple[Repo, dict[str, Key], str, str]) -> None:
    repo, keys, old, base = timeline
    tips = []
    for n, (person, rel) in enumerate(
        [("sun-hao-yjj", "registry/people/sun-hao-yjj.yaml"), ("wang-qiang-qy", WANG)], 1
    ):
        repo.git("checkout", "-q", base)
        repo.edit(rel, title=f"职务 {n}")
        tips.append(repo.commit(f"分支 {n}", keys["sun" if n == 1 else "wang"], repo.author(person)))
    repo.git("checkout", "-q", base)
    restore(repo, tips[0], "registry/people/sun-hao-yjj.yaml")
    restore(repo, tips[1], WANG)
    clean = merge_of(repo, [base, *tips])
    assert found(repo, base) == []
    # the same octopus with a third parent older than the base, whose jurisdiction it takes
    repo.git("reset", "-q", "--hard", clean)
    restore(repo, old, JURISDICTION)
    merge = merge_of(repo, [base, *tips, old])
    result = found(repo, base)
    assert [d.file for d in result] == [JURISDICTION] and merge[:10] in result[0].message


def test_signed_merges_and_criss_cross(timeline: tuple[Repo, dict[str, Key], str, str]) -> None:
    """A conflict resolved in a merge signed by a registered person is theirs; unsigned clean
    merges both ways between two branches carry only what the branches' signed commits set."""
    repo, keys, _old, base = timeline
    repo.git("checkout", "-q", "-b", "a")
    progress(repo, "分支 a")
    a1 = repo.commit("a", keys["wang"], repo.author("wang-qiang-qy"))
    repo.git("checkout", "-q", "-b", "b", base)
    repo.edit("registry/people/sun-hao-yjj.yaml", title="副科长")
    b1 = repo.commit("b", keys["sun"], repo.author("sun-hao-yjj"))
    restore(repo, a1, HAZ)
    b2 = merge_of(repo, [b1, a1])  # b merges a
    repo.git("checkout", "-q", a1)
    restore(repo, b1, "registry/people/sun-hao-yjj.yaml")
    a2 = merge_of(repo, [a1, b1])  # a merges b: criss-cross
    data = repo.read(HAZ)
    data["progress"][-1]["note"] = "分支 a（合并时改写）"
    repo.write(HAZ, data)
    merge_of(repo, [a2, b2], keys["wang"], "合并并解决冲突")
    assert found(repo, base) == []


def test_signed_merge_vouches_for_what_it_brings(timeline: tuple[Repo, dict[str, Key], str, str]) -> None:
    """A merge signed by a registered person answers for everything it brings into its first
    parent's line, an old version included (the documented meaning; unsigned, it is refused)."""
    repo, keys, old, base = timeline
    restore(repo, old, HAZ)
    merge_of(repo, [base, old], keys["wang"], "王强签名的合并")
    assert found(repo, base) == []


def test_branch_behind_the_base_is_not_blamed_for_the_base(
    timeline: tuple[Repo, dict[str, Key], str, str],
) -> None:
    """Head forked before the base: what the base changed since is not head's doing (merging it
    keeps the base's version); head's own changes are judged."""
    repo, keys, old, base = timeline
    repo.git("checkout", "-q", "-b", "behind", old)
    repo.edit("registry/people/sun-hao-yjj.yaml", title="副科长")
    repo.commit("孙浩职务", keys["sun"], repo.author("sun-hao-yjj"))
    assert found(repo, base) == []
    repo.edit("registry/people/zhao-lei-yjj.yaml", title="副局长")
    repo.commit("赵磊职务（未签名）")
    restore(repo, base, HAZ, WANG, JURISDICTION)
    merge_of(repo, [repo.git("rev-parse", "HEAD"), base])  # catch up with the base, unsigned
    assert [d.file for d in found(repo, base)] == ["registry/people/zhao-lei-yjj.yaml"]
