"""One key, one person (issue 9, item 8): a key registered to two people, however the line is
spelled, counts for nobody in verify-signatures and is an error in ``rectify check``."""

from __future__ import annotations

from pathlib import Path

import pytest

from rectify.check import build_registry
from rectify.history.keys import KeyIndex, key_owners, person_for_fingerprint
from rectify.history.signatures import verify
from rectify.paths import find
from tests.conftest import make_registry
from tests.git.repo import Key, Repo, keygen
from tests.helpers import check
from tests.security.history import HAZ, WANG, progress

SPELLINGS = {
    "other-comment": lambda line: line.rsplit(" ", 1)[0] + " 王强的电脑",
    "no-comment": lambda line: line.rsplit(" ", 1)[0],
    "other-type-label": lambda line: "ssh-rsa " + line.split()[1] + " x",
    "same-line": lambda line: line,
}


def shared_repo(tmp_path: Path, spelling: str) -> tuple[Repo, dict[str, Key], str]:
    """Base: 王强 holds his own key and also 孙浩's, spelled differently."""
    keys = {name: keygen(tmp_path / "keys", name) for name in ("sun", "wang")}
    repo = Repo(make_registry(tmp_path / "repo"))
    repo.register("sun-hao-yjj", keys["sun"])
    repo.register("wang-qiang-qy", keys["wang"])
    data = repo.read(WANG)
    data["signing_keys"].append(SPELLINGS[spelling](keys["sun"].public))
    repo.write(WANG, data)
    return repo, keys, repo.commit("基准")


@pytest.mark.parametrize("spelling", sorted(SPELLINGS))
@pytest.mark.parametrize("author", ["sun-hao-yjj", "wang-qiang-qy"])
def test_shared_key_counts_for_nobody(tmp_path: Path, spelling: str, author: str) -> None:
    repo, keys, base = shared_repo(tmp_path, spelling)
    progress(repo, "用共用的公钥签名")
    repo.commit("进展", keys["sun"], repo.author(author))
    result = verify(find(repo.root), base).diagnostics
    assert [(d.rule, d.file) for d in result] == [("G-signed", HAZ)], result
    assert "同时登记给了 sun-hao-yjj、wang-qiang-qy" in result[0].message
    assert keys["sun"].fingerprint in result[0].message
    # 王强's own key still works
    progress(repo, "用自己的公钥签名")
    base = repo.git("rev-parse", "HEAD")
    repo.commit("进展", keys["wang"], repo.author("wang-qiang-qy"))
    assert verify(find(repo.root), base).diagnostics == []


def test_index_and_site_lookups_leave_the_shared_key_out(tmp_path: Path) -> None:
    repo, keys, _base = shared_repo(tmp_path, "other-comment")
    registry, _, _ = build_registry(find(repo.root))
    index = KeyIndex.from_people(registry.by_kind["person"].values())
    assert index.shared == {keys["sun"].fingerprint: ("sun-hao-yjj", "wang-qiang-qy")}
    assert keys["sun"].fingerprint not in index.owners
    assert keys["sun"].public.split()[1] not in index.allowed_signers()
    assert person_for_fingerprint(registry, keys["sun"].fingerprint) is None
    assert key_owners(registry) == {keys["wang"].fingerprint: "wang-qiang-qy"}


def test_same_person_twice_is_not_shared(tmp_path: Path) -> None:
    keys = {"sun": keygen(tmp_path / "keys", "sun")}
    repo = Repo(make_registry(tmp_path / "repo"))
    repo.register("sun-hao-yjj", keys["sun"])
    data = repo.read("registry/people/sun-hao-yjj.yaml")
    data["signing_keys"].append(keys["sun"].public.rsplit(" ", 1)[0] + " 另一台电脑")
    repo.write("registry/people/sun-hao-yjj.yaml", data)
    base = repo.commit("基准")
    progress(repo, "签名")
    repo.commit("进展", keys["sun"], repo.author("sun-hao-yjj"))
    assert verify(find(repo.root), base).diagnostics == []
    assert [d for d in check(repo.root) if d.rule == "R-signing-key"] == []


@pytest.mark.parametrize("spelling", sorted(SPELLINGS))
def test_check_reports_both_records(tmp_path: Path, spelling: str) -> None:
    repo, keys, _base = shared_repo(tmp_path, spelling)
    blob = keys["sun"].public.split()[1][-24:]

    def line_of(rel: str) -> int:
        lines = (repo.root / rel).read_text(encoding="utf-8").splitlines()
        return 1 + next(i for i, text in enumerate(lines) if blob in text)

    sun = "registry/people/sun-hao-yjj.yaml"
    found = sorted((d.rule, d.file, d.line) for d in check(repo.root) if d.rule == "R-signing-key")
    assert found == [("R-signing-key", sun, line_of(sun)), ("R-signing-key", WANG, line_of(WANG))]
