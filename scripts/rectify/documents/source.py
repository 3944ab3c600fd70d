"""What every kind of document reads from the checked registry: the record asked for (refusing
unknown ids and records with errors), names, labels, and the 版头/版记 from
``jurisdiction.yaml → documents``. A :class:`DocumentError` carries the Chinese message and exit code."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from rectify.diagnostics import Diagnostic, Severity
from rectify.documents.figures import plain_name
from rectify.documents.layout import Masthead
from rectify.model import Document, Registry

EXIT_REFUSED, EXIT_BAD_INPUT = 1, 2


class DocumentError(Exception):
    def __init__(self, message: str, code: int = EXIT_REFUSED) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(slots=True)
class Source:
    registry: Registry
    diagnostics: list[Diagnostic]
    today: dt.date
    findings: list[Diagnostic] | None = None  # the rules run at a report's period end (履职问题)

    # -- records --------------------------------------------------------------------------------
    def record(self, kind: str, record_id: str, what: str) -> Document:
        """The valid record ``record_id`` of ``kind``; a clear refusal when it is absent or has errors."""
        doc = self.registry.get(kind, record_id)
        if doc is None:
            raise DocumentError(f"登记册中没有{what} {record_id}，请核对编号。", EXIT_BAD_INPUT)
        self.require_clean([doc])
        return doc

    def require_clean_kinds(self, *folders: str) -> None:
        """Refuse when any record under ``registry/<folder>/`` has an error (a periodic report
        counts them all), including files that did not load at all."""
        prefixes = tuple(f"registry/{folder}/" for folder in folders)
        files = {
            d.file for d in self.diagnostics if d.severity is Severity.ERROR and d.file.startswith(prefixes)
        }
        files |= {f for f in self.registry.invalid if f.startswith(prefixes)}
        self.require_clean([], files)

    def require_clean(self, docs: list[Document], extra: set[str] | None = None) -> None:
        """Refuse to write from records that fail their schema or a blocking rule."""
        files = {d.file for d in docs} | (extra or set())
        errors = [d for d in self.diagnostics if d.severity is Severity.ERROR and d.file in files]
        invalid = sorted(files & self.registry.invalid)
        if errors or invalid:
            lines = [f"{e.file} 第 {e.line} 行 {e.path}：{e.message}" for e in errors[:10]]
            lines += [
                f"{file}：记录未通过格式校验" for file in invalid if not any(e.file == file for e in errors)
            ]
            raise DocumentError(
                "相关记录有错误，未生成公文。请先运行 rectify check 并更正：\n" + "\n".join(lines)
            )

    # -- names ----------------------------------------------------------------------------------
    def name(self, record_id: Any) -> str:
        return plain_name(self.registry, record_id)

    def short(self, record_id: Any) -> str:
        """规范化简称 where the registry has one (主送、抄送), else the full name."""
        for kind in ("organization", "enterprise"):
            doc = self.registry.get(kind, record_id) if isinstance(record_id, str) else None
            if doc is not None:
                return str(doc.data.get("short_name") or doc.data.get("name") or "")
        return self.name(record_id)

    def label(self, enum: str, value: Any) -> str:
        return self.registry.schemas.label(enum, str(value)) if value is not None else ""

    def standard(self, basis: Any) -> str:
        """判定依据 as 《标准名称》第十条."""
        if not isinstance(basis, dict):
            return "（未填写）"
        entry = self.registry.standards.get(str(basis.get("standard")), {})
        title = str(entry.get("title") or entry.get("name") or basis.get("standard") or "")
        shown = title if title.startswith("《") else f"《{title}》"
        return f"{shown}{basis.get('clause') or ''}"

    # -- 版头 -----------------------------------------------------------------------------------
    def settings(self) -> dict[str, Any]:
        jurisdiction = self.registry.jurisdiction
        data = (jurisdiction.data.get("documents") if jurisdiction else None) or {}
        if not data.get("issuer") or not data.get("mark") or not data.get("number_prefix"):
            raise DocumentError(
                "registry/jurisdiction.yaml 缺少 documents（发文机关 issuer、发文机关标志 mark、"
                "发文字号机关代字 number_prefix），无法生成公文版头。",
                EXIT_BAD_INPUT,
            )
        return dict(data)

    def masthead(self, year: int, number: int | None, recipients: list[Any] | None = None) -> Masthead:
        data = self.settings()
        sequence = str(number) if number is not None else "\u3000\u3000"
        contact = data.get("contact") or {}
        return Masthead(
            issuer=self.name(data["issuer"]),
            mark=str(data["mark"]),
            number=f"{data['number_prefix']}〔{year}〕{sequence}号",
            recipients="、".join(self.short(r) for r in recipients or []),
            cc=[self.short(c) for c in data.get("cc") or []],
            printer=self.name(data["issuer"]),
            contact=f"{contact['name']}，电话：{contact['phone']}" if contact else "",
        )

    def report_to(self) -> list[str]:
        return list(self.settings().get("report_to") or [])
