"""One ``git log`` pass over a range: each commit with its signature status, author and the
files it changes (with old and new blob ids). git calls ``ssh-keygen`` itself to verify."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rectify.history.git import ZERO, run

_FIELDS = ["%H", "%P", "%G?", "%GF", "%GK", "%GS", "%an", "%ae", "%cn", "%ce", "%cs", "%s"]
FORMAT = "%x1e" + "%x1f".join(_FIELDS) + "%x1f"


@dataclass(frozen=True, slots=True)
class Change:
    """One file a commit changes: status A/M/D (a merge: against every parent), blob ids."""

    path: str
    status: str
    old_blob: str  # ZERO when added; for a merge, the first parent's blob
    new_blob: str  # ZERO when deleted


@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    parents: tuple[str, ...]
    signature: str  # git's %G?: G good, B bad or revoked, U unknown key, N none, E cannot check, X/Y/R expired/revoked
    fingerprint: str  # %GF (SSH: SHA256:…; GPG: the full fingerprint)
    key: str  # %GK (SSH: SHA256:…; GPG: the long key id)
    principal: str  # %GS: for SSH, the principal of allowed_signers (here: the person id)
    author_name: str
    author_email: str
    committer_name: str
    committer_email: str
    date: str  # committer date, YYYY-MM-DD
    subject: str
    changes: tuple[Change, ...]

    @property
    def short(self) -> str:
        return self.sha[:10]


def _changes(raw: str) -> tuple[Change, ...]:
    tokens = raw.lstrip("\0\n").split("\0")
    out = []
    i = 0
    while i + 1 < len(tokens):
        meta, path = tokens[i].strip("\n"), tokens[i + 1]
        i += 2
        if not meta.startswith(":"):
            continue
        parents = len(meta) - len(meta.lstrip(":"))
        fields = meta.lstrip(":").split()
        shas = fields[parents + 1 : 2 * parents + 2]
        status = fields[-1]
        out.append(Change(path, status, shas[0] if shas else ZERO, shas[-1] if shas else ZERO))
    return tuple(out)


def read_range(
    root: Path,
    base: str,
    head: str,
    allowed_signers: Path | None = None,
    revocations: Path | None = None,
    paths: tuple[str, ...] = (),
) -> list[Commit]:
    """Commits in ``base..head``, oldest first. A merge lists only the files where it differs from
    every parent (``--cc``): what it merely combines was changed, and checked, in its parents."""
    config = ["log.showSignature=false", "core.quotePath=false"]
    if allowed_signers is not None:
        config.append(f"gpg.ssh.allowedSignersFile={allowed_signers}")
    if revocations is not None:
        config.append(f"gpg.ssh.revocationFile={revocations}")
    args = ["log", "--reverse", "--no-renames", "--raw", "--no-abbrev", "--cc", "-z", f"--format={FORMAT}"]
    args += [f"{base}..{head}"] if base != ZERO else [head]
    if paths:
        args += ["--", *paths]
    out = run(root, args, config).decode("utf-8", "surrogateescape")
    commits = []
    for record in out.split("\x1e")[1:]:
        fields = record.split("\x1f")
        sha, parents, sig, fpr, key, principal, an, ae, cn, ce, cs, subject = fields[:12]
        raw = "\x1f".join(fields[12:])
        commits.append(
            Commit(
                sha,
                tuple(parents.split()),
                sig,
                fpr,
                key,
                principal,
                an,
                ae,
                cn,
                ce,
                cs,
                subject,
                _changes(raw),
            )
        )
    return commits
