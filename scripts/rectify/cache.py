"""The check's cache (``.rectify-cache/`` at the repository root, git-ignored): each registry file's
loaded, schema-checked form and the rules' per-record findings, so a check after one edit only
redoes what that edit can change.

Everything is content-addressed: a file's entry is found by a hash of its path and bytes, and the
whole cache is thrown away when its *stage key* changes (rectify's own source files and version,
the libraries that judge, the schemas). A stat shortcut (size, mtime, ctime, inode → hash, as in
Git's index) saves reading unchanged files; a file modified too recently for its mtime to be
trusted is hashed again. The folder is safe to delete at any moment; a file in it that cannot be
read back (truncated, corrupt, written by another version) is ignored and rebuilt, never trusted.
Writes go to a temporary file renamed into place, so a reader never sees half a file.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import io
import os
import pickle
import sys
import tempfile
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rectify import __version__

FOLDER = ".rectify-cache"
FORMAT = 3  # bump when the layout of what is stored changes
# Entries are sharded by the file's kind and path, so a kind can be read without the others (the
# delta check reads the small kinds whole); the large kinds are split finer.
BUCKETS = {"hazard": 1024, "inspection": 256, "enterprise": 64, "person": 16, "action": 16}
RULE_SHARDS = 32  # per rule: an edit rewrites one of them, not all the rule's findings
_MAGIC = b"rectify-cache\0" + FORMAT.to_bytes(2, "little")
RACY_NS = 3_000_000_000  # a file modified this close to the index's writing is hashed again
_JUDGING_LIBRARIES = ("pyyaml", "jsonschema", "jsonschema-rs", "chinese-calendar", "referencing")


def bucket(kind: str, rel: str) -> str:
    """The shard of a file's entries: its kind and a hash of its path."""
    return f"{kind}-{zlib.crc32(rel.encode()) % BUCKETS.get(kind, 4):04d}"


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the cache folder's lock (``lock`` in it) for the block: a second check in another
    process waits, so no check reads a snapshot half rewritten. Without ``fcntl`` (Windows), or when
    the folder cannot be made, the block runs unlocked (the cache only saves time)."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(folder / "lock", "a+b")  # noqa: SIM115 (held for the block)
    except OSError:
        yield
        return
    with handle:
        with contextlib.suppress(OSError):  # a file system without locks: unlocked, as above
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        yield


def folder_of(rel: str) -> str:
    return rel.rpartition("/")[0]


def digest(*parts: bytes) -> bytes:
    """A 16-byte BLAKE2b hash of ``parts`` (each length-prefixed, so no two sequences collide)."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.digest()


_SOURCE: bytes | None = None


def source_key() -> bytes:
    """rectify's version, every source file of the package and the judging libraries' versions:
    a developer's edit to a rule, or an upgraded library, invalidates everything cached."""
    global _SOURCE
    if _SOURCE is None:
        package = Path(__file__).resolve().parent
        parts = [__version__.encode(), sys.version.encode()]
        for name in _JUDGING_LIBRARIES:
            try:
                parts.append(f"{name}={importlib.metadata.version(name)}".encode())
            except importlib.metadata.PackageNotFoundError:
                parts.append(f"{name}=-".encode())
        for path in sorted(package.rglob("*.py")):
            parts.append(path.relative_to(package).as_posix().encode())
            parts.append(path.read_bytes())
        _SOURCE = digest(*parts)
    return _SOURCE


def stage_key(schemas: Path) -> bytes:
    """What every cached entry depends on: rectify itself and the schemas (names and bytes)."""
    parts = [source_key()]
    for path in sorted(schemas.glob("*.json")):
        parts.append(path.name.encode())
        parts.append(path.read_bytes())
    return digest(*parts)


class _PlainUnpickler(pickle.Unpickler):
    """Reads plain values only (dicts, lists, tuples, sets, text, numbers, bytes): a file that names
    any class or function is refused, so a planted cache file cannot run code."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"{module}.{name}")


def _read(path: Path, key: bytes) -> Any:
    """The object stored at ``path`` under ``key``, or None when absent, unreadable, corrupt (its
    checksum does not match) or foreign (another format or stage key)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(_MAGIC) + 32)
            if head != _MAGIC + key.ljust(32, b"\0"):
                return None
            checksum = handle.read(16)
            blob = handle.read()
        if len(checksum) != 16 or digest(blob) != checksum:
            return None
        return _PlainUnpickler(io.BytesIO(blob)).load()
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError,
            ImportError, IndexError, KeyError, MemoryError, UnicodeDecodeError, RecursionError):  # fmt: skip
        return None


