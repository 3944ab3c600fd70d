"""G-signed on real repositories: the reasons a commit is refused, revocation, the forge policy,
merges, and the ``verify-signatures`` command's output and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from rectify.history.keys import key_owners, person_for_fingerprint
from rectify.history.signatures import verify
from rectify.paths import find
from tests.conftest import make_registry
from tests.git.repo import GIT_ENV, Key, Repo, email_of, keygen
from tests.helpers import cli, explain

HAZ = "registry/hazards/2023/HAZ-2023-00001.yaml"


@pytest.fixture
def keys(tmp_path: Path) -> dict[str, Key]:
    return {name: keygen(tmp_path / "keys", name) for name in ("sun", "wang", "zhao")}


@pytest.fixture
def repo(tmp_path: Path, keys: dict[str, Key]) -> Repo:
    """The base registry with 孙浩 (acceptor) and 王强 (enterprise) holding registered keys."""
    repo = Repo(make_registry(tmp_path / "repo"))
    repo.register("sun-hao-yjj", keys["sun"])
    repo.register("wang-qiang-qy", keys["wang"])
    repo.commit("基准")
    return repo


def progress(repo: Repo, note: str = "防爆除尘器安装完毕") -> None:
    data = repo.read(HAZ)
    data["progress"].append({"date": "2023-11-20", "note": note, "by": "wang-qiang-qy"})
    repo.write(HAZ, data)


def messages(repo: Repo, base: str) -> list[str]:
    return [d.message for d in verify(find(repo.root), base).diagnostics]


def test_reasons_are_named(repo: Repo, keys: dict[str, Key], tmp_path: Path) -> None:
    base = repo.git("rev-parse", "HEAD")
    progress(repo, "一")
    repo.commit("未签名", None, repo.author("wang-qiang-qy"))
    progress(repo, "二")
    repo.commit("陌生公钥", keygen(tmp_path / "keys", "stranger"), repo.author("wang-qiang-qy"))
    progress(repo, "三")
    repo.commit("代签", keys["wang"], repo.author("sun-hao-yjj"))
    found = messages(repo, base)
    assert len(found) == 3, found
    assert "没有签名" in found[0] and "未签名" in found[0]
    assert "没有登记在基准版本" in found[1] and keygen(tmp_path / "keys", "stranger").fingerprint in found[1]
    assert "不是提交作者" in found[2] and "wang-qiang-qy" in found[2]


def test_key_registered_in_the_range_does_not_count(repo: Repo, keys: dict[str, Key]) -> None:
    base = repo.git("rev-parse", "HEAD")
    repo.register("zhao-lei-yjj", keys["zhao"])
    repo.commit("登记公钥", keys["zhao"], repo.author("zhao-lei-yjj"))
    found = verify(find(repo.root), base).diagnostics
    assert [(d.file, d.rule) for d in found] == [("registry/people/zhao-lei-yjj.yaml", "G-signed")]
    assert "本次变更中才登记给 zhao-lei-yjj" in found[0].message
    # Once merged, the key is on the base: the next range may use it.
    base = repo.git("rev-parse", "HEAD")
    repo.edit("registry/people/zhao-lei-yjj.yaml", title="副局长")
    repo.commit("改职务", keys["zhao"], repo.author("zhao-lei-yjj"))
    assert messages(repo, base) == []


def test_closure_needs_the_acceptor_as_at_base(repo: Repo, keys: dict[str, Key]) -> None:
    base = repo.git("rev-parse", "HEAD")
    data = repo.read(HAZ)
    data["rectification"]["acceptor"] = "wang-qiang-qy"  # name oneself acceptor, then close
    repo.write(HAZ, data)
    repo.commit("改验收人", keys["wang"], repo.author("wang-qiang-qy"))
    repo.edit(
        HAZ, status="closed", acceptance={"date": "2023-11-28", "by": "wang-qiang-qy", "result": "passed"}
    )
    repo.commit("销号", keys["wang"], repo.author("wang-qiang-qy"))
    found = verify(find(repo.root), base).diagnostics
    assert [(d.file, d.path) for d in found] == [(HAZ, "status")]
    assert "验收人 sun-hao-yjj" in found[0].message and "HAZ-2023-00001" in found[0].message


def revoke(repo: Repo, key: Key, person: str) -> None:
    repo.edit(
        "registry/jurisdiction.yaml",
        signing={
            "revoked_keys": [
                {"key": key.public, "person": person, "revoked_on": "2023-11-01", "reason": "电脑遗失"}
            ]
        },
    )


def test_revoked_key_fails_even_when_revoked_in_the_range(repo: Repo, keys: dict[str, Key]) -> None:
    base = repo.git("rev-parse", "HEAD")
    revoke(repo, keys["wang"], "wang-qiang-qy")
    repo.commit("吊销王强的公钥", keys["sun"], repo.author("sun-hao-yjj"))
    progress(repo)
    repo.commit("用已吊销的公钥", keys["wang"], repo.author("wang-qiang-qy"))
    found = messages(repo, base)
    assert len(found) == 1 and "已被吊销" in found[0] and "2023-11-01" in found[0], found


def test_key_removed_at_base_fails(repo: Repo, keys: dict[str, Key]) -> None:
    repo.edit("registry/people/wang-qiang-qy.yaml", signing_keys=[])
    repo.commit("删除王强的公钥", keys["sun"], repo.author("sun-hao-yjj"))
    base = repo.git("rev-parse", "HEAD")
    progress(repo)
    repo.commit("用已删除的公钥", keys["wang"], repo.author("wang-qiang-qy"))
    found = messages(repo, base)
    assert len(found) == 1 and "没有登记在基准版本" in found[0], found


def test_clean_merge_needs_no_signature_but_an_evil_merge_does(repo: Repo, keys: dict[str, Key]) -> None:
    base = repo.git("rev-parse", "HEAD")
    repo.git("checkout", "-q", "-b", "side")
    repo.edit("registry/people/sun-hao-yjj.yaml", title="执法科副科长")
    repo.commit("孙浩职务", keys["sun"], repo.author("sun-hao-yjj"))
    repo.git("checkout", "-q", "main")
    progress(repo)
    repo.commit("进展", keys["wang"], repo.author("wang-qiang-qy"))
    repo.git("-c", "user.name=合并", "-c", "user.email=m@example.org", "merge", "-q", "--no-edit", "side")
    assert messages(repo, base) == []
    repo.git("reset", "-q", "--hard", "HEAD~1")
    repo.git("-c", "user.name=合并", "-c", "user.email=m@example.org", "merge", "-q", "--no-commit", "side")
    repo.edit("registry/people/wang-qiang-qy.yaml", title="董事长")  # a change of the merge's own
    repo.commit("合并时夹带修改", None, ("合并", "m@example.org"))
    found = verify(find(repo.root), base).diagnostics
    assert [d.file for d in found] == ["registry/people/wang-qiang-qy.yaml"], found


@pytest.fixture
def forge(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A GPG key standing in for the forge's web-flow key; returns its long key id."""
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    monkeypatch.setenv("GNUPGHOME", str(home))
    env = {**GIT_ENV, "GNUPGHOME": str(home)}
    subprocess.run(
        [
            "gpg",
            "--batch",
            "--passphrase",
            "",
            "--quick-gen-key",
            "Forge <noreply@forge.example>",
            "ed25519",
            "sign",
            "never",
        ],
        check=True,
        capture_output=True,
        env=env,
    )
    listing = subprocess.run(
        ["gpg", "--list-keys", "--with-colons"], check=True, capture_output=True, text=True, env=env
    ).stdout
    return next(line.split(":")[4] for line in listing.splitlines() if line.startswith("pub:"))


