"""Git plumbing: run git in the repository, read many blobs in one ``cat-file --batch`` pass."""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ZERO = "0" * 40


class GitError(Exception):
    """Git is missing, the folder is not a repository, or a revision does not exist (exit code 2)."""


def run(root: Path, args: Sequence[str], config: Sequence[str] = (), stdin: bytes | None = None) -> bytes:
    """``git -C root [-c k=v …] args`` → standard output; a failure becomes a :class:`GitError`."""
    command = ["git", "-C", str(root)]
    for setting in config:
        command += ["-c", setting]
    command += list(args)
    try:
        proc = subprocess.run(command, input=stdin, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("找不到 git 命令：请先安装 git") from None
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} 失败：{detail[-1] if detail else '（无输出）'}")
    return proc.stdout


def resolve(root: Path, rev: str) -> str:
    """The full commit id of ``rev``, or a :class:`GitError` naming it."""
    try:
        return (
            run(root, ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"])
            .decode()
            .strip()
        )
    except GitError:
        raise GitError(f"找不到修订版本 {rev}（如在 CI 中，请用 fetch-depth: 0 取回完整历史）") from None


REGULAR_MODES = ("100644", "100755")  # a symlink is 120000, a submodule (gitlink) 160000


@dataclass(frozen=True, slots=True)
class TreeEntry:
    mode: str
    kind: str  # blob, commit (a submodule), tree
    oid: str
    path: str

    @property
    def regular(self) -> bool:
        return self.mode in REGULAR_MODES


def tree_entries(root: Path, rev: str, folder: str) -> list[TreeEntry]:
    """Every entry under ``folder`` at ``rev`` with its mode; ``folder`` itself too, when it is
    not a folder (a symlink standing in for the registry)."""
    out = run(root, ["ls-tree", "-r", "-z", "--full-tree", rev, "--", folder])
    entries = []
    for record in out.split(b"\0"):
        if not record:
            continue
        meta, path = record.split(b"\t", 1)
        mode, kind, oid = meta.decode().split()
        entries.append(TreeEntry(mode, kind, oid, path.decode("utf-8", "surrogateescape")))
    return entries


def ls_tree(root: Path, rev: str, folder: str) -> list[tuple[str, str]]:
    """(blob id, path) of every file under ``folder`` at ``rev``."""
    return [(e.oid, e.path) for e in tree_entries(root, rev, folder) if e.kind == "blob"]


def cat_blobs(root: Path, blobs: Iterable[str]) -> dict[str, bytes]:
    """Contents of many objects (blobs, commits) through one ``git cat-file --batch`` process."""
    wanted = list(dict.fromkeys(b for b in blobs if b and b != ZERO))
    if not wanted:
        return {}
    out = run(root, ["cat-file", "--batch"], stdin=("\n".join(wanted) + "\n").encode())
    contents: dict[str, bytes] = {}
    pos = 0
    for blob in wanted:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        if len(header) != 3:
            raise GitError(f"git cat-file 无法读取对象 {blob}")
        size = int(header[2])
        contents[blob] = out[end + 1 : end + 1 + size]
        pos = end + 1 + size + 1
    return contents
