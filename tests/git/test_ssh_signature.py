"""The in-process SSH signature check (no ``ssh-keygen`` per commit) on commits made by real git
with real ``ssh-keygen`` keys: it accepts what ``ssh-keygen`` accepts and refuses tampered
payloads, a signature whose claimed key did not make it, and a signature in another namespace.
Each verdict is compared with git's own ``%G?``."""

from __future__ import annotations

import base64
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from rectify.history import log, ssh_signature
from rectify.history.keys import KeyIndex
from rectify.history.log import check_signature, split_signed
from rectify.history.signatures import verify
from rectify.paths import find
from tests.conftest import make_registry
from tests.git.repo import GIT_ENV, KEY_TYPES, Key, Repo, keygen

HAZ = "registry/hazards/2023/HAZ-2023-00001.yaml"
WANG = "wang-qiang-qy"


@pytest.fixture
def wang(tmp_path: Path) -> Key:
    return keygen(tmp_path / "keys", "wang")


@pytest.fixture
def repo(tmp_path: Path, wang: Key) -> Repo:
    """The base registry with 王强 holding a registered ed25519 key."""
    repo = Repo(make_registry(tmp_path / "repo"))
    repo.register(WANG, wang)
    repo.commit("基准")
    return repo


def progress(repo: Repo, note: str) -> None:
    data = repo.read(HAZ)
    data["progress"].append({"date": "2023-11-20", "note": note, "by": WANG})
    repo.write(HAZ, data)


def raw_commit(repo: Repo, rev: str = "HEAD") -> bytes:
    return subprocess.run(
        ["git", "-C", str(repo.root), "cat-file", "commit", rev], check=True, capture_output=True, env=GIT_ENV
    ).stdout


def write_commit(repo: Repo, raw: bytes) -> str:
    """Store a hand-made commit object and make it the branch's tip."""
    sha = (
        subprocess.run(
            ["git", "-C", str(repo.root), "hash-object", "-w", "-t", "commit", "--stdin"],
            input=raw,
            check=True,
            capture_output=True,
            env=GIT_ENV,
        )
        .stdout.decode()
        .strip()
    )
    repo.git("update-ref", "refs/heads/main", sha)
    repo.git("reset", "-q", "--hard", sha)
    return sha


def ssh_sign(key: Key, payload: bytes, tmp_path: Path, namespace: str = "git") -> bytes:
    """``ssh-keygen -Y sign`` as git runs it, in any namespace."""
    message = tmp_path / "payload"
    message.write_bytes(payload)
    Path(f"{message}.sig").unlink(missing_ok=True)
    subprocess.run(
        ["ssh-keygen", "-q", "-Y", "sign", "-n", namespace, "-f", str(key.private), str(message)],
        check=True,
        capture_output=True,
    )
    return Path(f"{message}.sig").read_bytes()


def with_signature(payload: bytes, armored: bytes) -> bytes:
    """A commit object: ``payload`` with a ``gpgsig`` header carrying ``armored``, as git writes it."""
    headers, _, message = payload.partition(b"\n\n")
    value = b"\n ".join(armored.rstrip(b"\n").split(b"\n"))
    return headers + b"\ngpgsig " + value + b"\n\n" + message


def git_status(repo: Repo, sha: str, keys: KeyIndex) -> str:
    """git's own verdict (``%G?``, ``ssh-keygen`` per commit), for comparison."""
    allowed = repo.root.parent / "allowed_signers"
    allowed.write_text(keys.allowed_signers(), encoding="utf-8")
    return repo.git(
        "-c", f"gpg.ssh.allowedSignersFile={allowed}", "log", "--no-walk", "--format=%G? %GK %GS", sha
    )  # fmt: skip


def index(repo: Repo) -> KeyIndex:
    from rectify.history.base import documents_from

    people = {
        f"registry/people/{p.name}": p.read_bytes()
        for p in (repo.root / "registry" / "people").glob("*.yaml")
    }
    documents, _, _ = documents_from(find(repo.root), people)
    return KeyIndex.from_people(d for d in documents if d.kind == "person")


