"""The documentation matches the tool: every shell command in a fenced ``bash`` block of README.md,
docs/**/*.md and registry/README.md runs, as written, against a copy of the sample (a Git repository
with an ``origin``, the current venv), and exits 0. A command that cannot run here is allow-listed
with its reason; a long-running one runs a shorter variant that is still the documented command.
The sample output, the example identity of the admin guide and the calendar example are checked too."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from pypinyin import lazy_pinyin

from tests.conftest import REPO

DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md")), REPO / "registry" / "README.md"]
FENCE = re.compile(r"^(?P<fence>```+)(?P<lang>[\w-]*)[^\n]*\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.S | re.M)
SHELLS = {"bash", "sh", "shell"}

# documented command → why it does not run here
EVIDENCE_REASON = (
    "attaches the clerk's own photo or scan; tests/evidence/test_add.py runs the same command on "
    "photos made in the test (real EXIF GPS and Orientation tags) and on PDFs"
)
ALLOWED = {
    "bash scripts/test.sh": "the test command itself: this test runs inside it",
    "bash scripts/cms-local.sh": "installs decap-server with npm and serves until Ctrl+C; tests/cms runs "
    "the same decap-server (git mode) and site in a browser",
    "git worktree add --detach ../rectify-base origin/main": "part of the trusted-check block, see below",
    "bash ../rectify-base/scripts/ci/trusted-check.sh ../rectify-base . origin/main HEAD": "installs rectify "
    "from the package index into a fresh venv (minutes, network); tests/security and tests/git run it",
    "git worktree remove ../rectify-base": "part of the trusted-check block, see above",
    '.venv/bin/rectify evidence add HAZ-2023-00045 IMG_20231106.jpg --kind after --caption "更换后的传感器及监控画面" '
    "--taken-on 2023-11-06 --public": EVIDENCE_REASON,
    ".venv/bin/rectify evidence add HAZ-2023-00045 验收单.pdf --kind acceptance_sheet --taken-on 2023-11-09": EVIDENCE_REASON,
    ".venv/bin/rectify evidence add CONS-2023-001 回复函.pdf --kind reply_scan --response city-emergency": EVIDENCE_REASON,
    "cd site/ && python3 -m http.server 8000 --bind 127.0.0.1": "serves until Ctrl+C; "
    "tests/site/test_ways_in.py serves a built site the same way (python -m http.server) and browses it",
}
# documented command → the shorter variant run here (same program, smaller input or no prompt)
VARIANTS = {
    ".venv/bin/python tests/benchmarks/bench_site.py 1000 5000 20000": ".venv/bin/python tests/benchmarks/bench_site.py 10",
    ".venv/bin/python tests/benchmarks/bench_check.py 10000 100000 --runs 1 --dir /tmp/rectify-bench": (
        ".venv/bin/python tests/benchmarks/bench_check.py 20 --runs 1 --dir bench-registries"
    ),
    ".venv/bin/python tests/benchmarks/bench_warm.py 10000 100000 --dir /tmp/rectify-bench": (
        ".venv/bin/python tests/benchmarks/bench_warm.py 20 --dir bench-registries"
    ),
    ".venv/bin/python tests/benchmarks/bench_signatures.py 10000": ".venv/bin/python tests/benchmarks/bench_signatures.py 3",
    ".venv/bin/python tests/benchmarks/bench_ledger.py 5000": ".venv/bin/python tests/benchmarks/bench_ledger.py 10",
    ".venv/bin/python tests/benchmarks/bench_timeline.py 10000:2000": (
        ".venv/bin/python tests/benchmarks/bench_timeline.py 20:5"
    ),
}
KEYGEN = re.compile(r"^ssh-keygen (?!.*-N )")  # asks for a passphrase: here an empty one is given


@dataclass(frozen=True)
class Block:
    where: str  # file:line
    commands: tuple[str, ...]


def blocks() -> list[Block]:
    out = []
    for path in DOCUMENTS:
        text = path.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            if match["lang"] not in SHELLS:
                continue
            lines = match["body"].replace("\\\n", " ").splitlines()
            commands = tuple(c for c in (_strip_comment(line) for line in lines) if c)
            line = text.count("\n", 0, match.start()) + 1
            out.append(Block(f"{path.relative_to(REPO).as_posix()}:{line}", commands))
    return out


def _strip_comment(line: str) -> str:
    """The command without its trailing ``# 说明`` (a ``#`` inside quotes is kept)."""
    quote = ""
    for i, char in enumerate(line):
        if char in "\"'" and not quote:
            quote = char
        elif char == quote:
            quote = ""
        elif char == "#" and not quote and (i == 0 or line[i - 1] in " \t"):
            return line[:i].strip()
    return line.strip()


