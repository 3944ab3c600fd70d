"""``rectify evidence add`` and the API the ledger calls: check an attachment, clean it, write it
with its copies into the record's folder and list it in the record (comments kept). A refusal
raises :class:`EvidenceError` with a Chinese message before anything is written."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from rectify.evidence import (
    EXTENSIONS,
    FOLDER,
    IMAGE_TYPES,
    KINDS,
    PUBLISHABLE_KINDS,
    TYPE_LABELS,
    EvidenceEntry,
    derivatives,
    limits_of,
    record_kind,
)
from rectify.evidence.files import is_pointer, pdf_active, sniff
from rectify.paths import Paths

KIND_LABELS = {
    "before": "整改前照片",
    "after": "整改后照片",
    "acceptance_sheet": "验收单",
    "reply_scan": "回复函扫描件",
    "notice": "通知书",
    "other": "其他材料",
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_RECORD_ID = re.compile(r"(HAZ|CONS|ACT|INSP)-\d{4}-\d{3,}")


def _valid_date(value: str) -> bool:
    try:
        return bool(_DATE.match(value)) and bool(dt.date.fromisoformat(value))
    except ValueError:
        return False


class EvidenceError(Exception):
    """An attachment refused, with the reason in Chinese."""


def _yaml() -> Any:
    from rectify.ledger.yamlio import make_yaml

    return make_yaml()


def _target(record: Any, kind: str, record_kind_: str, response: str | None) -> Any:
    """The mapping whose ``evidence`` list gets the entry."""
    if record_kind_ == "consultation" and (response or kind == "reply_scan"):
        if not response:
            raise EvidenceError("回复函扫描件须用 --response 指明是哪个单位的回复（回复中的 from）")
        for item in record.get("responses") or []:
            if isinstance(item, dict) and item.get("from") == response:
                return item
        raise EvidenceError(f"该征求意见记录中没有 {response} 的回复")
    if record_kind_ == "hazard" and kind == "acceptance_sheet" and isinstance(record.get("acceptance"), dict):
        return record["acceptance"]
    return record


def _free_name(folder: Path, kind: str, ext: str) -> str:
    stem = kind.replace("_", "-")
    number = 1
    while any((folder / f"{stem}-{number}{e}").exists() for e in (ext, ".web.jpg", ".thumb.jpg")):
        number += 1
    return f"{stem}-{number}{ext}"


def prepare(data: bytes, name: str, limits: dict[str, Any]) -> tuple[str, list[str]]:
    """(type, problems) of an attachment's bytes: type by magic numbers, size, PDF content."""
    if is_pointer(data[:100]):
        return "", [f"{name} 是 Git LFS 指针文件，不是文件内容本身：请先 git lfs pull 取回原文件"]
    kind = sniff(data[:1024])
    if kind is None:
        return "", [f"{name} 不是 JPEG、PNG、WebP 图片或 PDF 文件（按文件内容判断，不看扩展名）"]
    problems = []
    suffix = Path(name).suffix.lower()
    if suffix not in EXTENSIONS[kind]:
        problems.append(
            f"{name} 的内容是{TYPE_LABELS[kind]}，扩展名却是 {suffix or '（无）'}：请核对是否选错了文件"
        )
    limit = int(limits["pdf_max_bytes" if kind == "pdf" else "image_max_bytes"])
    if len(data) > limit:
        problems.append(
            f"{name} 有 {len(data) / 1048576:.1f} MiB，超过{TYPE_LABELS[kind]}的上限 {limit / 1048576:.1f} MiB"
            "（jurisdiction.yaml 的 evidence 设置）：请压缩或分拆"
        )
    elif kind == "pdf":
        active = pdf_active(data)
        if active:
            problems.append(f"{name} 含有可执行或嵌入内容（{'、'.join(active)}）：请重新扫描或打印为普通 PDF")
    return kind, problems


def add_file(
    paths: Paths,
    record_id: str,
    file: Path,
    kind: str,
    caption: str | None = None,
    taken_on: str | None = None,
    by: str | None = None,
    public: bool = False,
    response: str | None = None,
) -> EvidenceEntry:
    """Attach ``file`` to ``record_id``; images are cleaned and get a web copy and a thumbnail."""
    from rectify.evidence.images import clean
    from rectify.ledger.yamlio import record_path, write_atomic
    from rectify.load import LoadResult, load_file

    rkind = record_kind(record_id) if _RECORD_ID.fullmatch(record_id) else None
    if rkind is None:
        raise EvidenceError(f"{record_id} 不是可以附佐证材料的记录（隐患、征求意见、问责处置、检查）")
    if kind not in KINDS:
        raise EvidenceError(f"材料类型 {kind} 不对，应为：{'、'.join(KINDS)}")
    if taken_on is not None and not _valid_date(taken_on):
        raise EvidenceError(f"拍摄或扫描日期应为 YYYY-MM-DD，实为 {taken_on}")
    if public and kind not in PUBLISHABLE_KINDS:
        raise EvidenceError(
            f"{KIND_LABELS[kind]}可能含签名、印章或个人信息，不能公开（只有整改前后照片可以公开）"
        )
    record_file = record_path(paths.registry, rkind, record_id)
    if not record_file.is_file():
        raise EvidenceError(f"找不到记录 {record_id}（应在 {paths.relative(record_file)}）")
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise EvidenceError(f"无法读取 {file}：{exc.strerror}") from None
    jurisdiction = LoadResult()
    if (paths.registry / "jurisdiction.yaml").is_file():
        load_file(
            str(paths.registry / "jurisdiction.yaml"), "jurisdiction.yaml", "jurisdiction", jurisdiction
        )
    limits = limits_of(jurisdiction.documents[0].data if jurisdiction.documents else None)
    ftype, problems = prepare(data, file.name, limits)
    if problems:
        raise EvidenceError("；".join(problems))
    yaml = _yaml()
    text = record_file.read_text(encoding="utf-8")
    record = yaml.load(text)
    target = _target(record, kind, rkind, response)
    folder = paths.registry / FOLDER / record_id
    name = _free_name(folder, kind, EXTENSIONS[ftype][0])
    outputs: dict[str, bytes] = {}
    if ftype in IMAGE_TYPES:
        try:
            cleaned, web, thumb, _size = clean(data, ftype)
        except (OSError, ValueError, SyntaxError):
            raise EvidenceError(f"{file.name} 的图片数据已损坏，无法读取") from None
        web_name, thumb_name = derivatives(name)
        outputs = {name: cleaned, web_name: web, thumb_name: thumb}
    else:
        outputs = {name: data}
    entry = EvidenceEntry(name, kind, taken_on, by, caption, public, hashlib.sha256(data).hexdigest())
    items = target.get("evidence")
    if not isinstance(items, list):
        items = CommentedSeq()
        target["evidence"] = items
    values = entry.as_dict()
    if taken_on:
        values["taken_on"] = dt.date.fromisoformat(taken_on)  # written plain, as the registry's dates are
    items.append(CommentedMap(values))
    written: list[Path] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for out_name, content in outputs.items():
            (folder / out_name).write_bytes(content)
            written.append(folder / out_name)
        from io import StringIO

        buffer = StringIO()
        yaml.dump(record, buffer)
        write_atomic(record_file, buffer.getvalue())
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return entry