def forge_commit(repo: Repo, key_id: str, author: tuple[str, str]) -> None:
    repo.git("add", "-A")
    repo.git(
        "-c", f"user.name={author[0]}", "-c", f"user.email={author[1]}",
        "-c", "committer.name=Forge", "-c", "committer.email=noreply@forge.example",
        "-c", "gpg.format=openpgp", "-c", f"user.signingkey={key_id}",
        "commit", "-q", "-S", "-m", "网页编辑",
        env={"GNUPGHOME": os.environ["GNUPGHOME"]},
    )  # fmt: skip


@pytest.mark.parametrize(
    ("policy", "author", "accepted"),
    [("refuse", "wang-qiang-qy", False), ("accept", "wang-qiang-qy", True), ("accept", "nobody", False)],
)
def test_forge_signed_commits_follow_the_registry_policy(
    repo: Repo, forge: str, policy: str, author: str, accepted: bool
) -> None:
    repo.edit("registry/jurisdiction.yaml", signing={"forge_signed": policy, "forge_keys": [forge]})
    repo.commit("签名规则")
    base = repo.git("rev-parse", "HEAD")
    progress(repo)
    forge_commit(repo, forge, ("网页用户", email_of(author)))
    found = messages(repo, base)
    assert (found == []) is accepted, found
    if not accepted:
        assert ("forge_signed" in found[0]) if policy == "refuse" else ("contact.email" in found[0])


