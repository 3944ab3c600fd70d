"""The Git history of every registry file and what each commit changed in the record, read in one
pass: one ``git log -z --raw`` (commit ids, and the blob ids of every file each commit changed),
one ``git cat-file --batch`` for the raw commit objects and one streamed ``git cat-file --batch``
for the blobs, parsed with the project's loader. Never a process per commit or per file.

Commit metadata is data, not structure: everything is read from NUL-separated output and from the
raw commit objects, so nothing an author writes (control characters in a name or a subject) can
shift a field. The date shown is the committer date (the author date is whatever the author set).

Each commit carries its signature status in the terms of Git's ``%G?``: SSH signatures are verified
in-process (:func:`rectify.history.log.check_signature`); the few others (GPG signatures of the
forge) are asked of Git in one more pass. Mapping a key to a person is left to :attr:`History.signer_of`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import re
import subprocess
import tempfile
from collections import defaultdict
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

SIGNATURE_LABELS = {
    "G": "已签名（签名有效）",
    "U": "已签名（签名有效，密钥未确认）",
    "X": "已签名（签名已过期）",
    "Y": "已签名（密钥已过期）",
    "R": "已签名（密钥已吊销）",
    "E": "已签名（无法核验）",
    "B": "签名无效",
    "N": "未签名",
}
ZERO = "0" * 40
SHANGHAI = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")  # no daylight saving since 1991
_HEX = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")
_IDENT = re.compile(rb"(.*?) <([^<>\n]*)> (-?\d+) ([+-]\d{4})\Z")
MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()  # a field absent on one side


@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    date: str  # committer date, ISO 8601 in Asia/Shanghai ("" when the object has none)
    author: str
    email: str
    signature: str  # %G?: G, U, X, Y, R, E, B or N
    signer: str  # %GS: the signer Git names (principal or UID), may be empty
    key: str  # %GK: key id or SSH fingerprint, may be empty
    subject: str  # free text nobody reviews: never shown on the public site

    @property
    def signed(self) -> bool:
        return self.signature not in ("N", "B", "")

    @property
    def signature_label(self) -> str:
        return SIGNATURE_LABELS.get(self.signature, "未知")


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One leaf of the record that differs: ``path`` as in messages, ``old``/``new`` values or
    :data:`MISSING`. Lists of records (progress, extensions) are compared item by item."""

    path: tuple[str | int, ...]
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class Revision:
    """What one commit did to one file: A (added), M (modified) or D (deleted), and the field
    changes (None when a version could not be read as a record)."""

    status: str
    old_blob: str
    new_blob: str
    changes: tuple[FieldChange, ...] | None = None


@dataclass(slots=True)
class History:
    """Commits per registry file (newest first), as paths relative to the repository root."""

    by_file: dict[str, list[Commit]] = field(default_factory=dict)
    available: bool = False
    signer_of: Callable[[Commit], str | None] = lambda commit: None  # key → person id
    revisions: dict[tuple[str, str], Revision] = field(default_factory=dict)  # (file, sha) →

    def of(self, file: str) -> list[Commit]:
        return self.by_file.get(file, [])

    def revision(self, file: str, sha: str) -> Revision | None:
        return self.revisions.get((file, sha))

    def commits(self) -> list[Commit]:
        """Every commit that touched the registry, newest first, each once."""
        seen: dict[str, Commit] = {}
        for commits in self.by_file.values():
            for commit in commits:
                seen.setdefault(commit.sha, commit)
        return sorted(seen.values(), key=lambda c: c.date, reverse=True)


def parse_log(output: bytes) -> list[tuple[str, list[tuple[str, Revision]]]]:
    """``git log -z --raw --no-abbrev --cc --format=%H`` → [(sha, [(path, revision)])], newest first.
    Tokens are NUL-separated: a commit id, then pairs of a raw line (``:`` …) and a path."""
    commits: list[tuple[str, list[tuple[str, Revision]]]] = []
    tokens = output.split(b"\0")
    i = 0
    while i < len(tokens):
        token = tokens[i].strip(b"\n").decode("ascii", "replace")
        i += 1
        if token.startswith(":") and commits and i < len(tokens):
            path = tokens[i].decode("utf-8", "surrogateescape")
            i += 1
            parents = len(token) - len(token.lstrip(":"))
            fields = token.lstrip(":").split()
            blobs = fields[parents + 1 : 2 * parents + 2]
            letters = set(fields[-1]) if fields else set()
            status = "A" if letters == {"A"} else "D" if letters == {"D"} else "M"
            old, new = (blobs[0], blobs[-1]) if blobs else (ZERO, ZERO)
            commits[-1][1].append((path, Revision(status, old, new)))
        elif _HEX.fullmatch(token):
            commits.append((token, []))
    return commits


