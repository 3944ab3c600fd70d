"""Fast YAML text for the two bulk cases of an import: a new record (a small block emitter in the
registry's layout) and an existing record whose changed fields are all one-line scalars (each value
replaced in place, every other byte kept). Anything else goes through ruamel.yaml's round trip
(:mod:`rectify.ledger.yamlio`). Whatever is produced is read back by the registry's loader before
it is written, so a mistake here is a rejected row, never a corrupted file."""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_NUMBER_LIKE = re.compile(r"[-+]?(\.?[0-9][0-9_.eE:+-]*|\.inf|\.nan)", re.IGNORECASE)
_RESERVED = frozenset({"null", "true", "false", "yes", "no", "on", "off", "y", "n", "~", ""})
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # plain, as the registry writes dates
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\ufeff]")


def scalar(value: Any) -> str:
    """One value as a one-line YAML scalar: plain where that reads back as the same text in every
    YAML reader, double-quoted (JSON escaping) otherwise."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    if _ISO_DATE.fullmatch(text):
        return text
    if (
        text.lower() in _RESERVED
        or text[0] in _INDICATORS
        or text[0].isspace()
        or text[-1].isspace()
        or ": " in text
        or " #" in text
        or text.endswith(":")
        or _CONTROL.search(text)
        or _NUMBER_LIKE.fullmatch(text)
    ):
        return json.dumps(text, ensure_ascii=False)
    return text


def _block(text: str, indent: str) -> str | None:
    """A literal block (``|-``) for multi-line text, when it reads back exactly."""
    lines = text.split("\n")
    if (
        text.endswith("\n")
        or not lines[0]
        or lines[0][0].isspace()
        or _CONTROL.search(text.replace("\n", ""))
    ):
        return None
    if any(line != line.rstrip() for line in lines):
        return None
    body = "\n".join(f"{indent}{line}" if line else "" for line in lines)
    return f"|-\n{body}"


def _value(value: Any, indent: str) -> str:
    if isinstance(value, str) and "\n" in value:
        return _block(value, indent) or json.dumps(value, ensure_ascii=False)
    return scalar(value)


def emit_mapping(
    data: dict[str, Any], notes: dict[tuple[str, ...], str], indent: str = "", path: tuple[str, ...] = ()
) -> list[str]:
    """Block lines of a mapping: 2-space nesting, list items indented under their key."""
    out: list[str] = []
    for key, value in data.items():
        here = (*path, key)
        note = f"  # {notes[here]}" if here in notes else ""
        head = f"{indent}{key}:"  # schema field names: always plain
        if isinstance(value, dict) and value:
            out.append(head + note)
            out.extend(emit_mapping(value, notes, indent + "  ", here))
        elif isinstance(value, list) and value:
            out.append(head + note)
            for item in value:
                if isinstance(item, dict) and item:
                    inner = emit_mapping(item, {}, indent + "    ")
                    out.append(f"{indent}  - {inner[0].lstrip()}")
                    out.extend(inner[1:])
                else:
                    out.append(f"{indent}  - {_value(item, indent + '    ')}")
        elif value is None and note:
            out.append(head + note)
        elif isinstance(value, dict | list):
            out.append(f"{head} {'{}' if isinstance(value, dict) else '[]'}{note}")
        else:
            out.append(f"{head} {_value(value, indent + '  ')}{note}")
    return out


def replace_scalars(
    text: str, root: yaml.MappingNode, changes: list[tuple[tuple[str, ...], Any]]
) -> str | None:
    """``text`` with the one-line scalar at each path replaced by its new value; ``None`` when a
    change is anything else (a new key, a removal, a list, a block scalar)."""
    spots: list[tuple[int, int, int, str]] = []
    for path, value in changes:
        if isinstance(value, list | dict) or value is None or (isinstance(value, str) and "\n" in value):
            return None
        node: yaml.Node = root
        for part in path:
            if not isinstance(node, yaml.MappingNode):
                return None
            node = next((v for k, v in node.value if k.value == part), None)  # type: ignore[assignment]
            if node is None:
                return None
        if not isinstance(node, yaml.ScalarNode) or node.style not in (None, "", '"', "'"):
            return None
        start, end = node.start_mark, node.end_mark
        if start.line != end.line:
            return None
        spots.append((start.line, start.column, end.column, scalar(value)))
    lines = text.split("\n")
    for line, begin, finish, new in sorted(spots, reverse=True):
        lines[line] = lines[line][:begin] + new + lines[line][finish:]
    return "\n".join(lines)
