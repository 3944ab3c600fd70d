"""``rectify new``: next free id, the schema modeline, placeholders the check names, values read
like ledger cells and checked before anything is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from rectify.cli import main
from tests.helpers import check

NEW = "registry/hazards/2023/HAZ-2023-00002.yaml"


def new(root: Path, *args: str) -> int:
    return main(["--root", str(root), "new", *args])


def files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in (root / "registry").rglob("*") if p.is_file()}


def test_placeholders_are_exactly_the_missing_required_fields(repo: Path) -> None:
    assert (
        new(
            repo,
            "hazard",
            "--title",
            "配电室未配备绝缘手套",
            "--district",
            "濉溪县",
            "--发现日期",
            "2023/8/28",
        )
        == 0
    )
    text = (repo / NEW).read_text(encoding="utf-8")
    assert text.startswith(
        "# yaml-language-server: $schema=../../../schemas/hazard.schema.json\nid: HAZ-2023-00002\n"
    )
    assert "district: suixi\n" in text and "# 必填：隐患点。" in text
    named = {d.path for d in check(repo, only={NEW})}
    assert named == {
        "level",
        "enterprise",
        "industry",
        "location",
        "found.source",
        "rectification.deadline",
        "status",
    }


def test_a_complete_record_passes_the_check(repo: Path) -> None:
    args = ["--level", "general", "--title", "叉车未年检", "--enterprise", "淮北市测试木业有限公司",
            "--district", "suixi", "--industry", "工贸", "--location", "成品库", "--found.date", "2023-08-28",
            "--found.source", "企业自查", "--rectification.deadline", "2023年9月30日", "--status", "待整改"]  # fmt: skip
    assert new(repo, "hazards", *args) == 0
    assert check(repo, "2023-09-01", only={NEW}) == []


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--district", "不存在县"], "找不到"),
        (["--found.date", "2023-02-30"], "不存在"),
        (["--colour", "red"], "没有字段"),
        (["--status"], "缺少值"),
    ],
)
def test_bad_values_write_nothing(
    repo: Path, capsys: pytest.CaptureFixture[str], args: list[str], said: str
) -> None:
    before = files(repo)
    assert new(repo, "hazard", *args) == 2
    assert files(repo) == before
    assert said in capsys.readouterr().err


def test_kinds_without_numbering_need_an_id(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert new(repo, "person", "--name", "李明") == 2
    assert "--id" in capsys.readouterr().err
    assert new(repo, "person", "--id", "li-ming-yjj", "--name", "李明") == 0
    assert (
        (repo / "registry/people/li-ming-yjj.yaml")
        .read_text(encoding="utf-8")
        .startswith(
            "# yaml-language-server: $schema=../../schemas/person.schema.json\nid: li-ming-yjj\nname: 李明\n"
        )
    )
    assert new(repo, "person", "--id", "li-ming-yjj", "--name", "李明") == 2  # never overwritten
