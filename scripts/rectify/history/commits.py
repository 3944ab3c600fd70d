"""Commit objects read as data: the header fields and message of a raw commit object, parsed as
git parses them, whatever bytes an author put in a name, an e-mail or a message.

:func:`parse_commit` is the one parser; :func:`read_headers` reads many commits in one
``git cat-file --batch`` pass. ``verify-signatures`` and anything else that shows who made a
commit and when (the site's timeline) should read commits this way, never by splitting
``git log --format`` output on separator characters an author can type.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rectify.history.git import cat_blobs


@dataclass(frozen=True, slots=True)
class Ident:
    """An ``author`` or ``committer`` line of a commit object: ``Name <email> 1700000000 +0800``."""

    name: str
    email: str
    timestamp: int | None = None
    offset: str = "+0000"  # the time zone the person's clock was set to, ±HHMM

    @property
    def when(self) -> dt.datetime | None:
        """The moment, in the recorded time zone (what ``git log --date=iso`` shows)."""
        if self.timestamp is None:
            return None
        sign = -1 if self.offset.startswith("-") else 1
        minutes = int(self.offset[1:3]) * 60 + int(self.offset[3:5])
        zone = dt.timezone(dt.timedelta(minutes=sign * minutes))
        try:
            return dt.datetime.fromtimestamp(self.timestamp, zone)
        except (OverflowError, OSError, ValueError):
            return None


@dataclass(frozen=True, slots=True)
class CommitHeader:
    """What a raw commit object says, parsed as git parses it (:func:`parse_commit`)."""

    tree: str
    parents: tuple[str, ...]
    author: Ident
    committer: Ident
    message: str
    problems: tuple[str, ...] = ()  # what is malformed, in Chinese (git fsck would complain too)

    @property
    def subject(self) -> str:
        """The first paragraph of the message on one line (git's ``%s``)."""
        lines = self.message.split("\n")
        while lines and not lines[0].strip():
            lines.pop(0)
        first = []
        for line in lines:
            if not line.strip():
                break
            first.append(line.rstrip())
        return " ".join(first)

    @property
    def date(self) -> str:
        """The committer date, ``YYYY-MM-DD`` in the committer's time zone (git's ``%cs``); the
        author date is whatever the author set, the committer date is when it entered history."""
        when = self.committer.when
        return when.date().isoformat() if when else ""


_NO_IDENT = Ident("", "")


def _ident(value: bytes, encoding: str) -> Ident | None:
    """Split an ident line as git's ``split_ident_line`` does: the name up to the first ``<``,
    the e-mail up to the next ``>``, the date and zone after the last ``>``."""
    opening = value.find(b"<")
    closing = value.find(b">", opening + 1) if opening >= 0 else -1
    if closing < 0:
        return None
    name = value[:opening].rstrip()
    email = value[opening + 1 : closing]
    tail = value[value.rfind(b">") + 1 :].split()
    timestamp, offset = None, "+0000"
    if tail and tail[0].isdigit():
        timestamp = int(tail[0])
        if len(tail) > 1 and re.fullmatch(rb"[+-][0-9]{4}", tail[1]):
            offset = tail[1].decode()
    return Ident(name.decode(encoding, "replace"), email.decode(encoding, "replace"), timestamp, offset)


def parse_commit(raw: bytes) -> CommitHeader:
    """The header fields and message of a raw commit object (``git cat-file commit``). Names,
    e-mails and messages may hold any bytes: they are data, decoded with the object's
    ``encoding`` header (UTF-8 by default); a missing or repeated field is named in
    :attr:`CommitHeader.problems` rather than guessed."""
    end = raw.find(b"\n\n")
    header, body = (raw, b"") if end < 0 else (raw[:end], raw[end + 2 :])
    fields: dict[bytes, list[bytes]] = {}
    for line in header.split(b"\n"):
        if line.startswith(b" "):  # continuation of a multi-line header (gpgsig, mergetag)
            continue
        key, _, value = line.partition(b" ")
        fields.setdefault(key, []).append(value)
    encoding = "utf-8"
    if fields.get(b"encoding"):
        name = fields[b"encoding"][0].decode("ascii", "replace")
        try:
            info = codecs.lookup(name)
        except LookupError:
            info = codecs.lookup("utf-8")
        # a text encoding only: ``rot13`` and ``base64`` are codecs too
        encoding = info.name if getattr(info, "_is_text_encoding", True) else "utf-8"
    problems = []
    idents: dict[bytes, Ident] = {}
    for key, label in ((b"author", "作者"), (b"committer", "提交者")):
        values = fields.get(key, [])
        ident = _ident(values[0], encoding) if len(values) == 1 else None
        if len(values) != 1:
            problems.append(f"{label}行{'缺失' if not values else '重复'}")
        elif ident is None:
            problems.append(f"{label}行格式不对")
        idents[key] = ident or _NO_IDENT
    trees = fields.get(b"tree", [])
    if len(trees) != 1:
        problems.append("tree 行缺失或重复")
    return CommitHeader(
        trees[0].decode("ascii", "replace") if trees else "",
        tuple(p.decode("ascii", "replace") for p in fields.get(b"parent", [])),
        idents[b"author"],
        idents[b"committer"],
        body.decode(encoding, "replace"),
        tuple(problems),
    )


def read_headers(root: Path, shas: Iterable[str]) -> dict[str, CommitHeader]:
    """The parsed header of each commit, from one ``git cat-file --batch``."""
    return {sha: parse_commit(raw) for sha, raw in cat_blobs(root, shas).items()}
