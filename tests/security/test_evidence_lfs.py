"""Attachments are stored by Git LFS: in a real repository with ``git lfs install --local`` and
the ``.gitattributes`` that ``rectify evidence lfs`` writes, Git stores pointers (``git lfs
ls-files`` lists the files, ``git cat-file`` shows a pointer), and a clone that did not fetch the
content gets a warning from ``check``, not a crash or an error."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.evidence.images import photo
from tests.git.repo import GIT_ENV
from tests.helpers import check, cli, explain

pytestmark = pytest.mark.skipif(
    shutil.which("git-lfs") is None, reason="git-lfs 未安装（scripts/test.sh 会安装）"
)


def git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(
        ["git", *args], cwd=repo, env=env or GIT_ENV, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, f"git {' '.join(args)}\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def test_lfs_stores_pointers_and_unfetched_content_is_a_warning(repo: Path, tmp_path: Path) -> None:
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "测试")
    git(repo, "config", "user.email", "test@example.cn")
    git(repo, "lfs", "install", "--local")
    proc = cli("--root", str(repo), "evidence", "lfs")
    assert proc.returncode == 0, explain(proc)
    assert "registry/evidence/** filter=lfs diff=lfs merge=lfs -text" in (repo / ".gitattributes").read_text()
    assert cli("--root", str(repo), "evidence", "lfs").stdout.count("已包含") == 1  # idempotent
    source = tmp_path / "after.jpg"
    source.write_bytes(photo(gps=True))
    proc = cli("--root", str(repo), "evidence", "add", "HAZ-2023-00001", str(source), "--kind", "after")
    assert proc.returncode == 0, explain(proc)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "佐证材料")

    listed = git(repo, "lfs", "ls-files", "--name-only").split()
    assert sorted(listed) == [
        "registry/evidence/HAZ-2023-00001/after-1.jpg",
        "registry/evidence/HAZ-2023-00001/after-1.thumb.jpg",
        "registry/evidence/HAZ-2023-00001/after-1.web.jpg",
    ]
    stored = git(repo, "cat-file", "-p", "HEAD:registry/evidence/HAZ-2023-00001/after-1.jpg")
    content = (repo / "registry/evidence/HAZ-2023-00001/after-1.jpg").read_bytes()
    assert stored.startswith("version https://git-lfs.github.com/spec/v1\noid sha256:")
    assert f"size {len(content)}\n" in stored
    assert git(repo, "cat-file", "-p", "HEAD:registry/hazards/2023/HAZ-2023-00001.yaml").startswith("#")

    clone = tmp_path / "clone"
    env = {**GIT_ENV, "GIT_LFS_SKIP_SMUDGE": "1"}
    git(tmp_path, "clone", "-q", str(repo), str(clone), env=env)
    assert (clone / "registry/evidence/HAZ-2023-00001/after-1.jpg").read_bytes().startswith(b"version ")
    found = [(d.rule, d.severity.value, d.file) for d in check(clone) if d.rule.startswith("V-")]
    assert found == [("V-lfs", "warning", "registry/evidence/HAZ-2023-00001/after-1.jpg")]
    assert os.path.getsize(clone / "registry/evidence/HAZ-2023-00001/after-1.jpg") < 200
