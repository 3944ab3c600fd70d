"""Helpers for the history attacks: the signed base registry, commits with any metadata, raw
commit objects written byte for byte (signed with ``ssh-keygen -Y sign`` like git does), and
merges with any parents (``git commit-tree``)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import make_registry
from tests.git.repo import GIT_ENV, Key, Repo, email_of, keygen

HAZ = "registry/hazards/2023/HAZ-2023-00001.yaml"
WANG = "registry/people/wang-qiang-qy.yaml"


def signed_base(tmp_path: Path) -> tuple[Repo, dict[str, Key]]:
    """The base registry with 孙浩 and 王强 holding registered keys (赵磊 has a key, unregistered)."""
    keys = {name: keygen(tmp_path / "keys", name) for name in ("sun", "wang", "zhao")}
    repo = Repo(make_registry(tmp_path / "repo"))
    repo.register("sun-hao-yjj", keys["sun"])
    repo.register("wang-qiang-qy", keys["wang"])
    repo.commit("基准", keys["sun"], repo.author("sun-hao-yjj"))
    return repo, keys


def progress(repo: Repo, note: str) -> None:
    data = repo.read(HAZ)
    data["progress"].append({"date": "2023-11-20", "note": note, "by": "wang-qiang-qy"})
    repo.write(HAZ, data)


def commit_as(
    repo: Repo,
    message: str,
    key: Key | None,
    author: tuple[str, str],
    committer: tuple[str, str] | None = None,
) -> str:
    """Stage everything and commit with exactly these names (through the environment, so any
    character git keeps in the middle of a name reaches the object)."""
    committer = committer or author
    repo.git("add", "-A")
    env = {
        "GIT_AUTHOR_NAME": author[0],
        "GIT_AUTHOR_EMAIL": author[1],
        "GIT_COMMITTER_NAME": committer[0],
        "GIT_COMMITTER_EMAIL": committer[1],
    }
    signing = ["-c", "gpg.format=ssh", "-c", f"user.signingkey={key.private}"] if key else []
    repo.git(*signing, "commit", "-q", "--cleanup=verbatim", "-m", message, *(["-S"] if key else []), env=env)
    return repo.git("rev-parse", "HEAD")


def git_bytes(repo: Repo, *args: str, stdin: bytes | None = None) -> bytes:
    proc = subprocess.run(
        ["git", "-C", str(repo.root), *args], input=stdin, capture_output=True, env=GIT_ENV, check=True
    )
    return proc.stdout


def raw_commit(
    repo: Repo,
    headers: bytes,
    message: bytes,
    key: Key | None = None,
) -> str:
    """Write a commit object whose header lines (after ``tree``/``parent``, which are taken from
    the index and HEAD) are exactly ``headers``, signed over its payload as git signs; HEAD moves to it."""
    repo.git("add", "-A")
    tree = repo.git("write-tree")
    parent = repo.git("rev-parse", "HEAD")
    payload = f"tree {tree}\nparent {parent}\n".encode() + headers + b"\n" + message
    obj = payload
    if key is not None:
        signature = subprocess.run(
            ["ssh-keygen", "-q", "-Y", "sign", "-n", "git", "-f", str(key.private)],
            input=payload,
            capture_output=True,
            check=True,
        ).stdout
        folded = b"\n ".join(signature.rstrip(b"\n").split(b"\n"))
        obj = f"tree {tree}\nparent {parent}\n".encode() + headers + b"gpgsig " + folded + b"\n\n" + message
    sha = git_bytes(repo, "hash-object", "-t", "commit", "-w", "--literally", "--stdin", stdin=obj)
    commit = sha.decode().strip()
    repo.git("reset", "-q", "--hard", commit)
    return commit


def ident(name: bytes, email: bytes, when: bytes = b"1700000000 +0800") -> bytes:
    return name + b" <" + email + b"> " + when


def merge_of(repo: Repo, parents: list[str], key: Key | None = None, message: str = "合并") -> str:
    """A merge commit of ``parents`` (in this order) with the tree now in the index; HEAD moves to it.
    Any parents: git merge would refuse one that is already an ancestor, commit-tree does not."""
    repo.git("add", "-A")
    tree = repo.git("write-tree")
    args = ["commit-tree", *(["-S"] if key else []), tree, "-m", message]
    for parent in parents:
        args += ["-p", parent]
    env = {"GIT_AUTHOR_NAME": "合并", "GIT_AUTHOR_EMAIL": "m@example.org"}
    env |= {"GIT_COMMITTER_NAME": "合并", "GIT_COMMITTER_EMAIL": "m@example.org"}
    if key is not None:
        person = "wang-qiang-qy" if key.private.name == "wang" else "sun-hao-yjj"
        name = "王强" if person == "wang-qiang-qy" else "孙浩"
        env |= {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email_of(person)}
        args = ["-c", "gpg.format=ssh", "-c", f"user.signingkey={key.private}", *args]
    commit = repo.git(*args, env=env)
    repo.git("reset", "-q", "--hard", commit)
    return commit


def restore(repo: Repo, rev: str, *files: str) -> None:
    """Put the version of ``files`` at ``rev`` in the work tree and index (deleting those absent there)."""
    for rel in files:
        present = repo.git("ls-tree", "--name-only", rev, "--", rel)
        if present:
            repo.git("checkout", rev, "--", rel)
        else:
            repo.git("rm", "-q", "--ignore-unmatch", "--", rel)
