"""The commits of a range: one ``git log`` pass for the commit ids and the files they change (``-z``
output, in which only ids, modes and NUL-terminated paths appear), one ``git cat-file --batch`` pass
for the raw commit objects — their metadata is parsed from there
(:func:`rectify.history.commits.parse_commit`), so nothing an author writes in a name, an e-mail or
a message can change how a commit is read — and every SSH signature checked in-process
(:mod:`rectify.history.ssh_signature`) against the payload git signs. Never a process per commit.

Only commits that only git can check (GPG or X.509 signatures, SSH key types such as hardware
``sk-`` keys) go back to git, all of them in one ``git log --no-walk`` pass with ``%G?``.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from rectify.history import ssh_signature
from rectify.history.commits import parse_commit
from rectify.history.git import ZERO, GitError, cat_blobs, run
from rectify.history.keys import KeyIndex

_CONFIG = ["log.showSignature=false", "log.showRoot=true", "core.quotePath=false"]
# Options every diff of ours carries: whole paths, no rename pairs, submodules always shown.
DIFF_OPTIONS = ["-z", "-r", "--raw", "--no-abbrev", "--no-renames", "--ignore-submodules=none"]
SSH_SIGNATURE = ssh_signature.BEGIN
# the other formats git knows (gpg.format openpgp, x509): git checks them with gpg or gpgsm
GIT_SIGNATURES = (
    b"-----BEGIN PGP SIGNATURE-----",
    b"-----BEGIN PGP MESSAGE-----",
    b"-----BEGIN SIGNED MESSAGE-----",
)
_HEADER = re.compile(rb"^[0-9a-f]{40,64}( [0-9a-f]{40,64})*$")


@dataclass(frozen=True, slots=True)
class Change:
    """One file a commit changes: status A/M/D (a merge: against every parent), modes and blob ids."""

    path: str
    status: str
    old_blob: str  # ZERO when added; for a merge, the first parent's blob
    new_blob: str  # ZERO when deleted
    new_mode: str = "100644"  # "000000" when deleted; 120000 symlink, 160000 gitlink (submodule)


@dataclass(frozen=True, slots=True)
class SignatureStatus:
    """A commit's signature as git's ``%G?``, ``%GF``, ``%GK`` and ``%GS`` would show it."""

    signature: (
        str  # G good (allowed key), U good (key not allowed), B bad, N none, E cannot check; X/Y/R from gpg
    )
    fingerprint: str = ""  # SSH: SHA256:…; GPG: the full fingerprint
    key: str = ""  # SSH: SHA256:…; GPG: the long key id
    principal: str = ""  # SSH: the person id the key is registered to (G only)


UNSIGNED = SignatureStatus("N")


@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    parents: tuple[str, ...]
    signature: str  # as SignatureStatus.signature
    fingerprint: str
    key: str
    principal: str
    author_name: str
    author_email: str
    committer_name: str
    committer_email: str
    date: str  # committer date, YYYY-MM-DD
    subject: str
    changes: tuple[Change, ...]  # a merge: only where it differs from every parent (its own changes)
    mainline: tuple[Change, ...] = ()  # against the first parent: what the commit brings in
    problems: tuple[str, ...] = ()  # a malformed commit object (CommitHeader.problems)

    @property
    def short(self) -> str:
        return self.sha[:10]

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1


def parse_raw_diff(
    out: bytes, first: str | None = None
) -> list[tuple[str, tuple[str, ...], tuple[Change, ...]]]:
    """(commit, parents, changes) from ``-z --raw`` output of ``git log --format=%H %P`` or
    ``git diff-tree``: headers are commit ids, each ``:meta`` entry is followed by its path.
    ``first`` names the record of entries that come before any header (two revisions diffed)."""
    tokens = out.split(b"\0")
    records: list[tuple[str, tuple[str, ...], tuple[Change, ...]]] = [(first, (), ())] if first else []
    changes: list[Change] = []
    i = 0
    while i < len(tokens):
        token = tokens[i].strip(b"\n")
        i += 1
        if not token:
            continue
        if token.startswith(b":"):
            if i >= len(tokens) or not records:
                raise GitError("git 输出格式异常：变更条目没有文件名")
            changes.append(_change(token.decode("ascii"), tokens[i].decode("utf-8", "surrogateescape")))
            i += 1
            continue
        if not _HEADER.match(token.strip()):
            raise GitError("git 输出格式异常：无法识别的提交标识")
        if records:
            records[-1] = (*records[-1][:2], tuple(changes))
        ids = token.decode("ascii").split()
        records.append((ids[0], tuple(ids[1:]), ()))
        changes = []
    if records:
        records[-1] = (*records[-1][:2], tuple(changes))
    return records


def _change(meta: str, path: str) -> Change:
    parents = len(meta) - len(meta.lstrip(":"))
    fields = meta.lstrip(":").split()
    modes, shas = fields[: parents + 1], fields[parents + 1 : 2 * parents + 2]
    return Change(path, fields[-1], shas[0] if shas else ZERO, shas[-1] if shas else ZERO, modes[-1])


def split_signed(raw: bytes, header: bytes = b"gpgsig") -> tuple[bytes, bytes]:
    """(signed payload, signature) of a raw commit object, split as git splits it
    (``parse_buffer_signed_by_header``): the payload is the object without the ``header`` line and
    its continuation lines, and without any other ``gpgsig…`` header; the signature is the
    header's value with the continuation lines' leading space removed (empty when unsigned)."""
    payload, signature = bytearray(), bytearray()
    in_signature = other_signature = False
    pos, size = 0, len(raw)
    while pos < size:
        newline = raw.find(b"\n", pos)
        end = size if newline < 0 else newline + 1
        line = raw[pos:end]
        value: bytes | None = None
        if in_signature and line.startswith(b" "):
            value = line[1:]
        elif line.startswith(header + b" "):
            value = line[len(header) + 1 :]
            other_signature = False
        elif line.startswith(b"gpgsig"):
            other_signature = True
        elif other_signature and not line.startswith(b" "):
            other_signature = False
        if value is not None:
            signature += value
            in_signature = True
        else:
            if line.startswith(b"\n"):  # the blank line: the message follows, all of it signed
                end = size
                line = raw[pos:]
            if not other_signature:
                payload += line
            in_signature = False
        pos = end
    return bytes(payload), bytes(signature)


def check_signature(
    raw: bytes, allowed: Mapping[str, str], header: bytes = b"gpgsig"
) -> SignatureStatus | None:
    """The signature status of a raw commit object, with ``allowed`` (fingerprint → principal)
    as ``gpg.ssh.allowedSignersFile``; None when only git can tell (not an SSH signature, or an
    SSH key type :mod:`~rectify.history.ssh_signature` does not verify)."""
    payload, signature = split_signed(raw, header)
    if not signature:
        return UNSIGNED
    if signature.startswith(GIT_SIGNATURES):
        return None
    if not signature.startswith(SSH_SIGNATURE):
        return SignatureStatus("E")  # git itself stops with "bad/incompatible signature"
    try:
        checked = ssh_signature.verify(signature, payload)
    except ssh_signature.UnsupportedKey:
        return None
    except ssh_signature.BadSignature:
        return SignatureStatus("B")
    principal = allowed.get(checked.fingerprint, "")
    return SignatureStatus("G" if principal else "U", checked.fingerprint, checked.fingerprint, principal)


def read_range(
    root: Path,
    base: str,
    head: str,
    signers: KeyIndex | None = None,
    revoked: Collection[str] = (),
    paths: tuple[str, ...] = (),
) -> list[Commit]:
    """Commits in ``base..head``, parents before children, their signatures checked against the
    keys of ``signers`` less the ``revoked`` fingerprints. ``changes`` of a merge lists only the
    files where it differs from every parent (``--cc``); ``mainline`` lists what it brings in
    against its first parent (one more ``git diff-tree --stdin`` pass, for the merges only)."""
    signers = signers or KeyIndex()
    args = ["log", "--reverse", "--topo-order", "--cc", *DIFF_OPTIONS, "--format=%H %P"]
    args += [f"{base}..{head}"] if base != ZERO else [head]
    if paths:
        args += ["--", *paths]
    records = parse_raw_diff(run(root, args, _CONFIG))
    objects = cat_blobs(root, (sha for sha, _, _ in records))
    merges = [(sha, parents) for sha, parents, _ in records if len(parents) > 1]
    mainline = _first_parent_changes(root, merges, paths) if merges else {}
    allowed = {fp: person for fp, person in signers.owners.items() if fp not in revoked}
    statuses: dict[str, SignatureStatus] = {}
    left_to_git = []
    for sha, _, _ in records:
        status = check_signature(objects[sha], allowed, b"gpgsig-sha256" if len(sha) == 64 else b"gpgsig")
        if status is None:
            left_to_git.append(sha)
        else:
            statuses[sha] = status
    if left_to_git:
        statuses.update(_checked_by_git(root, left_to_git, signers.allowed_signers(revoked)))
    commits = []
    for sha, parents, changes in records:
        status = statuses.get(sha, SignatureStatus("E"))
        header = parse_commit(objects[sha])
        commits.append(
            Commit(
                sha,
                parents,
                status.signature,
                status.fingerprint,
                status.key,
                status.principal,
                header.author.name,
                header.author.email,
                header.committer.name,
                header.committer.email,
                header.date,
                header.subject,
                changes,
                mainline.get(sha, ()) if len(parents) > 1 else changes,
                header.problems,
            )
        )
    return commits


def _first_parent_changes(
    root: Path, merges: Iterable[tuple[str, tuple[str, ...]]], paths: tuple[str, ...]
) -> dict[str, tuple[Change, ...]]:
    """Each merge against its first parent, from one ``git diff-tree --stdin``."""
    stdin = "".join(f"{sha} {parents[0]}\n" for sha, parents in merges).encode()
    out = run(
        root, ["diff-tree", "--stdin", *DIFF_OPTIONS, *(["--", *paths] if paths else [])], _CONFIG, stdin
    )
    return {sha: changes for sha, _, changes in parse_raw_diff(out)}


def _checked_by_git(root: Path, shas: list[str], allowed_signers: str) -> dict[str, SignatureStatus]:
    """``%G?`` and friends for a few commits, from one ``git log --no-walk`` (git runs gpg, gpgsm or
    ``ssh-keygen``). Revoked keys are left out of ``allowed_signers``, so git reports them as unknown.
    The signer's name (``%GS``, a GPG user id anyone can choose) comes last in a NUL-terminated
    record, so it cannot pass for another commit's record."""
    wanted = set(shas)
    with tempfile.TemporaryDirectory(prefix="rectify-signers-") as tmp:
        allowed = Path(tmp) / "allowed_signers"
        allowed.write_text(allowed_signers, encoding="utf-8")
        out = run(
            root,
            ["log", "--no-walk=unsorted", "--stdin", "-z", "--format=%H %G? %GF %GK%n%GS"],
            [*_CONFIG, f"gpg.ssh.allowedSignersFile={allowed}"],
            stdin=("\n".join(shas) + "\n").encode(),
        ).decode("utf-8", "surrogateescape")
    statuses: dict[str, SignatureStatus] = {}
    for record in out.split("\0"):
        first, _, principal = record.strip("\n").partition("\n")
        fields = first.split(" ")
        if len(fields) != 4 or fields[0] not in wanted or fields[0] in statuses:
            continue
        sha, signature, fingerprint, key = fields
        statuses[sha] = SignatureStatus(signature, fingerprint, key, principal.rstrip("\n"))
    return statuses
