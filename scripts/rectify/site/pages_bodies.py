"""Organizations with their responsibility lists and 包保, enterprises, accountability actions and
typical cases (曝光), consultations (who answered, who counts as 无意见), publicity and training."""

from __future__ import annotations

from collections import defaultdict

from rectify.facts import AREA_TYPES
from rectify.model import Document
from rectify.site.context import Site
from rectify.site.html import dl, esc, h2, table, ul
from rectify.site.pages_hazards import breadcrumb, hazard_list, register_links


def _contact(site: Site, data: object) -> str:
    """Contact details: only in the internal build (x-private)."""
    if site.options.public or not isinstance(data, dict):
        return ""
    return "；".join(f"{esc(k)} {esc(v)}" for k, v in data.items())


def organization_index(site: Site) -> str:
    groups: dict[str, list[Document]] = defaultdict(list)
    for doc in site.records("organization"):
        groups[site.label("org_type", doc.data.get("type"))].append(doc)
    out = ["---\ntitle: 机构与责任\n---\n\n# 机构与责任\n\n"]
    out.append(
        f'<p><a href="{site.href("organizations/responsibilities.md")}">全部责任清单与包保</a></p>\n\n'
    )
    for label, docs in groups.items():
        out.append(f"<h2>{esc(label)}</h2>\n\n")
        out.append(ul(site.link(d.id) for d in docs))
    return "".join(out)


def organization_page(
    site: Site,
    doc: Document,
    people: list[Document],
    held: list[Document],
    baobao: list[tuple[Document, dict[str, object]]],
    led: list[Document],
    hazards: list[Document],
    area: list[Document] | None = None,
) -> str:
    """An organization; a county's page lists its hazards; links into the prefiltered registers."""
    area = area or []
    o = doc.data
    parts = [
        breadcrumb(site, [("机构与责任", "organizations/index.md")], str(o.get("name") or doc.id)),
        f"<h1>{esc(o.get('name'))}</h1>\n\n",
        dl(
            [
                ("简称", esc(o.get("short_name"))),
                ("类型", esc(site.label("org_type", o.get("type")))),
                ("上级", site.link(o.get("parent"))),
                ("主要负责人（安全生产第一责任人）", site.link(o.get("main_person"))),
                ("同级党委或政府（党政同责）", site.link(o.get("counterpart"))),
                (
                    "执法领域",
                    "、".join(esc(site.label("industry", i)) for i in o.get("enforcement") or [])
                    or "无执法权",
                ),
                (
                    "监管行业（三管三必须）",
                    "、".join(esc(site.label("industry", i)) for i in o.get("industries") or []),
                ),
            ]
        ),
        h2("责任清单"),
        responsibility_list(site, held) if held else "<p>（无）</p>\n\n",
        h2("包保责任（本单位被包保）"),
        ul(
            f"{site.link(r.data.get('holder'))}（{site.link(r.id, r.id or '')}，自 {esc(entry.get('since'))}）"
            for r, entry in baobao
        ),
        h2("牵头的专项整治"),
        ul(site.link(c.id) for c in led),
        h2("人员"),
        ul(
            f"{esc(site.name(p.id))}{_duty(site, p.data)}{(' · ' + _contact(site, p.data.get('contact'))) if _contact(site, p.data.get('contact')) else ''}"
            for p in people
        ),
    ]
    if area or o.get("type") in AREA_TYPES:
        parts += [
            h2("辖区隐患"),
            register_links(site, "district", site.name(doc.id)) if area else "",
            hazard_list(site, [h.data for h in area]) if area else "<p>（无）</p>\n\n",
        ]
    if hazards:
        parts += [
            h2("负责督办的隐患"),
            register_links(site, "department", site.name(doc.id)),
            hazard_list(site, [h.data for h in hazards]),
        ]
    duties = site.findings_by_body.get(doc.id or "", 0)
    if duties:
        parts.append(
            f'<p>督办清单中有本单位 {duties} 条事项：<a href="{site.href("duties.md#body-" + (doc.id or ""))}">查看</a>。</p>\n\n'
        )
    return "".join(parts)


def _data(site: Site, person_id: object) -> dict[str, object]:
    doc = site.registry.get("person", person_id) if isinstance(person_id, str) else None
    return doc.data if doc is not None else {}


def _duty(site: Site, person: dict[str, object]) -> str:
    """A leader's safety duty (一(一) 党政同责、一岗双责): role and the bodies in their charge."""
    role = site.label("leadership_role", person.get("leadership_role"))
    oversees = site.links(person.get("oversees"))
    return f"（{esc(role)}{'，分管 ' + oversees if oversees else ''}）" if role else ""


