"""附件 in the ledger: an 附件 sheet listing every attachment (佐证材料) a record carries, and photos
placed in a folder beside the workbook attached on import.

The folder: ``<workbook's folder>/附件/<record id>/<kind>-<anything>.<ext>``, where ``<kind>`` is an
evidence kind's code or Chinese label (``after-1.jpg``, ``整改后照片-东侧.jpg``). The attaching itself
(metadata stripped, file stored under ``registry/evidence/<id>/``) is the evidence feature's
``rectify.evidence.add``; while it is not installed, photos are listed and left alone.
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from rectify.fields import ENUM, LIST, Field, record_fields
from rectify.ledger.cells import normalize
from rectify.ledger.sheetsafe import set_value
from rectify.model import Document
from rectify.paths import Paths
from rectify.schema import Schemas

SHEET = "附件"
FOLDER = "附件"  # beside the workbook
FIELD = "evidence"
# The one table of an evidence entry's keys this module reads, with the header each gets when the
# schema does not (yet) title it.
ENTRY_KEYS = {
    "file": "文件",
    "kind": "材料类型",
    "caption": "说明",
    "taken_on": "拍摄或扫描日期",
    "by": "拍摄或扫描人",
    "public": "公开",
    "sha256": "原件 SHA-256",
}
KIND_LABELS = {  # when the schema has no evidence kinds
    "before": "整改前照片",
    "after": "整改后照片",
    "acceptance_sheet": "验收单",
    "reply_scan": "回复函扫描件",
    "notice": "通知书",
    "other": "其他材料",
}
SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".pdf"})


def _entry_fields(schemas: Schemas, kind: str) -> tuple[dict[str, str], dict[str, str]]:
    """(key → header, kind code → label), from the schema where it has the evidence field."""
    headers, labels = dict(ENTRY_KEYS), dict(KIND_LABELS)
    field = next((c for c in record_fields(schemas, kind).children if c.name == FIELD), None)
    if field is not None and field.type == LIST and field.item is not None:
        for child in field.item.children:
            if child.name in headers:
                headers[child.name] = child.title
            if child.name == "kind" and child.type == ENUM:
                labels = dict(child.labels)
    return headers, labels


def entries(kind: str, data: dict[str, Any]) -> list[tuple[tuple[str | int, ...], dict[str, Any]]]:
    """(path, entry) of every attachment of a record: the evidence feature's own walk when it is
    installed (it knows every place an attachment may sit), the record's top-level list otherwise."""
    try:
        walk = importlib.import_module("rectify.evidence").entries
    except (ImportError, AttributeError):
        items = data.get(FIELD)
        listed = items if isinstance(items, list) else []
        return [
            ((FIELD, i), e)
            for i, e in enumerate(listed)
            if isinstance(e, dict) and isinstance(e.get("file"), str)
        ]
    return [(tuple(path), entry) for path, entry in walk(kind, data)]


def _where(record: Field, path: tuple[str | int, ...]) -> str:
    """Where an attachment sits, in Chinese: 本记录, 验收, 反馈第 2 条."""
    place = path[:-2]  # without ``evidence`` and the entry's index
    if not place:
        return "本记录"
    field = next((c for c in record.children if c.name == place[0]), None)
    title = field.title if field is not None else "其他"
    return f"{title}第 {place[1] + 1} 条" if len(place) > 1 and isinstance(place[1], int) else title


def attachment_sheet(schemas: Schemas, kind: str) -> Callable[[Workbook, list[Document]], list[str]]:
    """Adds the 附件 sheet to an exported workbook; returns the lines the guide gives it."""
    headers, labels = _entry_fields(schemas, kind)
    record = record_fields(schemas, kind)

    def add(book: Workbook, documents: list[Document]) -> list[str]:
        sheet = book.create_sheet(SHEET)
        columns = ["记录编号", "所在位置", *headers.values()]
        for index, text in enumerate(columns, 1):
            cell = sheet.cell(1, index)
            set_value(cell, text)
            cell.font = Font(bold=True)
            sheet.column_dimensions[get_column_letter(index)].width = 16
        row = 2
        for doc in documents:
            for path, entry in entries(kind, doc.data):
                values: list[Any] = [doc.id, _where(record, path)]
                for key in headers:
                    value = entry.get(key)
                    if key == "kind" and isinstance(value, str):
                        value = labels.get(value, value)
                    elif key == "public" and isinstance(value, bool):
                        value = "是" if value else "否"
                    values.append(value)
                for index, value in enumerate(values, 1):
                    if value is not None:
                        set_value(sheet.cell(row, index), value)
                        sheet.cell(row, index).alignment = Alignment(vertical="top")
                row += 1
        sheet.freeze_panes = "A2"
        names = "、".join(f"{code}（{label}）" for code, label in labels.items())
        return [
            f"工作表“{SHEET}”列出各记录已登记的附件（佐证材料），只供查看，导入时不读取。",
            f"新增照片或扫描件：放在台账文件所在文件夹的 {FOLDER}/<记录编号>/ 下，文件名以材料类型开头，"
            f"如 {FOLDER}/HAZ-2023-00017/after-1.jpg、{FOLDER}/HAZ-2023-00017/整改前照片-东侧.jpg；"
            f"材料类型可写：{names}。导入时去除照片中的位置等信息后登记，默认不公开。",
        ]

    return add


