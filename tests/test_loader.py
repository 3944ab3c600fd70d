"""The loader keeps data exactly as written and refuses what it cannot read safely."""

from __future__ import annotations

import os
from pathlib import Path

from rectify.load import MAX_BYTES, parse
from tests.helpers import check, triples, write

PERSON = "registry/people/li-na-yjj.yaml"


def values(text: str) -> dict[str, object]:
    data, _, problems = parse(text, "x.yaml")
    assert problems == [], problems
    assert data is not None
    return data


def test_dates_stay_iso_strings() -> None:
    data = values("date: 2023-08-28\nat: 2023-08-28 17:30\n")
    assert data == {"date": "2023-08-28", "at": "2023-08-28 17:30"}


def test_yaml11_booleans_stay_strings_as_values() -> None:
    data = values("a: yes\nb: no\nc: n\nd: on\nflag: true\nother: False\n")
    assert data == {"a": "yes", "b": "no", "c": "n", "d": "on", "flag": True, "other": False}


def test_yaml11_boolean_keys_are_refused_where_they_stand() -> None:
    text = (
        "id: x\nfound:\n  on: 2023-09-12\n  source: report\nOff: 1\n'on': quoted\nlist:\n  - {y: 1, n: 2}\n"
    )
    data, _, problems = parse(text, "x.yaml")
    got = [(d.rule, d.line, d.column, d.path) for d in problems]
    assert got == [
        ("R-bool-key", 3, 3, "found.on"),
        ("R-bool-key", 5, 1, "Off"),
        ("R-bool-key", 8, 6, "list[0].y"),
        ("R-bool-key", 8, 12, "list[0].n"),
    ]
    assert "请把键改为 date" in problems[0].message and "True" in problems[0].message
    assert "请改用含义明确的字段名" in problems[1].message and "False" in problems[1].message
    assert data is not None and data["found"] == {"date": "2023-09-12", "source": "report"}
    assert data["on"] == "quoted"  # quoted: a string in YAML 1.1 as in 1.2


def test_a_renamed_key_next_to_its_new_name_is_a_duplicate() -> None:
    _, _, problems = parse("date: 2023-09-12\non: 2023-09-13\n", "x.yaml")
    assert [(d.rule, d.line) for d in problems] == [("R-bool-key", 2), ("R-duplicate-key", 2)]


def test_numbers_with_leading_zero_or_separators_stay_strings() -> None:
    data = values(
        "code: 0561\nsexagesimal: 1:20\nunderscored: 1_000\noctal: 0o17\nint: 120000\nfloat: 1.5\nnull1: ~\nnull2:\n"
    )
    assert data == {
        "code": "0561",
        "sexagesimal": "1:20",
        "underscored": "1_000",
        "octal": "0o17",
        "int": 120000,
        "float": 1.5,
        "null1": None,
        "null2": None,
    }


def test_bom_is_accepted(repo: Path) -> None:
    (repo / PERSON).write_bytes("\ufeffid: li-na-yjj\nname: 李娜\norganization: city-emergency\n".encode())
    assert check(repo) == []


def test_duplicate_key_reports_the_second_key_and_names_the_first(repo: Path) -> None:
    write(repo, PERSON, "id: li-na-yjj\nname: 李娜\norganization: city-emergency\nname: 李娜娜\n")
    [finding] = check(repo)
    assert (finding.rule, finding.file, finding.line, finding.path) == ("R-duplicate-key", PERSON, 4, "name")
    assert "第 2 行" in finding.message


def test_gbk_file_is_refused_with_how_to_fix(repo: Path) -> None:
    (repo / PERSON).write_bytes("id: li-na-yjj\nname: 李娜\norganization: city-emergency\n".encode("gbk"))
    [finding] = check(repo)
    assert (finding.rule, finding.line) == ("R-encoding", 2)
    assert "GBK" in finding.message and "UTF-8" in finding.message


def test_oversized_file_is_refused_before_reading(repo: Path) -> None:
    path = repo / PERSON
    with path.open("w", encoding="utf-8") as handle:
        handle.write("id: li-na-yjj\nname: 李娜\norganization: city-emergency\nnote: |\n")
        line = "  " + "x" * 1000 + "\n"
        handle.write(line * (MAX_BYTES // len(line) + 1))
    assert triples(check(repo)) == {("R-limits", PERSON, 1)}


def test_symlink_leaving_the_repository_is_refused(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("id: li-na-yjj\nname: 李娜\norganization: city-emergency\n", encoding="utf-8")
    os.symlink(outside, repo / PERSON)
    os.symlink(tmp_path, repo / "registry" / "people" / "elsewhere")
    assert triples(check(repo)) == {
        ("R-layout", PERSON, 1),
        ("R-layout", "registry/people/elsewhere", 1),
    }


def test_symlink_inside_the_repository_is_refused_too(repo: Path) -> None:
    """A link is a path in Git's history but is followed here: never a record (issue 9, item 5)."""
    target = write(repo, "shared/li-na-yjj.yaml", "id: li-na-yjj\nname: 李娜\norganization: city-emergency\n")
    os.symlink(target, repo / PERSON)
    assert triples(check(repo)) == {("R-layout", PERSON, 1)}


def test_every_problem_in_a_file_is_reported_not_just_the_first(repo: Path) -> None:
    write(
        repo,
        PERSON,
        "id: li-na-yjj\nname: 李娜\norganization: city-emergency\nname: 重复\nroles: [boss]\nanonymize: yes\n"
        "contact: {phone: 0561-0000000, fax: '1'}\n",
    )
    found = triples(check(repo))
    assert found == {
        ("R-duplicate-key", PERSON, 4),
        ("R-schema", PERSON, 5),
        ("R-schema", PERSON, 6),
        ("R-schema", PERSON, 7),
    }


def test_errors_in_many_files_are_all_reported(repo: Path) -> None:
    for n in range(5):
        write(repo, f"registry/people/p{n}.yaml", f"id: p{n}\nname: 某\norganization: nowhere-{n}\n")
    found = check(repo)
    assert sorted((d.file, d.line) for d in found) == [(f"registry/people/p{n}.yaml", 3) for n in range(5)]