BLOCKS = blocks()
DOCUMENTED = list(dict.fromkeys(b.where.split(":")[0] for b in BLOCKS))  # in reading order


def test_the_docs_show_commands_and_every_one_is_run_or_explained() -> None:
    shown = {c for b in BLOCKS for c in b.commands}
    assert len(BLOCKS) >= 10 and "bash scripts/start.sh" in shown
    assert set(ALLOWED) <= shown and set(VARIANTS) <= shown, "an allow-listed command is no longer documented"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project as a clerk has it: a Git repository whose ``origin`` has ``main``."""
    top = tmp_path_factory.mktemp("docs")
    root = top / "rectify"
    for name in ("registry", "schemas", "docs", "scripts", "tests"):
        shutil.copytree(
            REPO / name,
            root / name,
            ignore=shutil.ignore_patterns("node_modules", "__pycache__", "*.egg-info", ".pytest_cache"),
        )
    for name in ("README.md", "mkdocs.yml", "pyproject.toml", ".pre-commit-config.yaml"):
        shutil.copy(REPO / name, root / name)
    (root / ".venv").symlink_to(REPO / ".venv")
    shutil.copy(
        REPO / ".gitignore", root / ".gitignore"
    )  # the project's own (a bare "site/" would hide docs/assets/site/)
    env = _env(top)
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "示例登记册"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)
    subprocess.run(["git", "clone", "-q", "--bare", str(root), str(top / "origin.git")], env=env, check=True)
    subprocess.run(["git", "remote", "add", "origin", str(top / "origin.git")], cwd=root, env=env, check=True)
    subprocess.run(["git", "fetch", "-q", "origin"], cwd=root, env=env, check=True)
    return root


def _env(top: Path) -> dict[str, str]:
    """A clerk's environment with a fresh HOME (so ~/.ssh and the global Git config) in ``top``:
    what one block does to them (``git config --global``) does not reach the next."""
    home = Path(tempfile.mkdtemp(prefix="home-", dir=top))
    (home / ".gitconfig").write_text(
        "[user]\n\tname = 孙浩\n\temail = sun-hao-yjj@example.cn\n", encoding="utf-8"
    )
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("RECTIFY_", "GIT_"))}
    return {
        **keep,
        "HOME": str(home),
        "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
        "PRE_COMMIT_HOME": str(top / "pre-commit"),
    }


def _reset(root: Path, env: dict[str, str]) -> None:
    subprocess.run(["git", "reset", "-q", "--hard"], cwd=root, env=env, check=True)
    subprocess.run(["git", "clean", "-fdqx", "-e", ".venv"], cwd=root, env=env, check=True)


@pytest.mark.parametrize("document", DOCUMENTED)
def test_every_documented_command_runs(document: str, sample: Path) -> None:
    """A document's blocks in order, as a reader follows them (the import reads the exported workbook)."""
    env = _env(sample.parent)
    _reset(sample, env)
    for block in (b for b in BLOCKS if b.where.startswith(document + ":")):
        _run_block(block, sample, env)


def _run_block(block: Block, sample: Path, env: dict[str, str]) -> None:
    for documented in block.commands:
        if documented in ALLOWED:
            continue
        if documented == "bash scripts/start.sh":
            _start_without_install(sample, env)
            continue
        command = VARIANTS.get(documented, documented)
        if KEYGEN.match(command):
            command += " -N ''"
        proc = _run(command, sample, env)
        assert proc.returncode == 0, (
            f"{block.where}: {command}\nexit {proc.returncode}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
        )
        assert "Traceback" not in proc.stderr, proc.stderr[-3000:]


