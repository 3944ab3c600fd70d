"""Numbered ids grow past their minimum width (``INSP-2023-10000``) with one spelling per number, the
schema and the code agree on the form, ids order by number, and ``rectify new`` and the ledger
allocate past 9999."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from rectify import ids
from rectify.check import build_registry
from rectify.cli import main
from rectify.ledger.refs import IdAllocator
from rectify.paths import find
from tests.benchmarks import synthetic
from tests.conftest import REPO
from tests.helpers import check, cli, triples

COMMON = json.loads((REPO / "schemas/common.schema.json").read_text(encoding="utf-8"))["$defs"]

VALID = [
    "INSP-2023-0042",
    "INSP-2023-9999",
    "INSP-2023-10000",
    "INSP-2023-123456",
    "HAZ-2023-00017",
    "HAZ-2023-99999",
    "HAZ-2023-100000",
    "CAMP-2023-003",
    "CAMP-2023-1000",
    "ACT-2024-0001",
    "ACT-2024-12345",
    "EDU-2023-001",
    "CASE-2023-4000",
]
INVALID = [
    "INSP-2023-01234",  # wider than needed: a number has one spelling
    "INSP-2023-042",  # narrower than the minimum
    "INSP-2023-00042",
    "HAZ-2023-012345",
    "HAZ-2023-0017",
    "CAMP-2023-0100",
    "CAMP-23-001",
    "INSP-2023-",
    "INSP-2023-1000a",
    "insp-2023-0042",
]


def _def_name(kind: str) -> str:
    return f"{kind}_id"


@pytest.mark.parametrize("kind", sorted(ids.FORMS))
def test_the_schema_patterns_are_the_forms_of_the_code(kind: str) -> None:
    node = COMMON[_def_name(kind)]
    assert node["pattern"] == ids.FORMS[kind].pattern
    assert "不以 0 开头" in node["description"]


@pytest.mark.parametrize("record_id", VALID)
def test_valid_ids_match_schema_and_parser(record_id: str) -> None:
    form = ids.BY_PREFIX[record_id.split("-")[0]]
    assert re.search(COMMON[_def_name(form.kind)]["pattern"], record_id)
    parts = ids.parse(record_id)
    assert parts is not None and form.format(parts.year, parts.number) == record_id


@pytest.mark.parametrize("record_id", INVALID)
def test_invalid_ids_match_neither(record_id: str) -> None:
    form = ids.BY_PREFIX.get(record_id.split("-")[0])
    if form is not None:
        assert not re.search(COMMON[_def_name(form.kind)]["pattern"], record_id)
    assert ids.parse(record_id) is None


def test_ids_order_by_number_not_text() -> None:
    shuffled = ["INSP-2023-10000", "INSP-2024-0001", "INSP-2023-9999", "INSP-2023-0002", "INSP-2023-100000"]
    assert sorted(shuffled, key=ids.sort_key) == [
        "INSP-2023-0002",
        "INSP-2023-9999",
        "INSP-2023-10000",
        "INSP-2023-100000",
        "INSP-2024-0001",
    ]


def _renumber_inspection(root: Path, new_id: str) -> None:
    """The base registry's only inspection, renumbered (file name and the hazard that cites it)."""
    folder = root / "registry/inspections/2023"
    old = folder / "INSP-2023-0001.yaml"
    (folder / f"{new_id}.yaml").write_text(
        old.read_text(encoding="utf-8").replace("INSP-2023-0001", new_id), encoding="utf-8"
    )
    old.unlink()
    for path in (root / "registry").rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if "INSP-2023-0001" in text:
            path.write_text(text.replace("INSP-2023-0001", new_id), encoding="utf-8")


@pytest.mark.parametrize(
    ("last", "expected"), [("INSP-2023-9999", "INSP-2023-10000"), ("INSP-2023-10041", "INSP-2023-10042")]
)
def test_new_allocates_past_9999(
    repo: Path, capsys: pytest.CaptureFixture[str], last: str, expected: str
) -> None:
    _renumber_inspection(repo, last)
    assert not [d for d in check(repo) if d.rule in ("R-schema", "R-ref")]
    assert main(["--root", str(repo), "new", "inspection", "--date", "2023-10-01", "--dry-run"]) == 0
    assert capsys.readouterr().out.strip() == expected


def test_the_ledger_allocator_continues_past_the_minimum_width(repo: Path) -> None:
    _renumber_inspection(repo, "INSP-2023-9998")
    registry, _, _ = build_registry(find(repo))
    allocate = IdAllocator(registry, dt.date(2023, 12, 31))
    got = [allocate.next("inspection", {"date": "2023-11-02"}) for _ in range(3)]
    assert got == ["INSP-2023-9999", "INSP-2023-10000", "INSP-2023-10001"]
    assert allocate.next("inspection", {"date": "2024-01-02"}) == "INSP-2024-0001"


def test_a_malformed_wide_id_is_not_the_highest(repo: Path) -> None:
    """``INSP-2023-09999`` is not an id: it neither validates nor steers the numbering."""
    _renumber_inspection(repo, "INSP-2023-09999")
    found = {(d.rule, d.file, d.path) for d in check(repo) if d.rule == "R-schema"}
    assert ("R-schema", "registry/inspections/2023/INSP-2023-09999.yaml", "id") in found
    registry, _, _ = build_registry(find(repo))
    assert (
        IdAllocator(registry, dt.date(2023, 12, 31)).next("inspection", {"date": "2023-11-02"})
        == "INSP-2023-0001"
    )


def test_the_schema_message_explains_the_wider_form(repo: Path) -> None:
    _renumber_inspection(repo, "INSP-2023-01234")
    [message] = [d.message for d in check(repo) if d.rule == "R-schema" and d.path == "id"]
    assert "INSP-2023-01234" in message and "INSP-2023-10000" in message and "不以 0 开头" in message


def test_a_synthetic_slice_past_9999_passes_the_check(tmp_path: Path) -> None:
    """The generator's inspections numbered 9995–10000 (as at 100,000 hazards, without building them):
    the check reports no error at all."""
    root = synthetic.write(tmp_path / "syn", 60, REPO / "schemas", first_inspection=9995)
    assert (root / "registry/inspections/2023/INSP-2023-10000.yaml").is_file()
    errors = [d for d in check(root, "2023-12-31") if d.severity == "error"]
    assert triples(errors) == set()


def test_check_reports_files_in_number_order(tmp_path: Path) -> None:
    """Findings on INSP-2023-9999 come before those on INSP-2023-10000 (text order would swap
    them), in the printed report and in the skipped-records notes."""
    root = synthetic.write(tmp_path / "syn", 60, REPO / "schemas", first_inspection=9995)
    folder = root / "registry/inspections/2023"
    for name in ("INSP-2023-10000", "INSP-2023-9999", "INSP-2023-9995"):
        path = folder / f"{name}.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "unknown_field: 1\n", encoding="utf-8")
    proc = cli("--root", str(root), "check", "--today", "2023-12-31")
    named = [n for line in proc.stdout.splitlines() for n in re.findall(r"INSP-2023-\d+(?=\.yaml)", line)]
    order = list(dict.fromkeys(named))
    assert order[:3] == ["INSP-2023-9995", "INSP-2023-9999", "INSP-2023-10000"], proc.stdout
