"""The check cache (.rectify-cache/): a warm check prints exactly what a cold one does.

The property test starts from a copy of the sample registry and applies seeded random sequences of
edits (a field's value, a name other records show, broken YAML, a broken schema, records added,
duplicated, deleted and renamed, jurisdiction.yaml and standards.yaml changed, the date checked);
after each step the cached check's stdout, stderr and exit code must equal ``--no-cache``'s.
More seeds: ``RECTIFY_CACHE_SEEDS="5 6 7 8" .venv/bin/python -m pytest tests/test_cache.py -k random``.
"""

from __future__ import annotations

import os
import pickle
import random
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from rectify import cache as cache_module
from rectify.cache import FOLDER, Store, stage_key
from rectify.cli import main

REPO = Path(__file__).resolve().parents[1]
OLD = 1_600_000_000  # a time long past: files stamped with it take the stat shortcut

Run = tuple[int, str, str]


def sample(target: Path) -> Path:
    shutil.copytree(REPO / "registry", target / "registry")
    shutil.copytree(REPO / "schemas", target / "schemas")
    return target


@pytest.fixture
def check(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """``rectify check`` in this process: (exit code, stdout, stderr)."""

    def run(root: Path, *options: str, today: str = "2023-12-31") -> Run:
        capsys.readouterr()
        code = main(["--root", str(root), "check", "--today", today, *options])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def records(root: Path, folder: str) -> list[Path]:
    return sorted((root / "registry" / folder).rglob("*.yaml"))


def set_value(path: Path, key: str, value: str, rng: random.Random) -> bool:
    """Give one ``key:`` line of ``path`` a new scalar value."""
    lines = path.read_text(encoding="utf-8").split("\n")
    hits = [i for i, line in enumerate(lines) if re.match(rf"^\s*{re.escape(key)}: \S", line)]
    if not hits:
        return False
    i = rng.choice(hits)
    lines[i] = lines[i].split(":", 1)[0] + ": " + value
    path.write_text("\n".join(lines), encoding="utf-8")
    return True


VALUES = {
    "status": ["open", "rectifying", "awaiting_acceptance", "closed", "done", "待整改"],
    "deadline": ["2023-07-31", "2023-12-20", "2024-01-05", "2023-02-30", "2024-03-01"],
    "date": ["2023-05-18", "2023-11-30", "2024-02-01", "2023-13-01"],
    "level": ["major", "general", "severe"],
    "description": ["联系人电话 13812345678", "已整改完毕。", "“带中文引号”", "'x: y'"],
    "name": ["改名后的单位", "张三", "李四（新）"],
    "short_name": ["新简称", "应急局"],
    "organization": ["city-emergency", "no-such-org"],
    "industry": ["fire", "coal", "hazardous_chemicals", "industry_trade"],
    "result": ["passed", "failed"],
    "self_found": ["true", "false"],
    "type": ["self", "supervision", "maximum_penalty", "training"],
}


def edit(root: Path, rng: random.Random, shown: str) -> str:
    """One random edit of the registry; returns what it did (shown when the property fails).
    ``shown``: the last output; records it reports on are edited more often (their findings are
    what a stale cache would get wrong)."""
    what = rng.choice(
        [
            "value",
            "value",
            "value",
            "name",
            "name",
            "yaml",
            "schema",
            "add",
            "duplicate",
            "delete",
            "rename",
            "jurisdiction",
            "standards",
            "touch",
        ]
    )
    folders = ["hazards", "hazards", "inspections", "actions", "enterprises", "people", "organizations"]
    files = records(root, rng.choice(folders)) or records(root, "hazards")
    path = rng.choice(files)
    rel = path.relative_to(root).as_posix()
    if what == "value":
        key = rng.choice(list(VALUES))
        if set_value(path, key, rng.choice(VALUES[key]), rng):
            return f"{rel}: {key} changed"
        what = "name"
    reported = [root / f for f in re.findall(r"^(registry/\S+?\.yaml):", shown, re.M) if (root / f).exists()]
    if reported and rng.random() < 0.5:
        path = rng.choice(reported)
        rel = path.relative_to(root).as_posix()
    if what == "name":  # a body or person a reported hazard names: its findings show the name
        hazards = [p for p in reported if "/hazards/" in str(p)] or records(root, "hazards")
        hazard = rng.choice(hazards).read_text(encoding="utf-8")
        named = re.findall(r"^\s*(?:department|person|acceptor|enterprise|by): (\S+)$", hazard, re.M)
        folders = ("people", "organizations", "enterprises", "inspections/2023")
        found = [root / "registry" / f / f"{n}.yaml" for n in named for f in folders]
        target = rng.choice([p for p in found if p.exists()] or records(root, "people"))
        key = "type" if "inspections" in str(target) else "name"
        set_value(
            target, key, rng.choice(VALUES[key]) + ("" if key == "type" else str(rng.randrange(99))), rng
        )
        return f"{target.relative_to(root)}: {key} changed"
    if what == "yaml":
        text = path.read_text(encoding="utf-8")
        broken = rng.choice([text + "\nbad: [unclosed\n", "\t" + text, text.replace(":", "：", 1), ""])
        path.write_text(broken, encoding="utf-8")
        return f"{rel}: YAML broken"
    if what == "schema":
        schema = rng.choice(sorted((root / "schemas").glob("*.schema.json")))
        text = schema.read_text(encoding="utf-8")
        schema.write_text(text.replace('"required": [', '"required": ["extra_field", ', 1), encoding="utf-8")
        return f"{schema.name}: a required field added"
    if what in ("add", "duplicate"):
        text = path.read_text(encoding="utf-8")
        new = path.with_name(f"X{rng.randrange(10**6)}.yaml")
        if what == "add":
            text = re.sub(r"^id: (\S+)", lambda m: f"id: {m.group(1)}9", text, count=1, flags=re.M)
            new = path.with_name(path.stem + "9.yaml")
        new.write_text(text, encoding="utf-8")
        return f"{new.relative_to(root)}: {what} of {rel}"
    if what == "delete":
        path.unlink()
        return f"{rel}: deleted"
    if what == "rename":
        new = path.with_name(path.stem[:-1] + str(rng.randrange(10)) + path.suffix)
        if not new.exists():
            path.rename(new)
        return f"{rel} renamed to {new.name}"
    if what == "jurisdiction":
        juris = root / "registry" / "jurisdiction.yaml"
        key = rng.choice(["name", "working_day_end", "referral_working_days"])
        value = {"name": "某市", "working_day_end": "16:00", "referral_working_days": "3"}[key]
        set_value(juris, key, value, rng)
        return f"jurisdiction.yaml: {key}"
    if what == "standards":
        standards = root / "registry" / "standards.yaml"
        set_value(standards, "industry", rng.choice(VALUES["industry"]), rng)
        return "standards.yaml: an industry changed"
    for file in (root / "registry").rglob("*"):  # "touch": old stamps, so the stat shortcut is taken
        os.utime(file, (OLD, OLD))
    return "all files stamped old"


@pytest.mark.parametrize("seed", [int(s) for s in os.environ.get("RECTIFY_CACHE_SEEDS", "1 2 3 4").split()])
def test_warm_output_equals_cold_after_random_edits(
    tmp_path: Path, check: Callable[..., Run], seed: int
) -> None:
    root = sample(tmp_path / f"repo{seed}")
    rng = random.Random(seed)
    cold = check(root, "--no-cache")
    assert check(root) == cold
    history = []
    for _ in range(10):
        history.append(edit(root, rng, cold[1]))
        today = rng.choice(["2023-12-31", "2023-12-31", "2024-02-01"])
        warm = check(root, today=today)
        cold = check(root, "--no-cache", today=today)
        assert warm == cold, "after: " + "；".join(history)
        assert check(root, today=today) == cold, "again after: " + "；".join(history)
        some = [str(p) for p in rng.sample(records(root, "hazards"), 2)]  # as pre-commit's --staged
        assert check(root, *some, today=today) == check(root, *some, "--no-cache", today=today)


def test_cli_output_is_byte_identical(tmp_path: Path) -> None:
    """The real command, as pre-commit and CI run it: text and JSON, before and after an edit."""
    root = sample(tmp_path / "repo")

    def cli(*options: str) -> tuple[int, bytes, bytes]:
        proc = subprocess.run(
            [sys.executable, "-m", "rectify", "check", "--today", "2023-12-31", *options],
            cwd=root,
            capture_output=True,
            check=False,
        )
        return proc.returncode, proc.stdout, proc.stderr

    first = cli("--format", "json")
    assert (root / FOLDER / "delta" / "head.pickle").is_file()
    assert len(list((root / FOLDER / "index").glob("*.pickle"))) >= 8  # a part per registry folder
    assert cli("--format", "json") == first == cli("--format", "json", "--no-cache")
    hazard = records(root, "hazards")[0]
    hazard.write_text(hazard.read_text(encoding="utf-8").replace("level: major", "level: general"), "utf-8")
    warm = cli()
    assert warm == cli("--no-cache")
    assert warm[0] == 1 and b"H-" in warm[1]


def test_no_cache_neither_reads_nor_writes(tmp_path: Path, check: Callable[..., Run]) -> None:
    root = sample(tmp_path / "repo")
    check(root, "--no-cache")
    assert not (root / FOLDER).exists()


def test_cache_folder_ignores_itself(tmp_path: Path, check: Callable[..., Run]) -> None:
    root = sample(tmp_path / "repo")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    check(root)
    listed = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"], cwd=root, capture_output=True, text=True
    )
    assert FOLDER not in listed.stdout and "registry/" in listed.stdout


