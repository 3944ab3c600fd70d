"""The workflows cannot be turned against the registry (issue 9, item 2).

zizmor finds nothing; every action is pinned by commit; no checkout keeps the token; each job holds
only the permissions it needs; no ``${{ }}`` reaches a shell. The guards of a pull request run the
base revision's code: a real base + head repository whose head plants its own pip, venv, rectify,
dependencies and rules is checked by the job's own run lines, and none of the planted code runs while
the head's G-ratchet and G-signed violations are still reported.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import BASE, REPO
from tests.git.repo import GIT_ENV, Repo, keygen
from tests.helpers import cli, explain

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
ZIZMOR = Path(sys.executable).parent / "zizmor"
SHA_PIN = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$")
# The only write permissions any job may hold, and why: everything else is `contents: read` or nothing.
WRITES = {
    ("deadlines.yml", "report"): {"contents": "read", "issues": "write"},  # overdue-hazard issues
    ("site.yml", "deploy"): {"pages": "write", "id-token": "write"},  # GitHub Pages deployment
}


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def steps(path: Path) -> list[tuple[str, dict[str, Any]]]:
    return [(name, step) for name, job in load(path)["jobs"].items() for step in job.get("steps", [])]


def zizmor(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ZIZMOR), "--offline", "--no-config", "--no-ignores", "--no-progress", "--format", "json", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize("persona", ["regular", "pedantic"])
def test_zizmor_reports_nothing(persona: str) -> None:
    proc = zizmor("--persona", persona, str(REPO / ".github" / "workflows"))
    assert proc.returncode == 0, explain(proc)
    assert json.loads(proc.stdout) == [], explain(proc)


def test_zizmor_reports_the_classes_we_guard_against(tmp_path: Path) -> None:
    """The audit is not silent by construction: a workflow with each flaw is refused."""
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(
        "on: pull_request_target\n"
        "jobs:\n"
        "  x:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "        with:\n"
        "          ref: ${{ github.event.pull_request.head.sha }}\n"
        '      - run: echo "${{ github.event.pull_request.title }}"\n',
        encoding="utf-8",
    )
    proc = zizmor(str(bad.parent))
    assert proc.returncode != 0, explain(proc)
    found = {finding["ident"] for finding in json.loads(proc.stdout)}
    expected = {
        "unpinned-uses",
        "artipacked",
        "template-injection",
        "dangerous-triggers",
        "excessive-permissions",
    }
    assert expected <= found, explain(proc)


def test_every_action_is_pinned_to_a_commit() -> None:
    uses = 0
    for path in WORKFLOWS:
        lines = path.read_text(encoding="utf-8").splitlines()
        for job, step in steps(path):
            if "uses" not in step:
                continue
            uses += 1
            ref = step["uses"]
            assert SHA_PIN.match(ref), f"{path.name}:{job}：{ref} 没有固定到 40 位提交哈希"
            for line in (text for text in lines if f"uses: {ref}" in text):
                assert re.search(r"@[0-9a-f]{40} # v\d+\.\d+\.\d+$", line), (
                    f"{path.name}：{line} 缺少版本注释"
                )
        for job in load(path)["jobs"].values():
            assert "uses" not in job or SHA_PIN.match(job["uses"])  # reusable workflows too
    assert uses >= 8


def test_no_checkout_keeps_the_token() -> None:
    checkouts = 0
    for path in WORKFLOWS:
        for job, step in steps(path):
            if step.get("uses", "").startswith("actions/checkout@"):
                checkouts += 1
                assert step.get("with", {}).get("persist-credentials") is False, f"{path.name}:{job}"
    assert checkouts == 6  # check.yml: pr, trusted, tests, cache; site.yml: build; deadlines.yml: report


def test_only_main_writes_the_check_cache() -> None:
    """A pull request restores the check cache read-only, outside both checkouts, and the trusted
    check reads it from there; only the job run by a push to main (main's code on main's data)
    saves it, so nothing a pull request writes is ever restored for another run."""
    workflow = load(REPO / ".github" / "workflows" / "check.yml")
    jobs = workflow["jobs"]
    cache_steps = {
        (name, step["uses"].split("@")[0])
        for name, job in jobs.items()
        for step in job["steps"]
        if step.get("uses", "").startswith("actions/cache")
    }
    assert cache_steps == {
        ("registry", "actions/cache/restore"),
        ("cache", "actions/cache/restore"),
        ("cache", "actions/cache/save"),
    }
    assert jobs["cache"]["if"] == "github.event_name == 'push'"
    assert workflow[True]["push"] == {"branches": ["main"]}
    assert jobs["registry"]["if"] == jobs["tests"]["if"] == "github.event_name == 'pull_request'"
    restore = next(s for s in jobs["registry"]["steps"] if s.get("uses", "").startswith("actions/cache"))
    guard = jobs["registry"]["steps"][-1]
    assert restore["with"]["path"] == guard["env"]["RECTIFY_CACHE_DIR"] == "${{ runner.temp }}/rectify-cache"
    assert "--cache-dir" in (REPO / "scripts" / "ci" / "trusted-check.sh").read_text(encoding="utf-8")


def test_each_job_holds_only_what_it_needs() -> None:
    for path in WORKFLOWS:
        data = load(path)
        assert data["permissions"] == {}, f"{path.name}：工作流级权限应为空"
        for name, job in data["jobs"].items():
            want = WRITES.get((path.name, name), {"contents": "read"})
            assert job.get("permissions") == want, f"{path.name}:{name}：{job.get('permissions')}"
    # the jobs that can write run nothing from a pull request: they are not triggered by one
    assert "pull_request" not in str(load(REPO / ".github" / "workflows" / "deadlines.yml")[True])
    assert "pull_request" not in str(load(REPO / ".github" / "workflows" / "site.yml")[True])
    deploy = load(REPO / ".github" / "workflows" / "site.yml")["jobs"]["deploy"]
    assert [step.get("uses", "").split("@")[0] for step in deploy["steps"]] == ["actions/deploy-pages"]


def test_no_expression_reaches_a_shell() -> None:
    for path in WORKFLOWS:
        text = path.read_text(encoding="utf-8")
        assert "pull_request_target" not in text and "workflow_run" not in text
        assert "secrets." not in text, f"{path.name}：不应使用仓库机密"
        for job, step in steps(path):
            assert "${{" not in step.get("run", ""), f"{path.name}:{job}：{step['run']}"


def test_python_never_imports_from_the_working_folder() -> None:
    """``python -m`` puts the working folder first on the import path; every call is isolated (-I)."""
    script = (REPO / "scripts" / "ci" / "trusted-check.sh").read_text(encoding="utf-8")
    calls = re.findall(r"(?:python3?|\"\$interpreter\"|/venv/bin/python\"?) +-\S+", script)
    assert len(calls) == 3 and all(call.endswith(" -I") for call in calls), calls
    runs = [step["run"] for path in WORKFLOWS for _, step in steps(path) if "run" in step]
    calls = [call for run in runs for call in re.findall(r"\bpython3? +-\S+", run)]
    assert calls and all(call.endswith(" -I") for call in calls), calls


# --- the guards run the base's code ---------------------------------------------------------------

CHECK = REPO / ".github" / "workflows" / "check.yml"


def guard_job() -> dict[str, Any]:
    job = load(CHECK)["jobs"]["registry"]
    assert isinstance(job, dict)
    return job


def checkouts(job: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``ref`` expression → the checkout's ``with``."""
    return {
        step["with"]["ref"]: step["with"]
        for step in job["steps"]
        if step.get("uses", "").startswith("actions/checkout@")
    }


