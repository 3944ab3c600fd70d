"""Rename the keys YAML 1.1 reads as booleans (``on:`` → ``date:``) so registry files read the same
under YAML 1.1 (PyYAML's ``safe_load`` turns ``on`` into ``True``) and YAML 1.2.

Run from the repository root (idempotent: a second run changes nothing):

    .venv/bin/python scripts/migrate_yaml11_keys.py [ROOT ...]
    .venv/bin/python scripts/migrate_yaml11_keys.py --text scripts tests docs README.md

With ``--text``, Python and Markdown files get the same rename where code or prose names the key:
``.get("on")``, ``["on"]``, ``"on":`` and ``("found", "on")``, dotted field paths (``found.on``,
``progress[].on``, ``--found.on``), and ``on: 2023-…`` written in examples. A line naming several
boolean words (a list of them) is left alone, and so are the files that keep the old keys on purpose
(``KEEP``: the loader rule R-bool-key, its tests and fixtures); read the printed changes.

ROOTs default to ``registry``, ``tests/fixtures``, ``tests/rules/fixtures`` and ``schemas``. YAML
files are parsed with ruamel.yaml's round-trip composer (nodes with their marks, no values built) only
to find where each offending key is written; the key's text is then replaced in place, so comments,
order, quoting, flow style and line numbers all survive. JSON
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
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

BOOLEAN_WORDS = frozenset({"on", "off", "yes", "no", "y", "n", "true", "false"})
RENAMES = {"on": "date"}  # the only such key the schemas ever used (a date: 日期)
# Files that hold the old keys on purpose: the loader that refuses them, its tests and fixtures.
KEEP = (
    "R-bool-key",
    "migrate_yaml11_keys.py",
    "rectify/load.py",
    "rules/loading.py",
    "tests/test_loader.py",
    "docs/rules.md",  # generated: rectify rules > docs/rules.md
)
DEFAULT_ROOTS = ("registry", "tests/fixtures", "tests/rules/fixtures", "schemas")
PLAIN_KEY = re.compile(
    r"(on|On|ON|off|Off|OFF|yes|Yes|YES|no|No|NO|y|Y|n|N|true|True|TRUE|false|False|FALSE)\b"
)


def _walk(node: Any, found: list[tuple[int, int, str, str | None]]) -> None:
    """Collect (line, column, key, new name or None) for every plain offending key under ``node``."""
    if isinstance(node, MappingNode):
        names = {k.value for k, _ in node.value if isinstance(k, ScalarNode)}
        for key, value in node.value:
            if isinstance(key, ScalarNode) and key.style is None and key.value.lower() in BOOLEAN_WORDS:
                new = RENAMES.get(key.value.lower())
                mark = key.start_mark
                found.append(
                    (mark.line, mark.column, key.value, None if new is None or new in names else new)
                )
            _walk(value, found)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            _walk(item, found)


def migrate_yaml(path: Path, text: str) -> tuple[str, list[str], list[str]]:
    """The file's new text, the changes made and the keys left for a person to rename."""
    yaml = YAML(typ="rt")
    yaml.version = (1, 2)
    try:
        documents = list(yaml.compose_all(text))  # nodes only: no value is built, nothing can fail
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
            agreed = RENAMES.get(key.lower())
            why = f"，新名称 {agreed} 在同一映射中已有" if agreed else "，没有约定的新名称"
            manual.append(f"{where}: 需人工处理：键 {key!r} 在 YAML 1.1 中读作布尔值{why}")
            continue
        lines[line] = lines[line][:column] + new + lines[line][column + len(key) :]
        changed.append(f"{where}: {key} → {new}")
    return "".join(lines), sorted(changed), manual[::-1]


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


_FIELD_PARENTS = (
    "found|acceptance|previous_acceptance|review|supervision|accident_during_rectification"
    r"|progress(?:\[\d*\])?|referrals(?:\[\d*\])?|reopened(?:\[\d*\])?|responses(?:\[\d*\])?"
)
TEXT_PATTERNS = [
    (re.compile(r"""(\.get\(\s*)(["'])on\2"""), r"\1\2date\2"),
    (re.compile(r"""(["'])on\1(?=\s*[,)\]:])"""), r"\1date\1"),
    (re.compile(rf"\b({_FIELD_PARENTS})\.on\b"), r"\1.date"),
    (re.compile(r"(?<![\w.-])on: (?=\d{4}-\d{2}-\d{2}|date\b)"), "date: "),
    (re.compile(r"(?<=[{,] )on(?=[,}])"), "date"),
]
_OTHER_WORDS = re.compile(r"""(["'])(off|yes|no)\1""")


def migrate_text(path: Path, text: str) -> tuple[str, list[str], list[str]]:
    """Code and prose: the rename where a line names the key (see the module docstring)."""
    lines = text.splitlines(keepends=True)
    changed = []
    for number, line in enumerate(lines, 1):
        if _OTHER_WORDS.search(line) or "YAML11" in line:
            continue
        new = line
        for pattern, replacement in TEXT_PATTERNS:
            new = pattern.sub(replacement, new)
        if new != line:
            lines[number - 1] = new
            changed.append(f"{path}:{number}: {line.strip()}  →  {new.strip()}")
    return "".join(lines), changed, []


def _kept(path: Path) -> bool:
    return any(part in path.as_posix() for part in KEEP)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--text"]:
        return _main_text([Path(a) for a in argv[1:]])
    roots = [Path(a) for a in argv] or [Path(r) for r in DEFAULT_ROOTS]
    files = sorted(
        p
        for root in roots
        for p in ([root] if root.is_file() else root.rglob("*"))
        if p.is_file() and p.suffix in (".yaml", ".yml", ".json") and not _kept(p)
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


def _main_text(roots: list[Path]) -> int:
    files = sorted(
        p
        for root in roots
        for p in ([root] if root.is_file() else root.rglob("*"))
        if p.is_file() and p.suffix in (".py", ".md") and not _kept(p)
    )
    count = 0
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:  # e.g. a fixture kept in GBK on purpose: not ours to rewrite
            print(f"{path}：不是 UTF-8 文本，未处理", file=sys.stderr)
            continue
        new, changed, _ = migrate_text(path, text)
        if new != text:
            path.write_text(new, encoding="utf-8")
            count += 1
            print("\n".join(changed))
    print(f"改动了 {count} 个文件。", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
