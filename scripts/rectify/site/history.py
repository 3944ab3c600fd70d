"""The Git history of every registry file, from one ``git log`` pass (never a process per file).

Each commit carries its signature status as Git reports it (``%G?``, ``%GS``, ``%GK``); mapping a
key to a person of the registry is left to :attr:`History.signer_of` (the signing work plugs in there).
"""

from __future__ import annotations

import subprocess
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
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
_FORMAT = _US.join(["%H", "%aI", "%an", "%ae", "%G?", "%GS", "%GK", "%s"])


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
    return parse(proc.stdout)