def messages(repo: Repo, base: str) -> list[str]:
    return [d.message for d in verify(find(repo.root), base).diagnostics]


@pytest.mark.parametrize("kind", sorted(KEY_TYPES))
def test_accepts_every_key_type_ssh_keygen_makes(repo: Repo, tmp_path: Path, kind: str) -> None:
    key = keygen(tmp_path / "keys", f"sun-{kind}", kind)
    repo.register("sun-hao-yjj", key)
    repo.commit("登记孙浩的公钥", None)
    base = repo.git("rev-parse", "HEAD")
    progress(repo, f"用 {kind} 公钥签名")
    sha = repo.commit("进展", key, repo.author("sun-hao-yjj"))
    keys = index(repo)
    status = check_signature(raw_commit(repo), keys.owners)
    assert status == log.SignatureStatus("G", key.fingerprint, key.fingerprint, "sun-hao-yjj")
    assert git_status(repo, sha, keys) == f"G {key.fingerprint} sun-hao-yjj"
    assert messages(repo, base) == []


def test_payload_is_split_as_git_signs_it(repo: Repo, wang: Key, tmp_path: Path) -> None:
    """ssh-keygen itself accepts the split: the payload is exactly what git signed."""
    progress(repo, "多行说明")
    repo.commit("第一行\n\n第二段：说明\n  缩进的一行\n", wang, repo.author(WANG))
    payload, signature = split_signed(raw_commit(repo))
    assert signature.startswith(b"-----BEGIN SSH SIGNATURE-----\n") and b"gpgsig" not in payload
    (tmp_path / "sig").write_bytes(signature)
    subprocess.run(
        ["ssh-keygen", "-Y", "check-novalidate", "-n", "git", "-s", str(tmp_path / "sig")],
        input=payload,
        check=True,
        capture_output=True,
    )


def test_tampered_commit_is_refused(repo: Repo, wang: Key) -> None:
    """The signed tree swapped for another one after signing, the old signature kept."""
    base = repo.git("rev-parse", "HEAD")
    progress(repo, "如实填报")
    signed = raw_commit(repo, repo.commit("进展", wang, repo.author(WANG)))
    repo.git("reset", "-q", "--hard", "HEAD~1")
    progress(repo, "篡改后的内容")
    repo.git("add", "-A")
    evil_tree = repo.git("write-tree").encode()
    tampered = b"tree " + evil_tree + signed[signed.index(b"\n") :]
    assert split_signed(tampered)[1] == split_signed(signed)[1]
    sha = write_commit(repo, tampered)
    keys = index(repo)
    assert check_signature(raw_commit(repo), keys.owners) == log.SignatureStatus("B")
    assert git_status(repo, sha, keys).startswith("B")
    [message] = messages(repo, base)
    assert "签名无效" in message


def test_signature_by_another_key_than_the_one_it_names(repo: Repo, wang: Key, tmp_path: Path) -> None:
    """A stranger signs, then puts 王强's registered public key into the signature blob."""
    base = repo.git("rev-parse", "HEAD")
    progress(repo, "冒名")
    payload = split_signed(raw_commit(repo, repo.commit("进展", None, repo.author(WANG))))[0]
    stranger = keygen(tmp_path / "keys", "stranger")
    signed = ssh_sign(stranger, payload, tmp_path)
    blob, theirs = ssh_signature.dearmor(signed), ssh_signature.parse(signed).public_key
    ours = base64.b64decode(wang.public.split()[1])
    forged = blob.replace(struct.pack(">I", len(theirs)) + theirs, struct.pack(">I", len(ours)) + ours)
    assert forged != blob
    armored = (
        b"-----BEGIN SSH SIGNATURE-----\n"
        + base64.encodebytes(forged).replace(b"\n", b"")
        + b"\n-----END SSH SIGNATURE-----\n"
    )
    repo.git("reset", "-q", "--hard", "HEAD~1")
    sha = write_commit(repo, with_signature(payload, armored))
    keys = index(repo)
    assert check_signature(raw_commit(repo), keys.owners) == log.SignatureStatus("B")
    assert git_status(repo, sha, keys).startswith("B")
    [message] = messages(repo, base)
    assert "签名无效" in message


