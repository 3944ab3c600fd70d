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
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
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


def _float(value: float) -> str:
    """The shortest text that reads back as ``value``, with a dot (``1.0e+16``, not ``1e+16``,
    which YAML 1.1 readers take for a string)."""
    text = repr(value)
    if "e" in text and "." not in text.split("e")[0]:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}.0e{exponent}"
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
    text: str, root: yaml.MappingNode, changes: list[tuple[tuple[str | int, ...], Any]]
) -> str | None:
    """``text`` with the one-line scalar at each path replaced by its new value; ``None`` when a
    change is anything else (a new key, a removal, a list, a block scalar)."""
    spots: list[tuple[int, int, int, str]] = []
    for path, value in changes:
        if not isinstance(value, str | int | float) or (isinstance(value, str) and "\n" in value):
            return None  # a list, a removal, multi-line text: not a one-line scalar
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


def _end(node: yaml.Node) -> tuple[int, int] | None:
    """(line, column) where the content of ``node`` ends; for a block scalar, the end of its last
    line (column -1: nothing may follow)."""
    if isinstance(node, yaml.ScalarNode):
        end = node.end_mark
        if node.style in ("|", ">"):
            return (end.line - 1 if end.column == 0 else end.line), -1
        return end.line, end.column
    if getattr(node, "flow_style", False) or not node.value:
        return node.end_mark.line, node.end_mark.column
    last = node.value[-1]
    return _end(last[1] if isinstance(node, yaml.MappingNode) else last)


LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's, as the registry's loader
_TAIL = re.compile(r"\s*(#.*)?")


def remove_key(text: str, path: tuple[str, ...]) -> str | None:
    """``text`` without the lines of the key at ``path`` and its value (a mapping left empty goes
    too); every other line, comments included, stays as it was. ``None`` when the key does not
    sit on lines of its own (flow style, the first key of a list item)."""
    root = yaml.compose(text, Loader=LOADER)
    node: yaml.Node | None = root
    parents: list[yaml.MappingNode] = []
    pair: tuple[yaml.Node, yaml.Node] | None = None
    for part in path:
        if not isinstance(node, yaml.MappingNode) or node.flow_style:
            return None
        parents.append(node)
        pair = next(((k, v) for k, v in node.value if k.value == part), None)
        if pair is None:
            return text  # nothing to remove
        node = pair[1]
    assert pair is not None
    if len(path) > 1 and len(parents[-1].value) == 1:
        return remove_key(text, path[:-1])
    key, value = pair
    lines = text.split("\n")
    first = key.start_mark.line
    if lines[first][: key.start_mark.column].strip():
        return None
    end = _end(value)
    if end is None:
        return None
    last, column = end
    if column >= 0 and not _TAIL.fullmatch(lines[last][column:]):
        return None
    del lines[first : last + 1]
    return "\n".join(lines)


def append_entries(text: str, path: tuple[str, ...], entries: list[dict[str, Any]]) -> str | None:
    """``text`` with ``entries`` added after the last item of the block list at ``path``, in the
    list's own indentation; every other line stays as it was. ``None`` when the list is not a
    non-empty block list whose last item ends its line."""
    root = yaml.compose(text, Loader=LOADER)
    node: yaml.Node | None = root
    for part in path:
        if not isinstance(node, yaml.MappingNode):
            return None
        node = next((v for k, v in node.value if k.value == part), None)
    if not isinstance(node, yaml.SequenceNode) or node.flow_style or not node.value:
        return None
    end = _end(node)
    if end is None:
        return None
    last, column = end
    lines = text.split("\n")
    if column >= 0 and not _TAIL.fullmatch(lines[last][column:]):
        return None
    dash = node.start_mark.column
    if lines[node.start_mark.line][dash : dash + 1] != "-":
        return None
    added: list[str] = []
    for entry in entries:
        inner = emit_mapping(entry, {}, " " * (dash + 2))
        if not inner:
            return None
        added.append(f"{' ' * dash}- {inner[0].lstrip()}")
        added.extend(inner[1:])
    lines[last + 1 : last + 1] = added
    return "\n".join(lines)
