"""Attachments on the site: a hazard's before/after photos side by side (thumbnails, lazy, sized,
captions as alt text), the acceptance sheet and scans as links in the internal profile only; the
register's "佐证材料" flag; which files the build copies; and the public build's last check that no
attachment that is not public reached the output (by SHA-256 over every output file).

Pure except :func:`leaks`, which the plugin calls on the written site."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from rectify.evidence import (
    FOLDER,
    IMAGE_TYPES,
    derivatives,
    entries,
    publishable,
)
from rectify.evidence.files import FileFacts
from rectify.model import Document, Registry
from rectify.site.context import Site
from rectify.site.html import esc, h2

FLAG_COMPLETE, FLAG_MISSING, FLAG_OPEN = "已销号·材料齐全", "已销号·缺少材料", "未销号"
KIND_LABELS = {
    "before": "整改前",
    "after": "整改后",
    "acceptance_sheet": "验收单",
    "reply_scan": "回复函扫描件",
    "notice": "通知书",
    "other": "其他材料",
}


def _shown(internal: bool, entry: dict[str, Any]) -> bool:
    return internal or publishable(entry)


def _record_entries(doc: Document) -> list[dict[str, Any]]:
    return [entry for _path, entry in entries(doc.kind, doc.data)]


def site_files(registry: Registry, internal: bool) -> list[str]:
    """``<RECORD-ID>/<name>`` of every file the build copies to ``evidence/``: the web copy and
    thumbnail of each shown image; in the internal profile also PDFs and other scans."""
    out: list[str] = []
    for kind in ("hazard",):  # the pages that show attachments (hazard pages)
        for doc in registry.records(kind):
            for entry in _record_entries(doc):
                if not _shown(internal, entry):
                    continue
                name = str(entry["file"])
                facts: FileFacts | None = registry.evidence.get(f"{doc.id}/{name}")
                if facts is None or facts.pointer or facts.sniffed is None:
                    continue
                names = derivatives(name) if facts.sniffed in IMAGE_TYPES else (name,)
                for item in names:
                    found = registry.evidence.get(f"{doc.id}/{item}")
                    if found is not None and not found.pointer:
                        out.append(f"{doc.id}/{item}")
    return out


def register_flag(doc: Document) -> str:
    """Closed with an after-photo and an acceptance sheet, closed without them, or not closed."""
    if doc.data.get("status") != "closed":
        return FLAG_OPEN
    kinds = {entry.get("kind") for entry in _record_entries(doc)}
    return FLAG_COMPLETE if {"after", "acceptance_sheet"} <= kinds else FLAG_MISSING


def flag_rows(hazards: list[Document], rows: list[dict[str, Any]]) -> None:
    """Add the ``evidence`` column to the register's rows (filter: 已销号·缺少材料)."""
    for doc, row in zip(hazards, rows, strict=True):
        row["evidence"] = register_flag(doc)


def _figure(site: Site, record_id: str, entry: dict[str, Any]) -> str:
    name = str(entry["file"])
    caption = str(entry.get("caption") or KIND_LABELS.get(str(entry.get("kind")), "照片"))
    label = KIND_LABELS.get(str(entry.get("kind")), "")
    web, thumb = derivatives(name)
    facts = site.registry.evidence.get(f"{record_id}/{thumb}")
    if facts is None or facts.pointer or not facts.width:
        original = site.registry.evidence.get(f"{record_id}/{name}")
        if original is None:
            why = "照片文件缺失"
        elif original.pointer:
            why = "照片内容未取回（Git LFS），暂不能显示"
        else:
            why = "缩略图尚未生成（请用 rectify evidence add 添加照片）"
        return (
            f'<figure class="rectify-evidence-missing"><p>{esc(label)}：{why}。</p>'
            f"<figcaption>{esc(caption)}</figcaption></figure>"
        )
    base = f"{FOLDER}/{record_id}/"
    return (
        f'<figure class="rectify-evidence-photo" data-kind="{esc(entry.get("kind"))}">'
        f'<a href="{site.href(base + web)}"><img src="{site.href(base + thumb)}" loading="lazy" '
        f'width="{facts.width}" height="{facts.height}" alt="{esc(caption)}"></a>'
        f"<figcaption><strong>{esc(label)}</strong> {esc(caption)}"
        f"{(' · ' + esc(entry.get('taken_on'))) if entry.get('taken_on') else ''}</figcaption></figure>"
    )


def gallery(site: Site, doc: Document) -> str:
    """The hazard page's 佐证材料 section (empty when nothing is shown in this profile)."""
    internal = not site.options.public
    record_id = str(doc.id)
    shown = [e for e in _record_entries(doc) if _shown(internal, e)]
    hidden = len(_record_entries(doc)) - len(shown)
    photos = [e for e in shown if str(e["file"]).rsplit(".", 1)[-1] != "pdf"]
    befores = [e for e in photos if e.get("kind") == "before"]
    afters = [e for e in photos if e.get("kind") == "after"]
    others = [e for e in shown if e not in befores and e not in afters]
    parts: list[str] = []
    for index in range(max(len(befores), len(afters))):
        pair = [lst[index] for lst in (befores, afters) if index < len(lst)]
        figures = "".join(_figure(site, record_id, e) for e in pair)
        parts.append(f'<div class="rectify-evidence-pair">{figures}</div>')
    if others:
        links = []
        for entry in others:
            href = site.href(f"{FOLDER}/{record_id}/{entry['file']}")
            facts = site.registry.evidence.get(f"{record_id}/{entry['file']}")
            kind = KIND_LABELS.get(str(entry.get("kind")), "材料")
            text = f"{esc(kind)}：{esc(entry.get('caption') or entry['file'])}"
            if facts is None or facts.pointer:
                links.append(f"<li>{text}（内容未取回，暂不能查看）</li>")
            elif facts.sniffed in IMAGE_TYPES:
                web = site.href(f"{FOLDER}/{record_id}/{derivatives(str(entry['file']))[0]}")
                links.append(f'<li><a href="{web}">{text}</a></li>')
            else:
                links.append(f'<li><a href="{href}">{text}</a>（PDF，仅内部版）</li>')
        parts.append(f'<ul class="rectify-evidence-links">{"".join(links)}</ul>')
    if hidden and not internal:
        parts.append(
            f'<p class="rectify-meta">另有 {hidden} 份佐证材料（验收单、扫描件或未公开的照片）只在内部版显示。</p>'
        )
    if not parts:
        return ""
    return h2("佐证材料") + '<div class="rectify-evidence">' + "".join(parts) + "</div>\n\n"


def leaks(site_dir: Path, registry_dir: Path, published: set[str]) -> list[str]:
    """Output files whose bytes equal an attachment that is not published (any file under
    ``registry/evidence/`` outside ``published``, originals included), as "output ← source"."""
    secret: dict[str, str] = {}
    top = registry_dir / FOLDER
    if top.is_dir():
        for path in sorted(top.rglob("*")):
            key = path.relative_to(top).as_posix()
            if path.is_file() and not path.is_symlink() and key not in published and path.stat().st_size:
                secret.setdefault(hashlib.sha256(path.read_bytes()).hexdigest(), key)
    found = []
    for path in sorted(site_dir.rglob("*")):
        if path.is_file() and secret and path.stat().st_size:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if digest in secret:
                found.append(f"{path.relative_to(site_dir).as_posix()} ← registry/{FOLDER}/{secret[digest]}")
    return found