def test_guard_job_checks_out_base_and_head_side_by_side() -> None:
    found = checkouts(guard_job())
    base = found.pop("${{ github.event.pull_request.base.sha }}")
    head = found.pop("${{ github.event.pull_request.head.sha }}")
    assert not found
    assert head["fetch-depth"] == 0  # the whole range base..head is judged
    trusted, pr = base["path"], head["path"]
    assert "/" not in trusted and "/" not in pr and trusted != pr and not trusted.startswith(".")
    runs = [step["run"] for step in guard_job()["steps"] if "run" in step]
    guarded = [run for run in runs if "trusted-check.sh" in run]
    assert guarded == [
        f'bash {trusted}/scripts/ci/trusted-check.sh "$PWD/{trusted}" "$PWD/{pr}" "$BASE_SHA" "$HEAD_SHA"'
    ]
    # nothing else in the job runs Python, pip or rectify (from the pull request or otherwise)
    assert not [run for run in runs if run not in guarded and re.search(r"python|pip|rectify", run)]
    tests = load(CHECK)["jobs"]["tests"]
    assert tests["permissions"] == {"contents": "read"} and "environment" not in tests


FUTURE = "from __future__ import annotations\n"
MARK = "import pathlib; pathlib.Path({marker!r}).write_text('ran')\n"


