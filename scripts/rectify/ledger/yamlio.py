"""Writing records: round-trip YAML (ruamel.yaml) so that an updated file keeps its comments, key
order, quoting and layout, new keys go where the schema puts them, and a new file starts with the
schema modeline editors read. Every text produced here is read back by the registry's own loader
before it is written, and written atomically."""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import LiteralScalarString

from rectify.fields import DATE, OBJECT, Field
from rectify.ledger.emit import LOADER, append_entries, emit_mapping, remove_key, replace_scalars
from rectify.load import FOLDER_OF, YEAR_KINDS

DELETE = object()  # a change that removes the field


class Append:
    """A change that appends ``entry`` to the list at its path (made when missing)."""

    __slots__ = ("entry",)

    def __init__(self, entry: dict[str, Any]) -> None:
        self.entry = entry


Change = tuple[tuple[str | int, ...], Any]


def _represent_none(representer: RoundTripRepresenter, data: None) -> Any:
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


def make_yaml(explicit_null: bool = True) -> YAML:
    """The YAML dialect of the registry: 2-space mappings, list items indented by 2, no wrapping."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1_000_000
    yaml.indent(mapping=2, sequence=4, offset=2)
    if explicit_null:
        yaml.representer.add_representer(type(None), _represent_none)
    return yaml


def modeline(kind: str) -> str:
    depth = "../../../" if kind in YEAR_KINDS else "../../"
    return f"# yaml-language-server: $schema={depth}schemas/{kind}.schema.json\n"


def record_path(registry: Path, kind: str, record_id: str) -> Path:
    folder = registry / FOLDER_OF[kind]
    if kind in YEAR_KINDS:
        folder = folder / record_id.split("-")[1]
    return folder / f"{record_id}.yaml"


def field_at(record: Field, path: Iterable[str]) -> Field | None:
    node: Field | None = record
    for part in path:
        if node is None:
            return None
        node = next((c for c in node.children if c.name == part), None)
    return node


def to_yaml_value(field: Field | None, value: Any) -> Any:
    """Plain value → what ruamel should emit: dates as dates, multi-line text as a literal block."""
    if isinstance(value, dict):
        out = CommentedMap()
        for key, sub in value.items():
            child = field_at(field, [key]) if field is not None else None
            out[key] = to_yaml_value(child, sub)
        return out
    if isinstance(value, list):
        item = field.item if field is not None else None
        return CommentedSeq(to_yaml_value(item, v) for v in value)
    if isinstance(value, str):
        if field is not None and field.type == DATE:
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                return value
        if "\n" in value:
            return LiteralScalarString(value)
    return value


def _put(cmap: CommentedMap, key: str, value: Any, order: list[str]) -> None:
    """Set ``key``; a new key goes before the first existing key the schema lists after it."""
    if key in cmap:
        cmap[key] = value
        return
    rank = {name: i for i, name in enumerate(order)}
    mine = rank.get(key, len(order))
    position = len(cmap)
    for index, existing in enumerate(cmap):
        if rank.get(existing, len(order)) > mine:
            position = index
            break
    cmap.insert(position, key, value)


def apply_changes(text: str, record: Field, changes: list[Change], explicit_null: bool = True) -> str:
    """``text`` with each (path, value) set — removed for :data:`DELETE`, appended to for
    :class:`Append` — and nothing else touched. A mapping emptied by a removal is removed too.
    Paths may pass through list items (``extensions``, 0, ``approved_on``)."""
    yaml = make_yaml(explicit_null)
    data = yaml.load(text)
    for path, value in changes:
        node: Any = data
        parent_field: Field | None = record
        trail: list[tuple[CommentedMap, str]] = []
        for part in path[:-1]:
            if isinstance(part, int):
                node = node[part] if isinstance(node, list) and part < len(node) else None
                parent_field = parent_field.item if parent_field is not None else None
                if node is None:
                    break
                continue
            child_field = field_at(parent_field, [part]) if parent_field else None
            if part not in node or not isinstance(node[part], dict | list):
                if value is DELETE:
                    node = None
                    break
                _put(node, part, CommentedMap(), _order(parent_field))
            trail.append((node, part))
            node = node[part]
            parent_field = child_field
        if node is None:
            continue
        last = path[-1]
        assert isinstance(last, str)
        last_field = field_at(parent_field, [last]) if parent_field else None
        if isinstance(value, Append):
            item = last_field.item if last_field is not None else None
            if isinstance(node.get(last), list):
                node[last].append(to_yaml_value(item, value.entry))
            else:
                _put(node, last, to_yaml_value(last_field, [value.entry]), _order(parent_field))
            continue
        if value is DELETE:
            if last in node:
                del node[last]
            for holder, key in reversed(trail):
                if len(holder[key]) == 0:
                    del holder[key]
            continue
        _put(node, last, to_yaml_value(last_field, value), _order(parent_field))
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def edit_text(text: str, root: yaml.Node | None, record: Field, changes: list[Change]) -> str:
    """An existing record's text with ``changes`` made: removals cut the key's lines, appended
    entries go after the list's last item, one-line scalars are replaced in place, anything else
    goes through the round trip; every untouched line, comments included, stays as it was."""
    removals = [path for path, value in changes if value is DELETE]
    appends: dict[tuple[str | int, ...], list[dict[str, Any]]] = {}
    for path, value in changes:
        if isinstance(value, Append):
            appends.setdefault(path, []).append(value.entry)
    others = [
        (path, value) for path, value in changes if value is not DELETE and not isinstance(value, Append)
    ]
    edited: str | None = text
    for cut in removals:
        names = tuple(p for p in cut if isinstance(p, str))
        edited = remove_key(edited, names) if edited is not None and len(names) == len(cut) else None
    for where, entries in appends.items():
        names = tuple(p for p in where if isinstance(p, str))
        edited = (
            append_entries(edited, names, entries)
            if edited is not None and len(names) == len(where)
            else None
        )
    if edited is None:
        return apply_changes(text, record, changes)
    if not others:
        return edited
    if edited is not text:
        root = yaml.compose(edited, Loader=LOADER)
    fast = replace_scalars(edited, root, others) if isinstance(root, yaml.MappingNode) else None
    return fast if fast is not None else apply_changes(edited, record, others)


def _order(field: Field | None) -> list[str]:
    return [child.name for child in field.children] if field is not None and field.type == OBJECT else []


def render_new(
    kind: str, record: Field, data: dict[str, Any], notes: dict[tuple[str, ...], str] | None = None
) -> str:
    """A new record file: the modeline, then the fields in schema order. ``notes`` are end-of-line
    comments by field path; a field noted with a ``None`` value is written empty (a placeholder)."""
    lines = emit_mapping(_ordered(record, data), notes or {})
    return modeline(kind) + "\n".join(lines) + "\n"


def _ordered(field: Field, data: dict[str, Any]) -> dict[str, Any]:
    names = [child.name for child in field.children]
    keys = sorted(data, key=lambda k: names.index(k) if k in names else len(names))
    out: dict[str, Any] = {}
    for key in keys:
        value = data[key]
        child = field_at(field, [key])
        out[key] = _ordered(child, value) if isinstance(value, dict) and child is not None else value
    return out


def write_atomic(path: Path, text: str, made: bool = False) -> None:
    """Write through a temporary file in the same folder, then rename: never a half-written record.
    ``made``: the folder is known to exist."""
    if not made:
        path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
