"""Item 5 of issue 9 (the ``check`` side): no symbolic links or other non-regular files anywhere
under ``registry/`` — not in the work tree that ``rectify check`` reads (wherever a link points),
and not at the base revision that ``rectify check --base`` compares with (Git mode 120000 or a
160000 submodule entry)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from rectify.check import run_check
from rectify.diagnostics import Diagnostic
from rectify.history.base import load_registry_at
from rectify.paths import find
from tests.conftest import make_registry
from tests.git.repo import Repo
from tests.helpers import check, triples, write

HAZ = "registry/hazards/2023/HAZ-2023-00001.yaml"
PERSON = "registry/people/li-na-yjj.yaml"
RECORD = "id: li-na-yjj\nname: 李娜\norganization: city-emergency\n"


def layout(found: list[Diagnostic]) -> set[tuple[str, str, int]]:
    return {t for t in triples(found) if t[0] == "R-layout"}


def test_record_replaced_by_a_link_to_a_file_elsewhere_in_the_repo(repo: Path) -> None:
    target = repo / "docs" / "HAZ-2023-00001.yaml"
    target.parent.mkdir()
    target.write_bytes((repo / HAZ).read_bytes())
    (repo / HAZ).unlink()
    os.symlink(os.path.relpath(target, (repo / HAZ).parent), repo / HAZ)
    found = check(repo)
    assert layout(found) == {("R-layout", HAZ, 1)}
    message = next(d.message for d in found if d.rule == "R-layout")
    assert "符号链接" in message and "docs/HAZ-2023-00001.yaml" in message


def test_link_to_another_record_of_the_registry(repo: Path) -> None:
    os.symlink("zhao-lei-yjj.yaml", repo / PERSON)
    assert layout(check(repo)) == {("R-layout", PERSON, 1)}


def test_dangling_and_hidden_links(repo: Path) -> None:
    os.symlink("nowhere.yaml", repo / PERSON)
    os.symlink("../../docs/x.yaml", repo / "registry/people/.hidden.yaml")
    assert layout(check(repo)) == {("R-layout", PERSON, 1), ("R-layout", "registry/people/.hidden.yaml", 1)}


def test_linked_folder_inside_the_repository(repo: Path) -> None:
    write(repo, "elsewhere/2024/HAZ-2024-00001.yaml", "id: HAZ-2024-00001\n")
    os.symlink(repo / "elsewhere" / "2024", repo / "registry/hazards/2024")
    assert layout(check(repo)) == {("R-layout", "registry/hazards/2024", 1)}


def test_named_pipe_is_refused_without_blocking(repo: Path) -> None:
    os.mkfifo(repo / PERSON)  # opening it for reading would wait forever
    found = check(repo)
    assert layout(found) == {("R-layout", PERSON, 1)}
    assert "不是普通文件" in next(d.message for d in found if d.rule == "R-layout")


def test_registry_folder_itself_a_link(tmp_path: Path) -> None:
    root = make_registry(tmp_path / "repo")
    os.rename(root / "registry", root / "real-registry")
    os.symlink("real-registry", root / "registry")
    found = check(root)
    assert layout(found) == {("R-layout", "registry", 1)}


def test_regular_files_still_load(repo: Path) -> None:
    write(repo, PERSON, RECORD)
    assert check(repo) == []


# -- at the base revision ----------------------------------------------------------------------


def ratchet(root: Path, base: str) -> list[Diagnostic]:
    paths = find(root)
    found = run_check(paths, dt.date(2023, 11, 1), base=load_registry_at(paths, base)).diagnostics
    return [d for d in found if d.rule == "G-ratchet"]


def test_link_at_the_base_is_refused(tmp_path: Path) -> None:
    repo = Repo(make_registry(tmp_path / "repo"))
    write(repo.root, "docs/HAZ-2023-00001.yaml", (repo.root / HAZ).read_text(encoding="utf-8"))
    (repo.root / HAZ).unlink()
    os.symlink("../../../docs/HAZ-2023-00001.yaml", repo.root / HAZ)
    base = repo.commit("记录换成符号链接（绕过检查合入）")
    assert repo.git("ls-tree", base, "--", HAZ).startswith("120000")
    (repo.root / HAZ).unlink()
    (repo.root / HAZ).write_bytes((repo.root / "docs/HAZ-2023-00001.yaml").read_bytes())
    found = ratchet(repo.root, base)
    assert [(d.file, d.line) for d in found] == [(HAZ, 1)], [d.message for d in found]
    assert "符号链接" in found[0].message


def test_submodule_entry_at_the_base_is_refused(tmp_path: Path) -> None:
    repo = Repo(make_registry(tmp_path / "repo"))
    first = repo.commit("基准")
    sub = "registry/hazards/2023/HAZ-2023-00002.yaml"
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{first},{sub}")
    repo.git("-c", "user.name=x", "-c", "user.email=x@example.org", "commit", "-q", "-m", "子模块")
    base = repo.git("rev-parse", "HEAD")
    found = ratchet(repo.root, base)
    assert [(d.file, d.line) for d in found] == [(sub, 1)], [d.message for d in found]
    assert "子模块" in found[0].message


def test_base_registry_folder_a_link_is_refused(tmp_path: Path) -> None:
    repo = Repo(make_registry(tmp_path / "repo"))
    os.rename(repo.root / "registry", repo.root / "real-registry")
    os.symlink("real-registry", repo.root / "registry")
    base = repo.commit("登记册目录换成符号链接")
    found = ratchet(repo.root, base)
    assert ("G-ratchet", "registry", 1) in triples(found), [d.message for d in found]
