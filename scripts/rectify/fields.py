"""A record kind's schema as an ordered tree of fields, each with what a form or a spreadsheet needs
to show it: Chinese title and description, value type, enum codes with their Chinese labels,
whether it is required, which record kinds it references.

Read by the Excel ledger (columns) and meant for any other editor generated from the schemas (a web
form), so that editors and schemas cannot drift apart. Pure: reads only the loaded :class:`Schemas`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from rectify.schema import Schemas

# value types of a field
TEXT, DATE, INTEGER, NUMBER, BOOLEAN, ENUM, OBJECT, LIST = (
    "text",
    "date",
    "integer",
    "number",
    "boolean",
    "enum",
    "object",
    "list",
)
TYPE_NAMES = {
    TEXT: "文本",
    DATE: "日期",
    INTEGER: "整数",
    NUMBER: "数字",
    BOOLEAN: "是/否",
    ENUM: "选项",
    OBJECT: "字段组",
    LIST: "列表",
}
KIND_NAMES = {
    "organization": "机构",
    "person": "人员",
    "enterprise": "企业",
    "campaign": "专项整治",
    "plan": "实施方案",
    "responsibility": "责任清单",
    "inspection": "检查",
    "hazard": "隐患",
    "action": "处置",
    "consultation": "征求意见",
    "case": "典型案例",
    "activity": "宣传教育活动",
    "standard": "判定标准",
}


@dataclass(frozen=True, slots=True, eq=False)
class Field:
    """One field of a record kind. ``path`` runs from the record (or, below a list, from the list
    item); ``item`` describes a list's elements, ``children`` an object's fields, in schema order."""

    path: tuple[str, ...]
    title: str
    description: str
    type: str
    required: bool
    enum: str | None = None  # name of the enum in common $defs, when it has one
    labels: dict[str, str] = field(default_factory=dict)  # code → Chinese label, in schema order
    refs: tuple[str, ...] = ()  # kinds whose ids the value names (x-ref)
    pattern: str | None = None
    minimum: float | None = None
    private: bool = False
    unique: bool = False
    item: Field | None = None
    children: tuple[Field, ...] = ()

    @property
    def name(self) -> str:
        return self.path[-1] if self.path else ""

    @property
    def key(self) -> str:
        """Dotted path: ``rectification.deadline``."""
        return ".".join(self.path)

    @property
    def scalar(self) -> bool:
        return self.type not in (OBJECT, LIST)

    def walk(self) -> Iterator[Field]:
        """This field and every field below it (list items excluded), depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


def _merged(schemas: Schemas, node: dict[str, Any]) -> dict[str, Any]:
    """The node's own keywords over those of what its ``$ref`` resolves to."""
    if "$ref" not in node:
        return node
    target = schemas.resolve(node)
    return {**target, **{k: v for k, v in node.items() if k != "$ref"}}


def _enum_name(node: dict[str, Any]) -> str | None:
    ref = node.get("$ref")
    return ref.rsplit("/", 1)[1] if isinstance(ref, str) and "#/$defs/" in ref else None


def build_field(
    schemas: Schemas, node: dict[str, Any], path: tuple[str, ...], required: bool, depth: int = 0
) -> Field:
    merged = _merged(schemas, node)
    kind = merged.get("type")
    title = str(merged.get("title") or (path[-1] if path else ""))
    description = str(merged.get("description") or "")
    common: dict[str, Any] = {
        "path": path,
        "title": title,
        "description": description,
        "required": required,
        "refs": tuple(merged.get("x-ref") or ()),
        "private": bool(merged.get("x-private")),
    }
    if "enum" in merged:
        codes = [str(v) for v in merged["enum"]]
        given = merged.get("x-labels") or {}
        labels = {code: str(given.get(code, code)) for code in codes}
        return Field(type=ENUM, enum=_enum_name(node), labels=labels, **common)
    if kind == "object" and depth < 8:
        needed = set(merged.get("required") or ())
        children = tuple(
            build_field(schemas, sub, (*path, name), name in needed, depth + 1)
            for name, sub in (merged.get("properties") or {}).items()
        )
        return Field(type=OBJECT, children=children, **common)
    if kind == "array" and isinstance(merged.get("items"), dict) and depth < 8:
        item = build_field(schemas, merged["items"], (), False, depth + 1)
        return Field(type=LIST, item=item, unique=bool(merged.get("uniqueItems")), **common)
    if merged.get("format") == "date":
        return Field(type=DATE, **common)
    if kind in ("integer", "number"):
        minimum = merged.get("minimum")
        return Field(
            type=INTEGER if kind == "integer" else NUMBER,
            minimum=float(minimum) if isinstance(minimum, int | float) else None,
            **common,
        )
    if kind == "boolean":
        return Field(type=BOOLEAN, **common)
    pattern = merged.get("pattern")
    return Field(type=TEXT, pattern=pattern if isinstance(pattern, str) else None, **common)


def record_fields(schemas: Schemas, kind: str) -> Field:
    """The whole record of ``kind`` as an object field whose children are its top-level fields."""
    root = schemas.raw[kind]
    record = build_field(schemas, root, (), True)
    return record


def describe_refs(refs: tuple[str, ...]) -> str:
    """`机构或企业`: the kinds a reference field may name, in Chinese."""
    return "或".join(KIND_NAMES.get(kind, kind) for kind in refs)
