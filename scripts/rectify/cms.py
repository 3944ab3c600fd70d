"""The web form (Decap CMS) generated from the JSON Schemas, so form and schema cannot drift:
one folder collection per record kind (per year for kinds kept in year folders), one file per
record named by its id, Chinese labels and help from the schemas' titles and descriptions, enum
choices from the one table of labels, and the editorial workflow (each save is a branch and a pull
request). Pure: returns the configuration and the admin page as data; the site writes them.
"""

from __future__ import annotations

from typing import Any

import yaml

from rectify.evidence import FOLDER as EVIDENCE
from rectify.evidence import RECORD_KINDS
from rectify.fields import BOOLEAN, DATE, ENUM, INTEGER, LIST, NUMBER, OBJECT, TEXT, Field, record_fields
from rectify.load import FOLDER_OF, YEAR_KINDS
from rectify.model import Registry
from rectify.schema import Schemas

EVIDENCE_KINDS = frozenset(RECORD_KINDS.values())  # records that take attachments

DECAP_VERSION = "3.16.3"
VENDOR_PATH = "assets/vendor/decap-cms/decap-cms.js"  # relative to the site root
# record kinds offered in the form, in the order staff meet them
FORM_KINDS = (
    "hazard",
    "inspection",
    "action",
    "campaign",
    "plan",
    "responsibility",
    "enterprise",
    "person",
    "organization",
    "consultation",
    "case",
    "activity",
)
COLLECTION_LABELS = {
    "hazard": "隐患台账",
    "inspection": "检查记录",
    "action": "问责与执法处置",
    "campaign": "专项整治",
    "plan": "实施方案",
    "responsibility": "责任清单与包保",
    "enterprise": "企业",
    "person": "人员",
    "organization": "机构",
    "consultation": "征求意见",
    "case": "典型案例",
    "activity": "宣传教育",
}
LONG_TEXT = frozenset(
    {
        "description",
        "emergency_plan",
        "summary",
        "note",
        "opinion",
        "reason",
        "completion",
        "problems",
        "experience",
        "outcomes",
        "institutional_outcomes",
        "outcome",
        "duty",
        "task",
    }
)
# kinds whose records can be picked from a list by the relation widget (one collection, by id)
RELATION_KINDS = frozenset({"organization", "person", "enterprise", "campaign"})
SEARCH_FIELDS = {
    "organization": ["id", "name"],
    "person": ["id", "name"],
    "enterprise": ["id", "name"],
    "campaign": ["id", "title"],
}


def _widget(field: Field, optional: bool = False) -> dict[str, Any]:
    """Decap widget options for one field (without name/label/required/hint)."""
    if field.refs and len(field.refs) == 1 and field.refs[0] in RELATION_KINDS and field.type == TEXT:
        kind = field.refs[0]
        search = SEARCH_FIELDS[kind]
        return {
            "widget": "relation",
            "collection": kind,
            "value_field": "id",
            "search_fields": search,
            "display_fields": ["{{" + search[1] + "}}（{{id}}）"],
        }
    if field.type == ENUM:
        return {
            "widget": "select",
            "options": [{"label": label, "value": code} for code, label in field.labels.items()],
        }
    if field.type == DATE:
        return {
            "widget": "datetime",
            "format": "YYYY-MM-DD",
            "date_format": "YYYY-MM-DD",
            "time_format": False,
            "picker_utc": True,
        }
    if field.type == BOOLEAN:
        return {"widget": "boolean"}  # no default: an untouched toggle writes nothing
    if field.type in (INTEGER, NUMBER):
        options: dict[str, Any] = {
            "widget": "number",
            "value_type": "int" if field.type == INTEGER else "float",
        }
        if field.minimum is not None:
            options["min"] = int(field.minimum) if field.type == INTEGER else field.minimum
        return options
    if field.type == OBJECT:
        # Decap enforces the required fields of an object even when the object itself is optional:
        # below an optional object nothing is required in the form (the check still is, on save).
        inner = optional or not field.required
        return {
            "widget": "object",
            "collapsed": inner,
            "fields": [_field(c, optional=inner) for c in field.children],
        }
    if field.type == LIST and field.item is not None:
        if field.item.type == OBJECT:
            return {"widget": "list", "fields": [_field(child) for child in field.item.children]}
        return {"widget": "list", "field": _field(field.item, name="value")}
    options = {"widget": "text" if field.name in LONG_TEXT else "string"}
    if field.pattern:
        options["pattern"] = [field.pattern, f"格式不对。{field.description}"]
    return options


def _field(field: Field, name: str | None = None, optional: bool = False) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": name or field.name, "label": field.title}
    if optional or not field.required:
        entry["required"] = False
    hint = field.description
    if field.refs and _widget(field)["widget"] != "relation":
        hint += "（填写编号）"
    if hint:
        entry["hint"] = hint
    entry.update(_widget(field, optional))
    return entry


