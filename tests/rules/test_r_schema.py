"""R-schema: a good and a bad record of every kind; the schemas themselves against the meta-schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from rectify.schema import KINDS, Schemas
from tests.conftest import REPO
from tests.rules.harness import case_id, cases, run_case

SCHEMAS = REPO / "schemas"


@pytest.mark.parametrize("case", cases("R-schema"), ids=case_id)
def test_r_schema(case: Path, tmp_path: Path) -> None:
    run_case(case, tmp_path)


def test_every_kind_has_a_good_and_a_bad_fixture() -> None:
    for kind in KINDS:
        for sort in ("good", "bad"):
            assert any(c.name == kind for c in cases("R-schema", sort)), f"R-schema/{sort}/{kind} 缺少"


@pytest.mark.parametrize("path", sorted(SCHEMAS.glob("*.schema.json")), ids=lambda p: p.name)
def test_schema_is_valid_against_meta_schema(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def _properties(node: object, where: str):  # type: ignore[no-untyped-def]
    if isinstance(node, dict):
        for name, sub in (node.get("properties") or {}).items():
            yield f"{where}.{name}", sub
            yield from _properties(sub, f"{where}.{name}")
        if isinstance(node.get("items"), dict):
            yield from _properties(node["items"], f"{where}[]")
        for name, sub in (node.get("$defs") or {}).items():
            yield from _properties(sub, f"{where}#{name}")


@pytest.mark.parametrize("path", sorted(SCHEMAS.glob("*.schema.json")), ids=lambda p: p.name)
def test_every_property_has_chinese_title_and_description(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    missing = []
    for where, sub in _properties(schema, path.stem):
        for key in ("title", "description"):
            text = sub.get(key, "")
            if not any("\u4e00" <= ch <= "\u9fff" for ch in text):
                missing.append(f"{where} 缺少中文 {key}")
    assert not missing, "\n".join(missing)


def test_every_enum_value_has_a_chinese_label_in_common() -> None:
    schemas = Schemas(SCHEMAS)
    enums = {name: d for name, d in schemas.defs.items() if "enum" in d}
    assert len(enums) >= 20
    for name, definition in enums.items():
        assert list(definition["x-labels"]) == definition["enum"], name
        assert all(label and label != value for value, label in definition["x-labels"].items()), name
    # enums live only in common.schema.json: kind schemas refer to them
    for path in SCHEMAS.glob("*.schema.json"):
        if path.name != "common.schema.json":
            text = path.read_text(encoding="utf-8")
            if path.name != "jurisdiction.schema.json":  # its one-value time-zone enum is not a choice
                assert '"enum"' not in text, f"{path.name} 内联了枚举"
