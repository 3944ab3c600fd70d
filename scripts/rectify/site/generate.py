"""The pure step: Registry → {source path: Markdown page} and {output path: data file}.

No file access and no MkDocs here; :mod:`rectify.site.plugin` hands the result to MkDocs as
virtual files. Other parts of the project add their own output through :data:`CONTRIBUTORS`
(e.g. the web-form CMS under ``admin/``): each is called with the same :class:`Site` and returns
more pages and files, merged in order.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from rectify import cms
from rectify.model import Document, Registry
from rectify.site import (
    downloads,
    evidence,
    pages_bodies,
    pages_campaigns,
    pages_duties,
    pages_hazards,
    pages_home,
    search,
)
from rectify.site.context import Site, SiteOptions
from rectify.site.history import History
from rectify.site.html import plain
from rectify.site.pages_reports import contribute as contribute_reports
from rectify.site.records import RecordPage
from rectify.site.stats import hazard_row


@dataclass(slots=True)
class SiteContent:
    pages: dict[str, str] = field(default_factory=dict)  # docs-relative .md path → Markdown
    files: dict[str, bytes] = field(default_factory=dict)  # output-relative path → bytes
    records: dict[str, RecordPage] = field(default_factory=dict)  # per-record lean pages (records.py)
    search_pointers: list[tuple[str, str, str]] = field(default_factory=list)  # see search.register_pointers

    def merge(self, other: SiteContent) -> None:
        self.pages.update(other.pages)
        self.files.update(other.files)
        self.records.update(other.records)
        self.search_pointers += other.search_pointers


Contributor = Callable[[Site], SiteContent]


def _web_form(site: Site) -> SiteContent:
    """The web form under ``admin/`` (:mod:`rectify.cms`), generated from the schemas."""
    return SiteContent(files=cms.site_files(site.registry, current_year=site.options.today.year))


CONTRIBUTORS: list[Contributor] = [_web_form]  # extension point: functions adding pages or files
CONTRIBUTORS.append(contribute_reports)  # 定期报告 (monthly and quarterly 公文)

RULES_PLACEHOLDER = "---\ntitle: 检查规则\n---\n\n# 检查规则\n\n规则说明尚未生成。\n"


def _grouped(site: Site, kind: str, field_name: str) -> dict[str, list[Document]]:
    return pages_campaigns.by_reference(site, kind, field_name)


def generate(registry: Registry, options: SiteOptions, history: History | None = None) -> SiteContent:
    """Every generated page and data file of the site for ``options.profile``."""
    site = Site(registry, options, history or History())
    out = SiteContent()
    pages = out.pages
    findings = pages_duties.collect(site)  # the duty rules, run once (督办清单, register flags)
    site.findings = dict(pages_duties.by_record(findings))
    site.findings_by_body = Counter(f.body for f in findings)

    def page(path: str, render: Callable[[], str]) -> None:
        site.page = path
        pages[path] = render()

    def record(
        path: str, title: str, search: Callable[[], str], render: Callable[[], str], search_title: str = ""
    ) -> None:
        """A record's page, made when it is written (:mod:`rectify.site.records`)."""

        def body() -> str:
            site.page = path
            return render()

        out.records[path] = RecordPage(plain(title), body, search, search_title)

    board = pages_home.dashboard(site)
    page("index.md", lambda: pages_home.home(site, board, findings))
    page(pages_duties.PAGE, lambda: pages_duties.duties_page(site, findings))
    page("reports/summary.md", lambda: pages_home.summary(site, board))

    # hazards: the register (major), the general hazards, one page each, and the downloads
    hazards = site.records("hazard")
    rows = [hazard_row(site, h.data) for h in hazards]
    evidence.flag_rows(hazards, rows)
    major = [r for h, r in zip(hazards, rows, strict=True) if h.data.get("level") == "major"]
    general = [r for h, r in zip(hazards, rows, strict=True) if h.data.get("level") != "major"]
    out.files["data/register-major.json"] = downloads.register_json(major)
    out.files["data/register-general.json"] = downloads.register_json(general)
    page(
        "hazards/index.md",
        lambda: pages_hazards.register(
            site,
            "data/register-major.json",
            "重大事故隐患台账",
            f"共 {len(major)} 条重大事故隐患。在表头输入或选择即可按县区、行业、状态、专项整治、挂牌督办、责任部门、是否逾期和核查发现筛选，点击表头排序；"
            "筛选和排序写在网址中，可以收藏或发给别人。",
        ),
    )
    page(
        "hazards/general.md",
        lambda: pages_hazards.register(
            site,
            "data/register-general.json",
            "一般事故隐患",
            f"共 {len(general)} 条一般事故隐患。筛选和排序写在网址中，可以收藏或发给别人。",
        ),
    )
    for doc, row in zip(hazards, rows, strict=True):
        record(
            site.target(doc.id or "") or "",
            f"{row['id']} {row['title']}",
            lambda doc=doc, row=row: search.hazard_text(site, doc, row),  # type: ignore[misc]
            lambda doc=doc: pages_hazards.hazard_page(site, doc),  # type: ignore[misc]
            search.hazard_title(row),
        )
    out.files.update(downloads.files(site, rows))
    out.search_pointers = search.register_pointers(rows, options.directory_urls)
    page("downloads.md", lambda: downloads.downloads_page(site, len(rows)))

    # campaigns, plans, inspections
    plans = _grouped(site, "plan", "campaign")
    children = _grouped(site, "campaign", "parent")
    inspections = _grouped(site, "inspection", "campaign")
    by_campaign = _grouped(site, "hazard", "campaign")
    page("campaigns/index.md", lambda: pages_campaigns.campaign_index(site))
    page("campaigns/plans.md", lambda: pages_campaigns.plans_page(site))
    for doc in site.records("campaign"):
        cid = doc.id or ""
        record(
            f"campaigns/{cid}.md",
            f"{cid} {doc.data.get('title') or ''}",
            lambda doc=doc: search.campaign_text(site, doc),  # type: ignore[misc]
            lambda doc=doc, cid=cid: pages_campaigns.campaign_page(  # type: ignore[misc]
                site, doc, plans[cid], children[cid], inspections[cid], by_campaign[cid]
            ),
        )
    page("inspections/index.md", lambda: pages_campaigns.inspection_index(site))
    for doc in site.records("inspection"):
        kind = site.label("inspection_type", doc.data.get("type"))
        record(
            site.target(doc.id or "") or "",
            f"{doc.id} {kind}",
            lambda doc=doc, kind=kind: f"{kind} {site.name(doc.data.get('by'))} {doc.data.get('date', '')}",  # type: ignore[misc]
            lambda doc=doc: pages_campaigns.inspection_page(site, doc),  # type: ignore[misc]
        )

    # organizations, responsibilities, enterprises
    people = _grouped(site, "person", "organization")
    held = _grouped(site, "responsibility", "holder")
    led = _grouped(site, "campaign", "lead_department")
    supervised: dict[str, list[Document]] = defaultdict(list)
    for doc in hazards:
        dept = (doc.data.get("rectification") or {}).get("department")
        if isinstance(dept, str):
            supervised[dept].append(doc)
    baobao: dict[str, list[tuple[Document, dict[str, object]]]] = defaultdict(list)
    for doc in site.records("responsibility"):
        for entry in doc.data.get("baobao") or []:
            if isinstance(entry, dict) and isinstance(entry.get("target"), str):
                baobao[entry["target"]].append((doc, entry))
    in_area = _grouped(site, "hazard", "district")
    page("organizations/index.md", lambda: pages_bodies.organization_index(site))
    page("organizations/responsibilities.md", lambda: pages_bodies.responsibilities_page(site))
    for doc in site.records("organization"):
        oid = doc.id or ""
        record(
            f"organizations/{oid}.md",
            str(doc.data.get("name") or oid),
            lambda doc=doc: search.organization_text(site, doc),  # type: ignore[misc]
            lambda doc=doc, oid=oid: pages_bodies.organization_page(  # type: ignore[misc]
                site, doc, people[oid], held[oid], baobao[oid], led[oid], supervised[oid], in_area[oid]
            ),
        )
    by_enterprise = _grouped(site, "hazard", "enterprise")
    cases = _grouped(site, "case", "enterprise")
    counts = Counter({eid: len(docs) for eid, docs in by_enterprise.items()})
    page("enterprises/index.md", lambda: pages_bodies.enterprise_index(site, counts))
    for doc in site.records("enterprise"):
        eid = doc.id or ""
        record(
            f"enterprises/{eid}.md",
            str(doc.data.get("name") or eid),
            lambda doc=doc, eid=eid: search.enterprise_text(site, doc),  # type: ignore[misc]
            lambda doc=doc, eid=eid: pages_bodies.enterprise_page(site, doc, by_enterprise[eid], cases[eid]),  # type: ignore[misc]
        )

    # actions and cases, consultations, publicity and training
    page("actions/index.md", lambda: pages_bodies.actions_page(site))
    for doc in site.records("case"):
        record(
            f"actions/cases/{doc.id}.md",
            str(doc.data.get("title") or doc.id),
            lambda doc=doc: search.summary_text(site, doc, "summary"),  # type: ignore[misc]
            lambda doc=doc: pages_bodies.case_page(site, doc),  # type: ignore[misc]
        )
    page("consultations/index.md", lambda: pages_bodies.consultation_index(site))
    for doc in site.records("consultation"):
        record(
            f"consultations/{doc.id}.md",
            str(doc.data.get("title") or doc.id),
            lambda doc=doc: search.summary_text(site, doc, "issuer"),  # type: ignore[misc]
            lambda doc=doc: pages_bodies.consultation_page(site, doc),  # type: ignore[misc]
        )
    page("activities/index.md", lambda: pages_bodies.activities_page(site))

    for contribute in CONTRIBUTORS:
        out.merge(contribute(site))
    return out
