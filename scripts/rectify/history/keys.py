"""Signing keys as the registry lists them: fingerprints, who holds which key, and the
``allowed_signers`` text for the few commits left to ``git`` and ``ssh-keygen`` (the others are
checked in-process against :attr:`KeyIndex.owners`).

:func:`person_for_fingerprint` is what the site's timeline uses to say who signed a commit.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rectify.model import Document, Registry


def key_blob(line: str) -> tuple[str, str] | None:
    """``ssh-ed25519 AAAA… comment`` → (type, base64 blob), or None when it is not a key line."""
    parts = line.split()
    if len(parts) < 2:
        return None
    return parts[0], parts[1]


def fingerprint(line: str) -> str | None:
    """OpenSSH's ``SHA256:…`` fingerprint of a public key line (what git shows as ``%GK``)."""
    parsed = key_blob(line)
    if parsed is None:
        return None
    try:
        raw = base64.b64decode(parsed[1], validate=True)
    except (binascii.Error, ValueError):
        return None
    return "SHA256:" + base64.b64encode(hashlib.sha256(raw).digest()).decode().rstrip("=")


@dataclass(frozen=True, slots=True)
class Signer:
    """A registered person as far as signing goes (人员签名信息)."""

    person: str
    name: str
    email: str | None


@dataclass(slots=True)
class KeyIndex:
    """Fingerprint → person, built from the ``signing_keys`` of ``registry/people/``.

    A key registered to two or more people (same fingerprint, however the line is spelled) belongs
    to none of them: it is in :attr:`shared`, not in :attr:`owners`, so a commit signed with it
    counts for nobody rather than for whichever record happened to be read first."""

    owners: dict[str, str] = field(default_factory=dict)
    lines: dict[str, str] = field(default_factory=dict)  # fingerprint → "type blob"
    signers: dict[str, Signer] = field(default_factory=dict)
    shared: dict[str, tuple[str, ...]] = field(default_factory=dict)  # fingerprint → people, sorted

    @classmethod
    def from_people(cls, people: Iterable[Document]) -> KeyIndex:
        index = cls()
        holders: dict[str, set[str]] = {}
        for doc in people:
            person = doc.id
            if person is None:
                continue
            contact = doc.data.get("contact")
            email = contact.get("email") if isinstance(contact, dict) else None
            index.signers[person] = Signer(
                person, str(doc.data.get("name") or ""), email if isinstance(email, str) else None
            )
            keys: Any = doc.data.get("signing_keys")
            for line in keys if isinstance(keys, list) else []:
                if not isinstance(line, str):
                    continue
                fp, parsed = fingerprint(line), key_blob(line)
                if fp and parsed:
                    holders.setdefault(fp, set()).add(person)
                    index.owners.setdefault(fp, person)
                    index.lines.setdefault(fp, " ".join(parsed))
        for fp, people_ids in holders.items():
            if len(people_ids) > 1:
                index.shared[fp] = tuple(sorted(people_ids))
                del index.owners[fp], index.lines[fp]
        return index

    def allowed_signers(self, revoked: Iterable[str] = ()) -> str:
        """The ``gpg.ssh.allowedSignersFile`` text: principal = person id, namespace git."""
        revoked = set(revoked)
        return "".join(
            f'{self.owners[fp]} namespaces="git" {line}\n'
            for fp, line in sorted(self.lines.items())
            if fp not in revoked
        )


def person_for_fingerprint(registry: Registry, key_fingerprint: str) -> str | None:
    """The id of the person in ``registry/people/`` whose ``signing_keys`` hold the key with this
    ``SHA256:…`` fingerprint (git's ``%GK``/``%GF`` for an SSH signature), or None."""
    return KeyIndex.from_people(registry.by_kind.get("person", {}).values()).owners.get(key_fingerprint)


@dataclass(frozen=True, slots=True)
class RevokedKey:
    """An entry of ``signing.revoked_keys`` in ``registry/jurisdiction.yaml`` (吊销的公钥)."""

    fingerprint: str
    line: str
    person: str | None
    revoked_on: str | None


def revoked_keys(jurisdiction: dict[str, Any] | None) -> list[RevokedKey]:
    signing = (jurisdiction or {}).get("signing")
    entries = signing.get("revoked_keys") if isinstance(signing, dict) else None
    out = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or not isinstance(entry.get("key"), str):
            continue
        fp, parsed = fingerprint(entry["key"]), key_blob(entry["key"])
        if fp and parsed:
            person, on = entry.get("person"), entry.get("revoked_on")
            out.append(
                RevokedKey(
                    fp,
                    " ".join(parsed),
                    person if isinstance(person, str) else None,
                    on if isinstance(on, str) else None,
                )
            )
    return out


def key_owners(registry: Registry) -> dict[str, str]:
    """Every registered key's ``SHA256:…`` fingerprint → person id (build once, look up per commit)."""
    return dict(KeyIndex.from_people(registry.by_kind.get("person", {}).values()).owners)
