"""Item 6 of issue 9: G-ratchet judges the base by the base. A pull request that tightens a schema
so that the base's records fail it, then reopens a hazard, moves a deadline or deletes an
acceptance, is refused; so is any change to a record that was invalid, unparseable or without an id
at the base. Real repositories; ``rectify check --base`` as CI runs it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from rectify.check import run_check
from rectify.diagnostics import Diagnostic
from rectify.history.base import load_registry_at
from rectify.paths import find
from tests.conftest import make_registry
from tests.git.repo import Repo
from tests.helpers import cli, explain

HAZ = "registry/hazards/2023/HAZ-2023-00001.yaml"
SCHEMA = "schemas/hazard.schema.json"
ACCEPTED = {"date": "2023-11-28", "by": "sun-hao-yjj", "result": "passed"}


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    """The base: HAZ-2023-00001 closed with a passed acceptance."""
    repo = Repo(make_registry(tmp_path / "repo"))
    repo.edit(HAZ, status="closed", acceptance=ACCEPTED)
    repo.commit("基准")
    return repo


def ratchet(repo: Repo, base: str = "HEAD") -> list[Diagnostic]:
    paths = find(repo.root)
    found = run_check(paths, dt.date(2023, 12, 31), base=load_registry_at(paths, base)).diagnostics
    return [d for d in found if d.rule == "G-ratchet"]


def tighten(repo: Repo) -> None:
    """The PR's schema requires a new field the base record lacks; the PR's record has it."""
    schema = json.loads((repo.root / SCHEMA).read_text(encoding="utf-8"))
    schema["required"].append("verified")
    schema["properties"]["verified"] = {"title": "已核实", "description": "是否已核实。", "type": "boolean"}
    (repo.root / SCHEMA).write_text(json.dumps(schema, ensure_ascii=False, indent=2), encoding="utf-8")


ATTACKS: dict[str, tuple[dict[str, Any], str]] = {
    "reopen": ({"status": "rectifying"}, "status"),
    "move-deadline": ({"rectification": "2024-06-30"}, "rectification.deadline"),
    "delete-acceptance": ({"acceptance": None}, "acceptance"),
}


def attack(repo: Repo, name: str) -> None:
    data = repo.read(HAZ)
    data["verified"] = True
    change, _field = ATTACKS[name]
    for key, value in change.items():
        if key == "rectification":
            data["rectification"]["deadline"] = value
        elif value is None:
            data.pop(key)
        else:
            data[key] = value
    repo.write(HAZ, data)


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_tightened_schema_does_not_hide_the_base_record(repo: Repo, name: str) -> None:
    tighten(repo)
    attack(repo, name)
    found = ratchet(repo)
    assert [(d.file, d.path) for d in found] == [(HAZ, ATTACKS[name][1])], [d.message for d in found]


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_tightened_schema_committed_in_the_pr_is_refused_by_the_command(repo: Repo, name: str) -> None:
    base = repo.git("rev-parse", "HEAD")
    tighten(repo)
    attack(repo, name)
    repo.commit("收紧 schema 并修改记录")
    proc = cli("check", "--base", base, "--today", "2023-12-31", "--format", "json", cwd=repo.root)
    assert proc.returncode == 1, explain(proc)
    found = [d for d in json.loads(proc.stdout) if d["rule"] == "G-ratchet"]
    assert [(d["file"], d["path"]) for d in found] == [(HAZ, ATTACKS[name][1])], explain(proc)


def test_status_order_comes_from_the_base_schema(repo: Repo) -> None:
    """A PR that reorders the lifecycle (closed first) cannot make a reopening look like progress."""
    common = repo.root / "schemas/common.schema.json"
    schema = json.loads(common.read_text(encoding="utf-8"))
    schema["$defs"]["hazard_status"]["enum"] = ["closed", "open", "rectifying", "awaiting_acceptance"]
    common.write_text(json.dumps(schema, ensure_ascii=False, indent=2), encoding="utf-8")
    repo.edit(HAZ, status="rectifying")
    assert [(d.file, d.path) for d in ratchet(repo)] == [(HAZ, "status")]


def test_record_invalid_at_base_is_still_compared(repo: Repo) -> None:
    """Even a base record that fails its own schema (pushed past CI) keeps its deadline."""
    data = repo.read(HAZ)
    data["unknown_field"] = "绕过检查"
    repo.write(HAZ, data)
    repo.commit("不合 schema 的基准")
    data["rectification"]["deadline"] = "2024-06-30"
    data["status"] = "open"
    repo.write(HAZ, data)
    assert {(d.file, d.path) for d in ratchet(repo)} == {(HAZ, "status"), (HAZ, "rectification.deadline")}


def test_record_without_id_at_base_cannot_be_deleted(repo: Repo) -> None:
    data = repo.read(HAZ)
    del data["id"]
    repo.write(HAZ, data)
    repo.commit("基准记录缺少编号")
    (repo.root / HAZ).unlink()
    found = ratchet(repo)
    assert [(d.file, d.path) for d in found] == [(HAZ, "id")], [d.message for d in found]


@pytest.mark.parametrize("change", ["delete", "rewrite"])
def test_unparseable_base_file_cannot_be_changed_or_deleted(repo: Repo, change: str) -> None:
    broken = "registry/hazards/2023/HAZ-2023-00002.yaml"
    (repo.root / broken).write_text("id: HAZ-2023-00002\nstatus: [closed\n", encoding="utf-8")
    repo.commit("基准中有无法解析的文件")
    if change == "delete":
        (repo.root / broken).unlink()
    else:
        data = repo.read(HAZ)
        data["id"] = "HAZ-2023-00002"
        data["status"] = "open"
        repo.write(broken, data)
    found = ratchet(repo)
    assert [(d.file, d.line) for d in found] == [(broken, 1)], [d.message for d in found]
    assert "无法读取" in found[0].message and "管理员" in found[0].message


def test_unparseable_base_file_left_alone_is_no_ratchet_finding(repo: Repo) -> None:
    broken = "registry/hazards/2023/HAZ-2023-00002.yaml"
    (repo.root / broken).write_text("id: HAZ-2023-00002\nstatus: [closed\n", encoding="utf-8")
    repo.commit("基准中有无法解析的文件")
    assert ratchet(repo) == []


def test_base_without_schemas_falls_back_with_a_message(tmp_path: Path) -> None:
    repo = Repo(make_registry(tmp_path / "repo"))
    (repo.root / ".git/info/exclude").write_text("/schemas/\n", encoding="utf-8")  # untracked at base
    repo.edit(HAZ, status="closed", acceptance=ACCEPTED)
    base = repo.commit("基准（当时还没有 schemas/）")
    repo.edit(HAZ, status="open")
    proc = cli("check", "--base", base, "--today", "2023-12-31", "--format", "json", cwd=repo.root)
    assert proc.returncode == 1, explain(proc)
    assert "基准版本中没有 schemas/" in proc.stderr, explain(proc)
    found = [d for d in json.loads(proc.stdout) if d["rule"] == "G-ratchet"]
    assert [(d["file"], d["path"]) for d in found] == [(HAZ, "status")], explain(proc)


def test_status_removed_under_a_relaxed_schema_is_a_step_back(repo: Repo) -> None:
    """A PR that makes ``status`` optional and drops it from a closed hazard goes back, not nowhere."""
    schema = json.loads((repo.root / SCHEMA).read_text(encoding="utf-8"))
    schema["required"].remove("status")
    (repo.root / SCHEMA).write_text(json.dumps(schema, ensure_ascii=False, indent=2), encoding="utf-8")
    data = repo.read(HAZ)
    del data["status"]
    repo.write(HAZ, data)
    found = ratchet(repo)
    assert [(d.file, d.path) for d in found] == [(HAZ, "status")], [d.message for d in found]
    assert "退回空值" in found[0].message


def test_identity_emptied_on_an_invalid_head_is_named_without_python_words(repo: Repo) -> None:
    data = repo.read(HAZ)
    del data["enterprise"]
    repo.write(HAZ, data)
    found = ratchet(repo)
    assert [d.path for d in found] == ["enterprise"], [d.message for d in found]
    assert "改为 （空）" in found[0].message and "None" not in found[0].message
