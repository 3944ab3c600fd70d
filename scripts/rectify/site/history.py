"""The Git history of every registry file, from one ``git log`` pass (never a process per file).

Each commit carries its signature status in the terms of Git's ``%G?``: SSH signatures are verified
in-process from one ``git cat-file --batch`` (:func:`rectify.history.log.check_signature`), so no
``ssh-keygen`` runs per commit; the few others (GPG signatures of the forge) are asked of Git in one
more pass. Mapping a key to a person of the registry is left to :attr:`History.signer_of`.
"""

from __future__ import annotations

import contextlib
import subprocess
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

SIGNATURE_LABELS = {
    "G": "已签名（签名有效）",
    "U": "已签名（签名有效，密钥未确认）",
    "X": "已签名（签名已过期）",
    "Y": "已签名（密钥已过期）",
    "R": "已签名（密钥已吊销）",
    "E": "已签名（无法核验）",
    "B": "签名无效",
    "N": "未签名",
}
_RS, _US = "\x1e", "\x1f"
_FORMAT = _US.join(["%H", "%aI", "%an", "%ae", "", "", "", "%s"])  # signatures: see _signatures


@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    date: str  # ISO 8601 with offset (author date)
    author: str
    email: str
    signature: str  # %G?: G, U, X, Y, R, E, B or N
    signer: str  # %GS: the signer Git names (principal or UID), may be empty
    key: str  # %GK: key id or SSH fingerprint, may be empty
    subject: str

    @property
    def signed(self) -> bool:
        return self.signature not in ("N", "B", "")

    @property
    def signature_label(self) -> str:
        return SIGNATURE_LABELS.get(self.signature, "未知")


@dataclass(slots=True)
class History:
    """Commits per registry file (newest first), as paths relative to the repository root."""

    by_file: dict[str, list[Commit]] = field(default_factory=dict)
    available: bool = False
    signer_of: Callable[[Commit], str | None] = lambda commit: None  # key → person id

    def of(self, file: str) -> list[Commit]:
        return self.by_file.get(file, [])

    def commits(self) -> list[Commit]:
        """Every commit that touched the registry, newest first, each once."""
        seen: dict[str, Commit] = {}
        for commits in self.by_file.values():
            for commit in commits:
                seen.setdefault(commit.sha, commit)
        return sorted(seen.values(), key=lambda c: c.date, reverse=True)


def parse(output: str) -> History:
    """Parse ``git log --format=<RS><fields> --name-only``: records separated by RS, names after."""
    by_file: dict[str, list[Commit]] = defaultdict(list)
    for chunk in output.split(_RS):
        if not chunk.strip():
            continue
        header, _, names = chunk.partition("\n")
        parts = header.split(_US)
        if len(parts) != 8:
            continue
        commit = Commit(*parts)
        for name in names.splitlines():
            name = name.strip()
            if name:
                by_file[name].append(commit)
    return History(by_file=dict(by_file), available=True)


def read(root: Path, folder: str = "registry") -> History:
    """The history of ``root/folder`` from one ``git log``; empty when ``root`` is not in Git."""
    try:
        proc = subprocess.run(
            [
                "git",
                "-C",
                str(root),
                "-c",
                "core.quotepath=off",
                "log",
                "--relative",
                f"--format={_RS}{_FORMAT}",
                "--name-only",
                "--no-renames",
                "--",
                folder,
            ],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=600,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return History()
    if proc.returncode != 0:
        return History()
    history = parse(proc.stdout)
    _signatures(root, history)
    return history


def _signatures(root: Path, history: History) -> None:
    """Fill in every commit's signature status (see the module docstring)."""
    from rectify.history.git import GitError, cat_blobs
    from rectify.history.log import _checked_by_git, check_signature

    shas = [commit.sha for commit in history.commits()]
    try:
        objects = cat_blobs(root, shas)
    except (GitError, OSError, subprocess.SubprocessError):
        return
    statuses = {}
    for sha in shas:
        header = b"gpgsig-sha256" if len(sha) == 64 else b"gpgsig"
        statuses[sha] = check_signature(objects[sha], {}, header)
    by_git = [sha for sha, status in statuses.items() if status is None]
    if by_git:
        with contextlib.suppress(GitError, OSError, subprocess.SubprocessError):
            statuses.update(_checked_by_git(root, by_git, ""))
    for file, commits in history.by_file.items():
        history.by_file[file] = [
            replace(c, signature=st.signature, signer=st.principal, key=st.fingerprint)
            if (st := statuses.get(c.sha)) is not None
            else c
            for c in commits
        ]