def responsibility_list(site: Site, docs: list[Document], level: int = 3) -> str:
    """Each list under a heading one level below the page's section (``level``: 2 on its own page)."""
    out = []
    for doc in docs:
        r = doc.data
        out.append(
            f'<h{level} id="{esc(doc.id)}">{esc(doc.id)} {esc(r.get("title") or site.label("responsibility_kind", r.get("kind")))}</h{level}>\n\n'
        )
        out.append(
            dl(
                [
                    ("责任人/单位", site.link(r.get("holder")) + _duty(site, _data(site, r.get("holder")))),
                    ("类型", esc(site.label("responsibility_kind", r.get("kind")))),
                    ("专项整治", site.link(r.get("campaign"))),
                ]
            )
        )
        duties = [
            [esc(d.get("task")), esc(d.get("deadline")), esc(site.label("duty_status", d.get("status")))]
            for d in r.get("duties") or []
        ]
        if duties:
            out.append(table(["任务", "时限", "进展"], duties))
        if r.get("baobao"):
            out.append(
                table(
                    ["包保对象", "起始日期"],
                    [[site.link(b.get("target")), esc(b.get("since"))] for b in r["baobao"]],
                )
            )
    return "".join(out)


def responsibilities_page(site: Site) -> str:
    return "---\ntitle: 责任清单与包保\n---\n\n# 责任清单与包保\n\n" + responsibility_list(
        site, site.records("responsibility"), 2
    )


def enterprise_index(site: Site, hazard_counts: dict[str, int]) -> str:
    rows = [
        [
            site.link(d.id),
            esc(d.id),
            site.link(d.data.get("district")),
            esc(site.label("industry", d.data.get("industry"))),
            site.link(d.data.get("competent_department")),
            str(hazard_counts.get(d.id or "", 0)),
        ]
        for d in site.records("enterprise")
    ]
    return "---\ntitle: 企业\n---\n\n# 生产经营单位\n\n" + table(
        ["企业", "统一社会信用代码", "县区", "行业", "主管部门", "隐患"], rows
    )


def enterprise_page(site: Site, doc: Document, hazards: list[Document], cases: list[Document]) -> str:
    e = doc.data
    return "".join(
        [
            breadcrumb(site, [("企业", "enterprises/index.md")], str(e.get("name") or doc.id)),
            f"<h1>{esc(e.get('name'))}</h1>\n\n",
            dl(
                [
                    ("统一社会信用代码", esc(doc.id)),
                    ("县区", site.link(e.get("district"))),
                    ("乡镇（街道）", site.link(e.get("town"))),
                    ("地址", esc(e.get("address"))),
                    ("行业领域", esc(site.label("industry", e.get("industry")))),
                    ("行业主管部门", site.link(e.get("competent_department"))),
                    ("主要负责人", site.link(e.get("main_person"))),
                    ("隐患清单企业内公布日期", esc(e.get("hazard_list_published_on")) or "未公布"),
                    ("自查结果报送", site.links(e.get("reported_to"))),
                    ("联系方式", _contact(site, e.get("contact"))),
                ]
            ),
            h2("隐患"),
            hazard_list(site, [h.data for h in hazards]),
            h2("典型案例"),
            ul(site.link(c.id) for c in cases),
        ]
    )


def actions_page(site: Site) -> str:
    rows = [
        [
            f'<span id="{esc(d.id)}">{esc(d.id)}</span>',
            esc(site.label("action_type", d.data.get("type"))),
            site.link(d.data.get("target")),
            site.link(d.data.get("by")),
            esc(d.data.get("date")),
            esc(d.data.get("reason")),
            site.links(d.data.get("hazards")),
            f"{d.data['penalty_cny']:,} 元" if isinstance(d.data.get("penalty_cny"), int) else "",
            esc(d.data.get("outcome")),
        ]
        for d in site.records("action")
    ]
    cases = ul(f"{site.link(c.id)}（{esc(c.data.get('published_on'))}）" for c in site.records("case"))
    return (
        "---\ntitle: 问责处置与典型案例\n---\n\n# 问责处置与典型案例\n\n## 典型案例曝光\n\n"
        + cases
        + "## 问责处置\n\n"
        + table(["编号", "方式", "对象", "作出单位", "日期", "事由", "隐患", "罚款", "结果"], rows)
    )


def case_page(site: Site, doc: Document) -> str:
    c = doc.data
    actions = [site.registry.get("action", a) for a in c.get("actions") or [] if isinstance(a, str)]
    return "".join(
        [
            breadcrumb(site, [("问责处置与典型案例", "actions/index.md")], doc.id or ""),
            f"<h1>{esc(c.get('title'))}</h1>\n\n",
            dl(
                [
                    ("编号", esc(doc.id)),
                    ("企业", site.link(c.get("enterprise"))),
                    ("专项整治", site.link(c.get("campaign"))),
                    ("曝光日期", esc(c.get("published_on"))),
                ]
            ),
            f'<p class="rectify-text">{esc(c.get("summary"))}</p>\n\n',
            h2("处置措施"),
            ul(
                f"{site.link(a.id, a.id or '')} {esc(site.label('action_type', a.data.get('type')))}：{site.link(a.data.get('target'))}"
                for a in actions
                if a
            ),
        ]
    )


