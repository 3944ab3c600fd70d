"""The record pages' entries in the site search (Material's lunr index, built in the visitor's browser).

What people type is found: a hazard's entry holds its title, description, county, enterprise,
status, 挂牌督办 level and the public names of the bodies and people responsible, as sentences
(the result snippet reads as text, not as table cells run together). Chinese is cut at build time
into its finest words (jieba, then its search mode inside each compound), fenced by zero-width
spaces. The browser does not segment a query with a dictionary: the theme cuts what is typed into
words *of the index* and matches each as a prefix (挂牌督办 → 挂牌*, 重大事故隐患 → 重大* 事故*), so
the index must hold the parts — a compound indexed whole (重大事故隐患) would never be found by
隐患 or 督办, while its parts are found by the parts and by the whole.

At scale the index must still load on a phone (budget: 3 MB, 1 MB compressed; measured by
tests/benchmarks/bench_site.py). Two bounds keep it so, whatever the registry's size:

- record pages enter the index kind by kind, the smallest kinds first, while together they number
  at most :data:`RECORD_ENTRY_LIMIT`; a kind that does not fit (hazards first, then inspections,
  then enterprises) is found through its list page — for hazards the register's own search, which
  filters every column — and one entry in the index says so (:func:`indexed_kinds`, :func:`entries`);
- a generated list page (定期汇总, the inspection and enterprise lists, 督办清单) keeps at most
  :data:`PAGE_TEXT_LIMIT` characters of text per section in the index (:func:`trimmed`).
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterable
from typing import Any

from rectify.model import Document

_HAN = re.compile(r"([\u3400-\u9fff\uf900-\ufaff]+)")
# Measured (bench_site.py 1000): the index grows ~1.2 KB per hazard (1.3 MB at 1,000 hazards);
# 1,500 record pages keep it near 2 MB, which a phone's browser fetches and indexes in seconds.
RECORD_ENTRY_LIMIT = 1500
PAGE_TEXT_LIMIT = 20_000  # characters of one section of a page in the index
REGISTER_PAGE = "hazards/index.html"
# where a kind's pages are searched when they are not in the index: (list page, title, text)
LIST_PAGES = {
    "hazards": (
        "hazards/index.md",
        "隐患台账：按编号、企业、县区、行业、状态查找隐患",
        "逐条隐患页面不进入站内搜索。请打开重大事故隐患台账或一般事故隐患台账，"
        "在表头输入编号、隐患名称、县区、挂牌督办或状态筛选。",
    ),
    "inspections": (
        "inspections/index.md",
        "检查：按编号、日期、检查单位查找检查记录",
        "逐条检查页面不进入站内搜索。请打开检查列表，按编号、日期或检查单位查找。",
    ),
    "enterprises": (
        "enterprises/index.md",
        "企业：按名称、统一社会信用代码、县区查找企业",
        "逐个企业页面不进入站内搜索。请打开企业列表，按名称、统一社会信用代码或县区查找。",
    ),
}


@functools.cache
def _jieba() -> Any:
    import jieba

    jieba.setLogLevel(60)
    return jieba


@functools.lru_cache(maxsize=65536)
def _cut(run: str) -> tuple[str, ...]:
    """A run of Han characters in its finest words: each word jieba finds, split again into the
    words its search mode sees inside it (重大事故隐患 → 重大, 事故, 隐患; 挂牌督办 → 挂牌, 督办)."""
    return tuple(part for word in _jieba().cut(run) for part in _fine(word))


def _fine(word: str) -> list[str]:
    if len(word) <= 2:
        return [word]
    ends: dict[int, int] = {}
    for _w, start, end in _jieba().tokenize(word, mode="search"):
        if 2 <= end - start < len(word):
            ends[start] = min(end, ends.get(start, end))
    out, at = [], 0
    while at < len(word):
        end = ends.get(at) or min((s for s in ends if s > at), default=len(word))
        out.append(word[at:end])
        at = end
    return out


def segment(text: str) -> str:
    """``text`` with its Chinese words fenced by zero-width spaces (invisible in the snippet)."""
    return _HAN.sub(lambda m: "\u200b" + "\u200b".join(_cut(m.group(0))) + "\u200b", text)


def entry(location: str, title: str, sentences: str) -> dict[str, str]:
    """A search index entry: title and text escaped (the theme shows them as HTML)."""
    return {
        "location": location,
        "title": html.escape(segment(title), quote=False),
        "text": html.escape(segment(sentences), quote=False),
    }


def kind_of(location: str) -> str:
    """The folder a record page is in (``hazards/2023/HAZ-….html`` → ``hazards``)."""
    return location.split("/", 1)[0]


def indexed_kinds(counts: dict[str, int]) -> set[str]:
    """The kinds (by folder) whose record pages enter the index: the smallest first, while
    together they number at most :data:`RECORD_ENTRY_LIMIT`; a kind without a list page to
    point to always stays."""
    kept, total = set(), 0
    for kind, count in sorted(counts.items(), key=lambda kc: (kc[1], kc[0])):
        if kind not in LIST_PAGES or total + count <= RECORD_ENTRY_LIMIT:
            kept.add(kind)
            total += count
    return kept


def entries(
    records: Iterable[tuple[str, str, str]],
    left_out: Iterable[str] = (),
    directory_urls: bool = False,
    pointers: Iterable[tuple[str, str, str]] = (),
) -> list[dict[str, str]]:
    """Entries for (location, title, sentences) of the record pages in the index, and one for
    each kind ``left_out``, pointing to its list page; when the hazards are left out, the
    ``pointers`` to the filtered registers too (:func:`register_pointers`)."""
    from rectify.site.html import page_url

    out = [entry(location, title, text) for location, title, text in records]
    for kind in sorted(left_out):
        page, title, text = LIST_PAGES[kind]
        out.append(entry(page_url(page, directory_urls), title, text))
        if kind == "hazards":
            out += [entry(location, title, text) for location, title, text in pointers]
    return out


POINTER_FIELDS = (("district", "县区"), ("industry", "行业领域"), ("supervision", "挂牌督办"))


def register_pointers(rows: list[dict[str, Any]], directory_urls: bool = False) -> list[tuple[str, str, str]]:
    """When the hazard pages are not in the index, what people type about hazards still leads
    somewhere: one entry per county, trade and 挂牌督办 level, opening the registers filtered by it
    (location, title, sentences)."""
    from urllib.parse import urlencode

    from rectify.site.html import page_url

    out = []
    for field, label in POINTER_FIELDS:
        counts: dict[str, list[int]] = {}
        for row in rows:
            value = str(row.get(field) or "")
            if value and value != "未挂牌":
                major = counts.setdefault(value, [0, 0])
                major[0 if row.get("level") == "重大事故隐患" else 1] += 1
        for value, (major_count, general_count) in counts.items():
            page = "hazards/index.md" if major_count else "hazards/general.md"
            location = page_url(page, directory_urls) + "?" + urlencode({field: value})
            out.append(
                (
                    location,
                    f"隐患台账：{value}的隐患",
                    f"{label}为{value}的隐患：重大事故隐患 {major_count} 条，一般事故隐患 {general_count} 条。"
                    "打开台账即按此筛选，可再按编号、隐患名称、状态、挂牌督办等查找。",
                )
            )
    return out


def trimmed(text: str, limit: int = PAGE_TEXT_LIMIT) -> str:
    """A page section's indexed text (HTML) cut to ``limit`` characters, never inside a tag or
    an entity."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if cut.rfind("<") > cut.rfind(">"):
        cut = cut[: cut.rfind("<")]
    if cut.rfind("&") > cut.rfind(";"):
        cut = cut[: cut.rfind("&")]
    return cut + " …"


