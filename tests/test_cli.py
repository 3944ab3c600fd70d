"""The command line as a user and CI meet it: output formats, exit codes, Chinese messages."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from rectify import cli, report
from rectify.diagnostics import Diagnostic, Severity
from tests.conftest import REPO
from tests.helpers import TODAY, explain, write
from tests.helpers import cli as run

TODAY_ARGS = ("--today", TODAY)  # before the base hazard's deadline: no deadline alerts

HAZARD = "registry/hazards/2023/HAZ-2023-00001.yaml"


def plant_two_errors(repo: Path) -> None:
    text = (repo / HAZARD).read_text(encoding="utf-8")
    text = text.replace("  acceptor: sun-hao-yjj\n", "  acceptor: sun-hao\n").replace(
        "status: rectifying", "status: done"
    )
    (repo / HAZARD).write_text(text, encoding="utf-8")


def test_clean_registry_exits_0(repo: Path) -> None:
    proc = run("--root", str(repo), "check", *TODAY_ARGS)
    assert proc.returncode == 0, explain(proc)
    assert proc.stdout.strip() == "检查了 15 个文件：未发现问题。"


def test_text_format_names_file_line_column_rule(repo: Path) -> None:
    plant_two_errors(repo)
    proc = run("check", *TODAY_ARGS, cwd=repo)
    assert proc.returncode == 1, explain(proc)
    lines = proc.stdout.splitlines()
    assert lines == [
        f"{HAZARD}:24:3: 错误[R-ref] 字段 rectification.acceptor（验收人）：找不到人员 sun-hao。"
        "您是不是要写：sun-hao-yjj（孙浩，淮北市应急管理局）",
        f"{HAZARD}:29:1: 错误[R-schema] 字段 status（整改状态）：取值 “done” 无效，可选：open（待整改）、"
        "rectifying（整改中）、awaiting_acceptance（待验收）、closed（已销号）",
        "检查了 15 个文件：2 个错误，0 个警告，0 个提醒。",
        f"跳过：{HAZARD} 的字段 status 有误，规则未检查这些字段；其余字段已检查，改正后再运行检查",
    ], explain(proc)


def test_json_format_is_a_stable_list(repo: Path) -> None:
    plant_two_errors(repo)
    proc = run("--root", str(repo), "check", *TODAY_ARGS, "--format", "json")
    assert proc.returncode == 1, explain(proc)
    data = json.loads(proc.stdout)
    assert [list(item) for item in data] == [
        ["rule", "severity", "file", "line", "column", "path", "message"]
    ] * 2
    assert [(d["rule"], d["severity"], d["file"], d["line"], d["column"], d["path"]) for d in data] == [
        ("R-ref", "error", HAZARD, 24, 3, "rectification.acceptor"),
        ("R-schema", "error", HAZARD, 29, 1, "status"),
    ]
    assert "2 个错误" in proc.stderr


def test_github_format_and_full_step_summary(repo: Path, tmp_path: Path) -> None:
    for n in range(60):  # more than GitHub's 50 annotations per step
        write(repo, f"registry/people/p{n:02d}.yaml", f"id: p{n:02d}\nname: 某\norganization: nowhere\n")
    summary = tmp_path / "summary.md"
    env = {**os.environ, "GITHUB_STEP_SUMMARY": str(summary)}
    proc = run("--root", str(repo), "check", *TODAY_ARGS, "--format", "github", env=env)
    assert proc.returncode == 1, explain(proc)
    annotations = [line for line in proc.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 60
    assert annotations[0] == (
        "::error file=registry/people/p00.yaml,line=3,col=1,title=R-ref organization::"
        "字段 organization（所在单位）：找不到机构或企业 nowhere。"
        "登记册中没有相近的机构或企业：请先登记该机构或企业，再填写其编号"
    )
    table_rows = [
        line for line in summary.read_text(encoding="utf-8").splitlines() if line.startswith("| 错误 |")
    ]
    assert len(table_rows) == 60
    assert "`registry/people/p59.yaml:3:1`" in table_rows[-1]


def test_github_escaping() -> None:
    d = Diagnostic("R-x", Severity.WARNING, "registry/a,b:c.yaml", 3, 4, "p", "100% 完成\n第二行\r")
    assert (
        report.github([d])
        == "::warning file=registry/a%2Cb%3Ac.yaml,line=3,col=4,title=R-x p::100%25 完成%0A第二行%0D"
    )
    assert report.step_summary([d], 1).splitlines()[-1] == (
        "| 警告 | R-x | `registry/a,b:c.yaml:3:4` | p | 100% 完成 第二行 |"
    )


def test_paths_limit_the_report_but_not_the_context(repo: Path) -> None:
    plant_two_errors(repo)
    write(repo, "registry/people/li-na-yjj.yaml", "id: li-na-yjj\nname: 李娜\norganization: city-emergency\n")
    proc = run("check", *TODAY_ARGS, "registry/people/li-na-yjj.yaml", cwd=repo)
    assert proc.returncode == 0, explain(proc)
    assert proc.stdout.strip() == "检查了 1 个文件：未发现问题。"
    proc = run("check", *TODAY_ARGS, HAZARD, "registry/people", cwd=repo)
    assert proc.returncode == 1, explain(proc)
    assert [line.split(":")[0:2] for line in proc.stdout.splitlines()[:-2]] == [
        [HAZARD, "24"],
        [HAZARD, "29"],
    ]


def test_warnings_block_only_under_strict(repo: Path) -> None:
    (repo / "registry" / "people" / "photo.jpg").write_bytes(b"\xff\xd8")
    proc = run("--root", str(repo), "check", *TODAY_ARGS)
    assert proc.returncode == 0, explain(proc)
    assert "registry/people/photo.jpg:1:1: 警告[R-layout]" in proc.stdout
    assert run("--root", str(repo), "check", *TODAY_ARGS, "--strict").returncode == 1


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["check", "--format", "xml"], "无效的选项 'xml'"),
        (["check", "--today", "2023-02-30"], "日期应为 YYYY-MM-DD"),
        (["check", "registry/nope.yaml"], "文件不存在：registry/nope.yaml"),
        (["check", "README.md"], "不在登记册目录"),
        (["frobnicate"], "无效的选项 'frobnicate'"),
    ],
)
def test_bad_usage_exits_2_with_chinese_message(repo: Path, args: list[str], needle: str) -> None:
    (repo / "README.md").write_text("说明\n", encoding="utf-8")
    proc = run(*args, cwd=repo)
    assert proc.returncode == 2, explain(proc)
    assert needle in proc.stderr, explain(proc)
    assert "Traceback" not in proc.stderr


def test_no_registry_exits_2(tmp_path: Path) -> None:
    proc = run("check", *TODAY_ARGS, cwd=tmp_path)
    assert proc.returncode == 2, explain(proc)
    assert "找不到 registry/ 目录" in proc.stderr


def test_broken_schema_exits_2(repo: Path) -> None:
    path = repo / "schemas" / "person.schema.json"
    path.write_text(
        path.read_text(encoding="utf-8").replace('"type": "object"', '"type": 5', 1), encoding="utf-8"
    )
    proc = run("--root", str(repo), "check", *TODAY_ARGS)
    assert proc.returncode == 2, explain(proc)
    assert re.search(r"schema 无效（person\.schema\.json）", proc.stderr), explain(proc)


def test_internal_error_exits_3_without_traceback(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import rectify.check

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(rectify.check, "run_check", broken)
    assert cli.main(["--root", str(repo), "check"]) == 3
    err = capsys.readouterr().err
    assert "内部错误（ZeroDivisionError: division by zero）" in err and "Traceback" not in err
    assert cli.main(["--root", str(repo), "--debug", "check"]) == 3
    assert "Traceback" in capsys.readouterr().err


def test_version_and_help_are_chinese() -> None:
    proc = run("--help")
    assert proc.returncode == 0
    assert proc.stdout.startswith("用法：rectify")
    assert "检查登记册记录" in proc.stdout
    assert run("--version").stdout.strip() == "rectify 0.1.0"


def test_a_closed_pipe_is_not_an_internal_error(repo: Path) -> None:
    import subprocess
    import sys

    for n in range(1500):  # well over a pipe's buffer of findings
        write(repo, f"registry/people/p{n:04d}.yaml", f"id: p{n:04d}\nname: 某\norganization: nowhere\n")
    proc = subprocess.run(
        f"{sys.executable} -m rectify --root {repo} check --format json | head -c 1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "内部错误" not in proc.stderr, proc.stderr


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "RECTIFY_TODAY"}
    return {**env, **extra}


def test_rectify_today_is_honoured_by_check_report_and_build(repo: Path) -> None:
    """README: ``RECTIFY_TODAY=2023-12-31`` fixes the date deadlines are judged on, for every command."""
    late = _env(RECTIFY_TODAY="2023-12-05")  # five days after the base hazard's deadline (2023-11-30)
    proc = run("check", cwd=repo, env=late)
    assert proc.returncode == 0, explain(proc)
    assert f"{HAZARD}:21:3: 提醒[H-overdue]" in proc.stdout, explain(proc)
    proc = run("check", cwd=repo, env=_env(RECTIFY_TODAY="2023-11-01"))
    assert proc.stdout.strip() == "检查了 15 个文件：未发现问题。", explain(proc)
    proc = run("check", "--today", "2023-11-01", cwd=repo, env=late)  # the option wins over the variable
    assert proc.stdout.strip() == "检查了 15 个文件：未发现问题。", explain(proc)

    proc = run("report", "--format", "json", cwd=repo, env=late)
    assert proc.returncode == 0, explain(proc)
    overdue = json.loads(proc.stdout)["overdue"]
    assert [(row["id"], row["days_overdue"]) for row in overdue] == [("HAZ-2023-00001", 5)]

    shutil.copytree(REPO / "docs", repo / "docs")
    shutil.copy(REPO / "mkdocs.yml", repo / "mkdocs.yml")
    proc = run("build", "--out", str(repo / "out"), cwd=repo, env=late)
    assert proc.returncode == 0, explain(proc)
    assert "数据截至 2023-12-05（北京时间）" in (repo / "out" / "index.html").read_text(encoding="utf-8")

    for command in (["check"], ["report"], ["build", "--out", str(repo / "out2")]):
        proc = run(*command, cwd=repo, env=_env(RECTIFY_TODAY="2023-12-5"))
        assert (proc.returncode, proc.stderr.strip()) == (
            2,
            "rectify：环境变量 RECTIFY_TODAY 应为 YYYY-MM-DD，实为 “2023-12-5”",
        ), explain(proc)


def test_new_hazard_is_numbered_by_the_finding_year_and_dry_run_writes_nothing(repo: Path) -> None:
    before = sorted(p.relative_to(repo).as_posix() for p in (repo / "registry").rglob("*"))
    for args, env, expected in [
        (["--发现日期", "2022/5/1", "--dry-run"], _env(), "HAZ-2022-00001"),
        (["--dry-run", "--found.date", "2023-08-28"], _env(), "HAZ-2023-00002"),  # after HAZ-2023-00001
        (["--dry-run"], _env(RECTIFY_TODAY="2024-03-01"), "HAZ-2024-00001"),  # no date given: today's year
        (["--dry-run", "--today", "2021-06-30"], _env(RECTIFY_TODAY="2024-03-01"), "HAZ-2021-00001"),
    ]:
        proc = run("new", "hazard", *args, cwd=repo, env=env)
        assert (proc.returncode, proc.stdout) == (0, expected + "\n"), explain(proc)
    assert sorted(p.relative_to(repo).as_posix() for p in (repo / "registry").rglob("*")) == before
    proc = run("new", "hazard", "--found.date", "2023-08-28", cwd=repo, env=_env(RECTIFY_TODAY="2026-01-01"))
    assert proc.returncode == 0, explain(proc)
    assert proc.stdout.splitlines()[0] == "已新建 registry/hazards/2023/HAZ-2023-00002.yaml"


def _git(repo: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env=env, timeout=300)


def test_the_installed_hook_stops_deleting_a_record_others_still_name(repo: Path, tmp_path: Path) -> None:
    """A real repository, the hooks installed by scripts/install-hooks.sh (as scripts/start.sh does), a
    real ``git commit``: deleting a person the hazard names as acceptor is refused; an unnamed one is not."""
    shutil.copy(REPO / ".pre-commit-config.yaml", repo)
    (repo / "scripts").mkdir()
    shutil.copy(REPO / "scripts" / "install-hooks.sh", repo / "scripts")
    (repo / ".venv").symlink_to(REPO / ".venv")
    (repo / ".gitignore").write_text(".venv\n", encoding="utf-8")
    write(repo, "registry/people/li-na-yjj.yaml", "id: li-na-yjj\nname: 李娜\norganization: city-emergency\n")
    env = _env(
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit"),
        GIT_AUTHOR_NAME="孙浩",
        GIT_AUTHOR_EMAIL="sun-hao-yjj@example.cn",
        GIT_COMMITTER_NAME="孙浩",
        GIT_COMMITTER_EMAIL="sun-hao-yjj@example.cn",
        GIT_CONFIG_GLOBAL=os.devnull,
        RECTIFY_TODAY=TODAY,
    )
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "登记册"]):
        proc = _git(repo, *args, env=env)
        assert proc.returncode == 0, explain(proc)
    proc = subprocess.run(
        ["bash", "scripts/install-hooks.sh"], cwd=repo, capture_output=True, text=True, env=env, timeout=300
    )
    assert proc.returncode == 0, explain(proc)
    assert (repo / ".git" / "hooks" / "pre-commit").is_file()
    index = repo / ".rectify-cache" / "index"  # filled at install, used by the hook

    def index_bytes() -> bytes:
        return b"".join(part.read_bytes() for part in sorted(index.glob("*.pickle")))

    installed = index_bytes()
    assert installed
    assert (
        ".rectify-cache" not in _git(repo, "status", "--porcelain", "--untracked-files=all", env=env).stdout
    )

    _git(repo, "rm", "-q", "registry/people/sun-hao-yjj.yaml", env=env)
    proc = _git(repo, "commit", "-m", "删除孙浩", env=env)
    assert proc.returncode == 1, explain(proc)
    assert (
        f"{HAZARD}:24:3: 错误[R-ref] 字段 rectification.acceptor（验收人）：找不到人员 sun-hao-yjj。"
        "登记册中没有相近的人员：请先登记该人员，再填写其编号"
    ) in proc.stderr, explain(proc)
    assert "检查了 2 个文件：2 个错误，0 个警告，0 个提醒。" in proc.stderr, explain(proc)
    assert _git(repo, "log", "--oneline", env=env).stdout.count("\n") == 1  # nothing was committed

    _git(repo, "reset", "-q", "--hard", env=env)
    _git(repo, "rm", "-q", "registry/people/li-na-yjj.yaml", env=env)  # named by no record
    proc = _git(repo, "commit", "-m", "删除李娜", env=env)
    assert proc.returncode == 0, explain(proc)
    assert re.search(r"rectify check（登记册检查）\.+Passed", proc.stderr), explain(proc)
    assert index_bytes() != installed  # the hook's check read and updated the cache