def _write(path: Path, key: bytes, value: Any) -> bool:
    """Write atomically (temporary file in the same folder, then rename); a failure leaves the
    previous file or none, and is not an error: the cache only saves time. Whether it was written."""
    blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(_MAGIC + key.ljust(32, b"\0") + digest(blob))
                handle.write(blob)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        return False
    return True


class Store:
    """The cache folder of one repository, for one stage key. Loaded lazily, saved by :meth:`save`.

    ``index/``: per folder of the registry, each file's stat and content key; ``objects/``: the
    entries by content key, in shards by kind and path (:func:`bucket`); ``rules/``: the per-record
    rules' findings; ``delta/``: the last check's snapshot (:mod:`rectify.delta`), whose ``head`` is
    written last and removed by a save without a snapshot, so the index and the snapshot agree."""

    def __init__(self, folder: Path, key: bytes) -> None:
        self.folder = folder
        self.key = key
        self.started_ns = time.time_ns()
        self.index: dict[str, tuple[int, int, int, int, bytes]] = {}
        self._index_parts: dict[str, dict[str, tuple[int, int, int, int, bytes]]] = {}
        for path in sorted((folder / "index").glob("*.pickle")):
            part = _read(path, key)
            if isinstance(part, dict):
                self._index_parts[path.stem] = part
                self.index.update(part)
        self.seen: dict[str, tuple[int, int, int, int, bytes]] = {}
        self._shards: dict[str, dict[bytes, Any]] = {}
        self._dirty: set[str] = set()
        self.rules: dict[str, tuple[bytes, list[dict[bytes, Any]]]] = {}
        self._rules_dirty: set[tuple[str, int]] = set()
        self.parts: dict[str, Any] = {}  # named parts written by save (the delta snapshot)
        self._parts_dirty: set[str] = set()
        self.head: dict[str, Any] | None = None  # the snapshot's head: written last, or removed
        self._index_dirty: set[str] = set()  # index parts that change

    # -- files → content keys ---------------------------------------------------------------------
    def known(self, rel: str, stat: os.stat_result) -> bytes | None:
        """The content key recorded for ``rel`` if its stat is unchanged (and was not racy)."""
        entry = self.index.get(rel)
        if entry is None:
            return None
        if entry[:4] != (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino):
            return None
        return entry[4]

    def remember(self, rel: str, stat: os.stat_result, key: bytes) -> None:
        entry = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, key)
        self.seen[rel] = entry
        if self.index.get(rel) != entry:
            self._index_dirty.add(index_part(rel))

    # -- content-addressed entries -----------------------------------------------------------------
    def _shard(self, name: str) -> dict[bytes, Any]:
        shard = self._shards.get(name)
        if shard is None:
            loaded = _read(self.folder / "objects" / f"{name}.pickle", self.key)
            shard = loaded if isinstance(loaded, dict) else {}
            self._shards[name] = shard
        return shard

    def get(self, key: bytes, kind: str, rel: str) -> Any:
        return self._shard(bucket(kind, rel)).get(key)

    def put(self, key: bytes, value: Any, kind: str, rel: str) -> None:
        name = bucket(kind, rel)
        self._shard(name)[key] = value
        self._dirty.add(name)

    def touch(self, kind: str, rel: str) -> None:
        """Mark the entry's shard for rewriting (an entry learned more, e.g. positions)."""
        self._dirty.add(bucket(kind, rel))

    # -- named parts (the delta snapshot) -----------------------------------------------------------
    def part(self, name: str) -> Any:
        """A named part as last saved (None: absent or unreadable); changes are kept by :meth:`put_part`."""
        if name not in self.parts:
            self.parts[name] = _read(self.folder / f"{name}.pickle", self.key)
        return self.parts[name]

    def put_part(self, name: str, value: Any) -> None:
        self.parts[name] = value
        self._parts_dirty.add(name)

    # -- the rules' per-record findings (a folder of shards per rule) ---------------------------------
    def rule_shards(self, rule_id: str, world: bytes) -> list[dict[bytes, Any]]:
        """The rule's kept findings by record key, in :data:`RULE_SHARDS` shards (by the key's first
        byte), as far as they were kept under ``world``; a shard kept under another world is empty."""
        if rule_id not in self.rules or self.rules[rule_id][0] != world:
            folder = self.folder / "rules" / rule_id
            shards = []
            for number in range(RULE_SHARDS):
                stored = _read(folder / f"{number:02x}.pickle", self.key)
                fits = isinstance(stored, tuple) and len(stored) == 2 and stored[0] == world
                shards.append(stored[1] if fits and isinstance(stored[1], dict) else {})
            self.rules[rule_id] = (world, shards)
        return self.rules[rule_id][1]

    def rule_changed(self, rule_id: str, number: int) -> None:
        self._rules_dirty.add((rule_id, number))

    # -- saving -----------------------------------------------------------------------------------
    def save(self) -> None:
        """Write what changed. Entries no file names any more are dropped from the shards written;
        stat entries too recent to be trusted are kept without their stat (hashed next time). The
        folder ignores itself (its own ``.gitignore``), in any repository, as pytest's cache does."""
        try:
            self.folder.mkdir(exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# rectify check 的缓存，可随时删除\n*\n", encoding="utf-8")
        except OSError:
            return
        head = self.folder / "delta" / "head.pickle"
        with contextlib.suppress(
            OSError
        ):  # the snapshot does not match what is written next, until its new head is
            head.unlink()
        written = True
        if self._dirty:
            live = {entry[4] for entry in self.seen.values()}
            for name in sorted(self._dirty):
                shard = {k: v for k, v in self._shards.get(name, {}).items() if k in live}
                written &= _write(self.folder / "objects" / f"{name}.pickle", self.key, shard)
        for rule_id, number in sorted(self._rules_dirty):
            world, shards = self.rules[rule_id]
            _write(
                self.folder / "rules" / rule_id / f"{number:02x}.pickle", self.key, (world, shards[number])
            )
        dirty = set(self._index_dirty)
        if len(self.seen) != len(self.index) or dirty:
            dirty |= {index_part(rel) for rel in self.index.keys() - self.seen.keys()}
        if dirty:
            limit = self.started_ns - RACY_NS
            parts: dict[str, dict[str, tuple[int, int, int, int, bytes]]] = {name: {} for name in dirty}
            folders = {name.partition("-")[0] for name in dirty}
            for rel, entry in self.seen.items():
                folder = folder_of(rel)
                if index_name(folder) not in folders:
                    continue
                name = index_part(rel)
                if name in dirty:
                    trusted = entry[1] < limit and entry[2] < limit
                    parts[name][rel] = entry if trusted else (-1, -1, -1, -1, entry[4])
            for name, part in sorted(parts.items()):
                if not part:
                    with contextlib.suppress(OSError):
                        (self.folder / "index" / f"{name}.pickle").unlink()
                elif part != self._index_parts.get(name):
                    written &= _write(self.folder / "index" / f"{name}.pickle", self.key, part)
        for name in sorted(self._parts_dirty):
            written &= _write(self.folder / f"{name}.pickle", self.key, self.parts[name])
        if self.head is not None and written:  # a part not written leaves no snapshot
            _write(head, self.key, self.head)

    def read_head(self) -> Any:
        return _read(self.folder / "delta" / "head.pickle", self.key)


INDEX_SPLIT = 16  # index parts per folder: an edit rewrites one, not the folder's whole index


@functools.lru_cache(maxsize=4096)
def index_name(folder: str) -> str:
    """A hash of a folder's path: the first part of its index parts' names."""
    return digest(folder.encode()).hex()[:12]


def index_part(rel: str) -> str:
    """The index part holding a file's stat and key: its folder's, split by a hash of its path."""
    return f"{index_name(folder_of(rel))}-{zlib.crc32(rel.encode()) % INDEX_SPLIT:x}"
