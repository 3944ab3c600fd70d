"""The JSON Schemas of the record kinds: validation with located Chinese messages, and the facts
other stages read from the schemas (Chinese titles, enum labels, reference fields, private fields).

Valid records take the fast path (``jsonschema-rs``); only an invalid record is walked again by
``jsonschema`` to explain each error in Chinese at its line and field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import jsonschema
import jsonschema_rs
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from rectify.diagnostics import Diagnostic, Severity, format_path
from rectify.paths import PathsError
from rectify.suggest import distance

if TYPE_CHECKING:
    from rectify.model import Document

COMMON = "common.schema.json"
KINDS = (
    "organization",
    "person",
    "enterprise",
    "campaign",
    "plan",
    "responsibility",
    "inspection",
    "hazard",
    "action",
    "consultation",
    "case",
    "activity",
    "jurisdiction",
    "standards",
    "calendar",
)
ANY = None  # a pattern element matching every index of a list

_JSON_TYPES = {
    "string": "文本",
    "integer": "整数",
    "number": "数字",
    "boolean": "布尔值（true 或 false）",
    "array": "列表",
    "object": "字段映射（键: 值）",
    "null": "空值（null）",
}
_YAML11_BOOLS = frozenset({"yes", "no", "on", "off", "y", "n"})


def type_name(value: Any) -> str:
    if value is None:
        return "空白"
    if isinstance(value, bool):
        return "布尔值"
    if isinstance(value, int):
        return "整数"
    if isinstance(value, float):
        return "数字"
    if isinstance(value, str):
        return "文本"
    if isinstance(value, list):
        return "列表"
    return "字段映射"


def show(value: Any) -> str:
    """A value as a clerk typed it (YAML spelling, not Python's): “文本”、true、3、[a, b]。"""
    if value is None:
        return "（未填写）"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return f"“{value}”"
    if isinstance(value, list):
        return "[" + ", ".join(show(v) for v in value[:5]) + (", …" if len(value) > 5 else "") + "]"
    return "{" + ", ".join(f"{k}: {show(v)}" for k, v in list(value.items())[:5]) + "}"


class Hint(Protocol):
    def hint(self, value: str, kinds: tuple[str, ...]) -> str: ...


@dataclass(frozen=True, slots=True)
class FieldRef:
    """A field whose value is the id of a record of one of ``kinds`` (``x-ref`` in the schema)."""

    pattern: tuple[str | None, ...]
    kinds: tuple[str, ...]


def iter_pattern(
    data: Any, pattern: tuple[str | None, ...], prefix: tuple[str | int, ...] = ()
) -> list[tuple[tuple[str | int, ...], Any]]:
    """Every (path, value) in ``data`` matching ``pattern`` (``None`` = any list index), in
    document order. Level by level, without recursion: the registry's references are found with
    it for every record."""
    current: list[tuple[tuple[str | int, ...], Any]] = [(prefix, data)]
    for head in pattern:
        found: list[tuple[tuple[str | int, ...], Any]] = []
        if head is ANY:
            for path, node in current:
                if isinstance(node, list):
                    found.extend(((*path, i), item) for i, item in enumerate(node))
        else:
            for path, node in current:
                if isinstance(node, dict) and head in node:
                    found.append(((*path, head), node[head]))
        if not found:
            return found
        current = found
    return current


def _check_schema(schema: dict[str, Any]) -> None:
    """Against the JSON Schema 2020-12 meta-schema (jsonschema-rs: milliseconds, where the pure-Python
    check took most of a second at every start)."""
    try:
        jsonschema_rs.meta.validate(schema)
    except jsonschema_rs.ValidationError as exc:
        where = "/".join(str(p) for p in exc.instance_path) or "顶层"
        raise ValueError(f"位置 {where} 不符合 JSON Schema 2020-12 的写法") from exc


class Schemas:
    """All kind schemas of one ``schemas/`` folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.raw: dict[str, dict[str, Any]] = {}
        try:
            self.common: dict[str, Any] = json.loads((folder / COMMON).read_text(encoding="utf-8"))
            for kind in KINDS:
                self.raw[kind] = json.loads((folder / f"{kind}.schema.json").read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            where = (
                f"第 {exc.lineno} 行第 {exc.colno} 列 JSON 格式错误"
                if isinstance(exc, json.JSONDecodeError)
                else "文件无法打开"
            )
            raise PathsError(f"无法读取 schema（{folder}）：{where}") from exc
        self.defs: dict[str, Any] = self.common["$defs"]
        base = folder.resolve().as_uri() + "/"
        self._uris = {kind: base + f"{kind}.schema.json" for kind in KINDS}
        documents = {base + COMMON: self.common, **{self._uris[k]: s for k, s in self.raw.items()}}
        self._py_registry: Registry[Any] = Registry().with_resources(
            (uri, Resource.from_contents(doc, default_specification=DRAFT202012))
            for uri, doc in documents.items()
        )
        current = COMMON
        try:
            for uri, doc in documents.items():
                current = uri.rsplit("/", 1)[-1]
                _check_schema(doc)
            rs_registry = jsonschema_rs.Registry(list(documents.items()))
            self._rs = {}
            for kind in KINDS:
                current = f"{kind}.schema.json"
                self._rs[kind] = jsonschema_rs.validator_for(
                    self.raw[kind], registry=rs_registry, base_uri=self._uris[kind]
                )
        except (
            jsonschema.SchemaError,
            jsonschema_rs.ValidationError,
            jsonschema_rs.ReferencingError,
            ValueError,
        ) as exc:
            raise PathsError(f"schema 无效（{current}）：{getattr(exc, 'message', exc)}") from exc
        self._py: dict[str, Any] = {}
        self.refs: dict[str, list[FieldRef]] = {}
        self.files: dict[str, list[tuple[str | None, ...]]] = {}
        self.private: dict[str, list[tuple[str | None, ...]]] = {}
        for kind in KINDS:
            refs: list[FieldRef] = []
            files: list[tuple[str | None, ...]] = []
            private: list[tuple[str | None, ...]] = []
            self._collect(self.raw[kind], (), refs, files, private, 0)
            self.refs[kind], self.files[kind], self.private[kind] = refs, files, private

    # -- schema facts ---------------------------------------------------------------------------
    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        """Follow a ``$ref`` into the common definitions (one level is all the schemas use)."""
        ref = node.get("$ref")
        if isinstance(ref, str) and "#/$defs/" in ref:
            target: dict[str, Any] = self.defs[ref.rsplit("/", 1)[1]]
            return self.resolve(target) if "$ref" in target else target
        return node

    def _collect(
        self,
        node: dict[str, Any],
        pattern: tuple[str | None, ...],
        refs: list[FieldRef],
        files: list[tuple[str | None, ...]],
        private: list[tuple[str | None, ...]],
        depth: int,
    ) -> None:
        if depth > 20:
            return
        if "x-ref" in node:
            refs.append(FieldRef(pattern, tuple(node["x-ref"])))
        if node.get("x-file"):
            files.append(pattern)
        if node.get("x-private"):
            private.append(pattern)
        target = self.resolve(node)
        for name, sub in target.get("properties", {}).items():
            self._collect(sub, (*pattern, name), refs, files, private, depth + 1)
        if isinstance(target.get("items"), dict):
            self._collect(target["items"], (*pattern, ANY), refs, files, private, depth + 1)

    def field(self, kind: str, path: tuple[str | int, ...] | list[str | int]) -> dict[str, Any] | None:
        """The schema node of the field at ``path`` (unresolved, so its own title is kept)."""
        node: dict[str, Any] = self.raw[kind]
        for part in path:
            target = self.resolve(node)
            if isinstance(part, int):
                items = target.get("items")
                if not isinstance(items, dict):
                    return None
                node = items
            else:
                sub = target.get("properties", {}).get(part)
                if not isinstance(sub, dict):
                    return None
                node = sub
        return node

    def title(self, kind: str, path: tuple[str | int, ...] | list[str | int]) -> str | None:
        node = self.field(kind, path)
        if node is None:
            return None
        title = node.get("title") or self.resolve(node).get("title")
        return title if isinstance(title, str) else None

    def id_pattern(self, kind: str) -> re.Pattern[str] | None:
        """The pattern a record id of ``kind`` must match (from the schema's ``id`` property)."""
        node = self.field(kind, ["id"])
        pattern = self.resolve(node).get("pattern") if node else None
        return re.compile(pattern) if isinstance(pattern, str) else None

    def labels(self, name: str) -> dict[str, str]:
        """Chinese labels of the enum ``$defs/<name>`` (``x-labels``): the one table of them."""
        labels: dict[str, str] = self.defs[name]["x-labels"]
        return labels

    def label(self, name: str, value: str) -> str:
        return self.labels(name).get(value, value)

    # -- validation -----------------------------------------------------------------------------
    def is_valid(self, doc: Document) -> bool:
        return bool(self._rs[doc.kind].is_valid(doc.data))

    def validate(self, doc: Document, suggest: Hint | None = None) -> list[Diagnostic]:
        """Every schema error of ``doc``, located; empty when the record is valid. ``suggest``
        words what a malformed reference most likely meant."""
        if self._rs[doc.kind].is_valid(doc.data):
            return []
        validator = self._py.get(doc.kind)
        if validator is None:
            validator = jsonschema.Draft202012Validator(
                {"$ref": self._uris[doc.kind]}, registry=self._py_registry
            )
            self._py[doc.kind] = validator
        out: list[Diagnostic] = []
        seen: set[tuple[str, ...]] = set()
        for error in validator.iter_errors(doc.data):
            for path, message in self._explain(doc.kind, error, suggest):
                key = (repr(path), message)
                if key not in seen:
                    seen.add(key)
                    out.append(doc.diagnostic("R-schema", Severity.ERROR, path, message))
        if not out:  # the two validators disagree: still report, with jsonschema-rs's words
            for rs_error in self._rs[doc.kind].iter_errors(doc.data):
                path = list(rs_error.instance_path)
                message = f"{self.describe(doc.kind, path)}：不符合填写要求，请对照该类记录的示例修改"
                out.append(doc.diagnostic("R-schema", Severity.ERROR, path, message))
        return out

    def describe(self, kind: str, path: Sequence[str | int]) -> str:
        """`字段 rectification.deadline（整改时限）`: how messages name a field."""
        shown = format_path(path) or "记录"
        title = self.title(kind, list(path)) if path else None
        return f"字段 {shown}（{title}）" if title else f"字段 {shown}"

    def _explain(
        self, kind: str, error: Any, suggest: Hint | None = None
    ) -> Iterator[tuple[list[str | int], str]]:
        path: list[str | int] = list(error.absolute_path)
        keyword = error.validator
        schema = error.schema
        instance = error.instance
        if keyword == "required":
            for name in error.validator_value:
                if isinstance(instance, dict) and name not in instance:
                    described = self.describe(kind, [*path, name])
                    yield [*path, name], f"缺少必填{described}：请补上这一行并填写"
            return
        if keyword == "additionalProperties":
            allowed = set(schema.get("properties", {}))
            for name in instance:
                if name not in allowed:
                    choices = "、".join(sorted(allowed))
                    close = sorted(
                        (a for a in allowed if distance(str(name), a) <= 2),
                        key=lambda a: (distance(str(name), a), a),
                    )
                    guess = f"您是不是要写 {close[0]}？" if close else "可能是拼写错误；"
                    yield [*path, name], f"不认识的字段 {name}：{guess}此处可用的字段：{choices}"
            return
        name = self.describe(kind, path)
        if instance is None and keyword in ("type", "enum", "minLength", "pattern"):
            yield path, f"{name}：未填写。{self._what_to_fill(kind, path, schema)}"
            return
        if keyword == "type":
            expected = (
                error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
            )
            wanted = "或".join(str(_JSON_TYPES.get(t, t)) for t in expected)
            text = f"{name}：应为{wanted}，实为{type_name(instance)} {show(instance)}"
            if "boolean" in expected and isinstance(instance, str) and instance.lower() in _YAML11_BOOLS:
                text += "：YAML 1.1 的 yes/no/on/off 在登记册中不算布尔值，请写 true 或 false"
            elif (
                "string" in expected and isinstance(instance, int | float) and not isinstance(instance, bool)
            ):
                text += "：如需文本请加引号"
            yield path, text
        elif keyword == "enum":
            labels = schema.get("x-labels") or {}
            meant = next((k for k, label in labels.items() if label == instance), None)
            if meant is not None:
                yield path, f"{name}：“{instance}”是中文名称，这里请写它的代码 {meant}"
            else:
                yield (
                    path,
                    f"{name}：取值 {show(instance)} 无效，{self._options(schema, error.validator_value)}",
                )
        elif keyword == "pattern":
            hint = str(schema.get("description") or "请核对格式").rstrip("。")
            text = f"{name}：格式不对：{show(instance)}。{hint}。"
            node = self.field(kind, path)
            refs = node.get("x-ref") if node else None
            if suggest is not None and isinstance(refs, list) and isinstance(instance, str):
                text += suggest.hint(instance, tuple(refs))
            yield path, text
        elif keyword == "minLength":
            yield path, f"{name}：不能为空"
        elif keyword == "maxLength":
            yield path, f"{name}：不能超过 {error.validator_value} 个字符"
        elif keyword == "minItems":
            yield path, f"{name}：至少要有 {error.validator_value} 项"
        elif keyword == "uniqueItems":
            yield path, f"{name}：有重复项"
        elif keyword == "minimum":
            yield path, f"{name}：不能小于 {error.validator_value}，实为 {show(instance)}"
        elif keyword in ("maximum", "exclusiveMaximum"):
            relation = "大于" if keyword == "maximum" else "大于或等于"
            digits = len(str(abs(instance))) if isinstance(instance, int) else 0
            shown = f"一个 {digits} 位的数" if digits > 30 else show(instance)
            yield path, f"{name}：不能{relation} {error.validator_value}，实为 {shown}"
        else:
            yield path, f"{name}：不符合填写要求，请对照该类记录的示例修改"

    def _options(self, schema: dict[str, Any], values: list[Any]) -> str:
        labels = schema.get("x-labels") or {}
        return "可选：" + "、".join(f"{v}（{labels[v]}）" if v in labels else show(v) for v in values)

    def _what_to_fill(self, kind: str, path: list[str | int], schema: dict[str, Any]) -> str:
        """What an empty field wants, in words: the options, the format, or the type."""
        node = self.field(kind, path) or schema
        target = self.resolve(node)
        if isinstance(target.get("enum"), list):
            return "请填写一项，" + self._options(target, target["enum"])
        description = node.get("description") or target.get("description")
        kind_name = _JSON_TYPES.get(str(target.get("type")), "内容")
        if isinstance(description, str) and description:
            return f"请填写{kind_name}：{description}"
        return f"请填写{kind_name}，或删除这一行"
