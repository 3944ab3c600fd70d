"""The benchmark's fast signer makes commits git itself accepts as signed (``%G?`` = ``G``, through
``ssh-keygen``), and ``verify-signatures`` reads them as it reads commits made by ``git commit -S``."""

from __future__ import annotations

from pathlib import Path

from rectify.history.signatures import verify
from rectify.paths import find
from tests.benchmarks.signed_history import append_commits
from tests.conftest import make_registry
from tests.git.repo import Repo, keygen

HAZ = "registry/hazards/2023/HAZ-2023-00001.yaml"


def _repo(tmp_path: Path) -> tuple[Repo, str]:
    repo = Repo(make_registry(tmp_path / "repo"))
    repo.register("wang-qiang-qy", keygen(tmp_path / "keys", "wang"))
    return repo, repo.commit("基准")


def test_fast_signed_commits_pass_git_and_rectify(tmp_path: Path) -> None:
    repo, base = _repo(tmp_path)
    key = keygen(tmp_path / "keys", "wang")
    text = (repo.root / HAZ).read_text(encoding="utf-8")
    texts = [text + f"  - date: 2023-10-11\n    note: 第 {n} 次\n    by: wang-qiang-qy\n" for n in range(3)]
    head = append_commits(repo.root, HAZ, texts, key, repo.author("wang-qiang-qy"))
    allowed = tmp_path / "allowed"
    allowed.write_text(f'wang-qiang-qy namespaces="git" {key.public}\n', encoding="utf-8")
    marks = repo.git(
        "-c", f"gpg.ssh.allowedSignersFile={allowed}", "log", "--format=%G? %GK", f"{base}..HEAD"
    )
    assert marks.splitlines() == [f"G {key.fingerprint}"] * 3
    assert repo.git("rev-parse", "HEAD") == head
    assert (repo.root / HAZ).read_text(encoding="utf-8") == texts[-1]
    result = verify(find(repo.root), base)
    assert (result.checked, result.diagnostics) == (3, [])


def test_a_key_nobody_registered_is_caught(tmp_path: Path) -> None:
    repo, base = _repo(tmp_path)
    stranger = keygen(tmp_path / "keys", "stranger")
    text = (repo.root / HAZ).read_text(encoding="utf-8")
    append_commits(repo.root, HAZ, [text + "# 改动\n"], stranger, repo.author("wang-qiang-qy"))
    result = verify(find(repo.root), base)
    assert result.checked == 1
    assert [(d.rule, d.file) for d in result.diagnostics] == [("G-signed", HAZ)]
    assert stranger.fingerprint in result.diagnostics[0].message