def plant(pr: Path, markers: Path) -> list[str]:
    """Code in the pull request that would take over the checks if anything imported or ran it.
    Each piece leaves a marker file when it runs, and otherwise makes everything pass."""
    names: list[str] = []

    def python(rel: str, tail: str = "raise SystemExit(0)\n", prepend: bool = False) -> None:
        names.append(rel)
        code = MARK.format(marker=str(markers / rel.replace("/", "__"))) + tail
        path = pr / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if prepend:  # into the module itself, right after its `from __future__` line
            head, future, rest = path.read_text(encoding="utf-8").partition(FUTURE)
            code = head + future + code + rest
        path.write_text(code, encoding="utf-8")

    for package in ("pip", "venv", "ensurepip", "rectify", "yaml", "jsonschema"):
        python(f"{package}/__init__.py")
        python(f"{package}/__main__.py")
    python("sitecustomize.py", "")
    python("usercustomize.py", "")
    python("setup.py")
    for rel in ("scripts/rectify/__init__.py", "scripts/rectify/rules/git.py", "scripts/rectify/cli.py"):
        python(rel, prepend=True)
    script = pr / "scripts" / "ci" / "trusted-check.sh"
    script.write_text(f"touch {markers / 'trusted-check.sh'}\nexit 0\n", encoding="utf-8")
    names.append("trusted-check.sh")
    return names


def project_into(root: Path) -> None:
    """The project's code as a base revision holds it, around the tests' small registry."""
    listed = subprocess.run(
        ["git", "-C", str(REPO), "ls-files", "-z", "-co", "--exclude-standard", "--", "scripts", "schemas"],
        capture_output=True,
        check=True,
        env=GIT_ENV,
    ).stdout.decode()
    for rel in [*listed.split("\0"), "pyproject.toml", "README.md"]:
        if rel and (REPO / rel).is_file():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / rel, root / rel)
    shutil.copytree(BASE / "registry", root / "registry")


