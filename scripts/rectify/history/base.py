"""The registry as it was at a base revision (``rectify check --base REV``), read straight from
the object database: one ``git ls-tree`` and one ``git cat-file --batch``, the work tree untouched.

The base is judged by the base: its records are validated with the base revision's own
``schemas/`` (a pull request that tightens a schema cannot make old records drop out of the
comparison), nothing is left out because it is invalid, and what cannot be read at all — a file
that does not parse, a symbolic link, a submodule — is kept as a refusal for G-ratchet to report.
"""

from __future__ import annotations

import gc
import posixpath
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rectify.diagnostics import Diagnostic, Severity
from rectify.history.git import cat_blobs, resolve, run
from rectify.load import COMPANION_SUFFIXES, KIND_FOLDERS, _kind_for, decode, parse
from rectify.model import Document, Registry
from rectify.paths import Paths, PathsError
from rectify.schema import Schemas

REGULAR = (b"100644", b"100755")
_MODES = {b"120000": "符号链接", b"160000": "子模块（gitlink）", b"040000": "目录"}


@dataclass(slots=True)
class BaseRegistry(Registry):
    """The registry at the base revision, plus what could not be read there."""

    unreadable: dict[str, str] = field(default_factory=dict)  # file → why it cannot be compared
    refusals: list[Diagnostic] = field(default_factory=list)  # links and submodules under registry/
    note: str = ""  # why the work tree's schemas stood in for the base's, if they did


@dataclass(frozen=True, slots=True)
class Entry:
    """One ``git ls-tree`` entry: mode (100644, 120000 …), object type, object id, path."""

    mode: bytes
    kind: bytes
    oid: str
    path: str


def tree_entries(paths: Paths, rev: str, folder: str) -> list[Entry]:
    """Every entry under ``folder`` at ``rev`` with its mode, ``folder`` itself included (so a
    folder replaced by a link is seen)."""
    out = run(paths.root, ["ls-tree", "-r", "-z", "--full-tree", rev, "--", folder])
    entries = []
    for record in out.split(b"\0"):
        if record:
            meta, path = record.split(b"\t", 1)
            mode, kind, oid = meta.split()
            entries.append(Entry(mode, kind, oid.decode(), path.decode("utf-8", "surrogateescape")))
    return entries


def registry_files_at(paths: Paths, rev: str) -> dict[str, bytes]:
    """Path (relative to the repository root) → content of every regular file under ``registry/``."""
    commit = resolve(paths.root, rev)
    entries = [e for e in tree_entries(paths, commit, paths.relative(paths.registry)) if e.mode in REGULAR]
    blobs = cat_blobs(paths.root, (e.oid for e in entries))
    return {e.path: blobs[e.oid] for e in entries}


def documents_from(paths: Paths, files: dict[str, bytes]) -> tuple[list[Document], set[str], set[str]]:
    """Parse registry files given as bytes: (documents, files that could not be read, companions)."""
    documents, unreadable, companions = _documents(paths, files)
    return documents, set(unreadable), companions


def _documents(paths: Paths, files: dict[str, bytes]) -> tuple[list[Document], dict[str, str], set[str]]:
    """(documents, file → why it cannot be read, companions)."""
    folder = paths.relative(paths.registry) + "/"
    documents: list[Document] = []
    unreadable: dict[str, str] = {}
    companions: set[str] = set()
    for rel in sorted(files):
        if not rel.startswith(folder):
            continue
        suffix = posixpath.splitext(rel)[1].lower()
        if suffix in COMPANION_SUFFIXES:
            companions.add(rel)
            continue
        if suffix not in (".yaml", ".yml"):
            continue
        parts = tuple(rel[len(folder) :].split("/"))
        kind, _problem = _kind_for(parts)
        kind = kind or (KIND_FOLDERS.get(parts[0]) if len(parts) > 1 else None)  # misplaced: still compared
        text, error = decode(files[rel], rel)
        if text is None:
            unreadable[rel] = error.message if error else "无法解码"
            continue
        data, root, problems = parse(text, rel)
        if data is None or root is None:
            unreadable[rel] = problems[0].message if problems else "无法解析"
            continue
        if kind is None:
            unreadable[rel] = "不在任何记录类型的目录中"
            continue
        documents.append(Document(kind, rel, str(paths.root / rel), data, text))
    return documents, unreadable, companions


def schemas_at(paths: Paths, commit: str) -> tuple[Schemas, str]:
    """The base revision's own schemas, and a note (empty when they were used) saying why the
    work tree's stand in: the base has no ``schemas/`` folder, or its schemas cannot be read."""
    folder = paths.relative(paths.schemas)
    entries = [
        e for e in tree_entries(paths, commit, folder) if e.mode in REGULAR and e.path.endswith(".json")
    ]
    if not entries:
        return Schemas(paths.schemas), f"基准版本中没有 {folder}/，基准记录改用当前工作区的 schema 读取"
    blobs = cat_blobs(paths.root, (e.oid for e in entries))
    with tempfile.TemporaryDirectory(prefix="rectify-base-schemas-") as tmp:
        for entry in entries:
            target = Path(tmp) / entry.path[len(folder) + 1 :]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(blobs[entry.oid])
        try:
            return Schemas(Path(tmp)), ""
        except PathsError as exc:
            note = f"基准版本的 {folder}/ 无法使用（{exc}），基准记录改用当前工作区的 schema 读取"
            return Schemas(paths.schemas), note


def load_registry_at(paths: Paths, rev: str, schemas: Schemas | None = None) -> BaseRegistry:
    """The registry at ``rev``, validated with ``rev``'s own schemas (or ``schemas`` when given);
    raises :class:`~rectify.history.git.GitError` when ``rev`` cannot be read."""
    commit = resolve(paths.root, rev)
    registry_folder = paths.relative(paths.registry)
    entries = tree_entries(paths, commit, registry_folder)
    refusals = [_refusal(e) for e in entries if e.mode not in REGULAR]
    regular = [e for e in entries if e.mode in REGULAR]
    blobs = cat_blobs(paths.root, (e.oid for e in regular))
    files = {e.path: blobs[e.oid] for e in regular}
    note = ""
    if schemas is None:
        schemas, note = schemas_at(paths, commit)
    enabled = gc.isenabled()
    gc.disable()  # as in the loader: the node trees only grow, the collector would rescan them
    try:
        documents, unreadable, companions = _documents(paths, files)
        invalid = set(unreadable)
        for doc in documents:
            if schemas.validate(doc):
                invalid.add(doc.file)
        registry = BaseRegistry.build(documents, schemas, invalid, companions)
        assert isinstance(registry, BaseRegistry)
        registry.unreadable, registry.refusals, registry.note = unreadable, refusals, note
        return registry
    finally:
        if enabled:
            gc.enable()


def _refusal(entry: Entry) -> Diagnostic:
    what = _MODES.get(entry.mode, f"特殊文件（模式 {entry.mode.decode()}）")
    return Diagnostic(
        "G-ratchet",
        Severity.ERROR,
        entry.path,
        1,
        1,
        "",
        f"基准版本中 {entry.path} 是{what}，不是普通文件：登记册内不允许符号链接和子模块，基准版本的这一内容"
        "无法比较。请由管理员在目标分支上把它换成普通文件（或删除）后再合并本变更",
    )
