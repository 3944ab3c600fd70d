"""The record pages' entries in the site search (Material's lunr index, built in the visitor's browser).

What people type is found: a hazard's entry holds its title, description, county, enterprise,
status, 挂牌督办 level and the public names of the bodies and people responsible, as sentences
(the result snippet reads as text, not as table cells run together). Chinese is cut at build time
like the search plugin cuts pages (jieba with the site dictionary, words fenced by zero-width
spaces), and the words *inside* each compound (jieba's search mode: 重大事故隐患 → 事故, 隐患, 重大,
…) are indexed too, in a hidden element: the browser does not segment a query, it matches the
typed words against the index's own words, so 隐患 or 督办 must be words of the index.

At scale the index must still load on a phone: above :data:`RECORD_ENTRY_LIMIT` record pages the
hazards leave the site index (one entry says where to search them: the register's own search,
which filters every column) — see :func:`entries`.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterable
from typing import Any

from rectify.load import Document

_HAN = re.compile(r"([\u3400-\u9fff\uf900-\ufaff]+)")
# Measured (bench_site.py): the index grows ~0.45 KB per hazard; 3,000 record pages keep it under
# ~2 MB uncompressed, which a mid-range phone's browser indexes in a few seconds.
RECORD_ENTRY_LIMIT = 3000
REGISTER_PAGE = "hazards/index.html"


@functools.cache
def _jieba() -> Any:
    import jieba

    jieba.setLogLevel(60)
    return jieba


@functools.lru_cache(maxsize=65536)
def _cut(run: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(precise words, the further words of search mode) of one run of Han characters."""
    jieba = _jieba()
    words = tuple(jieba.cut(run))
    seen = set(words)
    extra = tuple(w for w in jieba.cut_for_search(run) if len(w) > 1 and w not in seen)
    return words, extra


def segment(text: str, parts: set[str] | None = None) -> str:
    """``text`` with its Chinese words fenced by zero-width spaces; the words inside compounds are
    added to ``parts`` when given."""

    def cut(match: re.Match[str]) -> str:
        words, extra = _cut(match.group(0))
        if parts is not None:
            parts.update(extra)
        return "\u200b" + "\u200b".join(words) + "\u200b"

    return _HAN.sub(cut, text)


def entry(location: str, title: str, sentences: str) -> dict[str, str]:
    """A search index entry: title and text escaped (the theme shows them as HTML)."""
    parts: set[str] = set()
    title_html = html.escape(segment(title, parts), quote=False)
    text_html = html.escape(segment(sentences, parts), quote=False)
    if parts:
        text_html += '<span hidden class="rectify-terms">' + " ".join(sorted(parts)) + "</span>"
    return {"location": location, "title": title_html, "text": text_html}


def entries(records: Iterable[tuple[str, str, str]], count: int) -> list[dict[str, str]]:
    """Entries for (location, title, sentences) of ``count`` record pages; above the limit the
    hazard pages are left out and one entry points to the register."""
    if count <= RECORD_ENTRY_LIMIT:
        return [entry(location, title, text) for location, title, text in records]
    kept = [entry(loc, title, text) for loc, title, text in records if "/HAZ-" not in loc]
    kept.append(
        entry(
            REGISTER_PAGE,
            "隐患台账：按编号、企业、县区、行业、状态查找隐患",
            f"本平台登记的隐患超过 {RECORD_ENTRY_LIMIT} 条，逐条隐患页面不进入站内搜索。"
            "请打开重大事故隐患台账或一般事故隐患台账，在表头输入编号、企业、县区、挂牌督办或状态筛选。",
        )
    )
    return kept


def _clause(label: str, value: object) -> str:
    text = str(value or "").strip()
    return f"{label}：{text}。" if text else ""


def hazard_text(site: Any, doc: Document, row: dict[str, Any]) -> str:
    """What a hazard's search entry says, in sentences (public names only: :meth:`Site.name`)."""
    h = doc.data
    rect = h.get("rectification") or {}
    supervision = h.get("supervision") or {}
    said = [
        f"{row['district']}{site.name(h.get('town')) if h.get('town') else ''}"
        f"{row['enterprise']}，{row['industry']}，{row['level']}，{row['status']}。",
        str(h.get("description") or "").strip().rstrip("。") + "。" if h.get("description") else "",
        _clause("位置", h.get("location")),
    ]
    if supervision.get("level") not in (None, "none"):
        by = site.name(supervision.get("by")) if supervision.get("by") else ""
        said.append(f"{row['supervision']}{'（' + by + '）' if by else ''}。")
    said += [
        _clause("整改责任部门", row["department"]),
        _clause("整改责任人", site.name(rect.get("person")) if rect.get("person") else ""),
        _clause("督办责任人", site.name(rect.get("supervisor")) if rect.get("supervisor") else ""),
        _clause("整改时限", row["deadline"]),
        _clause("专项整治", row["campaign"]),
    ]
    return "".join(s for s in said if s)