def run_job_steps(workspace: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The guard job's run lines, as the runner runs them (bash -e, in the workspace, with the
    step's env filled in); the network step that imports the forge's public key is left out."""
    values = {
        "${{ github.event.pull_request.base.sha }}": env["BASE"],
        "${{ github.event.pull_request.head.sha }}": env["HEAD"],
        "${{ runner.temp }}/rectify-cache": env["RUNNER_TEMP"] + "/rectify-cache",
    }
    script = ["set -e"]
    for step in guard_job()["steps"]:
        if "run" not in step or "curl" in step["run"]:
            continue
        exports = [f"export {k}={values[v]}" for k, v in step.get("env", {}).items()]
        script += ["(", *exports, step["run"], ")"]
    return subprocess.run(
        ["bash", "-c", "\n".join(script)], cwd=workspace, capture_output=True, text=True, env=env, timeout=600
    )


def test_pull_request_cannot_replace_the_checker(tmp_path: Path) -> None:
    workspace, markers = tmp_path / "workspace", tmp_path / "markers"
    markers.mkdir()
    pr = workspace / "pr"
    pr.mkdir(parents=True)
    project_into(pr)
    repo = Repo(pr)
    sun = keygen(tmp_path / "keys", "sun")
    repo.register("sun-hao-yjj", sun)
    assert cli("codeowners", cwd=pr).returncode == 0
    base = repo.commit("基准")
    hazard = "registry/hazards/2023/HAZ-2023-00001.yaml"
    # signed by a registered person, but moves the deadline without an approved extension (G-ratchet)
    text = (pr / hazard).read_text(encoding="utf-8").replace("deadline: 2023-11-30", "deadline: 2024-06-30")
    (pr / hazard).write_text(text, encoding="utf-8")
    repo.commit("延长整改期限", sun, repo.author("sun-hao-yjj"))
    planted = plant(pr, markers)
    repo.commit("换掉检查程序")
    # an unsigned registry change (G-signed)
    person = "registry/people/zhao-lei-yjj.yaml"
    repo.edit(person, name="赵磊（改）")
    head = repo.commit("未签名的修改")
    subprocess.run(["git", "clone", "-q", str(pr), str(workspace / "trusted")], check=True, env=GIT_ENV)
    subprocess.run(["git", "-C", str(workspace / "trusted"), "checkout", "-q", "--detach", base], check=True)
    # every planted piece is live: run on its own, it leaves its marker and succeeds
    for rel in planted:
        runner = ["bash"] if rel.endswith(".sh") else [sys.executable, "-I"]
        path = pr / "scripts" / "ci" / rel if rel.endswith(".sh") else pr / rel
        assert subprocess.run([*runner, str(path)], cwd=tmp_path, capture_output=True).returncode == 0
    assert len(list(markers.iterdir())) == len(planted) >= 19
    for marker in markers.iterdir():
        marker.unlink()
    # and the old workflow's way (`python -m pip` with the pull request as working folder) runs it
    control = subprocess.run([sys.executable, "-m", "pip", "--version"], cwd=pr, capture_output=True)
    assert control.returncode == 0 and [p.name for p in markers.iterdir()] == ["pip____init__.py"]
    (markers / "pip____init__.py").unlink()

    summary = tmp_path / "summary.md"
    env = {
        **GIT_ENV,
        "BASE": base,
        "HEAD": head,
        "GITHUB_ACTIONS": "true",
        "GITHUB_STEP_SUMMARY": str(summary),
        "RUNNER_TEMP": str(tmp_path),
        "PYTHONPATH": str(pr),  # even this is not honoured
    }
    proc = run_job_steps(workspace, env)

    assert sorted(p.name for p in markers.iterdir()) == [], (
        f"合并请求中的代码被运行了：{planted}\n{explain(proc)}"
    )
    assert proc.returncode == 1, explain(proc)
    out = proc.stdout
    assert f"::error file={hazard},line=" in out and "title=G-ratchet" in out, explain(proc)
    assert f"::error file={person},line=" in out and "title=G-signed" in out, explain(proc)
    assert "未通过  只进不退（rectify check --base）" in out, explain(proc)
    assert "  通过  CODEOWNERS 与登记册一致（rectify codeowners --check）" in out, explain(proc)
    assert "未通过  签名核验（rectify verify-signatures）" in out, explain(proc)
    assert f"基准版本 {base[:12]} 的 rectify 检查合并请求 {head[:12]}" in out, explain(proc)
    assert "G-ratchet" in summary.read_text(encoding="utf-8")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("rectify-trusted.")]  # cleaned up
    assert not (workspace / "pr" / "build").exists()  # nothing was built from the pull request
    # the check's cache went to the runner's folder, not into (or out of) the pull request
    assert list((tmp_path / "rectify-cache" / "index").glob("*.pickle"))
    assert not (workspace / "pr" / ".rectify-cache").exists()


def test_trusted_check_refuses_a_script_from_the_pull_request(tmp_path: Path) -> None:
    """Run from any copy but the base checkout's (for example the pull request's), it stops at once."""
    pr, trusted = tmp_path / "pr", tmp_path / "trusted"
    pr.mkdir()
    project_into(pr)
    repo = Repo(pr)
    base = repo.commit("基准")
    subprocess.run(["git", "clone", "-q", str(pr), str(trusted)], check=True, env=GIT_ENV)
    script = "scripts/ci/trusted-check.sh"
    for runner, args in [
        (pr / script, [trusted, pr, base, base]),  # the pull request's copy
        (trusted / script, [trusted, trusted / "registry", base, base]),  # nested checkouts
        (trusted / script, [trusted, pr, "0" * 40, base]),  # a base that does not exist
    ]:
        proc = subprocess.run(
            ["bash", str(runner), *map(str, args)], capture_output=True, text=True, env=GIT_ENV, timeout=60
        )
        assert proc.returncode == 2 and "trusted-check：" in proc.stderr, explain(proc)
    (trusted / "registry" / "extra.py").write_text("", encoding="utf-8")
    dirty = subprocess.run(
        ["bash", str(trusted / script), str(trusted), str(pr), base, base],
        capture_output=True,
        text=True,
        env=GIT_ENV,
        timeout=60,
    )
    assert dirty.returncode == 2 and "基准检出有未提交的改动" in dirty.stderr, explain(dirty)
    (trusted / "registry" / "extra.py").unlink()
    # the check's cache is never taken from (or put into) either checkout
    for inside in (pr / ".rectify-cache", trusted / "cache", pr / "registry" / ".." / "x"):
        proc = subprocess.run(
            ["bash", str(trusted / script), str(trusted), str(pr), base, base],
            capture_output=True,
            text=True,
            env={**GIT_ENV, "RECTIFY_CACHE_DIR": str(inside)},
            timeout=60,
        )
        assert proc.returncode == 2 and "检查缓存目录不能位于两处检出之内" in proc.stderr, explain(proc)
        assert not inside.exists()