def _clause(label: str, value: object) -> str:
    text = str(value or "").strip()
    return f"{label}：{text}。" if text else ""


def hazard_title(row: dict[str, Any]) -> str:
    """The result's heading says where and how far: a county or a 挂牌督办 level searched for
    matches a title, which the theme ranks first."""
    facts = [row["level"], row["district"], row["status"]]
    if row.get("supervision") and "挂牌督办" in str(row["supervision"]):
        facts.insert(2, row["supervision"])
    return f"{row['id']} {row['title']}（{'，'.join(f for f in facts if f)}）"


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


def enterprise_text(site: Any, doc: Document) -> str:
    e = doc.data
    return "".join(
        [
            f"{site.name(e.get('district'))}{site.name(e.get('town')) if e.get('town') else ''}，"
            f"{site.label('industry', e.get('industry'))}。统一社会信用代码：{doc.id}。",
            _clause("地址", e.get("address")),
            _clause("行业主管部门", site.name(e.get("competent_department"))),
        ]
    )


def campaign_text(site: Any, doc: Document) -> str:
    c = doc.data
    return "".join(
        [
            f"{site.label('campaign_level', c.get('level'))}专项整治，{site.label('campaign_status', c.get('status'))}。",
            _clause("牵头部门", site.name(c.get("lead_department"))),
            _clause("责任部门", "、".join(site.name(d) for d in c.get("departments") or [])),
            _clause("涉及县区", "、".join(site.name(d) for d in c.get("districts") or [])),
        ]
    )


def organization_text(site: Any, doc: Document) -> str:
    o = doc.data
    return "".join(
        [
            f"{o.get('short_name') or o.get('name') or doc.id}，{site.label('org_type', o.get('type'))}。",
            _clause("上级", site.name(o.get("parent"))),
            _clause("监管行业", "、".join(site.label("industry", i) for i in o.get("industries") or [])),
        ]
    )


def summary_text(site: Any, doc: Document, field: str) -> str:
    """A case (its summary) or a consultation (its issuer) in a sentence."""
    value = doc.data.get(field)
    shown = site.name(value) if field == "issuer" else value
    return f"{doc.id}。{_clause('发函单位' if field == 'issuer' else '案情', shown)}"