def test_signature_in_another_namespace_is_refused(repo: Repo, wang: Key, tmp_path: Path) -> None:
    """王强's own key, but signing for ``file`` (as ``ssh-keygen -Y sign -n file`` would): not a commit signature."""
    base = repo.git("rev-parse", "HEAD")
    progress(repo, "别的命名空间")
    payload = split_signed(raw_commit(repo, repo.commit("进展", None, repo.author(WANG))))[0]
    repo.git("reset", "-q", "--hard", "HEAD~1")
    sha = write_commit(repo, with_signature(payload, ssh_sign(wang, payload, tmp_path, "file")))
    keys = index(repo)
    assert check_signature(raw_commit(repo), keys.owners) == log.SignatureStatus("B")
    assert git_status(repo, sha, keys).startswith("B")
    with pytest.raises(ssh_signature.BadSignature):
        ssh_signature.verify(ssh_sign(wang, payload, tmp_path, "file"), payload)
    assert ssh_signature.verify(ssh_sign(wang, payload, tmp_path, "file"), payload, b"file")
    [message] = messages(repo, base)
    assert "签名无效" in message


def test_unreadable_signature_cannot_be_checked(repo: Repo) -> None:
    """git stops at a signature of no known format; rectify names the commit instead."""
    base = repo.git("rev-parse", "HEAD")
    progress(repo, "乱码签名")
    payload = split_signed(raw_commit(repo, repo.commit("进展", None, repo.author(WANG))))[0]
    repo.git("reset", "-q", "--hard", "HEAD~1")
    write_commit(repo, with_signature(payload, b"not a signature\n"))
    [message] = messages(repo, base)
    assert "签名无法验证" in message


def test_key_types_left_to_git_get_git_s_verdict(
    repo: Repo, wang: Key, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A key type checked only by ssh-keygen (here: ed25519 pretended unknown) goes to one
    ``git log --no-walk`` for all such commits, and the policy sees the same statuses."""
    base = repo.git("rev-parse", "HEAD")
    progress(repo, "一")
    repo.commit("进展一", wang, repo.author(WANG))
    progress(repo, "二")
    repo.commit("进展二", wang, repo.author("sun-hao-yjj"))
    in_process = verify(find(repo.root), base)
    monkeypatch.setattr(
        ssh_signature,
        "SIGNATURE_TYPES",
        {k: v for k, v in ssh_signature.SIGNATURE_TYPES.items() if k != b"ssh-ed25519"},
    )
    assert check_signature(raw_commit(repo), index(repo).owners) is None
    by_git = verify(find(repo.root), base)
    assert [(c.signature, c.key, c.principal) for c in by_git.commits] == [
        (c.signature, c.key, c.principal) for c in in_process.commits
    ]
    assert [c.signature for c in by_git.commits] == ["G", "G"]
    assert [d.message for d in by_git.diagnostics] == [d.message for d in in_process.diagnostics]
    assert len(by_git.diagnostics) == 1 and "不是提交作者" in by_git.diagnostics[0].message


def test_no_ssh_keygen_is_run(repo: Repo, wang: Key, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With only git on PATH the range still verifies: no signature went to ``ssh-keygen``."""
    base = repo.git("rev-parse", "HEAD")
    for n in range(3):
        progress(repo, f"第 {n + 1} 次")
        repo.commit(f"进展 {n + 1}", wang, repo.author(WANG))
    only_git = tmp_path / "bin"
    only_git.mkdir()
    git = shutil.which("git")
    assert git is not None
    (only_git / "git").symlink_to(git)
    monkeypatch.setenv("PATH", str(only_git))
    result = verify(find(repo.root), base)
    assert (result.checked, result.diagnostics) == (3, [])
    assert {c.principal for c in result.commits} == {WANG}
