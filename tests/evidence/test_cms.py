"""The web form uploads attachments into the record's own folder (Decap's per-collection media
settings, ``{{slug}}`` = the record id) and edits ``evidence`` lists with a file picker, wherever
the schemas allow a list (hazard, its acceptance, consultation replies, actions, inspections)."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from rectify import cms
from rectify.check import build_registry
from rectify.paths import find
from tests.conftest import REPO


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    registry, _, _ = build_registry(find(REPO))
    loaded: dict[str, Any] = yaml.safe_load(cms.site_files(registry, current_year=2026)["admin/config.yml"])
    return loaded


def _evidence_lists(fields: list[dict[str, Any]], path: str = "") -> dict[str, dict[str, Any]]:
    found = {}
    for entry in fields:
        where = f"{path}.{entry['name']}" if path else entry["name"]
        if entry["name"] == "evidence":
            found[where] = entry
        found.update(_evidence_lists(entry.get("fields") or [], where))
    return found


def test_uploads_go_to_the_records_folder(config: dict[str, Any]) -> None:
    assert config["media_folder"] == "docs/assets/uploads"  # everything else keeps the site's folder
    by_name = {c["name"]: c for c in config["collections"]}
    for name in ("hazard-2023", "hazard-2026", "consultation", "action-2023", "inspection-2023"):
        assert by_name[name]["media_folder"] == "/registry/evidence/{{slug}}", name
        assert by_name[name]["public_folder"] == "", name
        assert by_name[name]["slug"] == "{{fields.id}}"  # so {{slug}} is the record id
    for name in ("enterprise", "person", "campaign"):
        assert "media_folder" not in by_name[name]


@pytest.mark.parametrize(
    ("collection", "where"),
    [
        ("hazard-2023", "evidence"),
        ("hazard-2023", "acceptance.evidence"),
        ("consultation", "responses.evidence"),
        ("action-2023", "evidence"),
        ("inspection-2023", "evidence"),
    ],
)
def test_evidence_list_widget(config: dict[str, Any], collection: str, where: str) -> None:
    fields = next(c for c in config["collections"] if c["name"] == collection)["fields"]
    evidence = _evidence_lists(fields)[where]
    assert (evidence["widget"] == "list" and evidence["label"] == "佐证材料") or where != "evidence"
    sub = {f["name"]: f for f in evidence["fields"]}
    assert sub["file"]["widget"] == "file" and sub["file"]["media_library"] == {"allow_multiple": False}
    assert "pattern" not in sub["file"]
    assert sub["kind"]["widget"] == "select"
    assert {o["value"]: o["label"] for o in sub["kind"]["options"]}["acceptance_sheet"] == "验收单"
    assert sub["public"]["widget"] == "boolean" and sub["taken_on"]["widget"] == "datetime"
