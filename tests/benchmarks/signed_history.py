"""Many really signed commits, fast: each commit object is written as git writes it, with an SSH
signature made in-process (OpenSSH's SSHSIG format, namespace ``git``, SHA-512, as ``ssh-keygen -Y
sign`` makes it) by a real ed25519 key from ``ssh-keygen``; objects go straight into the object
store, so no process starts per commit. ``git verify-commit`` accepts them (see ``spot_check``)."""

from __future__ import annotations

import base64
import hashlib
import struct
import subprocess
import zlib
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.serialization import load_ssh_private_key
from tests.git.repo import GIT_ENV, Key


def _string(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def sshsig(private: ed25519.Ed25519PrivateKey, public_wire: bytes, message: bytes) -> bytes:
    """The armored SSHSIG of ``message`` in the ``git`` namespace."""
    digest = hashlib.sha512(message).digest()
    signed = b"SSHSIG" + _string(b"git") + _string(b"") + _string(b"sha512") + _string(digest)
    signature = _string(b"ssh-ed25519") + _string(private.sign(signed))
    blob = (
        b"SSHSIG"
        + struct.pack(">I", 1)
        + _string(public_wire)
        + _string(b"git")
        + _string(b"")
        + _string(b"sha512")
        + _string(signature)
    )
    text = base64.b64encode(blob)
    lines = [text[i : i + 70] for i in range(0, len(text), 70)]
    return b"\n".join([b"-----BEGIN SSH SIGNATURE-----", *lines, b"-----END SSH SIGNATURE-----"])


class ObjectWriter:
    """Loose objects written into ``.git/objects`` as git writes them."""

    def __init__(self, root: Path) -> None:
        self.objects = root / ".git" / "objects"

    def write(self, kind: bytes, body: bytes) -> bytes:
        raw = kind + b" " + str(len(body)).encode() + b"\0" + body
        sha = hashlib.sha1(raw).digest()
        name = sha.hex()
        path = self.objects / name[:2] / name[2:]
        if not path.exists():
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(zlib.compress(raw, 1))
        return sha


def _git(root: Path, *args: str, data: bytes | None = None) -> bytes:
    return subprocess.run(
        ["git", "-C", str(root), *args], input=data, check=True, capture_output=True, env=GIT_ENV
    ).stdout


def _tree_entries(root: Path, sha: str) -> list[tuple[bytes, bytes, bytes]]:
    """(mode, name, sha) of a tree, in git's order."""
    raw = _git(root, "cat-file", "tree", sha)
    out = []
    at = 0
    while at < len(raw):
        space = raw.index(b" ", at)
        nul = raw.index(b"\0", space)
        out.append((raw[at:space], raw[space + 1 : nul], raw[nul + 1 : nul + 21]))
        at = nul + 21
    return out


def append_commits(root: Path, rel: str, texts: list[str], key: Key, author: tuple[str, str]) -> str:
    """Commit ``texts`` in turn as the content of ``rel`` on top of HEAD, each commit signed by
    ``key`` and made by ``author``; HEAD and the work tree end at the last one. Returns its sha."""
    private = load_ssh_private_key(key.private.read_bytes(), password=None)
    assert isinstance(private, ed25519.Ed25519PrivateKey)
    public_wire = base64.b64decode(key.public.split()[1])
    writer = ObjectWriter(root)
    head = _git(root, "rev-parse", "HEAD").decode().strip()
    root_tree = _git(root, "rev-parse", "HEAD^{tree}").decode().strip()
    parts = rel.split("/")
    chain = [root_tree]  # the trees from the root down to the file's folder
    levels = []
    for part in parts[:-1]:
        entries = _tree_entries(root, chain[-1])
        levels.append(entries)
        chain.append(next(sha.hex() for mode, name, sha in entries if name == part.encode()))
    levels.append(_tree_entries(root, chain[-1]))
    ident = f"{author[0]} <{author[1]}>".encode()
    parent = head
    for n, text in enumerate(texts):
        sha = writer.write(b"blob", text.encode("utf-8"))
        for depth in range(len(parts) - 1, -1, -1):
            name = parts[depth].encode()
            entries = [(m, e, sha if e == name else s) for m, e, s in levels[depth]]
            sha = writer.write(b"tree", b"".join(m + b" " + e + b"\0" + s for m, e, s in entries))
        stamp = f"{1696000000 + n * 60} +0800".encode()
        header = (
            b"tree " + sha.hex().encode() + b"\nparent " + parent.encode() + b"\n"
            b"author " + ident + b" " + stamp + b"\ncommitter " + ident + b" " + stamp + b"\n"
        )
        message = f"\n进展 {n + 1}\n".encode()
        signature = sshsig(private, public_wire, header + message)
        signed = header + b"gpgsig " + signature.replace(b"\n", b"\n ") + b"\n" + message
        parent = writer.write(b"commit", signed).hex()
    _git(root, "update-ref", "HEAD", parent)
    _git(root, "reset", "-q", "--hard")
    return parent


def spot_check(root: Path, allowed: Path, commits: list[str]) -> None:
    """``git verify-commit`` (git's own path, through ``ssh-keygen``) accepts each of ``commits``."""
    for sha in commits:
        _git(root, "-c", f"gpg.ssh.allowedSignersFile={allowed}", "verify-commit", sha)
