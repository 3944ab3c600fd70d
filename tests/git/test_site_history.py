"""The site's per-record history: signatures read in-process (one ``git cat-file --batch``), each
commit's status as Git would give it, and the key mapped to the person it is registered to."""

from __future__ import annotations

from pathlib import Path

from rectify.history.keys import key_owners
from rectify.site.history import read
from tests.git.repo import Repo, keygen


def test_history_marks_signed_and_unsigned_commits(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    repo = Repo(tmp_path / "repo")
    key = keygen(tmp_path / "keys", "sun")
    stranger = keygen(tmp_path / "keys", "stranger")
    rel = "registry/people/sun-hao-yjj.yaml"
    repo.write(
        rel,
        {"id": "sun-hao-yjj", "name": "孙浩", "organization": "city-emergency", "signing_keys": [key.public]},
    )
    first = repo.commit("登记人员", key=key)
    repo.edit(rel, title="科员")
    second = repo.commit("未签名的修改")
    repo.edit(rel, title="副科长")
    third = repo.commit("陌生公钥签名", key=stranger)
    history = read(repo.root)
    commits = {c.sha: c for c in history.of(rel)}
    assert [c.sha for c in history.of(rel)] == [third, second, first]  # newest first
    assert (commits[first].signature, commits[first].key) == ("U", key.fingerprint)
    assert commits[first].signed and commits[first].signature_label == "已签名（签名有效，密钥未确认）"
    assert (commits[second].signature, commits[second].key) == ("N", "")
    assert not commits[second].signed
    assert (commits[third].signature, commits[third].key) == ("U", stranger.fingerprint)
    # whose key: the registry's people (here only 孙浩 registered his)
    owners = key_owners_of(repo)
    assert owners.get(commits[first].key) == "sun-hao-yjj"
    assert owners.get(commits[third].key) is None


def test_tampered_commit_is_shown_as_a_bad_signature(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    repo = Repo(tmp_path / "repo")
    key = keygen(tmp_path / "keys", "sun")
    rel = "registry/people/sun-hao-yjj.yaml"
    repo.write(rel, {"id": "sun-hao-yjj", "name": "孙浩", "organization": "city-emergency"})
    signed = repo.commit("登记人员", key=key)
    raw = repo.git("cat-file", "commit", signed)
    forged = raw.replace("登记人员", "登记人员（改过）")
    (tmp_path / "forged").write_text(forged + "\n", encoding="utf-8")
    sha = repo.git("hash-object", "-w", "-t", "commit", str(tmp_path / "forged"))
    repo.git("update-ref", "refs/heads/main", sha)
    [commit] = read(repo.root).of(rel)
    assert (commit.sha, commit.signature) == (sha, "B")
    assert not commit.signed


def key_owners_of(repo: Repo) -> dict[str, str]:
    from rectify.check import build_registry
    from rectify.paths import find

    (repo.root / "schemas").symlink_to(Path(__file__).resolve().parents[2] / "schemas")
    registry, _, _ = build_registry(find(repo.root))
    return key_owners(registry)


# -- item 1 and 12 of issue 9: metadata is data; the timeline shows field changes -------------

HAZARD = "registry/hazards/2023/HAZ-2023-00001.yaml"
CONTROL_SUBJECT = "孙浩改\x1e资金\x1f与\x1c状态\x1d\x7f见附件"  # an anonymized name and separators
CONTROL_AUTHOR = "孙浩\x1f\x1e"


def _replace(root: Path, rel: str, old: str, new: str) -> None:
    text = (root / rel).read_text(encoding="utf-8")
    assert old in text, old
    (root / rel).write_text(text.replace(old, new, 1), encoding="utf-8")


def test_control_characters_and_dates_are_read_from_the_commit_object(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    repo = Repo(tmp_path / "repo")
    rel = "registry/people/sun-hao-yjj.yaml"
    repo.write(rel, {"id": "sun-hao-yjj", "name": "孙浩", "organization": "city-emergency"})
    first = repo.commit("登记人员")
    repo.edit(rel, title="科员")
    other = "registry/people/zhao-lei-yjj.yaml"
    repo.write(other, {"id": "zhao-lei-yjj", "name": "赵磊", "organization": "city-emergency"})
    dates = {
        "GIT_AUTHOR_DATE": "2001-01-01T00:00:00+00:00",
        "GIT_COMMITTER_DATE": "2023-10-10T20:00:00+00:00",
    }
    repo.git("add", "-A")
    repo.git(
        "-c", f"user.name={CONTROL_AUTHOR}", "-c", "user.email=a\x1fb@example.cn",
        "commit", "-q", "-m", CONTROL_SUBJECT + "\n\n正文\x1e\x1f", env=dates,
    )  # fmt: skip
    second = repo.git("rev-parse", "HEAD")
    history = read(repo.root)
    assert [c.sha for c in history.of(rel)] == [second, first]
    assert [c.sha for c in history.of(other)] == [second]
    commit = history.of(other)[0]
    assert commit.subject == CONTROL_SUBJECT
    assert commit.author.startswith("孙浩")
    assert commit.date == "2023-10-11T04:00:00+08:00", "committer date, in Beijing time"
    assert history.revision(other, second).status == "A"  # type: ignore[union-attr]
    [change] = history.revision(rel, second).changes or ()  # type: ignore[union-attr]
    assert (change.path, change.new) == (("title",), "科员")


def test_field_changes_of_each_commit(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    repo = Repo(tmp_path / "repo")
    rel = "registry/hazards/2023/HAZ-2023-00009.yaml"
    repo.write(rel, {"id": "HAZ-2023-00009", "status": "open", "rectification": {"funds_cny": 100}})
    created = repo.commit("新建")
    repo.edit(rel, status="rectifying", rectification={"funds_cny": 250}, progress=[{"note": "已订购"}])
    edited = repo.commit("修改")
    (repo.root / rel).write_text("id: [unclosed\n", encoding="utf-8")
    broken = repo.commit("写坏了")
    history = read(repo.root)
    assert history.revision(rel, created).status == "A"  # type: ignore[union-attr]
    changes = {c.path: (c.old, c.new) for c in history.revision(rel, edited).changes or ()}  # type: ignore[union-attr]
    assert changes[("status",)] == ("open", "rectifying")
    assert changes[("rectification", "funds_cny")] == (100, 250)
    assert changes[("progress", 0, "note")][1] == "已订购"
    assert history.revision(rel, broken).changes is None  # type: ignore[union-attr]


def _project_in_git(tmp_path: Path) -> tuple[Path, Repo]:
    from tests.site.conftest import copy_project

    root = copy_project(tmp_path / "project")
    repo = Repo(root)
    repo.commit("初始登记")
    _replace(root, HAZARD, "  funds_cny: 260000", "  funds_cny: 275000")
    _replace(root, HAZARD, "description: ", "description: 补充：")
    repo.git("add", "-A")
    dates = {
        "GIT_AUTHOR_DATE": "2001-02-03T04:05:06+08:00",
        "GIT_COMMITTER_DATE": "2023-10-10T20:00:00+00:00",
    }
    repo.git(
        "-c", f"user.name={CONTROL_AUTHOR}", "-c", "user.email=sun@example.cn",
        "commit", "-q", "-m", CONTROL_SUBJECT, env=dates,
    )  # fmt: skip
    return root, repo


def test_public_build_is_not_frozen_by_a_commit_subject(tmp_path: Path) -> None:
    from tests.site.conftest import explain, rectify_build

    root, _repo = _project_in_git(tmp_path)
    public = rectify_build(root, "public", tmp_path / "public")
    assert public.proc.returncode == 0, explain(public.proc)
    page = (tmp_path / "public/hazards/2023/HAZ-2023-00001.html").read_text(encoding="utf-8")
    events = [e for e in page.split("<li ") if "登记册修改" in e]
    assert len(events) == 2, events
    newest = next(e for e in events if "2023-10-11" in e)  # the committer date in Beijing time
    assert "2001-02-03" not in page, "the author date is not shown"
    assert "整改落实 · 整改资金（元）：260000 → 275000" in newest
    assert "隐患描述：文字已修改" in newest
    assert "新建记录" in next(e for e in events if e is not newest)
    for unreviewed in ("孙浩", "资金\x1f", "见附件", "提交人", "提交说明"):
        assert unreviewed not in page, unreviewed
    internal = rectify_build(root, "internal", tmp_path / "internal")
    assert internal.proc.returncode == 0, explain(internal.proc)
    text = (tmp_path / "internal/hazards/2023/HAZ-2023-00001.html").read_text(encoding="utf-8")
    assert "见附件" in text and "提交人 孙浩" in text  # supervisors see the commit's own words