def _collection(schemas: Schemas, kind: str, year: str | None) -> dict[str, Any]:
    record = record_fields(schemas, kind)
    folder = f"registry/{FOLDER_OF[kind]}" + (f"/{year}" if year else "")
    label = COLLECTION_LABELS[kind] + (f"（{year} 年）" if year else "")
    summary = "{{id}} {{title}}" if any(f.name == "title" for f in record.children) else "{{id}} {{name}}"
    return {
        "name": f"{kind}-{year}" if year else kind,
        "label": label,
        "label_singular": COLLECTION_LABELS[kind],
        "folder": folder,
        "create": True,
        "delete": False,  # G-ratchet: a record is never deleted
        "extension": "yaml",
        "format": "yaml",
        "identifier_field": "id",
        "slug": "{{fields.id}}",
        "summary": summary,
        "fields": [_field(child) for child in record.children],
    } | _media(kind)


def _media(kind: str) -> dict[str, Any]:
    """Uploads of a record that takes attachments go to its own folder, ``registry/evidence/<id>/``
    (Decap's ``{{slug}}`` is the record id here); the list stores bare file names."""
    if kind not in EVIDENCE_KINDS:
        return {}
    return {"media_folder": f"/registry/{EVIDENCE}/{{{{slug}}}}", "public_folder": ""}


def _evidence_widgets(fields: list[dict[str, Any]]) -> None:
    """In every ``evidence`` list, ``file`` is picked or uploaded with the file widget."""
    for entry in fields:
        inner = entry.get("fields") or []
        if entry.get("name") == "evidence":
            for sub in inner:
                if sub.get("name") == "file":
                    sub.pop("pattern", None)
                    sub.update(
                        {"widget": "file", "choose_url": False, "media_library": {"allow_multiple": False}}
                    )
        _evidence_widgets(inner)


def decap_config(
    registry: Registry,
    *,
    repo: str,
    branch: str = "main",
    site_url: str | None = None,
    local: bool = True,
    years: tuple[str, ...] = (),
) -> dict[str, Any]:
    """The ``admin/config.yml`` of the web form. Kinds kept in year folders get one collection per
    year that holds records, plus ``years`` (e.g. the current year)."""
    schemas = registry.schemas
    record_years = {
        kind: sorted(
            {doc.id.split("-")[1] for doc in registry.by_kind.get(kind, {}).values() if doc.id} | set(years)
        )
        for kind in YEAR_KINDS
    }
    collections: list[dict[str, Any]] = []
    for kind in FORM_KINDS:
        if kind in YEAR_KINDS:
            collections.extend(_collection(schemas, kind, year) for year in reversed(record_years[kind]))
        else:
            collections.append(_collection(schemas, kind, None))
    for collection in collections:
        _evidence_widgets(collection["fields"])
    config: dict[str, Any] = {
        "backend": {
            "name": "github",
            "repo": repo,
            "branch": branch,
            "commit_messages": {
                "create": "新增 {{collection}}：{{slug}}",
                "update": "修改 {{collection}}：{{slug}}",
                "delete": "删除 {{collection}}：{{slug}}",
                "openAuthoring": "{{message}}",
            },
        },
        "publish_mode": "editorial_workflow",
        "locale": "zh_Hans",
        "media_folder": "docs/assets/uploads",
        "public_folder": "/assets/uploads",
        "collections": collections,
    }
    if local:
        config["local_backend"] = True
    if site_url:
        config["site_url"] = site_url
    return config


def config_yaml(config: dict[str, Any]) -> str:
    header = "# 由 rectify 根据 schemas/ 生成，请勿手工修改。\n"
    return header + yaml.dump(config, Dumper=_NoAliases, allow_unicode=True, sort_keys=False, width=120)


class _NoAliases(yaml.SafeDumper):
    """Write repeated option lists out in full: the form's config stays readable."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


ADMIN_HTML = """<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <title>登记册在线编辑</title>
  <link rel="icon" href="../assets/images/favicon.png">
</head>
<body>
  <noscript>在线编辑需要启用 JavaScript。</noscript>
  <script src="../{vendor}"></script>
</body>
</html>
"""


def site_files(registry: Registry, *, current_year: int) -> dict[str, bytes]:
    """``admin/index.html`` and ``admin/config.yml`` for the site output, or nothing when
    ``jurisdiction.yaml`` names no ``forge.repo`` (the form would have nowhere to save)."""
    forge = (registry.jurisdiction.data.get("forge") if registry.jurisdiction else None) or {}
    repo = forge.get("repo") if isinstance(forge, dict) else None
    if not isinstance(repo, str):
        return {}
    branch = forge.get("branch") if isinstance(forge.get("branch"), str) else "main"
    config = decap_config(registry, repo=repo, branch=str(branch), years=(str(current_year),))
    return {
        "admin/index.html": ADMIN_HTML.format(vendor=VENDOR_PATH).encode("utf-8"),
        "admin/config.yml": config_yaml(config).encode("utf-8"),
    }