@dataclass(frozen=True, slots=True)
class Photo:
    record_id: str
    path: Path
    kind: str


def find_photos(
    workbook: Path, schemas: Schemas, kind: str, known: set[str]
) -> tuple[list[Photo], list[str]]:
    """The files under ``附件/<id>/`` beside ``workbook``, and a Chinese line for each one that
    cannot be attached (unknown record, unknown kind, a type that is no photo or PDF)."""
    folder = workbook.parent / FOLDER
    if not folder.is_dir():
        return [], []
    _, labels = _entry_fields(schemas, kind)
    by_name = {normalize(code).lower(): code for code in labels}
    by_name.update({normalize(label).lower(): code for code, label in labels.items()})
    photos: list[Photo] = []
    problems: list[str] = []
    for record_folder in sorted(folder.iterdir()):
        shown = f"{FOLDER}/{record_folder.name}"
        if not record_folder.is_dir() or record_folder.is_symlink():
            problems.append(f"附件：{shown} 不是文件夹，未导入（文件应放在 {FOLDER}/<记录编号>/ 下）")
            continue
        record_id = normalize(record_folder.name)
        if record_id not in known:
            problems.append(f"附件：文件夹 {shown} 不是已登记的记录编号，其中的文件未导入")
            continue
        for file in sorted(record_folder.iterdir()):
            where = f"{shown}/{file.name}"
            if file.name.startswith(".") or not file.is_file() or file.is_symlink():
                continue
            if file.suffix.lower() not in SUFFIXES:
                problems.append(f"附件：{where} 不是照片或 PDF（可用 .jpg、.png、.webp、.pdf），未导入")
                continue
            code = _kind_of(normalize(file.stem).lower(), by_name)
            if code is None:
                problems.append(
                    f"附件：{where} 的文件名应以材料类型开头（如 after-1{file.suffix.lower()}、"
                    f"整改后照片-1{file.suffix.lower()}），未导入"
                )
                continue
            photos.append(Photo(record_id, file, code))
    return photos, problems


def _kind_of(stem: str, by_name: dict[str, str]) -> str | None:
    """The kind a file name starts with (``after-1``, ``acceptance_sheet_2``, ``整改后照片（东侧）``);
    the longest name wins, and it must end where a separator, a digit or the name's end follows."""
    for name in sorted(by_name, key=len, reverse=True):
        rest = stem[len(name) :] if stem.startswith(name.lower()) else None
        if rest is not None and (not rest or rest[0] in "-_ .（(" or rest[0].isdigit()):
            return by_name[name]
    return None


def attach(
    paths: Paths, photos: list[Photo], documents: dict[str, Document], dry_run: bool
) -> tuple[list[str], bool]:
    """Attach each photo not yet attached (same original SHA-256): lines saying what was done,
    and whether the evidence feature refused a file."""
    fresh = [p for p in photos if not _attached(p, documents.get(p.record_id))]
    if not fresh:
        return [], False
    try:
        add = importlib.import_module("rectify.evidence").add
        refused = _refusals()
    except (ImportError, AttributeError):
        return [
            f"附件：{FOLDER}/ 文件夹中有 {len(fresh)} 个待登记的文件，但本版本尚未提供附件登记功能"
            "（去除照片位置信息并保存），这些文件未导入；请升级后重新导入"
        ], False
    lines = []
    failed = False
    for photo in fresh:
        name = f"{FOLDER}/{photo.record_id}/{photo.path.name}"
        if dry_run:
            lines.append(f"附件：将登记 {name} 为 {photo.record_id} 的附件")
            continue
        try:
            entry = add(paths, photo.record_id, photo.path, photo.kind)
        except refused as exc:  # the evidence feature's refusal, in its own Chinese words
            reason = getattr(exc, "message", None) or str(exc)
            lines.append(f"附件：{name} 未登记：{reason}")
            failed = True
            continue
        lines.append(f"附件：已登记 {name} → {getattr(entry, 'file', name)}")
    return lines, failed


def _refusals() -> tuple[type[Exception], ...]:
    """The evidence feature's refusal (a file it will not take); a bug stays a bug."""
    try:
        error = importlib.import_module("rectify.evidence.adding").EvidenceError
    except (ImportError, AttributeError):
        return ()
    return (error,) if isinstance(error, type) and issubclass(error, Exception) else ()


def _attached(photo: Photo, doc: Document | None) -> bool:
    if doc is None:
        return False
    digest = hashlib.sha256(photo.path.read_bytes()).hexdigest()
    return any(entry.get("sha256") == digest for _, entry in entries(doc.kind, doc.data))
