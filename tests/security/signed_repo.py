"""A real repository with the base registry, real ``ssh-keygen`` keys registered at the base, and a
few helpers to write records spelled by hand and to run ``verify-signatures`` on the range."""

from __future__ import annotations

from pathlib import Path

from rectify.diagnostics import Diagnostic
from rectify.history.signatures import verify
from rectify.paths import find
from tests.conftest import make_registry
from tests.git.repo import Key, Repo, keygen

HAZ = "registry/hazards/2023/HAZ-2023-00001.yaml"
# person id → key name; 刘芳 (city-safety-office) is added at the base as the office's person
PEOPLE = {
    "sun-hao-yjj": "sun",
    "wang-qiang-qy": "wang",
    "zhao-lei-yjj": "zhao",
    "liu-fang-aqb": "liu",
}
OFFICE_PERSON = """\
id: liu-fang-aqb
name: 刘芳
organization: city-safety-office
title: 综合科科长
roles: [official]
"""


class Signed:
    """The repository after the base commit, with a key per person."""

    def __init__(self, tmp_path: Path) -> None:
        self.repo = Repo(make_registry(tmp_path / "repo"))
        self.root = self.repo.root
        (self.root / "registry/people/liu-fang-aqb.yaml").write_text(OFFICE_PERSON, encoding="utf-8")
        self.keys: dict[str, Key] = {}
        for person, name in PEOPLE.items():
            self.keys[person] = keygen(tmp_path / "keys", name)
            self.repo.register(person, self.keys[person])
        self.base = self.repo.commit("基准", self.keys["zhao-lei-yjj"], self.repo.author("zhao-lei-yjj"))

    def text(self, rel: str = HAZ) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def write_text(self, text: str, rel: str = HAZ) -> None:
        (self.root / rel).parent.mkdir(parents=True, exist_ok=True)
        (self.root / rel).write_text(text, encoding="utf-8")

    def commit(self, person: str | None, message: str = "修改", author: str | None = None) -> str:
        """Commit everything signed by ``person`` (None: unsigned, authored by ``author``)."""
        key = self.keys[person] if person else None
        return self.repo.commit(message, key, self.repo.author(person or author or "wang-qiang-qy"))

    def verify(self) -> list[Diagnostic]:
        return verify(find(self.root), self.base).diagnostics


def located(found: list[Diagnostic]) -> list[tuple[str, str, str]]:
    """(rule, file, field) of each finding, in order."""
    return [(d.rule, d.file, d.path) for d in found]
