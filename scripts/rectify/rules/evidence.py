"""Evidence (佐证材料): closed major hazards and sealed replies carry their photos and scans; every
attachment exists, is listed, is what its bytes say, within size, without active content or a GPS
position. The loader gathered the files' facts (``registry.evidence``); nothing is read here."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rectify.diagnostics import Diagnostic, Severity
from rectify.evidence import (
    EXTENSIONS,
    FOLDER,
    IMAGE_TYPES,
    RECORD_KINDS,
    TYPE_LABELS,
    derivatives,
    entries,
    is_derivative,
    limits_of,
)
from rectify.evidence.files import FileFacts
from rectify.facts import date, facts_of
from rectify.model import Document, Registry
from rectify.rules import Context, Reads, rule

NOTICE_CLOSED = "一(三) 闭环管理；一(四) 签字归档备案备查"
NOTICE_FILES = "一(四) 签字归档备案备查"
PREFIX = f"registry/{FOLDER}/"


@dataclass(frozen=True, slots=True)
class Place:
    doc: Document
    path: tuple[str | int, ...]


def _listed(registry: Registry) -> dict[str, Place]:
    """``<RECORD-ID>/<name>`` → where a record lists it (derivatives of images included)."""
    out: dict[str, Place] = {}
    for kind in RECORD_KINDS.values():
        for doc in registry.by_kind.get(kind, {}).values():
            for path, entry in entries(kind, doc.data):
                name = str(entry["file"])
                for listed in (name, *derivatives(name)):
                    out.setdefault(f"{doc.id}/{listed}", Place(doc, (*path, "file")))
    return out


def _at(key: str, place: Place | None, rule_id: str, severity: Severity, message: str) -> Diagnostic:
    if place is not None:
        return place.doc.diagnostic(rule_id, severity, list(place.path), message)
    return Diagnostic(rule_id, severity, PREFIX + key, 1, 1, "", message)


def _limit(facts: FileFacts, limits: dict[str, Any]) -> int:
    return int(limits["pdf_max_bytes" if facts.sniffed == "pdf" else "image_max_bytes"])


def _required(limits: dict[str, Any], on: str | None) -> bool:
    since = limits.get("required_since")
    return not isinstance(since, str) or (on is not None and on >= since)


def _day(value: dict[str, Any]) -> str | None:
    """The date of an acceptance or a response (``date``, or ``on`` before the key was renamed)."""
    found = value.get("date")
    return found if isinstance(found, str) else None


@rule(
    "V-file",
    Severity.ERROR,
    "佐证材料文件须存在、须有记录引用",
    NOTICE_FILES,
    depends=Reads(on=("*",), same_id=True, evidence=True),
)
def check_files(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    记录 `evidence[].file` 列出的文件必须在 `registry/evidence/<记录编号>/` 下（**错误**：归档材料
    缺失）；该目录下的每个文件都必须有记录列出（图片的网页副本 `*.web.jpg` 和缩略图 `*.thumb.jpg`
    随原图一起算）——没有记录引用的“孤儿”文件是 **错误**：它不会出现在站点上，却永远留在仓库里，
    常常是忘了处理的原始照片。记录改编号时，请把目录一起改名（`git mv`）。

    PASS: `HAZ-2023-00001.yaml` 列出 `after-1.jpg`，`registry/evidence/HAZ-2023-00001/after-1.jpg` 存在。
    FAIL: 列出 `after-2.jpg` 而文件不存在；`registry/evidence/HAZ-2023-00001/IMG_0001.jpg` 没有记录列出。
    """
    listed = _listed(registry)
    for kind in RECORD_KINDS.values():
        for doc in registry.records(kind):
            for path, entry in entries(kind, doc.data):
                key = f"{doc.id}/{entry['file']}"
                if key not in registry.evidence:
                    yield doc.diagnostic(
                        "V-file",
                        Severity.ERROR,
                        [*path, "file"],
                        f"佐证材料 {PREFIX}{key} 不存在：请用 rectify evidence add 添加，或核对文件名",
                    )
    for key, facts in registry.evidence.items():
        if facts.unreadable:
            yield _at(key, None, "V-file", Severity.ERROR, f"无法作为佐证材料读取：{facts.unreadable}")
        elif key not in listed:
            yield _at(
                key,
                None,
                "V-file",
                Severity.ERROR,
                "没有任何记录列出这个文件：请在记录的 evidence 中登记（rectify evidence add），或删除它",
            )


