"""The site's per-record history: signatures read in-process (one ``git cat-file --batch``), each
commit's status as Git would give it, and the key mapped to the person it is registered to."""

from __future__ import annotations

from pathlib import Path

from rectify.history.keys import key_owners
from rectify.site.history import read
from tests.git.repo import Repo, keygen


def test_history_marks_signed_and_unsigned_commits(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    repo = Repo(tmp_path / "repo")
    key = keygen(tmp_path / "keys", "sun")
    stranger = keygen(tmp_path / "keys", "stranger")
    rel = "registry/people/sun-hao-yjj.yaml"
    repo.write(
        rel,
        {"id": "sun-hao-yjj", "name": "孙浩", "organization": "city-emergency", "signing_keys": [key.public]},
    )
    first = repo.commit("登记人员", key=key)
    repo.edit(rel, title="科员")
    second = repo.commit("未签名的修改")
    repo.edit(rel, title="副科长")
    third = repo.commit("陌生公钥签名", key=stranger)
    history = read(repo.root)
    commits = {c.sha: c for c in history.of(rel)}
    assert [c.sha for c in history.of(rel)] == [third, second, first]  # newest first
    assert (commits[first].signature, commits[first].key) == ("U", key.fingerprint)
    assert commits[first].signed and commits[first].signature_label == "已签名（签名有效，密钥未确认）"
    assert (commits[second].signature, commits[second].key) == ("N", "")
    assert not commits[second].signed
    assert (commits[third].signature, commits[third].key) == ("U", stranger.fingerprint)
    # whose key: the registry's people (here only 孙浩 registered his)
    owners = key_owners_of(repo)
    assert owners.get(commits[first].key) == "sun-hao-yjj"
    assert owners.get(commits[third].key) is None


def test_tampered_commit_is_shown_as_a_bad_signature(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    repo = Repo(tmp_path / "repo")
    key = keygen(tmp_path / "keys", "sun")
    rel = "registry/people/sun-hao-yjj.yaml"
    repo.write(rel, {"id": "sun-hao-yjj", "name": "孙浩", "organization": "city-emergency"})
    signed = repo.commit("登记人员", key=key)
    raw = repo.git("cat-file", "commit", signed)
    forged = raw.replace("登记人员", "登记人员（改过）")
    (tmp_path / "forged").write_text(forged + "\n", encoding="utf-8")
    sha = repo.git("hash-object", "-w", "-t", "commit", str(tmp_path / "forged"))
    repo.git("update-ref", "refs/heads/main", sha)
    [commit] = read(repo.root).of(rel)
    assert (commit.sha, commit.signature) == (sha, "B")
    assert not commit.signed


def key_owners_of(repo: Repo) -> dict[str, str]:
    from rectify.check import build_registry
    from rectify.paths import find

    (repo.root / "schemas").symlink_to(Path(__file__).resolve().parents[2] / "schemas")
    registry, _, _ = build_registry(find(repo.root))
    return key_owners(registry)
