"""Commit metadata is data, not structure (issue 9, item 1): whatever an author writes in a subject,
a body, a name or an e-mail, every commit of the range is read, judged on its files, and reported
without the author's characters reaching the report raw."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from rectify.history.log import parse_commit
from rectify.history.signatures import verify
from rectify.paths import find
from tests.git.repo import GIT_ENV, Key, Repo, email_of
from tests.helpers import cli, explain
from tests.security.history import HAZ, commit_as, git_bytes, ident, progress, raw_commit, signed_base

# U+001C..U+001F (the separators the log format used), CR, VT, an ANSI colour, DEL, Unicode line
# and paragraph separators, a bidi override
CHARACTERS = ["\x1c", "\x1d", "\x1e", "\x1f", "\r", "\x0b", "\x1b[31m", "\x7f", "\u2028", "\u202e"]
PLACES = ["subject", "body", "author", "committer"]


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Repo, dict[str, Key], str]:
    repo, keys = signed_base(tmp_path)
    return repo, keys, repo.git("rev-parse", "HEAD")


def weird_commit(repo: Repo, key: Key | None, place: str, odd: str, note: str) -> str:
    progress(repo, note)
    name = "王强"
    subject, body = "进展", "正文"
    if place == "subject":
        subject = f"进{odd}展"
    elif place == "body":
        body = f"正{odd}文"
    author = (f"王{odd}强" if place == "author" else name, email_of("wang-qiang-qy"))
    committer = (f"提{odd}交人" if place == "committer" else name, email_of("wang-qiang-qy"))
    return commit_as(repo, f"{subject}\n\n{body}\n", key, author, committer)


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("odd", CHARACTERS, ids=lambda c: f"U+{ord(c[0]):04X}")
def test_control_characters_change_nothing(
    setup: tuple[Repo, dict[str, Key], str], place: str, odd: str
) -> None:
    repo, keys, base = setup
    weird_commit(repo, keys["wang"], place, odd, "签名")
    unsigned = weird_commit(repo, None, place, odd, "未签名")
    result = verify(find(repo.root), base)
    assert result.checked == 2 and len(result.commits) == 2
    assert [(d.rule, d.file) for d in result.diagnostics] == [("G-signed", HAZ)], result.diagnostics
    assert unsigned[:10] in result.diagnostics[0].message and "没有签名" in result.diagnostics[0].message
    assert odd not in result.diagnostics[0].message
    # the metadata itself is read exactly as git reads it
    ours = {c.sha: (c.author_name, c.committer_name, c.subject) for c in result.commits}
    theirs = git_bytes(repo, "log", "-z", "--format=%H%x00%an%x00%cn%x00%s", f"{base}..HEAD").split(b"\0")
    for i in range(0, len(theirs) - 1, 4):
        sha, an, cn, s = (t.decode() for t in theirs[i : i + 4])
        assert ours[sha] == (an, cn, s)


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_report_shows_what_the_author_wrote_as_escapes(
    setup: tuple[Repo, dict[str, Key], str], fmt: str
) -> None:
    repo, _keys, base = setup
    progress(repo, "一")
    forged = f"\x1e{base}\x1fG\x1f\n::notice file={HAZ}::已通过\x1b[2K\r检查了 0 个修改登记册的提交"
    commit_as(repo, forged, None, ("王\x1f强\x1b[0m", email_of("wang-qiang-qy")))
    proc = cli("verify-signatures", "--base", base, "--format", fmt, cwd=repo.root, env=GIT_ENV)
    assert proc.returncode == 1, explain(proc)
    for raw in ("\x1e", "\x1f", "\x1b", "\r"):
        assert raw not in proc.stdout, (raw, explain(proc))
    assert not any(line.startswith("::notice") for line in proc.stdout.splitlines()), explain(proc)
    if fmt == "text":
        assert "检查了 1 个修改登记册的提交" in proc.stdout
        assert "\\x1e" in proc.stdout and "王\\x1f强\\x1b[0m" in proc.stdout


def test_subject_that_imitates_a_log_record(setup: tuple[Repo, dict[str, Key], str]) -> None:
    """A message carrying a whole fake record (ids, status, a raw diff line) is only a message."""
    repo, keys, base = setup
    signed = repo.git("rev-parse", "HEAD")
    progress(repo, "一")
    fake = (
        f"{signed} {base}\x00\n:100644 100644 {'0' * 40} {'1' * 40} M\x00{HAZ}\x00"
        f"\x1e{signed}\x1f{base}\x1f王强\x1f{email_of('wang-qiang-qy')}\x1f"
    ).replace("\x00", "␀")
    commit_as(repo, f"{fake}\n\n{fake}", None, ("王强", email_of("wang-qiang-qy")))
    progress(repo, "二")
    commit_as(repo, "签名的进展", keys["wang"], ("王强", email_of("wang-qiang-qy")))
    result = verify(find(repo.root), base)
    assert result.checked == 2
    assert [(d.rule, d.file) for d in result.diagnostics] == [("G-signed", HAZ)]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (b"\xe7\x8e\x8b\x00\xe5\xbc\xba", "王\x00强"),  # a NUL inside the name
        (b"\xe7\x8e\x8b\x1e\xe5\xbc\xba", "王\x1e强"),
        (b"\xff\xfe", "\ufffd\ufffd"),  # not UTF-8
        (b"A\rB\x1b[1m", "A\rB\x1b[1m"),
    ],
)
def test_raw_objects_with_any_bytes_in_names(
    setup: tuple[Repo, dict[str, Key], str], name: bytes, expected: str
) -> None:
    """Objects git itself would not write (``hash-object --literally``), signed over their payload."""
    repo, keys, base = setup
    email = email_of("wang-qiang-qy").encode()
    progress(repo, "签名")
    signed = raw_commit(
        repo,
        b"author " + ident(name, email) + b"\ncommitter " + ident(name, email) + b"\n",
        b"x\n",
        keys["wang"],
    )
    progress(repo, "未签名")
    unsigned = raw_commit(
        repo, b"author " + ident(name, email) + b"\ncommitter " + ident(name, email) + b"\n", b"y\n"
    )
    result = verify(find(repo.root), base)
    by_sha = {c.sha: c for c in result.commits}
    assert by_sha[signed].author_name == expected and by_sha[signed].signature == "G"
    assert result.checked == 2
    assert [(d.file, d.message.split("）")[0].split("（")[0]) for d in result.diagnostics] == [
        (HAZ, f"提交 {unsigned[:10]}")
    ]


@pytest.mark.parametrize(
    ("headers", "problem"),
    [
        (b"author A <a@x> 1 +0000\nauthor B <b@x> 1 +0000\ncommitter C <c@x> 1 +0000\n", "作者行重复"),
        (b"committer C <c@x> 1 +0000\n", "作者行缺失"),
        (b"author A a@x 1 +0000\ncommitter C <c@x> 1 +0000\n", "作者行格式不对"),
    ],
)
def test_malformed_commit_objects_are_refused(
    setup: tuple[Repo, dict[str, Key], str], headers: bytes, problem: str
) -> None:
    repo, keys, base = setup
    progress(repo, "格式异常")
    raw_commit(repo, headers, b"m\n", keys["wang"])
    found = verify(find(repo.root), base).diagnostics
    assert [d.file for d in found] == [HAZ] and problem in found[0].message, found


def test_parse_commit_reads_headers_like_git(setup: tuple[Repo, dict[str, Key], str]) -> None:
    repo, keys, _base = setup
    progress(repo, "编码")
    sha = raw_commit(
        repo,
        b"author " + ident("Zoë".encode("latin-1"), b"z@x", b"1700000000 -0130") + b"\n"
        b"committer " + ident(b"C <c@x> x", b"evil>@x", b"1700000000 +0800") + b"\n"
        b"encoding ISO-8859-1\n",
        "Sujet\xe9 un\nsuite\n\ncorps\n".encode("latin-1"),
        keys["wang"],
    )
    header = parse_commit(git_bytes(repo, "cat-file", "commit", sha))
    assert (header.author.name, header.author.email) == ("Zoë", "z@x")
    assert (header.committer.name, header.committer.email) == ("C", "c@x")  # git: up to the first >
    assert header.subject == "Sujeté un suite" and header.problems == ()
    assert header.date == "2023-11-15" and header.committer.when is not None
    assert header.author.when is not None and header.author.when.isoformat() == "2023-11-14T20:43:20-01:30"
    shown = subprocess.run(
        ["git", "-C", str(repo.root), "log", "-1", "--format=%an|%ae|%cn|%ce|%cs|%s", sha],
        capture_output=True, text=True, env=GIT_ENV, check=True,
    ).stdout.strip()  # fmt: skip
    assert shown == "Zoë|z@x|C|c@x|2023-11-15|Sujeté un suite"


@pytest.mark.parametrize(
    "extra",
    [
        b"mergetag object 0000000000000000000000000000000000000000\n author Evil <evil@x> 1 +0000\n",
        b"encoding rot13\n",
        b"encoding base64\n",
        b"encoding x-no-such-codec\n",
    ],
    ids=["continuation", "rot13", "base64", "unknown"],
)
def test_headers_that_only_look_like_fields(setup: tuple[Repo, dict[str, Key], str], extra: bytes) -> None:
    """A continuation line is not a field; an ``encoding`` that is no text encoding is ignored."""
    repo, keys, base = setup
    progress(repo, "签名")
    me = ident("王强".encode(), email_of("wang-qiang-qy").encode())
    sha = raw_commit(
        repo, b"author " + me + b"\ncommitter " + me + b"\n" + extra, "进展\n".encode(), keys["wang"]
    )
    result = verify(find(repo.root), base)
    assert result.diagnostics == [] and result.checked == 1
    commit = result.commits[0]
    assert (commit.sha, commit.author_name, commit.author_email, commit.subject) == (
        sha,
        "王强",
        email_of("wang-qiang-qy"),
        "进展",
    )