@rule(
    "V-type",
    Severity.ERROR,
    "佐证材料须是 JPEG、PNG、WebP 图片或 PDF，且与扩展名一致",
    NOTICE_FILES,
    depends=Reads(on=("*",), same_id=True, evidence=True),
)
def check_types(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    文件类型按内容的开头字节（magic number）判断，不看文件名：只接受 JPEG、PNG、WebP 图片和 PDF，
    内容与扩展名必须一致（**错误**）。改了扩展名的文件、可执行文件或压缩包都会被拒绝。

    PASS: `after-1.jpg` 以 `FF D8 FF` 开头（JPEG）。
    FAIL: `acceptance-sheet-1.pdf` 实际是 PNG 图片；`notice-1.pdf` 是 zip 压缩包。
    """
    listed = _listed(registry)
    for key, facts in registry.evidence.items():
        if facts.pointer or facts.unreadable:
            continue
        name = key.rsplit("/", 1)[-1]
        suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if facts.sniffed is None:
            message = f"{name} 不是 JPEG、PNG、WebP 图片或 PDF 文件（按文件内容判断）"
        elif is_derivative(name) and facts.sniffed != "jpeg":
            message = f"{name} 是网页副本或缩略图，应为 JPEG，实为{TYPE_LABELS[facts.sniffed]}"
        elif suffix not in EXTENSIONS[facts.sniffed]:
            message = f"{name} 的内容是{TYPE_LABELS[facts.sniffed]}，扩展名却是 {suffix or '（无）'}"
        else:
            continue
        yield _at(key, listed.get(key), "V-type", Severity.ERROR, message)


@rule(
    "V-size",
    Severity.ERROR,
    "佐证材料不得超过大小上限",
    NOTICE_FILES,
    depends=Reads(on=("*",), same_id=True, evidence=True),
)
def check_sizes(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    图片不超过 `jurisdiction.yaml` 的 `evidence.image_max_bytes`（默认 10 MiB），PDF 不超过
    `evidence.pdf_max_bytes`（默认 20 MiB）（**错误**）：Git 仓库永远保存每个版本，过大的文件会让
    每个人的克隆和站点构建变慢。

    PASS: 2 MiB 的 JPEG。
    FAIL: 上限设为 1000 字节时，一张 5 KB 的 PNG。
    """
    limits = limits_of(registry.jurisdiction.data if registry.jurisdiction else None)
    listed = _listed(registry)
    for key, facts in registry.evidence.items():
        if facts.pointer or facts.unreadable or facts.sniffed is None:
            continue
        limit = _limit(facts, limits)
        if facts.size > limit:
            yield _at(
                key,
                listed.get(key),
                "V-size",
                Severity.ERROR,
                f"{key.rsplit('/', 1)[-1]} 有 {facts.size} 字节，超过{TYPE_LABELS[facts.sniffed]}的上限 {limit} 字节",
            )


@rule(
    "V-active",
    Severity.ERROR,
    "PDF 不得含脚本、启动程序、嵌入文件等活动内容",
    NOTICE_FILES,
    depends=Reads(on=("*",), same_id=True, evidence=True),
)
def check_active(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    PDF 扫描件不得含 JavaScript（`/JavaScript`、`/JS`，包括 `/J#61vaScript` 这类转义写法）、启动外部
    程序（`/Launch`）、嵌入文件（`/EmbeddedFile`）、自动动作（`/AA`、带脚本的 `/OpenAction`）、富媒体
    （`/RichMedia`）、XFA 表单、提交或导入数据的动作（**错误**）：打开归档材料不能执行任何东西。
    无法解析的 PDF 同样拒绝。

    PASS: 扫描仪或“打印为 PDF”生成的普通 PDF。
    FAIL: `/OpenAction << /S /JavaScript /JS (app.alert(1)) >>`；`/Names << /EmbeddedFiles ... >>`。
    """
    listed = _listed(registry)
    for key, facts in registry.evidence.items():
        if facts.active:
            yield _at(
                key,
                listed.get(key),
                "V-active",
                Severity.ERROR,
                f"{key.rsplit('/', 1)[-1]} 含有活动内容（{'、'.join(facts.active)}）：请重新扫描或打印为普通 PDF",
            )


@rule(
    "V-gps",
    Severity.ERROR,
    "图片不得带有 GPS 位置信息（个人信息保护）",
    "—",
    depends=Reads(on=("*",), same_id=True, evidence=True),
)
def check_gps(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    照片的 EXIF 或 XMP 中仍有 GPS 位置（**错误**）：手机照片会记下拍摄地点，可能暴露拍摄人的住处或
    行踪。`rectify evidence add` 会去除位置、设备、作者等全部元数据；直接复制进目录的照片会被拦下。

    PASS: 用 `rectify evidence add` 添加的照片。
    FAIL: 直接复制进 `registry/evidence/HAZ-2023-00001/` 的手机原图，带 GPSLatitude。
    """
    listed = _listed(registry)
    for key, facts in registry.evidence.items():
        if facts.gps and facts.sniffed in IMAGE_TYPES:
            yield _at(
                key,
                listed.get(key),
                "V-gps",
                Severity.ERROR,
                f"{key.rsplit('/', 1)[-1]} 仍带有 GPS 位置信息：请删除后用 rectify evidence add 重新添加（会去除元数据）",
            )


@rule(
    "V-lfs",
    Severity.WARNING,
    "佐证材料的内容未取回（Git LFS 指针）",
    "—",
    depends=Reads(on=("*",), same_id=True, evidence=True),
)
def check_pointers(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    文件是 Git LFS 指针（`version https://git-lfs.github.com/spec/v1 …`），内容没有取回（**警告**）：
    类型、大小、GPS 和 PDF 内容都无法检查，站点上显示占位说明。请安装 Git LFS 并运行 `git lfs pull`；
    CI 的检出步骤应设 `lfs: true`。

    PASS: 已取回内容的图片。
    FAIL: 克隆时没有安装 Git LFS，`after-1.jpg` 只有 130 字节的指针文本。
    """
    for key, facts in registry.evidence.items():
        if facts.pointer and not is_derivative(key):
            yield _at(
                key,
                None,
                "V-lfs",
                Severity.WARNING,
                "文件内容未取回（只有 Git LFS 指针）：无法检查，请安装 Git LFS 后运行 git lfs pull",
            )


def _kinds(doc: Document, kind: str, within: tuple[str | int, ...] = ()) -> set[str]:
    return {
        str(entry.get("kind")) for path, entry in entries(kind, doc.data) if path[: len(within)] == within
    }


@rule(
    "V-closed",
    Severity.ERROR,
    "重大事故隐患销号须有整改后照片和验收单",
    NOTICE_CLOSED,
    depends=Reads(on=("hazard",)),
)
def check_closed(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    已销号（`status: closed`）的重大事故隐患，佐证材料（`evidence` 或 `acceptance.evidence`）中必须
    至少有一张整改后照片（`kind: after`）和验收单（`kind: acceptance_sheet`）（**错误**）：闭环管理要
    “整改到位”看得见，验收“签字归档备案备查”要有签了字的验收单。`jurisdiction.yaml` 的
    `evidence.required_since` 之前验收的不作要求（登记册启用佐证材料之前办结的记录）。

    PASS: 销号的重大隐患有 `after-1.jpg`（after）和 `acceptance-sheet-1.pdf`（acceptance_sheet）。
    FAIL: 有验收单但没有整改后照片；`required_since: 2023-11-01`，2023-11-09 验收，没有任何材料。
    """
    limits = limits_of(registry.jurisdiction.data if registry.jurisdiction else None)
    for doc in registry.records("hazard"):
        data = doc.data
        acceptance = data.get("acceptance") if isinstance(data.get("acceptance"), dict) else {}
        if data.get("level") != "major" or data.get("status") != "closed":
            continue
        if not _required(limits, _day(acceptance or {})):
            continue
        kinds = _kinds(doc, "hazard")
        missing = [
            label for k, label in (("after", "整改后照片"), ("acceptance_sheet", "验收单")) if k not in kinds
        ]
        if missing:
            yield doc.diagnostic(
                "V-closed",
                Severity.ERROR,
                ["acceptance"] if acceptance else ["status"],
                f"重大事故隐患已销号，佐证材料缺少{'和'.join(missing)}：请用 rectify evidence add 补充",
            )


@rule(
    "V-reply-scan",
    Severity.ERROR,
    "签字盖章的回复须附扫描件",
    "征求意见函 主要负责人签字、加盖公章",
    depends=Reads(on=("consultation",), kinds=("organization", "person"), refs=("*",)),
)
def check_reply_scans(registry: Registry, context: Context) -> Iterator[Diagnostic]:
    """
    征求意见的回复按“主要负责人签字、加盖公章”的有效回复计算（签字人是该单位主要负责人，
    `sealed: true`）的，须在该回复的 `evidence` 中附回复函扫描件（`kind: reply_scan`）（**错误**）：
    扫描件就是签字盖章的证据。`evidence.required_since` 之前收到的回复不作要求。

    PASS: `sealed: true`，主要负责人签字，附 `reply-scan-1.pdf`（reply_scan）。
    FAIL: `sealed: true`、主要负责人签字，但没有扫描件。
    """
    from rectify.rules.consultations import is_valid

    limits = limits_of(registry.jurisdiction.data if registry.jurisdiction else None)
    facts = facts_of(registry)
    for doc in registry.records("consultation"):
        for index, response in enumerate(doc.data.get("responses") or []):
            if not isinstance(response, dict) or not is_valid(facts, response):
                continue
            day = _day(response)
            if not _required(limits, str(date(day)) if day else None):
                continue
            if "reply_scan" not in _kinds(doc, "consultation", ("responses", index)):
                yield doc.diagnostic(
                    "V-reply-scan",
                    Severity.ERROR,
                    ["responses", index, "sealed"],
                    f"{facts.name(response.get('from'))} 的回复按签字盖章计算，却没有附回复函扫描件（kind: reply_scan）",
                )
