"""The sample registry passes; a copy with planted mistakes reports each one at its line."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import yaml

from rectify.check import run_check
from rectify.diagnostics import Severity
from rectify.load import FOLDER_OF
from rectify.model import Registry
from rectify.paths import find
from rectify.rules import RULES
from tests.conftest import REPO
from tests.helpers import check, cli, explain, triples


def test_sample_registry_is_clean() -> None:
    proc = cli("--root", str(REPO), "check", "--today", "2023-12-31")
    assert proc.returncode == 0, explain(proc)
    assert "0 个错误" in proc.stdout or "未发现问题" in proc.stdout, explain(proc)


def test_sample_registry_is_large_enough() -> None:
    counts = {d.name: sum(1 for _ in d.rglob("*.yaml")) for d in (REPO / "registry").iterdir() if d.is_dir()}
    minimum = {
        "organizations": 25,
        "people": 40,
        "enterprises": 30,
        "campaigns": 5,
        "inspections": 20,
        "hazards": 60,
    }
    for folder, least in minimum.items():
        assert counts.get(folder, 0) >= least, f"{folder}: {counts.get(folder, 0)} < {least}"
    for folder in ("plans", "responsibilities", "actions", "cases", "activities", "consultations"):
        assert counts.get(folder, 0) >= 1, folder


def _plant(root: Path, rel: str, old: str, new: str) -> int:
    """Replace the first line starting with ``old`` (after indentation) by ``new``; return its number."""
    path = root / rel
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for number, line in enumerate(lines, 1):
        if line.strip().startswith(old):
            indent = line[: len(line) - len(line.lstrip())]
            lines[number - 1] = indent + new + "\n"
            path.write_text("".join(lines), encoding="utf-8")
            return number
    raise AssertionError(f"{rel} 中没有以 {old!r} 开头的行")


def test_broken_copy_reports_every_planted_error(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(REPO / "registry", root / "registry")
    shutil.copytree(REPO / "schemas", root / "schemas")
    hazards = sorted((root / "registry" / "hazards").rglob("HAZ-*.yaml"))
    rel = [h.relative_to(root).as_posix() for h in hazards[:4]]
    enterprise = sorted((root / "registry" / "enterprises").glob("*.yaml"))[0].relative_to(root).as_posix()
    person = sorted((root / "registry" / "people").glob("*.yaml"))[0].relative_to(root).as_posix()
    expected = {
        ("R-ref", rel[0], _plant(root, rel[0], "acceptor:", "acceptor: nobody-at-all")),
        ("R-schema", rel[1], _plant(root, rel[1], "status:", "status: finished")),
        ("R-date", rel[2], _plant(root, rel[2], "deadline:", "deadline: 2023-02-30")),
        ("R-schema", rel[3], _plant(root, rel[3], "self_found:", "self_found: yes")),
        ("R-schema", person, _plant(root, person, "name:", "nmae: 拼写错误")),
    }
    # …and so the required name is missing: reported where the record's mapping starts
    expected.add(("R-schema", person, _first_key_line(root / person)))
    code = enterprise.rsplit("/", 1)[1][:-5]
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    (root / enterprise).rename(root / "registry" / "enterprises" / f"{wrong}.yaml")
    enterprise_line = _plant(root, f"registry/enterprises/{wrong}.yaml", "id:", f"id: {wrong}")
    expected.add(("R-uscc", f"registry/enterprises/{wrong}.yaml", enterprise_line))
    # the sample's own alerts and warnings (deadlines, follow-ups) are not what this test plants
    found = [d for d in check(root, today="2023-12-31") if d.severity is Severity.ERROR]
    # the renamed enterprise is also no longer found where it is referenced: those are R-ref at their lines
    unexpected = {t for t in triples(found) - expected if not (t[0] == "R-ref" and code in _line(root, t))}
    assert expected <= triples(found), sorted(expected - triples(found))
    assert unexpected == set(), sorted(unexpected)


def _line(root: Path, triple: tuple[str, str, int]) -> str:
    return (root / triple[1]).read_text(encoding="utf-8").splitlines()[triple[2] - 1]


def _first_key_line(path: Path) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.strip() and not line.lstrip().startswith("#"))


def _records(folder: str) -> dict[str, dict[str, object]]:
    out = {}
    for path in sorted((REPO / "registry" / folder).rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out[str(data["id"])] = data
    return out


def test_towns_lie_in_their_county() -> None:
    orgs = _records("organizations")
    assert orgs["duanyuan"]["parent"] == "duji" and orgs["duanyuan"]["name"] == "杜集区段园镇人民政府"
    for oid, org in orgs.items():
        if org["type"] == "town":
            county = orgs[str(org["parent"])]
            assert county["type"] in ("county", "district"), oid
            assert str(org["name"]).startswith(str(county["short_name"])), (oid, org["name"], county["name"])
    for uscc, enterprise in _records("enterprises").items():
        town, district = enterprise.get("town"), enterprise["district"]
        # a development zone (煤化工基地) lies inside a county's town; a county enterprise's town is in that county
        if town and orgs[str(district)]["type"] != "zone_committee":
            assert orgs[str(town)]["parent"] == district, (uscc, town, district)


def test_sample_is_a_multi_level_city() -> None:
    orgs = _records("organizations")
    for county in ("xiangshan", "duji", "lieshan", "suixi"):
        children = {o["type"] for o in orgs.values() if o.get("parent") == county}
        assert {"safety_office", "department", "town"} <= children, county
        party = [o for o in orgs.values() if o.get("counterpart") == county]
        assert [p["type"] for p in party] == ["party_committee"], county
        assert orgs[county]["counterpart"] == party[0]["id"]
    types = {o["type"] for o in orgs.values()}
    assert {"discipline_inspection", "inspection_office"} <= types
    members = [o for o in orgs.values() if "city-safety-committee" in (o.get("member_of") or [])]
    assert 35 <= len(members) <= 45, len(members)
    county_departments = {
        oid
        for oid, o in orgs.items()
        if o["type"] == "department" and o.get("parent") in ("suixi", "duji", "lieshan")
    }
    hazards = _records("hazards")
    assigned = {h["id"] for h in hazards.values() if h["rectification"]["department"] in county_departments}
    assert len(assigned) >= 5, assigned


def test_standard_clauses_match_the_standards() -> None:
    """GB 35181-2017 直接判定 6.1–6.10 and 工贸 第十二条 as published; hazards cite the fitting clause."""
    catalogue = yaml.safe_load((REPO / "registry" / "standards.yaml").read_text(encoding="utf-8"))
    by_id = {s["id"]: {c["id"]: c.get("summary", "") for c in s["clauses"]} for s in catalogue["standards"]}
    fire = by_id["fire-gb35181"]
    for clause, words in {"6.4": "地下室", "6.5": "安全出口", "6.6": "自动喷水", "6.7": "储罐", "6.8": "易燃易爆",
                          "6.9": "托儿所", "6.10": "彩钢夹芯板"}.items():  # fmt: skip
        assert words in fire[clause], (clause, fire[clause])
    assert "氨直接蒸发制冷" in by_id["gongmao-2023"]["第十二条"]
    hazards = _records("hazards")
    cited = {
        h["id"]: (h["basis"]["standard"], h["basis"]["clause"]) for h in hazards.values() if h.get("basis")
    }
    assert cited["HAZ-2023-00001"] == ("fire-gb35181", "6.5")
    assert cited["HAZ-2023-00002"] == ("fire-gb35181", "6.6")
    assert cited["HAZ-2023-00003"] == ("fire-gb35181", "6.10")
    for hid, (standard, clause) in cited.items():
        assert clause in by_id[standard], (hid, standard, clause)
        if (standard, clause) == ("gongmao-2023", "第十二条"):
            assert "氨直接蒸发制冷" in str(hazards[hid]["title"]), hid


def test_every_code_has_a_chinese_label() -> None:
    """Pages show labels, never the English codes: every enum of the shared definitions is labelled."""
    common = json.loads((REPO / "schemas" / "common.schema.json").read_text(encoding="utf-8"))
    for name, definition in common["$defs"].items():
        for code in definition.get("enum", []):
            assert definition.get("x-labels", {}).get(code), (name, code)


# Rules a clean sample can only pass — any finding of theirs is an error, and the sample has none. Each
# is exercised by judging what the sample holds (the predicate names it).
def _has_records_of_every_kind(registry: Registry) -> bool:
    return all(any(True for _ in registry.records(kind)) for kind in FOLDER_OF)


EXERCISED_CLEAN: dict[str, Callable[[Registry], bool]] = {
    # every file is read, decoded, parsed, placed and validated
    "R-encoding": _has_records_of_every_kind,
    "R-yaml": _has_records_of_every_kind,
    "R-duplicate-key": _has_records_of_every_kind,
    "R-limits": _has_records_of_every_kind,
    "R-layout": _has_records_of_every_kind,
    "R-schema": _has_records_of_every_kind,
    "R-bool-key": _has_records_of_every_kind,
    "R-date": lambda r: any((d.data.get("found") or {}).get("date") for d in r.records("hazard")),
    "R-ref": lambda r: len(r.references) > 1000,
    "R-uscc": lambda r: sum(1 for _ in r.records("enterprise")) >= 30,
    # every free-text field of every record is searched for personal data; the sample has none
    "R-personal": _has_records_of_every_kind,
    # the attachments under registry/evidence/ (generated images and PDFs, plain files, no GPS)
    "V-file": lambda r: len(r.evidence) >= 20,
    "V-type": lambda r: len(r.evidence) >= 20,
    "V-size": lambda r: len(r.evidence) >= 20,
    "V-lfs": lambda r: len(r.evidence) >= 20,
    "V-active": lambda r: any(key.endswith(".pdf") for key in r.evidence),
    "V-gps": lambda r: any(key.endswith(".jpg") for key in r.evidence),
    "V-closed": lambda r: any(
        d.data.get("status") == "closed"
        and d.data.get("level") == "major"
        and str((d.data.get("acceptance") or {}).get("date", "")) >= "2023-11-01"
        for d in r.records("hazard")
    ),
    "V-reply-scan": lambda r: any(
        resp.get("evidence") for d in r.records("consultation") for resp in d.data.get("responses") or []
    ),
}
# Rules the sample cannot exercise, and why (each has its own fixtures under tests/rules/fixtures/).
NOT_EXERCISED = {
    "G-ratchet": "比较两个修订版本（check --base），在真实 Git 仓库中测试",
    "G-signed": "核对提交签名（verify-signatures），在真实 Git 仓库中测试",
    "R-signing-key": "示例登记册不登记签名公钥：公钥属于真实的工作人员，本仓库自己的提交也按它们核对",
}


def test_sample_exercises_every_rule() -> None:
    result = run_check(find(REPO), dt.date(2023, 12, 31))
    fired = {d.rule for d in result.diagnostics}
    assert not [d for d in result.diagnostics if d.severity is Severity.ERROR]
    assert set(EXERCISED_CLEAN) | set(NOT_EXERCISED) <= set(RULES), "清单中有不存在的规则"
    missing = [
        rule_id
        for rule_id in RULES
        if rule_id not in NOT_EXERCISED and rule_id not in EXERCISED_CLEAN and rule_id not in fired
    ]
    assert not missing, f"示例登记册没有触发这些规则：{missing}"
    unjudged = [rule_id for rule_id, judged in EXERCISED_CLEAN.items() if not judged(result.registry)]
    assert not unjudged, f"示例登记册没有这些规则要判断的记录：{unjudged}"
