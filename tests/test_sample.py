"""The sample registry passes; a copy with planted mistakes reports each one at its line."""

from __future__ import annotations

import shutil
from pathlib import Path

from rectify.diagnostics import Severity
from tests.conftest import REPO
from tests.helpers import check, cli, explain, triples


def test_sample_registry_is_clean() -> None:
    proc = cli("--root", str(REPO), "check", "--today", "2023-12-31")
    assert proc.returncode == 0, explain(proc)
    assert "0 个错误" in proc.stdout or "未发现问题" in proc.stdout, explain(proc)


def test_sample_registry_is_large_enough() -> None:
    counts = {d.name: sum(1 for _ in d.rglob("*.yaml")) for d in (REPO / "registry").iterdir() if d.is_dir()}
    minimum = {
        "organizations": 25,
        "people": 40,
        "enterprises": 30,
        "campaigns": 5,
        "inspections": 20,
        "hazards": 60,
    }
    for folder, least in minimum.items():
        assert counts.get(folder, 0) >= least, f"{folder}: {counts.get(folder, 0)} < {least}"
    for folder in ("plans", "responsibilities", "actions", "cases", "activities", "consultations"):
        assert counts.get(folder, 0) >= 1, folder


def _plant(root: Path, rel: str, old: str, new: str) -> int:
    """Replace the first line starting with ``old`` (after indentation) by ``new``; return its number."""
    path = root / rel
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for number, line in enumerate(lines, 1):
        if line.strip().startswith(old):
            indent = line[: len(line) - len(line.lstrip())]
            lines[number - 1] = indent + new + "\n"
            path.write_text("".join(lines), encoding="utf-8")
            return number
    raise AssertionError(f"{rel} 中没有以 {old!r} 开头的行")


def test_broken_copy_reports_every_planted_error(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(REPO / "registry", root / "registry")
    shutil.copytree(REPO / "schemas", root / "schemas")
    hazards = sorted((root / "registry" / "hazards").rglob("HAZ-*.yaml"))
    rel = [h.relative_to(root).as_posix() for h in hazards[:4]]
    enterprise = sorted((root / "registry" / "enterprises").glob("*.yaml"))[0].relative_to(root).as_posix()
    person = sorted((root / "registry" / "people").glob("*.yaml"))[0].relative_to(root).as_posix()
    expected = {
        ("R-ref", rel[0], _plant(root, rel[0], "acceptor:", "acceptor: nobody-at-all")),
        ("R-schema", rel[1], _plant(root, rel[1], "status:", "status: finished")),
        ("R-date", rel[2], _plant(root, rel[2], "deadline:", "deadline: 2023-02-30")),
        ("R-schema", rel[3], _plant(root, rel[3], "self_found:", "self_found: yes")),
        ("R-schema", person, _plant(root, person, "name:", "nmae: 拼写错误")),
    }
    # …and so the required name is missing: reported where the record's mapping starts
    expected.add(("R-schema", person, _first_key_line(root / person)))
    code = enterprise.rsplit("/", 1)[1][:-5]
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    (root / enterprise).rename(root / "registry" / "enterprises" / f"{wrong}.yaml")
    enterprise_line = _plant(root, f"registry/enterprises/{wrong}.yaml", "id:", f"id: {wrong}")
    expected.add(("R-uscc", f"registry/enterprises/{wrong}.yaml", enterprise_line))
    # the sample's own alerts and warnings (deadlines, follow-ups) are not what this test plants
    found = [d for d in check(root, today="2023-12-31") if d.severity is Severity.ERROR]
    # the renamed enterprise is also no longer found where it is referenced: those are R-ref at their lines
    unexpected = {t for t in triples(found) - expected if not (t[0] == "R-ref" and code in _line(root, t))}
    assert expected <= triples(found), sorted(expected - triples(found))
    assert unexpected == set(), sorted(unexpected)


def _line(root: Path, triple: tuple[str, str, int]) -> str:
    return (root / triple[1]).read_text(encoding="utf-8").splitlines()[triple[2] - 1]


def _first_key_line(path: Path) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.strip() and not line.lstrip().startswith("#"))
