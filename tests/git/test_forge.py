"""The forge side: workflow files valid against GitHub's schema and doing what the registry needs,
CODEOWNERS current and derived from the registry, the plan for overdue-hazard issues."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import yaml

from rectify.check import build_registry
from rectify.history.codeowners import generate
from rectify.history.issues import Issue, plan
from rectify.paths import find
from tests.conftest import REPO
from tests.helpers import cli, explain

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


def load(name: str) -> dict[object, object]:
    data = yaml.safe_load((REPO / ".github" / "workflows" / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_workflows_match_the_github_workflow_schema() -> None:
    assert len(WORKFLOWS) >= 3
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            *map(str, WORKFLOWS),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, explain(proc)


def test_every_job_has_minimal_permissions() -> None:
    for path in WORKFLOWS:
        data = load(path.name)
        assert data["permissions"] == {}, f"{path.name}：工作流级权限应为空"
        for name, job in data["jobs"].items():  # type: ignore[union-attr]
            assert "permissions" in job, f"{path.name}:{name} 没有声明权限"
            assert "write-all" not in str(job["permissions"])


def test_pull_request_checks_the_real_range_with_full_history() -> None:
    data = load("check.yml")
    assert "pull_request" in data[True]  # type: ignore[operator]  # YAML 1.1 reads `on` as True
    job = data["jobs"]["registry"]  # type: ignore[index]
    assert job["permissions"] == {"contents": "read"}
    [head] = [s["with"] for s in job["steps"] if s.get("with", {}).get("path") == "pr"]
    assert head["ref"] == "${{ github.event.pull_request.head.sha }}" and head["fetch-depth"] == 0
    [base] = [s["with"] for s in job["steps"] if s.get("with", {}).get("path") == "trusted"]
    assert base["ref"] == "${{ github.event.pull_request.base.sha }}"
    [guard] = [s for s in job["steps"] if "trusted-check.sh" in s.get("run", "")]
    assert guard["env"] == {
        "BASE_SHA": "${{ github.event.pull_request.base.sha }}",
        "HEAD_SHA": "${{ github.event.pull_request.head.sha }}",
        "RECTIFY_CACHE_DIR": "${{ runner.temp }}/rectify-cache",  # main's cache, outside both checkouts
    }
    script = (REPO / "scripts" / "ci" / "trusted-check.sh").read_text(encoding="utf-8")
    assert 'check --format "$format" --base "$base"' in script
    assert 'verify-signatures --format "$format" --base "$base" --head "$head"' in script
    assert "codeowners --check" in script
    assert data["jobs"]["tests"]["steps"][-1]["run"] == "bash scripts/test.sh"  # type: ignore[index]


def test_site_and_deadline_workflows() -> None:
    site = load("site.yml")
    assert site["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}  # type: ignore[index]
    assert "rectify build --profile public" in str(site["jobs"]["build"]["steps"])  # type: ignore[index]
    daily = load("deadlines.yml")
    assert daily[True]["schedule"] == [{"cron": "30 0 * * *"}]  # type: ignore[index]  # 08:30 北京时间
    assert daily["jobs"]["report"]["permissions"] == {"contents": "read", "issues": "write"}  # type: ignore[index]


def test_committed_codeowners_is_current() -> None:
    proc = cli("codeowners", "--check", cwd=REPO)
    assert proc.returncode == 0, explain(proc)


def test_codeowners_follow_the_owning_body(repo: Path) -> None:
    org = repo / "registry" / "organizations" / "city-emergency.yaml"
    org.write_text(
        org.read_text(encoding="utf-8") + 'forge_team: "@huaibei-safety/city-emergency"\n', encoding="utf-8"
    )
    office = repo / "registry" / "organizations" / "city-safety-office.yaml"
    office.write_text(
        office.read_text(encoding="utf-8") + 'forge_team: "@huaibei-safety/office"\n', encoding="utf-8"
    )
    registry, _, _ = build_registry(find(repo))
    lines = generate(registry).splitlines()
    assert "*  @huaibei-safety/office" in lines
    assert "/registry/hazards/2023/HAZ-2023-00001.*  @huaibei-safety/city-emergency" in lines
    assert "/registry/enterprises/91340621MA2NTE0T19.*  @huaibei-safety/city-emergency" in lines
    assert "/registry/people/sun-hao-yjj.*  @huaibei-safety/city-emergency" in lines
    (repo / ".github").mkdir()
    (repo / ".github" / "CODEOWNERS").write_text("* @someone\n", encoding="utf-8")
    stale = cli("codeowners", "--check", cwd=repo)
    assert stale.returncode == 1 and "rectify codeowners" in stale.stderr, explain(stale)
    assert cli("codeowners", cwd=repo).returncode == 0
    assert cli("codeowners", "--check", cwd=repo).returncode == 0


def test_issue_plan_opens_updates_and_closes(repo: Path) -> None:
    registry, _, _ = build_registry(find(repo))  # HAZ-2023-00001: major, deadline 2023-11-30, rectifying
    assert plan(registry, [], dt.date(2023, 11, 30)) == []  # the deadline day itself is not overdue
    [create] = plan(registry, [], dt.date(2023, 12, 31))
    assert (create.verb, create.hazard) == ("create", "HAZ-2023-00001") and "31" in create.body
    same = Issue(7, "OPEN", create.body)
    assert plan(registry, [same], dt.date(2023, 12, 31)) == []
    [update] = plan(registry, [same], dt.date(2024, 1, 2))
    assert (update.verb, update.number) == ("update", 7)
    [reopen] = plan(registry, [Issue(7, "CLOSED", create.body)], dt.date(2024, 1, 2))
    assert reopen.verb == "reopen"
    hazard = repo / "registry" / "hazards" / "2023" / "HAZ-2023-00001.yaml"
    hazard.write_text(
        hazard.read_text(encoding="utf-8").replace("status: rectifying", "status: closed")
        + "acceptance:\n  date: 2023-12-20\n  by: sun-hao-yjj\n  result: passed\n",
        encoding="utf-8",
    )
    registry, _, _ = build_registry(find(repo))
    [close] = plan(registry, [same], dt.date(2024, 1, 2))
    assert (close.verb, close.number) == ("close", 7)


def test_codeowners_check_lets_new_records_through_until_regenerated(repo: Path) -> None:
    office = repo / "registry" / "organizations" / "city-safety-office.yaml"
    office.write_text(
        office.read_text(encoding="utf-8") + 'forge_team: "@huaibei-safety/office"\n', encoding="utf-8"
    )
    org = repo / "registry" / "organizations" / "city-emergency.yaml"
    org.write_text(
        org.read_text(encoding="utf-8") + 'forge_team: "@huaibei-safety/city-emergency"\n', encoding="utf-8"
    )
    assert cli("codeowners", cwd=repo).returncode == 0
    # a record added later (e.g. through the web form) is not listed yet: the office reviews it
    person = repo / "registry" / "people" / "li-na-yjj.yaml"
    person.write_text("id: li-na-yjj\nname: 李娜\norganization: city-emergency\n", encoding="utf-8")
    fresh = cli("codeowners", "--check", cwd=repo)
    assert fresh.returncode == 0, explain(fresh)
    assert "另有 1 条新记录尚未列入" in fresh.stderr, explain(fresh)
    # an owner that changed is stale
    person.write_text("id: li-na-yjj\nname: 李娜\norganization: city-safety-office\n", encoding="utf-8")
    sun = repo / "registry" / "people" / "sun-hao-yjj.yaml"
    sun.write_text(
        sun.read_text(encoding="utf-8").replace(
            "organization: city-emergency", "organization: city-safety-office"
        ),
        encoding="utf-8",
    )
    stale = cli("codeowners", "--check", cwd=repo)
    assert stale.returncode == 1, explain(stale)
    assert "/registry/people/sun-hao-yjj.*  @huaibei-safety/city-emergency" in stale.stderr, explain(stale)
