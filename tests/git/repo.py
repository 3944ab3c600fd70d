"""Real Git repositories and real SSH keys in temporary folders, for the history tests."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from rectify.history.keys import fingerprint

# Tests never read the developer's or the runner's git configuration.
GIT_ENV = {
    **os.environ,
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_TERMINAL_PROMPT": "0",
}


@dataclass(frozen=True)
class Key:
    private: Path
    public: str  # "ssh-ed25519 AAAA… comment"

    @property
    def fingerprint(self) -> str:
        value = fingerprint(self.public)
        assert value is not None
        return value


KEY_TYPES = {  # name → ssh-keygen arguments
    "ed25519": ["-t", "ed25519"],
    "rsa": ["-t", "rsa", "-b", "3072"],
    "ecdsa": ["-t", "ecdsa", "-b", "256"],
    "ecdsa384": ["-t", "ecdsa", "-b", "384"],
    "ecdsa521": ["-t", "ecdsa", "-b", "521"],
}


def keygen(folder: Path, name: str, kind: str = "ed25519") -> Key:
    """A real key made by ``ssh-keygen`` (no passphrase), made once per folder and name."""
    folder.mkdir(parents=True, exist_ok=True)
    private = folder / name
    if not private.exists():
        subprocess.run(
            ["ssh-keygen", "-q", *KEY_TYPES[kind], "-N", "", "-C", name, "-f", str(private)], check=True
        )
    return Key(private, (folder / f"{name}.pub").read_text(encoding="utf-8").strip())


def email_of(person: str) -> str:
    return f"{person}@huaibei.example.gov.cn"


class Repo:
    """A work tree with the registry in it, driven through the git command line."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, env: dict[str, str] | None = None) -> str:
        proc = subprocess.run(
            ["git", "-C", str(self.root), *args],
            capture_output=True,
            text=True,
            env={**GIT_ENV, **(env or {})},
        )
        assert proc.returncode == 0, f"git {' '.join(args)}\n{proc.stdout}\n{proc.stderr}"
        return proc.stdout.strip()

    def commit(
        self,
        message: str,
        key: Key | None = None,
        author: tuple[str, str] = ("测试", "test@example.org"),
        extra: tuple[str, ...] = (),
    ) -> str:
        """Stage everything and commit it as ``author``, signed with ``key`` when given."""
        self.git("add", "-A")
        args = ["-c", f"user.name={author[0]}", "-c", f"user.email={author[1]}"]
        if key is not None:
            args += ["-c", "gpg.format=ssh", "-c", f"user.signingkey={key.private}"]
        self.git(*args, "commit", "-q", "--allow-empty", "-m", message, *(["-S"] if key else []), *extra)
        return self.git("rev-parse", "HEAD")

    def read(self, rel: str) -> dict[str, Any]:
        data = yaml.safe_load((self.root / rel).read_text(encoding="utf-8"))
        assert isinstance(data, dict)
        return data

    def write(self, rel: str, data: dict[str, Any]) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    def edit(self, rel: str, **fields: Any) -> None:
        data = self.read(rel)
        data.update(fields)
        self.write(rel, data)

    def register(self, person: str, key: Key, email: bool = True) -> None:
        """Add ``key`` to the person's ``signing_keys`` (and their e-mail to ``contact``)."""
        rel = f"registry/people/{person}.yaml"
        data = self.read(rel)
        data.setdefault("signing_keys", []).append(key.public)
        if email:
            data.setdefault("contact", {})["email"] = email_of(person)
        self.write(rel, data)

    def author(self, person: str) -> tuple[str, str]:
        return (str(self.read(f"registry/people/{person}.yaml")["name"]), email_of(person))