def _run(
    command: str, cwd: Path, env: dict[str, str], timeout: int = 900
) -> subprocess.CompletedProcess[str]:
    """``bash -c command`` in its own process group, all of which is ended if it overruns."""
    proc = subprocess.Popen(
        ["bash", "-c", command],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        pytest.fail(f"{command}: still running after {timeout} s\n{out[-2000:]}\n{err[-2000:]}")
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_without_install(root: Path, env: dict[str, str]) -> None:
    """scripts/start.sh as written, less its install step (which would reinstall the shared
    development venv from the copy): installs the hook, checks, serves on RECTIFY_ADDR."""
    script = (root / "scripts" / "start.sh").read_text(encoding="utf-8")
    assert "\nbash scripts/setup.sh\n" in script
    variant = root / "scripts" / "start-variant.sh"
    variant.write_text(script.replace("\nbash scripts/setup.sh\n", "\n"), encoding="utf-8")
    addr = f"127.0.0.1:{_free_port()}"
    proc = subprocess.Popen(
        ["bash", str(variant)],
        cwd=root,
        env={**env, "RECTIFY_ADDR": addr, "RECTIFY_TODAY": "2023-12-31"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        page = ""
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://{addr}/", timeout=5) as response:
                    page = response.read().decode("utf-8")
                    break
            except OSError:
                time.sleep(1)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
        output = proc.communicate(timeout=60)[0]
    assert "数据截至 2023-12-31" in page, output[-3000:]
    assert (root / ".git" / "hooks" / "pre-commit").is_file(), output[-3000:]
    assert f"http://{addr}/" in output and "检查了" in output, output[-3000:]
    assert "end of life" not in output, "the theme's banner: NO_MKDOCS_2_WARNING is not set"


def test_the_readme_sample_output_is_what_the_tool_says(sample: Path) -> None:
    env = _env(sample.parent)
    _reset(sample, env)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(
        r"误写成 `(?P<typo>[a-z-]+)` 后：\n\n```text\n\$ (?P<cmd>[^\n]+)\n(?P<out>.*?)```", readme, re.S
    )
    assert match, "README's sample (“CI 会说什么”) not found"
    hazard = sample / "registry" / "hazards" / "2023" / "HAZ-2023-00017.yaml"
    text = hazard.read_text(encoding="utf-8")
    assert "  department: city-housing\n" in text
    hazard.write_text(text.replace("city-housing", match["typo"], 1), encoding="utf-8")
    proc = _run(match["cmd"], sample, env)
    assert proc.stdout == match["out"], proc.stdout + proc.stderr


def test_the_admin_guide_key_example_is_one_person() -> None:
    """Copying the example must give a commit whose author is the key's owner (signer = author):
    one name in the key, the Git identity and the record; its e-mail in both; its id from its name."""
    guide = (REPO / "docs" / "guide" / "admin.md").read_text(encoding="utf-8")
    name = re.search(r'git config --global user\.name "(.+?)"', guide)
    email = re.search(r'git config --global user\.email "(.+?)"', guide)
    comment = re.search(r'ssh-keygen .*-C "(.+?)"', guide)
    record = re.search(r"```yaml\n# registry/people/([\w-]+)\.yaml.*?\n(.*?)```", guide, re.S)
    assert name and email and comment and record
    shown = yaml.safe_load(record[2])
    assert comment[1].split()[0] == name[1]
    assert shown["signing_keys"][0].endswith(" " + comment[1])
    assert email[1] == shown["contact"]["email"] and email[1].startswith(record[1] + "@")
    assert record[1].startswith("-".join(lazy_pinyin(name[1])) + "-")
    person = REPO / "registry" / "people" / f"{record[1]}.yaml"
    if person.exists():
        assert yaml.safe_load(person.read_text(encoding="utf-8"))["name"] == name[1]


def test_the_calendar_example_is_a_valid_record(sample: Path) -> None:
    env = _env(sample.parent)
    _reset(sample, env)
    readme = (REPO / "registry" / "README.md").read_text(encoding="utf-8")
    match = re.search(r"```yaml\n# registry/calendar\.yaml\n(.*?)```", readme, re.S)
    assert match
    (sample / "registry" / "calendar.yaml").write_text(match[1], encoding="utf-8")
    proc = subprocess.run(
        [".venv/bin/rectify", "check", "registry/calendar.yaml"],
        cwd=sample,
        env=env,
        capture_output=True,
        text=True,
    )
    assert (proc.returncode, proc.stdout) == (0, "检查了 1 个文件：未发现问题。\n"), proc.stdout + proc.stderr
