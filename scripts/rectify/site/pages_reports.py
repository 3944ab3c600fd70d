"""定期报告 (internal profile): the monthly and quarterly reports to the 党委政府 of every period,
generated at build time as .docx (and .pdf when LibreOffice is installed), with each period's
headline figures from :func:`rectify.documents.figures.period_figures` — the same numbers as the
documents and ``rectify report --format json``. The public profile gets a page saying where they are."""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING, Any

from rectify.documents.figures import Period, month_of, quarter_of
from rectify.facts import date
from rectify.site.context import Site
from rectify.site.html import esc, relative

if TYPE_CHECKING:
    from rectify.site.generate import SiteContent

MONTHS, QUARTERS = 6, 4  # the periods generated at each build (older ones: rectify doc)
PAGE = "reports/documents.md"
FOLDER = "reports/documents"


def periods(site: Site) -> list[Period]:
    """The last :data:`MONTHS` months and :data:`QUARTERS` quarters up to the build's "today" (from
    the first major hazard found): the documents and the rules' run per period stay bounded."""
    today = site.options.today
    found = [
        on
        for doc in site.registry.records("hazard")
        if doc.data.get("level") == "major"
        and (on := date((doc.data.get("found") or {}).get("date")))
        and on <= today
    ]
    if not found:
        return []
    out: list[Period] = []
    for first, keep in ((month_of, MONTHS), (quarter_of, QUARTERS)):
        current, kept = first(min(found)), []
        while current.start <= today:
            kept.append(current.until(today))
            current = first(current.end + dt.timedelta(days=1))
        out += kept[-keep:]
    return out


def contribute(site: Site) -> SiteContent:
    from rectify.site.generate import SiteContent

    out = SiteContent()
    if site.options.public:
        out.pages[PAGE] = (
            "---\ntitle: 定期报告\n---\n\n# 定期报告\n\n"
            "向党委政府报送的月度、季度报告（公文）只在内部版站点提供。\n"
        )
        return out
    from rectify.documents.periodic import findings_at, periodic_report
    from rectify.documents.source import DocumentError, Source

    entries: list[tuple[Period, str, dict[str, Any] | str]] = []
    documents: dict[str, bytes] = {}
    for period in periods(site):
        findings = findings_at(site.registry, period.end)
        source = Source(site.registry, [], site.options.today, findings)
        name = f"{'月报' if period.kind == 'month' else '季报'}-{period.key}"
        try:
            official, figures = periodic_report(source, period, None, None)
        except DocumentError as exc:
            entries.append((period, name, exc.message))
            continue
        documents[name] = official.to_bytes()
        out.files[f"{FOLDER}/{name}.docx"] = documents[name]
        entries.append((period, name, figures))
    note, pdfs = _pdfs(out, documents)
    rows = []
    for period, name, result in entries:
        full = month_of(period.start) if period.kind == "month" else quarter_of(period.start)
        label = period.label + (f"（截至 {period.end.isoformat()}）" if period.end < full.end else "")
        if isinstance(result, str):
            rows.append(f'<tr><td>{esc(label)}</td><td colspan="6">{esc(result)}</td></tr>')
            continue
        head = result["headline"]
        href = relative(f"{FOLDER}/{name}", PAGE, site.options.directory_urls)
        links = f'<a href="{esc(href)}.docx">Word</a>'
        if name in pdfs:
            links += f' · <a href="{esc(href)}.pdf">PDF</a>'
        rows.append(
            f"<tr><td>{esc(label)}</td><td>{head['found']}</td><td>{head['closed']}</td>"
            f"<td>{head['total']}</td><td>{head['overdue']}</td><td>{head['rate']:g}%</td><td>{links}</td></tr>"
        )
    out.pages[PAGE] = "\n".join(
        [
            "---",
            "title: 定期报告",
            "---",
            "",
            "# 定期报告",
            "",
            f"向党委政府报送的月度、季度报告（公文，GB/T 9704-2012 格式），由登记册在构建时（{site.options.today.isoformat()}）生成；"
            f"表中数字与报告正文、`rectify report --format json` 相同。这里提供最近 {MONTHS} 个月和 {QUARTERS} 个季度的报告，"
            "更早的期间可用 `rectify doc monthly --month YYYY-MM` 或 `rectify doc quarterly --quarter YYYY-Qn` 生成。"
            + note,
            "",
            '<table class="rectify-table"><thead><tr><th>期间</th><th>新发现重大隐患</th><th>本期销号</th>'
            "<th>累计重大隐患</th><th>期末逾期</th><th>整改率</th><th>下载</th></tr></thead><tbody>",
            *rows,
            "</tbody></table>",
            "",
        ]
    )
    return out


def _pdfs(out: SiteContent, documents: dict[str, bytes]) -> tuple[str, set[str]]:
    """PDFs through LibreOffice when it is installed (``RECTIFY_SITE_PDF=0`` skips them)."""
    from rectify.documents.pdf import PdfError, soffice, to_pdfs

    if not documents:
        return "", set()
    if os.environ.get("RECTIFY_SITE_PDF") == "0" or soffice() is None:
        return (
            "本次构建未安装 LibreOffice，只提供 Word 版（.docx），可用 `rectify doc … --format pdf` 另行生成 PDF。",
            set(),
        )
    try:
        pdfs = to_pdfs(documents)
    except PdfError as exc:
        return f"PDF 未能生成（{exc}），只提供 Word 版。", set()
    for name, data in pdfs.items():
        out.files[f"{FOLDER}/{name}.pdf"] = data
    return "", set(pdfs)
