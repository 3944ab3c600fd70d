"""No symlinks, submodules or other non-regular files under registry/ (issue 9, item 5, the
verify-signatures side): not at head, not in any commit of the range, even when signed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rectify.history.signatures import verify
from rectify.paths import find
from tests.git.repo import Key, Repo
from tests.security.history import HAZ, signed_base


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Repo, dict[str, Key], str]:
    repo, keys = signed_base(tmp_path)
    (repo.root / "notes").mkdir()
    (repo.root / "notes" / "HAZ.yaml").write_text(
        (repo.root / HAZ).read_text(encoding="utf-8"), encoding="utf-8"
    )
    repo.commit("登记册以外的文件", keys["sun"], repo.author("sun-hao-yjj"))
    return repo, keys, repo.git("rev-parse", "HEAD")


def link(repo: Repo, rel: str, target: str) -> None:
    path = repo.root / rel
    if path.is_dir() and not path.is_symlink():
        for child in sorted(path.rglob("*"), reverse=True):
            child.unlink() if child.is_file() else child.rmdir()
        path.rmdir()
    elif path.exists() or path.is_symlink():
        path.unlink()
    os.symlink(target, path)


def found(repo: Repo, base: str) -> list[tuple[str, str]]:
    return [(d.file, d.message) for d in verify(find(repo.root), base).diagnostics]


def test_record_replaced_by_a_signed_symlink(setup: tuple[Repo, dict[str, Key], str]) -> None:
    repo, keys, base = setup
    link(repo, HAZ, "../../../notes/HAZ.yaml")
    commit = repo.commit("换成链接", keys["wang"], repo.author("wang-qiang-qy"))
    result = found(repo, base)
    assert [f for f, _ in result] == [HAZ]
    assert "符号链接" in result[0][1] and commit[:10] in result[0][1]


def test_symlink_only_inside_the_range(setup: tuple[Repo, dict[str, Key], str]) -> None:
    repo, keys, base = setup
    link(repo, "registry/people/li-si.yaml", "../../notes/HAZ.yaml")
    commit = repo.commit("加链接", keys["wang"], repo.author("wang-qiang-qy"))
    (repo.root / "registry/people/li-si.yaml").unlink()
    repo.commit("删链接", keys["wang"], repo.author("wang-qiang-qy"))
    result = found(repo, base)
    assert [f for f, _ in result] == ["registry/people/li-si.yaml"] and commit[:10] in result[0][1]


def test_folder_replaced_by_a_symlink(setup: tuple[Repo, dict[str, Key], str]) -> None:
    repo, keys, base = setup
    (repo.root / "elsewhere").mkdir()
    for person in (repo.root / "registry/people").iterdir():
        (repo.root / "elsewhere" / person.name).write_bytes(person.read_bytes())
    link(repo, "registry/people", "../elsewhere")
    repo.commit("人员目录换成链接", keys["sun"], repo.author("sun-hao-yjj"))
    assert [f for f, _ in found(repo, base)] == ["registry/people"]


def test_submodule_in_the_registry(setup: tuple[Repo, dict[str, Key], str]) -> None:
    repo, keys, base = setup
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{base},registry/vendor")
    repo.git("-c", "gpg.format=ssh", "-c", f"user.signingkey={keys['sun'].private}",
             "-c", "user.name=孙浩", "-c", "user.email=sun-hao-yjj@huaibei.example.gov.cn",
             "commit", "-q", "-S", "-m", "子模块")  # fmt: skip
    result = found(repo, base)
    assert [f for f, _ in result] == ["registry/vendor"] and "子模块" in result[0][1]


def test_symlink_already_at_the_base_is_still_refused_at_head(
    setup: tuple[Repo, dict[str, Key], str],
) -> None:
    repo, keys, _base = setup
    link(repo, "registry/people/li-si.yaml", "../../notes/HAZ.yaml")
    base = repo.commit("加链接", keys["wang"], repo.author("wang-qiang-qy"))
    (repo.root / "notes" / "HAZ.yaml").write_text("id: changed\n", encoding="utf-8")
    repo.commit("改登记册以外的文件（未签名）")
    result = found(repo, base)
    assert [f for f, _ in result] == ["registry/people/li-si.yaml"] and "由" not in result[0][1]