def test_forge_key_must_be_the_listed_one(repo: Repo, forge: str) -> None:
    repo.edit(
        "registry/jurisdiction.yaml", signing={"forge_signed": "accept", "forge_keys": ["0123456789ABCDEF"]}
    )
    repo.commit("签名规则")
    base = repo.git("rev-parse", "HEAD")
    progress(repo)
    forge_commit(repo, forge, ("网页用户", email_of("wang-qiang-qy")))
    assert len(messages(repo, base)) == 1


def test_fingerprint_maps_to_person_like_ssh_keygen(repo: Repo, keys: dict[str, Key]) -> None:
    from rectify.check import build_registry

    shown = subprocess.run(
        ["ssh-keygen", "-lf", f"{keys['sun'].private}.pub"], check=True, capture_output=True, text=True
    ).stdout.split()[1]
    registry, _, _ = build_registry(find(repo.root))
    assert person_for_fingerprint(registry, shown) == "sun-hao-yjj"
    assert person_for_fingerprint(registry, keys["zhao"].fingerprint) is None
    assert key_owners(registry) == {
        keys["sun"].fingerprint: "sun-hao-yjj",
        keys["wang"].fingerprint: "wang-qiang-qy",
    }


def test_cli_exit_codes_and_json(repo: Repo, keys: dict[str, Key]) -> None:
    base = repo.git("rev-parse", "HEAD")
    env = {**GIT_ENV}
    progress(repo)
    repo.commit("签名", keys["wang"], repo.author("wang-qiang-qy"))
    ok = cli("verify-signatures", "--base", base, cwd=repo.root, env=env)
    assert ok.returncode == 0, explain(ok)
    assert "检查了 1 个修改登记册的提交" in ok.stdout
    progress(repo, "再报一次")
    repo.commit("未签名", None, repo.author("wang-qiang-qy"))
    bad = cli("verify-signatures", "--base", base, "--format", "json", cwd=repo.root, env=env)
    assert bad.returncode == 1, explain(bad)
    assert [(d["rule"], d["file"]) for d in json.loads(bad.stdout)] == [("G-signed", HAZ)]
    missing = cli("verify-signatures", "--base", "no-such-rev", cwd=repo.root, env=env)
    assert missing.returncode == 2 and "no-such-rev" in missing.stderr, explain(missing)


def test_check_base_cli(repo: Repo) -> None:
    (repo.root / HAZ).unlink()
    proc = cli(
        "check", "--base", "HEAD", "--today", "2023-12-31", "--format", "json", cwd=repo.root, env=GIT_ENV
    )
    assert proc.returncode == 1, explain(proc)
    ratchet = [d for d in json.loads(proc.stdout) if d["rule"] == "G-ratchet"]
    assert [(d["file"], d["line"]) for d in ratchet] == [(HAZ, 2)]
    assert "HAZ-2023-00001" in ratchet[0]["message"] and "删除" in ratchet[0]["message"]
    bad = cli("check", "--base", "nope", cwd=repo.root, env=GIT_ENV)
    assert bad.returncode == 2 and "nope" in bad.stderr, explain(bad)