def recipients_of(site: Site, c: dict[str, object]) -> list[str]:
    """Every recipient: those named, plus each member of a named group (e.g. 市安委会)."""
    named = [r for r in c.get("recipients") or [] if isinstance(r, str)]  # type: ignore[attr-defined]
    groups = set(c.get("recipient_groups") or [])  # type: ignore[call-overload]
    members = [
        d.id or "" for d in site.records("organization") if groups.intersection(d.data.get("member_of") or [])
    ]
    return list(dict.fromkeys(named + members))


def consultation_index(site: Site) -> str:
    rows = [
        [
            site.link(d.id, d.id or ""),
            site.link(d.id),
            esc(d.data.get("sent_on")),
            esc(d.data.get("deadline")),
            str(len(d.data.get("responses") or [])),
        ]
        for d in site.records("consultation")
    ]
    return "---\ntitle: 征求意见\n---\n\n# 征求意见\n\n" + table(
        ["编号", "标题", "发出", "截止", "回复"], rows
    )


def consultation_page(site: Site, doc: Document) -> str:
    c = doc.data
    deadline = str(c.get("deadline") or "")
    closed = bool(deadline) and site.options.today.isoformat() > deadline
    responses = {str(r.get("from")): r for r in c.get("responses") or [] if isinstance(r, dict)}
    rows, silent = [], []
    for rid in dict.fromkeys([*recipients_of(site, c), *responses]):
        r = responses.get(rid)
        if r is None:
            silent.append(site.link(rid))
            continue
        main = site.registry.get("organization", rid) or site.registry.get("enterprise", rid)
        main_person = main.data.get("main_person") if main else None
        flags = []
        if main_person and r.get("signed_by") != main_person:
            flags.append("非主要负责人签字")
        if not r.get("sealed"):
            flags.append("未加盖公章")
        if deadline and str(r.get("date") or "") > deadline:
            flags.append("逾期回复")
        opinion = esc(r.get("opinion")) if r.get("opinion") else "无意见"
        rows.append(
            [
                site.link(rid),
                esc(r.get("date")),
                opinion,
                site.link(r.get("signed_by")),
                "、".join(flags) or "签字盖章齐全",
            ]
        )
    doc_info = c.get("document") or {}
    return "".join(
        [
            breadcrumb(site, [("征求意见", "consultations/index.md")], doc.id or ""),
            f"<h1>{esc(c.get('title'))}</h1>\n\n",
            dl(
                [
                    ("编号", esc(doc.id)),
                    ("征求意见稿", esc(doc_info.get("title"))),
                    ("发函单位", site.link(c.get("issuer"))),
                    ("发出日期", esc(c.get("sent_on"))),
                    ("截止日期", esc(deadline) + "（下班前；逾期视为无意见）"),
                    ("联系人", _contact(site, c.get("contact"))),
                ]
            ),
            h2("回复情况"),
            f'<p class="rectify-meta">截至 {site.options.today.isoformat()}：{"已截止，未回复的单位视为无意见" if closed else "尚未截止"}。</p>\n\n',
            table(["单位", "回复日期", "意见", "签字", "核对"], rows)
            if rows
            else "<p>尚无单位回复。</p>\n\n",
            (
                f"<p>{'逾期未回复、视为无意见' if closed else '尚未回复'}的单位（{len(silent)} 个）："
                + "、".join(silent)
                + "。</p>\n\n"
            )
            if silent
            else "",
        ]
    )


def activities_page(site: Site) -> str:
    rows = [
        [
            f'<span id="{esc(d.id)}">{esc(d.id)}</span>',
            esc(d.data.get("title")),
            esc(site.label("activity_type", d.data.get("type"))),
            site.link(d.data.get("by")),
            esc(d.data.get("date")),
            site.link(d.data.get("campaign")),
            esc(d.data.get("audience")),
            "、".join(esc(site.label("channel", ch)) for ch in d.data.get("channels") or []),
            esc(d.data.get("participants")),
        ]
        for d in site.records("activity")
    ]
    return "---\ntitle: 宣传教育与培训\n---\n\n# 宣传教育与培训\n\n" + table(
        ["编号", "活动", "类型", "组织单位", "日期", "专项整治", "对象", "渠道", "参与人数"], rows
    )
