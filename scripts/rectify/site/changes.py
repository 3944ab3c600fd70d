"""What a commit changed in a record, as the timeline shows it: each changed field by its Chinese
title (from the schemas), old → new, each value as the site shows it (labels for codes, names for
references, 是/否).

The public site shows only what the registry's own rules review: no commit subject and no author
name (free text anyone can type and nobody checks), no private field's value, and no old or new
value of a free-text field (the record's current text is on the page, checked by R-personal; an
old version's text is not). The internal site shows free text too.
"""

from __future__ import annotations

import re
from typing import Any

from rectify.site.context import Site
from rectify.site.history import MISSING, FieldChange, Revision
from rectify.site.html import esc

MAX_SHOWN = 8  # changed fields listed per commit; the rest are counted (a record page stays small)
_DIGEST = re.compile(r"[0-9a-f]{40,}")  # a file's SHA-1/SHA-256: its first characters identify it


def _label(site: Site, kind: str, path: tuple[str | int, ...]) -> str:
    parts: list[str] = []
    for i, part in enumerate(path):
        if isinstance(part, int):
            parts[-1:] = [f"{parts[-1] if parts else ''}第 {part + 1} 项"]
        else:
            parts.append(site.registry.schemas.title(kind, list(path[: i + 1])) or part)
    return " · ".join(parts) or "记录"


def _private(site: Site, kind: str, path: tuple[str | int, ...]) -> bool:
    for pattern in site.registry.schemas.private.get(kind, []):
        if len(pattern) <= len(path) and all(
            (p is None and isinstance(q, int)) or p == q for p, q in zip(pattern, path, strict=False)
        ):
            return True
    return False


def _node(site: Site, kind: str, path: tuple[str | int, ...]) -> dict[str, Any]:
    node = site.registry.schemas.field(kind, list(path))
    if node is None:
        return {}
    resolved = site.registry.schemas.resolve(node)
    return {**resolved, **{k: v for k, v in node.items() if k != "$ref"}}


def _is_text(node: dict[str, Any]) -> bool:
    if node.get("type") == "array" and isinstance(node.get("items"), dict):
        return False
    return node.get("type", "string") == "string" and not any(
        k in node for k in ("pattern", "format", "enum", "const", "x-ref")
    )


def _value(site: Site, node: dict[str, Any], value: Any) -> str:
    if value is MISSING or value is None:
        return "（无）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        items = node.get("items") if isinstance(node.get("items"), dict) else {}
        item_node = {**site.registry.schemas.resolve(items), **items} if items else {}
        return "、".join(_value(site, item_node, v) for v in value) or "（空）"
    if "x-ref" in node:
        return site.name(value)
    labels = node.get("x-labels")
    if isinstance(labels, dict):
        return str(labels.get(str(value), value))
    text = str(value)
    return text[:12] + "…" if _DIGEST.fullmatch(text) else text


def _change(site: Site, kind: str, change: FieldChange) -> str:
    label = esc(_label(site, kind, change.path))
    if site.options.public and _private(site, kind, change.path):
        return f"{label}（不公开）"
    node = _node(site, kind, change.path)
    items = node.get("items") if isinstance(node.get("items"), dict) else None
    text = _is_text(node) or (
        items is not None and _is_text({**site.registry.schemas.resolve(items), **items})
    )
    if text and site.options.public:
        if change.old is MISSING:
            return f"{label}：已填写"
        if change.new is MISSING:
            return f"{label}：已删除"
        return f"{label}：文字已修改"
    return f"{label}：{esc(_value(site, node, change.old))} → {esc(_value(site, node, change.new))}"


def describe(site: Site, kind: str | None, revision: Revision | None) -> str:
    """Escaped HTML: what ``revision`` did to a record of ``kind``."""
    if revision is None or kind is None:
        return "修改了记录文件"
    if revision.status == "A":
        return "新建记录"
    if revision.status == "D":
        return "删除记录"
    if revision.changes is None:
        return "修改了记录文件（该版本无法按记录读取）"
    if not revision.changes:
        return "记录内容未变（仅改动格式或注释）"
    shown = [_change(site, kind, c) for c in revision.changes[:MAX_SHOWN]]
    more = len(revision.changes) - MAX_SHOWN
    return "修改 " + "；".join(shown) + (f"；另有 {more} 项修改" if more > 0 else "")
