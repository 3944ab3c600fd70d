"""Rename the keys YAML 1.1 reads as booleans (``on:`` → ``date:``) so registry files read the same
under YAML 1.1 (PyYAML's ``safe_load`` turns ``on`` into ``True``) and YAML 1.2.

Run from the repository root (idempotent: a second run changes nothing):

    .venv/bin/python scripts/migrate_yaml11_keys.py [ROOT ...]

ROOTs default to ``registry``, ``tests/fixtures``, ``tests/rules/fixtures`` and ``schemas``. YAML files are parsed with
ruamel.yaml's round-trip loader only to find where each offending key is written; the key's text is
then replaced in place, so comments, order, quoting, flow style and line numbers all survive. JSON
Schemas get the property renamed in ``properties`` and ``required``. Every change is printed as
``file:line:column: on → date``; a key with no agreed new name, or whose new name is already taken in
the same mapping, is printed as ``需人工处理`` and left alone (exit status 1).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

BOOLEAN_WORDS = frozenset({"on", "off", "yes", "no", "y", "n", "true", "false"})
RENAMES = {"on": "date"}  # the only such key the schemas ever used (a date: 日期)
DEFAULT_ROOTS = ("registry", "tests/fixtures", "tests/rules/fixtures", "schemas")
PLAIN_KEY = re.compile(
    r"(on|On|ON|off|Off|OFF|yes|Yes|YES|no|No|NO|y|Y|n|N|true|True|TRUE|false|False|FALSE)\b"
)


def _walk(node: Any, found: list[tuple[int, int, str, str | None]]) -> None:
    """Collect (line, column, key, new name or None) for every offending key under ``node``."""
    if isinstance(node, CommentedMap):
        for key in list(node):
            if isinstance(key, str) and key.lower() in BOOLEAN_WORDS:
                new = RENAMES.get(key.lower())
                line, column = node.lc.key(key)
                found.append((line, column, key, None if new is None or new in node else new))
            _walk(node[key], found)
    elif isinstance(node, CommentedSeq):
        for item in node:
            _walk(item, found)


def migrate_yaml(path: Path, text: str) -> tuple[str, list[str], list[str]]:
    """The file's new text, the changes made and the keys left for a person to rename."""
    yaml = YAML(typ="rt")
    yaml.version = (1, 2)
    try:
        documents = list(yaml.load_all(text))
    except YAMLError:
        return text, [], []  # unreadable files are the loader's to report
    found: list[tuple[int, int, str, str | None]] = []
    for document in documents:
        _walk(document, found)
    lines = text.splitlines(keepends=True)
    changed, manual = [], []
    for line, column, key, new in sorted(found, reverse=True):
        where = f"{path}:{line + 1}:{column + 1}"
        plain = PLAIN_KEY.match(lines[line], column)
        if new is None or plain is None or plain.group(0) != key:
            manual.append(
                f"{where}: 需人工处理：键 {key!r} 在 YAML 1.1 中读作布尔值"
                + ("" if new else "，没有约定的新名称")
            )
            continue
        lines[line] = lines[line][:column] + new + lines[line][column + len(key) :]
        changed.append(f"{where}: {key} → {new}")
    return "".join(lines), sorted(changed), manual


def migrate_schema(path: Path, text: str) -> tuple[str, list[str], list[str]]:
    data = json.loads(text)
    changed: list[str] = []
    manual: list[str] = []

    def walk(node: Any, pointer: str) -> None:
        if isinstance(node, dict):
            properties = node.get("properties")
            if isinstance(properties, dict):
                for key in [k for k in properties if k.lower() in BOOLEAN_WORDS]:
                    new = RENAMES.get(key.lower())
                    if new is None or new in properties:
                        manual.append(f"{path}:{pointer}/properties/{key}: 需人工处理")
                        continue
                    node["properties"] = properties = {
                        (new if k == key else k): v for k, v in properties.items()
                    }
                    if isinstance(node.get("required"), list):
                        node["required"] = [new if r == key else r for r in node["required"]]
                    changed.append(f"{path}:{pointer}/properties: {key} → {new}")
            for key, value in node.items():
                walk(value, f"{pointer}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{pointer}/{index}")

    walk(data, "")
    if not changed:
        return text, [], manual
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n", changed, manual


def main(argv: list[str]) -> int:
    roots = [Path(a) for a in argv] or [Path(r) for r in DEFAULT_ROOTS]
    files = sorted(
        p
        for root in roots
        for p in ([root] if root.is_file() else root.rglob("*"))
        if p.is_file() and p.suffix in (".yaml", ".yml", ".json")
    )
    all_manual: list[str] = []
    count = 0
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # not UTF-8: the loader refuses the file anyway
        migrate = migrate_schema if path.suffix == ".json" else migrate_yaml
        if path.suffix == ".json" and not path.name.endswith(".schema.json"):
            continue
        new, changed, manual = migrate(path, text)
        if new != text:
            path.write_text(new, encoding="utf-8")
            count += 1
        for line in changed:
            print(line)
        all_manual.extend(manual)
    for line in all_manual:
        print(line)
    print(f"改动了 {count} 个文件；{len(all_manual)} 处需人工处理。", file=sys.stderr)
    return 1 if all_manual else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
