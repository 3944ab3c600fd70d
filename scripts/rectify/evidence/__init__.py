"""Evidence (佐证材料): photos and scans attached to records, stored beside them under
``registry/evidence/<RECORD-ID>/`` with Git LFS.

The layout is keyed by record id, as records' files are: renaming a record's id means moving its
folder in the same commit (``git mv registry/evidence/OLD registry/evidence/NEW``); ``V-file``
reports the files left behind. An image entry names the cleaned file; its web-sized copy and its
thumbnail sit beside it as ``<stem>.web.jpg`` and ``<stem>.thumb.jpg``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

FOLDER = "evidence"  # under registry/
KINDS = ("before", "after", "acceptance_sheet", "reply_scan", "notice", "other")
# Only photos of premises may ever be published; scans carry signatures, seals and names.
PUBLISHABLE_KINDS = frozenset({"before", "after"})
IMAGE_TYPES = frozenset({"jpeg", "png", "webp"})
EXTENSIONS = {"jpeg": (".jpg", ".jpeg"), "png": (".png",), "webp": (".webp",), "pdf": (".pdf",)}
TYPE_LABELS = {"jpeg": "JPEG 图片", "png": "PNG 图片", "webp": "WebP 图片", "pdf": "PDF 文件"}
WEB_SUFFIX, THUMB_SUFFIX = ".web.jpg", ".thumb.jpg"
RECORD_KINDS = {"HAZ": "hazard", "CONS": "consultation", "ACT": "action", "INSP": "inspection"}
MIB = 1024 * 1024
DEFAULT_LIMITS = {"image_max_bytes": 10 * MIB, "pdf_max_bytes": 20 * MIB}


@dataclass(frozen=True, slots=True)
class EvidenceEntry:
    """One attachment as the record lists it (``evidence[]``)."""

    file: str
    kind: str
    taken_on: str | None = None
    by: str | None = None
    caption: str | None = None
    public: bool = False
    sha256: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"file": self.file, "kind": self.kind}
        for key in ("taken_on", "by", "caption"):
            value = getattr(self, key)
            if value:
                out[key] = value
        out["public"] = self.public
        if self.sha256:
            out["sha256"] = self.sha256
        return out


def derivatives(name: str) -> tuple[str, str]:
    """The web-sized copy and the thumbnail of an image entry's file."""
    stem = name.rsplit(".", 1)[0]
    return stem + WEB_SUFFIX, stem + THUMB_SUFFIX


def is_derivative(name: str) -> bool:
    return name.endswith((WEB_SUFFIX, THUMB_SUFFIX))


def record_kind(record_id: str) -> str | None:
    return RECORD_KINDS.get(record_id.split("-", 1)[0])


def entries(kind: str, data: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], dict[str, Any]]]:
    """(path, entry) of every attachment a record lists, wherever its schema allows one."""
    places: list[tuple[tuple[str | int, ...], Any]] = [(("evidence",), data.get("evidence"))]
    if kind == "hazard" and isinstance(data.get("acceptance"), dict):
        places.append((("acceptance", "evidence"), data["acceptance"].get("evidence")))
    if kind == "consultation":
        for index, response in enumerate(data.get("responses") or []):
            if isinstance(response, dict):
                places.append((("responses", index, "evidence"), response.get("evidence")))
    for path, items in places:
        if isinstance(items, list):
            for index, item in enumerate(items):
                if isinstance(item, dict) and isinstance(item.get("file"), str):
                    yield (*path, index), item


def publishable(entry: dict[str, Any]) -> bool:
    """Published on the public site: marked public and of a kind that may ever be public."""
    return entry.get("public") is True and entry.get("kind") in PUBLISHABLE_KINDS


def limits_of(jurisdiction: dict[str, Any] | None) -> dict[str, Any]:
    """The ``evidence`` block of ``jurisdiction.yaml`` over the defaults."""
    block = (jurisdiction or {}).get("evidence")
    out: dict[str, Any] = dict(DEFAULT_LIMITS)
    if isinstance(block, dict):
        for key in ("image_max_bytes", "pdf_max_bytes"):
            if isinstance(block.get(key), int):
                out[key] = block[key]
        out["required_since"] = block.get("required_since")
    return out


def add(*args: Any, **kwargs: Any) -> EvidenceEntry:
    """``rectify.evidence.add(paths, record_id, file, kind, ...)``: see :func:`rectify.evidence.add.add_file`."""
    from rectify.evidence.adding import add_file

    return add_file(*args, **kwargs)
