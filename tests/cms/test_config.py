"""The web form's configuration is generated from the schemas: every field, label and choice."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from rectify import cms
from rectify.check import build_registry
from rectify.fields import OBJECT, Field, record_fields
from rectify.paths import find
from rectify.schema import KINDS
from tests.conftest import REPO


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    registry, _, _ = build_registry(find(REPO))
    files = cms.site_files(registry, current_year=2026)
    assert set(files) == {"admin/index.html", "admin/config.yml"}
    assert b'src="../assets/vendor/decap-cms/decap-cms.js"' in files["admin/index.html"]
    loaded: dict[str, Any] = yaml.safe_load(files["admin/config.yml"])
    return loaded


def _by_name(fields: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in fields}


def test_backend_editorial_workflow_and_local_mode(config: dict[str, Any]) -> None:
    assert config["backend"]["name"] == "github"
    assert config["backend"]["repo"] == "huaibei-safety/rectify"
    assert config["backend"]["branch"] == "main"
    assert config["publish_mode"] == "editorial_workflow"
    assert config["local_backend"] is True
    assert config["locale"] == "zh_Hans"


def test_one_collection_per_kind_and_year(config: dict[str, Any]) -> None:
    names = [c["name"] for c in config["collections"]]
    assert names[:2] == ["hazard-2026", "hazard-2023"]
    assert {"inspection-2026", "inspection-2023", "action-2023", "enterprise", "person", "campaign"} <= set(
        names
    )
    for collection in config["collections"]:
        kind, _, year = collection["name"].partition("-")
        folder = "registry/" + cms.FOLDER_OF[kind] + (f"/{year}" if year else "")
        assert collection["folder"] == folder
        assert collection["slug"] == "{{fields.id}}" and collection["identifier_field"] == "id"
        assert collection["extension"] == "yaml" and collection["delete"] is False


def _check_fields(
    form: dict[str, dict[str, Any]], schema_field: Field, optional_above: bool, where: str
) -> None:
    for child in schema_field.children:
        entry = form.get(child.name)
        assert entry is not None, f"{where}.{child.name} 不在表单中"
        assert entry["label"] == child.title, where
        assert entry.get("hint", "").startswith(child.description), where
        required = child.required and not optional_above
        assert entry.get("required", True) is required, f"{where}.{child.name}"
        if child.enum:
            assert entry["widget"] == "select"
            assert [(o["value"], o["label"]) for o in entry["options"]] == list(child.labels.items())
        if child.type == OBJECT:
            assert entry["widget"] == "object"
            _check_fields(
                _by_name(entry["fields"]),
                child,
                optional_above or not child.required,
                f"{where}.{child.name}",
            )


@pytest.mark.parametrize("kind", cms.FORM_KINDS)
def test_every_schema_field_is_in_the_form(config: dict[str, Any], kind: str) -> None:
    from rectify.schema import Schemas

    schemas = Schemas(REPO / "schemas")
    collection = next(c for c in config["collections"] if c["name"].split("-")[0] == kind)
    _check_fields(_by_name(collection["fields"]), record_fields(schemas, kind), False, kind)


def test_relation_widgets_point_to_collections(config: dict[str, Any]) -> None:
    hazard = _by_name(next(c for c in config["collections"] if c["name"] == "hazard-2023")["fields"])
    assert hazard["enterprise"]["widget"] == "relation"
    assert hazard["enterprise"]["collection"] == "enterprise"
    assert _by_name(hazard["rectification"]["fields"])["acceptor"]["collection"] == "person"
    assert hazard["found"]["widget"] == "object"
    assert _by_name(hazard["found"]["fields"])["date"]["format"] == "YYYY-MM-DD"
    names = {c["name"] for c in config["collections"]}
    for collection in config["collections"]:
        for field in collection["fields"]:
            if field.get("widget") == "relation":
                assert field["collection"] in names


def test_every_kind_is_offered_except_the_singletons() -> None:
    assert set(cms.FORM_KINDS) == set(KINDS) - {"jurisdiction", "standards", "calendar"}


def test_no_form_without_a_repository(repo: Any) -> None:
    registry, _, _ = build_registry(find(repo))  # the base test registry names no forge.repo
    assert cms.site_files(registry, current_year=2026) == {}
