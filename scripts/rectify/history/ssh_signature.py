"""SSH signatures (OpenSSH's SSHSIG format, ``PROTOCOL.sshsig``) checked in-process, as
``ssh-keygen -Y verify -n git`` checks them, so a range of commits needs no process per signature.

The PyPI package ``sshsig`` does the same for ed25519 and RSA keys only; staff may register ECDSA
keys, so this follows OpenSSH directly on top of ``cryptography``. Key types it does not know
(hardware ``sk-`` keys, certificates) raise :class:`UnsupportedKey`: the caller leaves those few
commits to git and ``ssh-keygen``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature as _CryptoInvalid
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import load_ssh_public_key

BEGIN = b"-----BEGIN SSH SIGNATURE-----"
END = b"-----END SSH SIGNATURE-----"
MAGIC = b"SSHSIG"
VERSION = 1
HASHES = {b"sha256": hashlib.sha256, b"sha512": hashlib.sha512}  # what ssh-keygen accepts
# key type → signature types OpenSSH accepts for it (RSA: never SHA-1 "ssh-rsa" in SSHSIG)
SIGNATURE_TYPES = {
    b"ssh-ed25519": (b"ssh-ed25519",),
    b"ssh-rsa": (b"rsa-sha2-512", b"rsa-sha2-256"),
    b"ecdsa-sha2-nistp256": (b"ecdsa-sha2-nistp256",),
    b"ecdsa-sha2-nistp384": (b"ecdsa-sha2-nistp384",),
    b"ecdsa-sha2-nistp521": (b"ecdsa-sha2-nistp521",),
}
_ECDSA = {  # key type → (curve, hash of the signature)
    b"ecdsa-sha2-nistp256": (ec.SECP256R1, hashes.SHA256),
    b"ecdsa-sha2-nistp384": (ec.SECP384R1, hashes.SHA384),
    b"ecdsa-sha2-nistp521": (ec.SECP521R1, hashes.SHA512),
}


class BadSignature(Exception):
    """Not a valid signature of this message in the ``git`` namespace (git's ``%G?`` = B)."""


class UnsupportedKey(Exception):
    """A well-formed signature by a key type this module does not verify."""


@dataclass(frozen=True, slots=True)
class Signature:
    """The fields of an SSHSIG blob."""

    key_type: bytes
    public_key: bytes  # the SSH wire encoding of the signing key
    namespace: bytes
    hash_algorithm: bytes
    signature: bytes

    @property
    def fingerprint(self) -> str:
        """``SHA256:…`` as ``ssh-keygen -l`` and git's ``%GK`` show it."""
        return "SHA256:" + base64.b64encode(hashlib.sha256(self.public_key).digest()).decode().rstrip("=")


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def take(self, size: int) -> bytes:
        if size < 0 or self.pos + size > len(self.data):
            raise BadSignature("签名数据被截断")
        chunk = self.data[self.pos : self.pos + size]
        self.pos += size
        return chunk

    def uint32(self) -> int:
        value: int = struct.unpack(">I", self.take(4))[0]
        return value

    def string(self) -> bytes:
        return self.take(self.uint32())

    def mpint(self) -> int:
        return int.from_bytes(self.string(), "big", signed=True)

    def end(self) -> None:
        if self.pos != len(self.data):
            raise BadSignature("签名数据末尾有多余内容")


def dearmor(armored: bytes) -> bytes:
    """The binary blob between the ``BEGIN``/``END SSH SIGNATURE`` lines."""
    if not armored.startswith(BEGIN + b"\n"):
        raise BadSignature("不是 SSH 签名")
    end = armored.find(END, len(BEGIN))
    if end < 0:
        raise BadSignature("SSH 签名没有结束行")
    body = b"".join(armored[len(BEGIN) : end].split())
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raise BadSignature("SSH 签名不是有效的 base64") from None


def parse(armored: bytes) -> Signature:
    """The fields of an armored SSH signature; :class:`BadSignature` when it is malformed."""
    reader = _Reader(dearmor(armored))
    if reader.take(len(MAGIC)) != MAGIC:
        raise BadSignature("缺少 SSHSIG 标记")
    if reader.uint32() != VERSION:
        raise BadSignature("SSHSIG 版本不受支持")
    public_key, namespace = reader.string(), reader.string()
    reader.string()  # reserved
    hash_algorithm, signature = reader.string(), reader.string()
    reader.end()
    key_type = _Reader(public_key).string()
    return Signature(key_type, public_key, namespace, hash_algorithm, signature)


def signed_data(namespace: bytes, hash_algorithm: bytes, message: bytes) -> bytes:
    """What the key signs: ``"SSHSIG" string(namespace) string(reserved) string(hash) string(H(m))``."""
    digest = HASHES[hash_algorithm](message).digest()
    return MAGIC + b"".join(
        struct.pack(">I", len(part)) + part for part in (namespace, b"", hash_algorithm, digest)
    )


def verify(armored: bytes, message: bytes, namespace: bytes = b"git") -> Signature:
    """Check that ``armored`` signs ``message`` in ``namespace``; returns the signature (whose
    :attr:`~Signature.fingerprint` names the key). Whether the key may sign is the caller's call."""
    sig = parse(armored)
    if sig.key_type not in SIGNATURE_TYPES:
        raise UnsupportedKey(sig.key_type.decode("ascii", "replace"))
    if sig.namespace != namespace:
        raise BadSignature(f"签名的命名空间是 {sig.namespace!r}，应为 {namespace!r}")
    if sig.hash_algorithm not in HASHES:
        raise BadSignature(f"签名的摘要算法 {sig.hash_algorithm!r} 不受支持")
    inner = _Reader(sig.signature)
    signature_type, raw = inner.string(), inner.string()
    inner.end()
    if signature_type not in SIGNATURE_TYPES[sig.key_type]:
        raise BadSignature(f"签名类型 {signature_type!r} 与公钥类型 {sig.key_type!r} 不符")
    key = _load(sig)
    data = signed_data(namespace, sig.hash_algorithm, message)
    try:
        if isinstance(key, ed25519.Ed25519PublicKey):
            key.verify(raw, data)
        elif isinstance(key, rsa.RSAPublicKey):
            size = (key.key_size + 7) // 8
            if len(raw) > size:
                raise BadSignature("RSA 签名长度不对")
            algorithm = hashes.SHA512() if signature_type == b"rsa-sha2-512" else hashes.SHA256()
            key.verify(raw.rjust(size, b"\0"), data, padding.PKCS1v15(), algorithm)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            point = _Reader(raw)
            r, s = point.mpint(), point.mpint()
            point.end()
            if r <= 0 or s <= 0:
                raise BadSignature("ECDSA 签名数值无效")
            key.verify(encode_dss_signature(r, s), data, ec.ECDSA(_ECDSA[sig.key_type][1]()))
        else:  # pragma: no cover - SIGNATURE_TYPES lists only the three families above
            raise UnsupportedKey(sig.key_type.decode("ascii", "replace"))
    except (_CryptoInvalid, ValueError):
        raise BadSignature("签名与内容不符") from None
    return sig


_KEYS: dict[bytes, object] = {}


def _load(sig: Signature) -> object:
    """The ``cryptography`` key of a signature (a range has few signers: cached by key blob)."""
    key = _KEYS.get(sig.public_key)
    if key is None:
        line = sig.key_type + b" " + base64.b64encode(sig.public_key)
        try:
            key = load_ssh_public_key(line)
        except (ValueError, UnsupportedAlgorithm):
            raise BadSignature("签名中的公钥无法读取") from None
        if sig.key_type in _ECDSA:
            fits = isinstance(key, ec.EllipticCurvePublicKey) and isinstance(
                key.curve, _ECDSA[sig.key_type][0]
            )
        else:
            fits = isinstance(
                key, ed25519.Ed25519PublicKey if sig.key_type == b"ssh-ed25519" else rsa.RSAPublicKey
            )
        if not fits:
            raise BadSignature("签名中的公钥类型不符")
        _KEYS[sig.public_key] = key
    return key