def test_deleted_cache_is_rebuilt(tmp_path: Path, check: Callable[..., Run]) -> None:
    root = sample(tmp_path / "repo")
    cold = check(root, "--no-cache")
    assert check(root) == cold
    shutil.rmtree(root / FOLDER)
    assert check(root) == cold
    assert Store(root / FOLDER, stage_key(root / "schemas")).index  # written again


@pytest.mark.parametrize("damage", ["truncate", "garble", "empty", "other-key"])
def test_damaged_cache_files_are_ignored(tmp_path: Path, check: Callable[..., Run], damage: str) -> None:
    root = sample(tmp_path / "repo")
    cold = check(root, "--no-cache")
    check(root)
    files = [p for p in (root / FOLDER).rglob("*.pickle")]
    assert len(files) > 10
    for path in files:
        data = path.read_bytes()
        if damage == "truncate":
            path.write_bytes(data[: len(data) // 2])
        elif damage == "garble":
            path.write_bytes(data[:-40] + bytes(b ^ 0x5A for b in data[-40:]))
        elif damage == "empty":
            path.write_bytes(b"")
        else:  # a file another stage key wrote
            path.write_bytes(data[:16] + bytes(16) + data[32:])
    assert check(root) == cold
    assert check(root) == cold


def test_planted_pickle_cannot_run_code(tmp_path: Path, check: Callable[..., Run]) -> None:
    """A cache file that passes the checksum but names a function is refused, not executed."""
    root = sample(tmp_path / "repo")
    cold = check(root, "--no-cache")
    check(root)
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, (f"touch {marker}",))

    key = stage_key(root / "schemas")
    blob = pickle.dumps(Evil())
    planted = cache_module._MAGIC + key.ljust(32, b"\0") + cache_module.digest(blob) + blob
    for part in [root / FOLDER / "delta" / "head.pickle", *(root / FOLDER / "index").glob("*.pickle")]:
        part.write_bytes(planted)
    assert check(root) == cold
    assert not marker.exists()


def test_stage_key_follows_schemas_and_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = sample(tmp_path / "repo")
    before = stage_key(root / "schemas")
    schema = root / "schemas" / "hazard.schema.json"
    schema.write_text(schema.read_text(encoding="utf-8").replace("整改", "整治", 1), encoding="utf-8")
    assert stage_key(root / "schemas") != before
    changed = stage_key(root / "schemas")
    monkeypatch.setattr(cache_module, "_SOURCE", b"another rectify".ljust(16))
    assert stage_key(root / "schemas") != changed


def test_entries_are_reused_and_a_changed_key_is_not_trusted(
    tmp_path: Path, check: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warm check parses only the edited file (the delta check reads it itself); with another
    stage key nothing is reused."""
    from rectify import delta, incremental

    root = sample(tmp_path / "repo")
    check(root)
    parsed: list[str] = []
    real, real_one = incremental._read_all, delta.read_record

    def counting(jobs: list[incremental.Job]) -> object:
        parsed.extend(rel for _, rel, _, _ in jobs)
        return real(jobs)

    def counting_one(path: str, rel: str, raw: bytes | None = None) -> object:
        parsed.append(rel)
        return real_one(path, rel, raw)

    monkeypatch.setattr(incremental, "_read_all", counting)
    monkeypatch.setattr(delta, "read_record", counting_one)
    hazard = records(root, "hazards")[3]
    hazard.write_text(hazard.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    cold = check(root, "--no-cache")
    assert check(root) == cold
    assert parsed == [hazard.relative_to(root).as_posix()]
    parsed.clear()
    monkeypatch.setattr(cache_module, "_SOURCE", b"a developer's edit".ljust(16))
    assert check(root) == cold
    assert len(parsed) > 400


def test_record_shown_once_its_duplicate_is_gone(tmp_path: Path, check: Callable[..., Run]) -> None:
    """A second file with a taken id is hidden from the rules; deleting the first shows it, and its
    findings must then be judged, not taken from when it was hidden."""
    root = sample(tmp_path / "repo")
    cold = check(root, "--no-cache")
    reported = sorted(
        set(re.findall(r"^(registry/hazards/\S+?\.yaml):\d+:\d+: \S+\[H-overdue\]", cold[1], re.M))
    )
    original = root / reported[0]
    copy = original.with_name("HAZ-2023-99999.yaml")
    copy.write_text(original.read_text(encoding="utf-8"), encoding="utf-8")
    assert check(root) == check(root, "--no-cache")
    original.unlink()
    warm = check(root)
    assert warm == check(root, "--no-cache")
    assert f"{copy.relative_to(root).as_posix()}:" in warm[1]


def test_base_and_staged_modes_match_a_cold_run(tmp_path: Path, check: Callable[..., Run]) -> None:
    """``--base`` (the rules run uncached, loading uses the cache) and ``--staged`` (the hook's command)."""
    root = sample(tmp_path / "repo")
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.cn"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.cn", "GIT_CONFIG_GLOBAL": os.devnull}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "基准"]):
        subprocess.run(["git", *args], cwd=root, check=True, env=env, capture_output=True)
    check(root)
    hazard = records(root, "hazards")[1]
    text = hazard.read_text(encoding="utf-8")
    hazard.write_text(re.sub(r"deadline: \S+", "deadline: 2024-06-30", text, count=1), encoding="utf-8")
    subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)
    cold = check(root, "--base", "HEAD", "--no-cache")
    assert "G-ratchet" in cold[1] and cold[0] == 1
    assert check(root, "--base", "HEAD") == cold
    assert check(root, "--base", "HEAD") == cold
    staged = check(root, "--staged")
    assert staged == check(root, "--staged", "--no-cache") == (0, "检查了 1 个文件：未发现问题。\n", "")


def test_positions_of_a_file_changed_during_the_check_are_not_kept(tmp_path: Path) -> None:
    """A finding's position is remembered for the file's content only if the file still has it."""
    from rectify.incremental import Warm
    from rectify.paths import find

    root = sample(tmp_path / "repo")
    paths = find(root)
    warm = Warm.open(paths, root / FOLDER)
    warm.load(paths)
    warm.save()
    warm = Warm.open(paths, root / FOLDER)  # everything from the cache
    warm.load(paths)
    doc = next(d for d in warm.documents if d.kind == "hazard")
    assert not doc.positions
    text = doc.path.read_text(encoding="utf-8")
    doc.path.write_text("# 新的一行\n" + text, encoding="utf-8")
    line, _ = doc.locate(["level"])
    assert line == text.split("\n").index(next(t for t in text.split("\n") if t.startswith("level:"))) + 2
    assert ("level",) not in doc.positions and not doc.learned
    fresh = next(d for d in warm.documents if d.kind == "hazard" and d is not doc)
    fresh_line, _ = fresh.locate(["level"])
    assert fresh.positions[("level",)] == (fresh_line, 1) and fresh.learned
