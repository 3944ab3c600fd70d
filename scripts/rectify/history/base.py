"""The registry as it was at a base revision (``rectify check --base REV``), read straight from
the object database: one ``git ls-tree`` and one ``git cat-file --batch``, the work tree untouched."""

from __future__ import annotations

import gc
import posixpath

from rectify.diagnostics import Severity
from rectify.history.git import cat_blobs, ls_tree, resolve
from rectify.load import COMPANION_SUFFIXES, Document, _kind_for, decode, parse
from rectify.model import Registry
from rectify.paths import Paths
from rectify.schema import Schemas


def registry_files_at(paths: Paths, rev: str) -> dict[str, bytes]:
    """Path (relative to the repository root) → content of every file under ``registry/`` at ``rev``."""
    commit = resolve(paths.root, rev)
    folder = paths.relative(paths.registry)
    entries = ls_tree(paths.root, commit, folder)
    blobs = cat_blobs(paths.root, (blob for blob, _ in entries))
    return {path: blobs[blob] for blob, path in entries}


def documents_from(paths: Paths, files: dict[str, bytes]) -> tuple[list[Document], set[str], set[str]]:
    """Parse registry files given as bytes: (documents, files that could not be read, companions).
    Files that do not parse are left out: the base revision is context, not what is being checked."""
    folder = paths.relative(paths.registry) + "/"
    documents: list[Document] = []
    failed: set[str] = set()
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
        kind, _problem = _kind_for(tuple(rel[len(folder) :].split("/")))
        text, _error = decode(files[rel], rel)
        if kind is None or text is None:
            failed.add(rel)
            continue
        data, root, problems = parse(text, rel)
        if data is None or root is None or any(p.severity is Severity.ERROR for p in problems):
            failed.add(rel)
            if data is None or root is None:
                continue
        documents.append(Document(kind, rel, paths.root / rel, data, root))
    return documents, failed, companions


def load_registry_at(paths: Paths, rev: str, schemas: Schemas | None = None) -> Registry:
    """The schema-checked registry at ``rev``; raises :class:`~rectify.history.git.GitError` when
    ``rev`` cannot be read."""
    files = registry_files_at(paths, rev)
    schemas = schemas or Schemas(paths.schemas)
    enabled = gc.isenabled()
    gc.disable()  # as in the loader: the node trees only grow, the collector would rescan them
    try:
        documents, invalid, companions = documents_from(paths, files)
        for doc in documents:
            if schemas.validate(doc):
                invalid.add(doc.file)
        return Registry.build(documents, schemas, invalid, companions)
    finally:
        if enabled:
            gc.enable()
