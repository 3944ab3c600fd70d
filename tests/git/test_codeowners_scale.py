"""CODEOWNERS for a large registry: when one line per record would pass the size limit, folder and
id-prefix lines give every record file the same reviewing team, resolved as GitHub does (the last
matching line wins), and the file stays under the limit; ``--check`` works in both forms."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from rectify.check import build_registry
from rectify.history.codeowners import generate
from rectify.history.owner_blocks import COMPACT_NOTE
from rectify.paths import find
from tests.benchmarks import synthetic
from tests.conftest import REPO
from tests.helpers import cli, explain

ORGS = ["city-safety-office", "city-emergency", "city-housing", *synthetic.DISTRICTS]


def _glob(pattern: str) -> re.Pattern[str]:
    """GitHub's reading of a CODEOWNERS pattern (no character classes, no negation)."""
    anchored = pattern.startswith("/")
    body = pattern.lstrip("/")
    text = re.escape(body).replace(r"\*\*", ".*").replace(r"\*", "[^/]*")
    if body.endswith("/"):
        text += ".*"
    elif "/" not in body.rstrip("/"):
        anchored = False
    inside = "" if "*" in body else "(?:/.*)?"  # GitHub: ``docs/*`` owns no file of a subfolder
    return re.compile(("" if anchored else "(?:.*/)?") + text + inside)


class Resolver:
    """The owners of a path: those of the last line whose pattern matches it."""

    def __init__(self, codeowners: str) -> None:
        self.rules: list[tuple[re.Pattern[str] | None, tuple[str, ...]]] = []
        for line in codeowners.splitlines():
            if line.strip() and not line.startswith("#"):
                pattern, *names = line.split()
                self.rules.append((None if pattern == "*" else _glob(pattern), tuple(names)))

    def __call__(self, path: str) -> tuple[str, ...]:
        for glob, owners in reversed(self.rules):
            if glob is None or glob.fullmatch(path):
                return owners
        return ()


def resolve(codeowners: str, path: str) -> tuple[str, ...]:
    return Resolver(codeowners)(path)


def _registry(root: Path, hazards: int, blocks: bool, seed: int) -> Path:
    """The synthetic registry with a team per body and hazards owned by several bodies: in runs of
    consecutive ids (as a ledger import numbers them) when ``blocks``, else at random."""
    synthetic.write(root, hazards, REPO / "schemas")
    for org in ORGS:
        path = root / "registry/organizations" / f"{org}.yaml"
        team = "office" if org == "city-safety-office" else org
        path.write_text(
            path.read_text(encoding="utf-8") + f'forge_team: "@huaibei/{team}"\n', encoding="utf-8"
        )
    rng = random.Random(seed)
    owner = ORGS[1]
    for path in sorted((root / "registry/hazards/2023").glob("*.yaml")):
        if not blocks or rng.random() < 0.02:
            owner = rng.choice(ORGS)
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace("  department: city-emergency\n", f"  department: {owner}\n"), encoding="utf-8"
        )
    return root


def _record_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in (root / "registry").rglob("*") if p.is_file())


@pytest.mark.parametrize(("blocks", "seed"), [(True, 1), (True, 2), (False, 3)])
def test_compact_lines_give_every_record_file_the_same_team(tmp_path: Path, blocks: bool, seed: int) -> None:
    root = _registry(tmp_path / "reg", 1200, blocks, seed)
    registry, _, _ = build_registry(find(root))
    per_record = generate(registry, limit=10**9)
    assert COMPACT_NOTE not in per_record
    # owners at random leave little to merge beyond each folder's most common team
    limit = len(per_record.encode("utf-8")) // (3 if blocks else 1) - 1
    compact = generate(registry, limit=limit)
    assert compact.startswith(per_record[: per_record.index("\n\n") + 2] + COMPACT_NOTE)
    assert len(compact.encode("utf-8")) <= limit
    files = _record_files(root)
    assert len(files) > 1300
    by_record, by_block = Resolver(per_record), Resolver(compact)
    different = [f for f in files if by_block(f) != by_record(f)]
    assert different == []
    teams = {by_record(f) for f in files}
    assert len(teams) == len(ORGS)  # every team reviews something: the comparison is not vacuous
    if blocks:  # runs of one owner collapse to a handful of lines
        assert len(compact.splitlines()) < len(per_record.splitlines()) / 5


def test_resolver_reads_patterns_as_github_does() -> None:
    text = "*  @o\n/registry/hazards/2023/*  @a\n/registry/hazards/2023/HAZ-2023-001*  @b\n"
    assert resolve(text, "registry/hazards/2023/HAZ-2023-00001.yaml") == ("@a",)
    assert resolve(text, "registry/hazards/2023/HAZ-2023-00123.yaml") == ("@b",)
    assert resolve(text, "registry/hazards/2023/HAZ-2023-00123/photo.jpg") == ("@o",)  # * stops at /
    assert resolve(text, "registry/hazards/2024/HAZ-2024-00123.yaml") == ("@o",)
    assert resolve(text + "/registry/hazards/  @c\n", "registry/hazards/2024/x/y.yaml") == ("@c",)


def test_check_works_in_the_compact_form(tmp_path: Path) -> None:
    root = _registry(tmp_path / "reg", 300, True, 4)
    small = ["--max-bytes", "4000"]
    assert cli("codeowners", *small, cwd=root).returncode == 0
    text = (root / ".github/CODEOWNERS").read_text(encoding="utf-8")
    assert COMPACT_NOTE in text and len(text.encode("utf-8")) <= 4000
    current = cli("codeowners", "--check", *small, cwd=root)
    assert current.returncode == 0, explain(current)
    hazard = root / "registry/hazards/2023/HAZ-2023-00150.yaml"
    before = hazard.read_text(encoding="utf-8")
    department = re.search(r"  department: (\S+)\n", before)
    assert department is not None
    other = next(o for o in ORGS[1:] if o != department.group(1))
    hazard.write_text(before.replace(department.group(0), f"  department: {other}\n"), encoding="utf-8")
    stale = cli("codeowners", "--check", *small, cwd=root)
    assert stale.returncode == 1 and "rectify codeowners" in stale.stderr, explain(stale)


def test_a_registry_that_cannot_fit_is_refused_not_truncated(tmp_path: Path) -> None:
    root = _registry(tmp_path / "reg", 300, False, 5)
    proc = cli("codeowners", "--max-bytes", "500", cwd=root)
    assert proc.returncode == 1 and "500" in proc.stderr, explain(proc)
    assert not (root / ".github/CODEOWNERS").exists()
