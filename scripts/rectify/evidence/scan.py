"""The loader stage for attachments: every file under ``registry/evidence/`` is read once and
summed up as :class:`FileFacts` for the rules (which never read files). Linear in the files
present; a file over its size limit is not read past its first bytes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from rectify.evidence import FOLDER, limits_of
from rectify.evidence.files import FileFacts, inspect, sniff

HEAD = 1024


def max_bytes(kind: str | None, limits: dict[str, Any]) -> int:
    return int(limits["pdf_max_bytes"] if kind == "pdf" else limits["image_max_bytes"])


def read_facts(path: str, limits: dict[str, Any]) -> FileFacts:
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            head = handle.read(HEAD)
            limit = max_bytes(sniff(head), limits)
            data = head + handle.read() if size <= limit else head
    except OSError as exc:
        return FileFacts(0, None, unreadable=exc.strerror or "无法读取")
    return inspect(data, size, limit)


def scan(registry: Path, jurisdiction: dict[str, Any] | None) -> dict[str, FileFacts]:
    """``<RECORD-ID>/<name>`` → facts, for every regular file two levels below ``evidence/``.
    Anything else there (links, deeper folders, loose files) is recorded as unreadable."""
    limits = limits_of(jurisdiction)
    top = registry / FOLDER
    out: dict[str, FileFacts] = {}
    if not top.is_dir() or top.is_symlink():
        return out
    with os.scandir(top) as folders:
        for folder in sorted(folders, key=lambda e: e.name):
            if not folder.is_dir(follow_symlinks=False):
                out[folder.name] = FileFacts(0, None, unreadable="应放在以记录编号命名的子目录中")
                continue
            with os.scandir(folder.path) as listing:
                for entry in sorted(listing, key=lambda e: e.name):
                    key = f"{folder.name}/{entry.name}"
                    if entry.name.startswith("."):
                        continue
                    if entry.is_symlink() or not entry.is_file(follow_symlinks=False):
                        out[key] = FileFacts(0, None, unreadable="不是普通文件（符号链接或子目录）")
                        continue
                    out[key] = read_facts(entry.path, limits)
    return out