def _ident(value: bytes) -> tuple[str, str, str]:
    """(name, email, ISO date in Asia/Shanghai) of an ``author``/``committer`` header value."""
    match = _IDENT.match(value)
    if not match:
        return value.decode("utf-8", "replace"), "", ""
    name, email, seconds, _offset = match.groups()
    try:
        when = dt.datetime.fromtimestamp(int(seconds), SHANGHAI).isoformat()
    except (OverflowError, OSError, ValueError):
        when = ""
    return name.decode("utf-8", "replace"), email.decode("utf-8", "replace"), when


def parse_commit(sha: str, raw: bytes) -> Commit:
    """A raw commit object → :class:`Commit` (signature fields filled in later). Headers end at
    the first empty line; continuation lines (signatures, merge tags) begin with a space."""
    head, _, message = raw.partition(b"\n\n")
    headers: dict[bytes, bytes] = {}
    for line in head.split(b"\n"):
        if line.startswith(b" "):
            continue
        name, _, value = line.partition(b" ")
        headers.setdefault(name, value)
    author, email, _authored = _ident(headers.get(b"author", b""))
    _name, _email, committed = _ident(headers.get(b"committer", b""))
    subject = message.split(b"\n", 1)[0].decode("utf-8", "replace")
    return Commit(sha, committed, author, email, "N", "", "", subject)


def read(root: Path, folder: str = "registry", kind_of: Callable[[str], str | None] | None = None) -> History:
    """The history of ``root/folder``; empty when ``root`` is not in Git. ``kind_of`` (a file →
    its record kind, or None for files that are not records) selects the files whose field
    changes are read; without it, every ``.yaml`` file's are."""
    from rectify.history.git import GitError, cat_blobs, run

    try:
        out = run(
            root,
            [
                "log",
                "--relative",
                "-z",
                "--raw",
                "--no-abbrev",
                "--no-renames",
                "--cc",
                "--format=%H",
                "--",
                folder,
            ],
            ["core.quotepath=off", "log.showSignature=false"],
        )
        log = parse_log(out)
        objects = cat_blobs(root, (sha for sha, _ in log))
    except (GitError, OSError, subprocess.SubprocessError):
        return History()
    by_file: dict[str, list[Commit]] = defaultdict(list)
    revisions: dict[tuple[str, str], Revision] = {}
    for sha, files in log:
        commit = parse_commit(sha, objects.get(sha, b""))
        for path, revision in files:
            by_file[path].append(commit)
            revisions[(path, sha)] = revision
    history = History(by_file=dict(by_file), available=True, revisions=revisions)
    _signatures(root, history, objects)
    wanted = kind_of or (lambda path: "" if path.endswith((".yaml", ".yml")) else None)
    with contextlib.suppress(GitError, OSError, subprocess.SubprocessError):
        _field_changes(root, history, wanted)
    return history


def _signatures(root: Path, history: History, objects: dict[str, bytes]) -> None:
    """Fill in every commit's signature status (see the module docstring)."""
    from rectify.history.git import GitError
    from rectify.history.log import _checked_by_git, check_signature

    statuses = {}
    for commit in history.commits():
        header = b"gpgsig-sha256" if len(commit.sha) == 64 else b"gpgsig"
        statuses[commit.sha] = check_signature(objects.get(commit.sha, b""), {}, header)
    by_git = [sha for sha, status in statuses.items() if status is None]
    if by_git:
        with contextlib.suppress(GitError, OSError, subprocess.SubprocessError):
            statuses.update(_checked_by_git(root, by_git, ""))
    for file, commits in history.by_file.items():
        history.by_file[file] = [
            replace(c, signature=st.signature, signer=st.principal, key=st.fingerprint)
            if (st := statuses.get(c.sha)) is not None
            else c
            for c in commits
        ]


def stream_blobs(root: Path, blobs: list[str]) -> Generator[bytes]:
    """The contents of ``blobs``, in order (empty for a missing one), from one ``git cat-file
    --batch`` read as a stream: the request list is a file, so the pipe never blocks, and memory
    holds one blob at a time."""
    if not blobs:
        return
    with tempfile.TemporaryFile() as request:
        request.write(("\n".join(blobs) + "\n").encode())
        request.seek(0)
        proc = subprocess.Popen(
            ["git", "-C", str(root), "cat-file", "--batch"], stdin=request, stdout=subprocess.PIPE
        )
        assert proc.stdout is not None
        try:
            for _blob in blobs:
                header = proc.stdout.readline().split()
                if len(header) != 3:
                    yield b""
                    continue
                data = proc.stdout.read(int(header[2]))
                proc.stdout.read(1)
                yield data
        finally:
            proc.kill()
            proc.stdout.close()
            proc.wait()


