"""PDF through LibreOffice in headless mode (Debian's ``libreoffice-writer-nogui``): many documents
in one run, each run with its own throw-away profile so parallel runs do not collide."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT_SECONDS = 600


class PdfError(Exception):
    """LibreOffice is missing or failed; the message is for a person."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdfs(documents: dict[str, bytes]) -> dict[str, bytes]:
    """``{name: .docx bytes}`` → ``{name: .pdf bytes}`` (names without extension)."""
    program = soffice()
    if program is None:
        raise PdfError(
            "未安装 LibreOffice（soffice），无法生成 PDF；请安装 libreoffice-writer-nogui，或改用 --format docx。"
        )
    if not documents:
        return {}
    with tempfile.TemporaryDirectory(prefix="rectify-pdf-") as temp:
        folder = Path(temp)
        sources = []
        for name, data in documents.items():
            path = folder / f"{name}.docx"
            path.write_bytes(data)
            sources.append(str(path))
        command = [
            program,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(folder / "out"),
            *sources,
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise PdfError(f"LibreOffice 转换 PDF 超过 {TIMEOUT_SECONDS} 秒未完成。") from None
        out = {}
        for name in documents:
            pdf = folder / "out" / f"{name}.pdf"
            if not pdf.is_file():
                raise PdfError(f"LibreOffice 未能把 {name}.docx 转换为 PDF。")
            out[name] = pdf.read_bytes()
        return out


def to_pdf(document: bytes) -> bytes:
    return to_pdfs({"document": document})["document"]
