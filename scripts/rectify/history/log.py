"""The commits of a range: one ``git log`` pass for their metadata and the files they change, one
``git cat-file --batch`` pass for the raw commit objects, and every SSH signature checked in-process
(:mod:`rectify.history.ssh_signature`) against the payload git signs — never a process per commit.

Only commits that only git can check (GPG or X.509 signatures, SSH key types such as hardware
``sk-`` keys) go back to git, all of them in one ``git log --no-walk`` pass with ``%G?``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from rectify.history import ssh_signature
from rectify.history.git import ZERO, cat_blobs, run
from rectify.history.keys import KeyIndex

_FIELDS = ["%H", "%P", "%an", "%ae", "%cn", "%ce", "%cs", "%s"]
FORMAT = "%x1e" + "%x1f".join(_FIELDS) + "%x1f"
_SIGNATURE_FORMAT = "%x1e" + "%x1f".join(["%H", "%G?", "%GF", "%GK", "%GS"])
_CONFIG = ["log.showSignature=false", "core.quotePath=false"]
SSH_SIGNATURE = ssh_signature.BEGIN
# the other formats git knows (gpg.format openpgp, x509): git checks them with gpg or gpgsm
GIT_SIGNATURES = (
    b"-----BEGIN PGP SIGNATURE-----",
    b"-----BEGIN PGP MESSAGE-----",
    b"-----BEGIN SIGNED MESSAGE-----",
)


@dataclass(frozen=True, slots=True)
class Change:
    """One file a commit changes: status A/M/D (a merge: against every parent), blob ids."""

    path: str
    status: str
    old_blob: str  # ZERO when added; for a merge, the first parent's blob
    new_blob: str  # ZERO when deleted


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
    """Commits in ``base..head``, oldest first, their signatures checked against the keys of
    ``signers`` less the ``revoked`` fingerprints. A merge lists only the files where it differs
    from every parent (``--cc``): what it merely combines was changed, and checked, in its parents."""
    signers = signers or KeyIndex()
    args = ["log", "--reverse", "--no-renames", "--raw", "--no-abbrev", "--cc", "-z", f"--format={FORMAT}"]
    args += [f"{base}..{head}"] if base != ZERO else [head]
    if paths:
        args += ["--", *paths]
    out = run(root, args, _CONFIG).decode("utf-8", "surrogateescape")
    records = [record.split("\x1f") for record in out.split("\x1e")[1:]]
    objects = cat_blobs(root, (fields[0] for fields in records))
    allowed = {fp: person for fp, person in signers.owners.items() if fp not in revoked}
    statuses: dict[str, SignatureStatus] = {}
    left_to_git = []
    for fields in records:
        sha = fields[0]
        status = check_signature(objects[sha], allowed, b"gpgsig-sha256" if len(sha) == 64 else b"gpgsig")
        if status is None:
            left_to_git.append(sha)
        else:
            statuses[sha] = status
    if left_to_git:
        statuses.update(_checked_by_git(root, left_to_git, signers.allowed_signers(revoked)))
    commits = []
    for fields in records:
        sha, parents, an, ae, cn, ce, cs, subject = fields[:8]
        status = statuses.get(sha, SignatureStatus("E"))
        commits.append(
            Commit(
                sha,
                tuple(parents.split()),
                status.signature,
                status.fingerprint,
                status.key,
                status.principal,
                an,
                ae,
                cn,
                ce,
                cs,
                subject,
                _changes("\x1f".join(fields[8:])),
            )
        )
    return commits


def _checked_by_git(root: Path, shas: list[str], allowed_signers: str) -> dict[str, SignatureStatus]:
    """``%G?`` and friends for a few commits, from one ``git log --no-walk`` (git runs gpg, gpgsm or
    ``ssh-keygen``). Revoked keys are left out of ``allowed_signers``, so git reports them as unknown."""
    with tempfile.TemporaryDirectory(prefix="rectify-signers-") as tmp:
        allowed = Path(tmp) / "allowed_signers"
        allowed.write_text(allowed_signers, encoding="utf-8")
        out = run(
            root,
            ["log", "--no-walk=unsorted", "--stdin", f"--format={_SIGNATURE_FORMAT}"],
            [*_CONFIG, f"gpg.ssh.allowedSignersFile={allowed}"],
            stdin=("\n".join(shas) + "\n").encode(),
        ).decode("utf-8", "surrogateescape")
    statuses = {}
    for record in out.split("\x1e")[1:]:
        sha, signature, fingerprint, key, principal = (record.rstrip("\n").split("\x1f") + [""] * 5)[:5]
        statuses[sha] = SignatureStatus(signature, fingerprint, key, principal)
    return statuses
