"""Registry files read the same under YAML 1.1 and 1.2: no key PyYAML reads as a boolean, and the
migration that renamed them (scripts/migrate_yaml11_keys.py) keeps everything else as written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import REPO

SCRIPT = REPO / "scripts" / "migrate_yaml11_keys.py"


def _keys(node: Any) -> list[Any]:
    if isinstance(node, dict):
        return [k for key, value in node.items() for k in [key, *_keys(value)]]
    if isinstance(node, list):
        return [k for item in node for k in _keys(item)]
    return []


def test_pyyaml_reads_only_text_keys_in_the_sample_and_the_fixtures() -> None:
    roots = [REPO / "registry", REPO / "tests" / "fixtures", REPO / "tests" / "rules" / "fixtures"]
    checked = 0
    for root in roots:
        for path in sorted(root.rglob("*.yaml")):
            if {"R-bool-key", "R-limits"} & set(path.parts) or path.name == "expect.yaml":
                continue  # R-limits: alias bombs, which PyYAML would expand
            try:
                data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)  # as safe_load
            except (yaml.YAMLError, UnicodeDecodeError, ValueError):
                continue  # the fixtures of unreadable files
            odd = [k for k in _keys(data) if not isinstance(k, str)]
            assert not odd, f"{path.relative_to(REPO)}：PyYAML 读出非文本的键 {odd}"
            checked += 1
    assert checked > 1000


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


BEFORE = """# 隐患记录（注释保留）
id: HAZ-2023-00001
found: {on: 2023-09-12, source: report}   # 流式映射
progress:
  - on: 2023-10-10   # 行内注释
    note: "on: 2023-10-10 这是文本，不是键"
  - On: 2023-10-11
    note: 大写也改
'on': 加引号的键两种版本读法相同，不改
acceptance:
  date: 2023-11-28
  on: 2023-11-29
yes: 没有约定的新名称
"""
AFTER = """# 隐患记录（注释保留）
id: HAZ-2023-00001
found: {date: 2023-09-12, source: report}   # 流式映射
progress:
  - date: 2023-10-10   # 行内注释
    note: "on: 2023-10-10 这是文本，不是键"
  - date: 2023-10-11
    note: 大写也改
'on': 加引号的键两种版本读法相同，不改
acceptance:
  date: 2023-11-28
  on: 2023-11-29
yes: 没有约定的新名称
"""


def test_migration_renames_in_place_reports_and_is_idempotent(tmp_path: Path) -> None:
    folder = tmp_path / "registry" / "hazards" / "2023"
    folder.mkdir(parents=True)
    record = folder / "HAZ-2023-00001.yaml"
    record.write_text(BEFORE, encoding="utf-8")
    proc = _run("registry", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr  # two keys left for a person
    assert record.read_text(encoding="utf-8") == AFTER
    rel = "registry/hazards/2023/HAZ-2023-00001.yaml"
    assert proc.stdout.splitlines() == [
        f"{rel}:3:9: on → date",
        f"{rel}:5:5: on → date",
        f"{rel}:7:5: On → date",
        f"{rel}:12:3: 需人工处理：键 'on' 在 YAML 1.1 中读作布尔值，新名称 date 在同一映射中已有",
        f"{rel}:13:1: 需人工处理：键 'yes' 在 YAML 1.1 中读作布尔值，没有约定的新名称",
    ]
    again = _run("registry", cwd=tmp_path)
    assert record.read_text(encoding="utf-8") == AFTER
    assert [line for line in again.stdout.splitlines() if "→" in line] == []


def test_migration_renames_schema_properties_and_required(tmp_path: Path) -> None:
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    (schemas / "x.schema.json").write_text(
        '{\n  "properties": {\n    "on": {\n      "type": "string"\n    },\n    "by": {}\n  },\n'
        '  "required": [\n    "on",\n    "by"\n  ]\n}\n',
        encoding="utf-8",
    )
    proc = _run("schemas", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (schemas / "x.schema.json").read_text(encoding="utf-8") == (
        '{\n  "properties": {\n    "date": {\n      "type": "string"\n    },\n    "by": {}\n  },\n'
        '  "required": [\n    "date",\n    "by"\n  ]\n}\n'
    )