def _versions(revisions: list[tuple[str, Revision]]) -> list[str]:
    """The blobs of one file's revisions (oldest first) in the order they are read: each once in a
    row, the empty side of an addition or deletion left out."""
    order: list[str] = []
    for _sha, rev in revisions:
        for blob in (rev.old_blob, rev.new_blob):
            if blob != ZERO and (not order or order[-1] != blob):
                order.append(blob)
    return order


def _field_changes(root: Path, history: History, kind_of: Callable[[str], str | None]) -> None:
    """Every modification's field changes: one stream of the versions of every record file that
    was modified, file by file (oldest first), each version parsed once with the project's loader."""
    plan = [
        (file, [(c.sha, history.revisions[(file, c.sha)]) for c in reversed(commits)])
        for file, commits in history.by_file.items()
        if kind_of(file) is not None and any(history.revisions[(file, c.sha)].status == "M" for c in commits)
    ]  # a file only added (or deleted) has no field changes to show: its versions are not read
    contents: Generator[bytes] = stream_blobs(
        root, [blob for _file, revisions in plan for blob in _versions(revisions)]
    )
    enabled = gc.isenabled()
    gc.disable()  # as in the loader: parsing only allocates, the collector would rescan it all
    try:
        _diff_all(history, plan, contents)
    finally:
        contents.close()  # stops git if a version could not be handled
        if enabled:
            gc.enable()


def _diff_all(
    history: History, plan: list[tuple[str, list[tuple[str, Revision]]]], contents: Iterator[bytes]
) -> None:
    from rectify.load import decode, parse

    for file, revisions in plan:
        parsed: dict[str, Any] = {ZERO: MISSING}
        for blob in _versions(revisions):
            text, _problem = decode(next(contents, b""), file)
            parsed[blob] = parse(text, file)[0] if text is not None else None
        for sha, rev in revisions:
            old, new = parsed.get(rev.old_blob), parsed.get(rev.new_blob)
            changes = None if old is None or new is None else tuple(diff(old, new))
            history.revisions[(file, sha)] = replace(rev, changes=changes)


def _leaves(data: Any, prefix: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """(path, value) of a record's leaves; a list of mappings is entered item by item, a list of
    plain values is one leaf."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, (*prefix, str(key)))
    elif isinstance(data, list) and any(isinstance(item, dict | list) for item in data):
        for i, item in enumerate(data):
            yield from _leaves(item, (*prefix, i))
    else:
        yield prefix, data


def _compare(old: Any, new: Any, path: tuple[str | int, ...], out: list[FieldChange]) -> None:
    if old == new:  # equal subtrees (most of a record) are skipped in one comparison
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key, value in new.items():
            _compare(old.get(key, MISSING), value, (*path, str(key)), out)
        for key, value in old.items():
            if key not in new:
                _compare(value, MISSING, (*path, str(key)), out)
    elif isinstance(old, list) and isinstance(new, list) and (_enterable(old) or _enterable(new)):
        for i in range(max(len(old), len(new))):
            _compare(
                old[i] if i < len(old) else MISSING, new[i] if i < len(new) else MISSING, (*path, i), out
            )
    elif not (_enterable(old) or _enterable(new)):
        out.append(FieldChange(path, old, new))
    else:  # a part added, removed, or changed shape: leaf by leaf
        if old is not MISSING:
            out.extend(FieldChange(p, v, MISSING) for p, v in _leaves(old, path))
        if new is not MISSING:
            out.extend(FieldChange(p, MISSING, v) for p, v in _leaves(new, path))


def _enterable(value: Any) -> bool:
    return isinstance(value, dict) or (
        isinstance(value, list) and any(isinstance(item, dict | list) for item in value)
    )


def diff(old: Any, new: Any) -> list[FieldChange]:
    """The leaves that differ between two versions of a record, in the new version's order
    (removed fields after); a list of mappings is compared item by item."""
    if old is MISSING or new is MISSING or not isinstance(old, dict) or not isinstance(new, dict):
        return []
    out: list[FieldChange] = []
    _compare(old, new, (), out)
    return out
