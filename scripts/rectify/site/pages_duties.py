"""督办清单: what ``rectify check`` knows about how bodies do their duty, published.

The rules about campaigns, plans, inspections, hazards, consultations and the duty rules run once
per build (linear, like the check); each finding is attributed to the body that answers for it and
to its campaign. In the public build a message never names an anonymized person (the role is shown
instead) and a message that would still hold a private value is replaced by a pointer to the record.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from rectify.diagnostics import Diagnostic, Severity
from rectify.ids import sort_key
from rectify.model import Document
from rectify.rules import RULES, Context
from rectify.site.context import Site
from rectify.site.html import esc, table
from rectify.site.privacy import _automaton, _find, private_values

PAGE = "duties.md"
# rule modules about duties (the rest check files, references, signatures and personal data)
DUTY_MODULES = frozenset(
    f"rectify.rules.{m}"
    for m in (
        "accountability",
        "campaigns",
        "consultations",
        "deadlines",
        "discipline",
        "duties",
        "hazards",
        "inspections",
        "liability",
    )
)
SHOWN_PER_GROUP = 50  # rows per (body, campaign) group; the rest are counted, the register filters them
NO_BODY, NO_CAMPAIGN = "（未明确责任单位）", "（未关联专项整治）"
_NAMED = re.compile(r"（([A-Za-z0-9][A-Za-z0-9-]*)）")
_BODY_KEYS = ("owner", "by", "department", "from", "holder", "target", "to")
_HIDDEN = "本条说明涉及不公开的信息，请查看记录本身。"


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    record: str  # the record's id
    kind: str
    body: str  # org or enterprise id answering for it ("" if none)
    campaign: str  # campaign id ("" if none)
    message: str  # plain text, safe for the build's profile


def _resolve(data: Any, path: str) -> Any:
    """The value at a diagnostic's field path (``plan.milestones[2]``), or ``None``."""
    value = data
    for part in re.findall(r"[^.\[\]]+", path):
        if isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        elif isinstance(value, dict):
            value = value.get(part)
        else:
            return None
    return value


def _body_from(site: Site, value: Any) -> str:
    """An organization or enterprise id named by ``value`` (a person stands for their organization)."""
    if isinstance(value, dict):
        for key in _BODY_KEYS:
            found = _body_from(site, value.get(key))
            if found:
                return found
        return ""
    if not isinstance(value, str):
        return ""
    reg = site.registry
    if reg.get("organization", value) is not None or reg.get("enterprise", value) is not None:
        return value
    person = reg.get("person", value)
    org = person.data.get("organization") if person is not None else None
    return org if isinstance(org, str) and reg.get("organization", org) is not None else ""


def responsible_body(site: Site, doc: Document, path: str) -> str:
    """The body that answers for a finding: the one the finding's field names, else the record's."""
    data = doc.data
    head = path.split(".")[0].split("[")[0]
    if head in ("districts", "departments", "plan", "responses", "duties", "findings", "baobao"):
        named = _body_from(site, _resolve(data, path))
        if not named and "." in path:
            named = _body_from(site, _resolve(data, path.rsplit(".", 1)[0]))
        if named:
            return named
    own = {
        "campaign": data.get("lead_department"),
        "plan": data.get("owner"),
        "inspection": data.get("by"),
        "hazard": (data.get("rectification") or {}).get("department"),
        "consultation": data.get("issuer"),
        "enterprise": data.get("competent_department"),
        "responsibility": data.get("holder"),
        "action": data.get("by"),
        "person": data.get("organization"),
        "organization": doc.id,
        "activity": data.get("by"),
        "case": data.get("enterprise"),
    }.get(doc.kind)
    return _body_from(site, own)


class Sanitizer:
    """Messages as the profile may show them: anonymized people by role; nothing private."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.public = site.options.public
        self.automaton = _automaton(private_values(site.registry)) if self.public else None

    def __call__(self, message: str) -> str:
        if not self.public:
            return message
        site = self.site
        text = message
        for pid in {m.group(1) for m in _NAMED.finditer(message)}:
            doc = site.registry.get("person", pid)
            if doc is not None and site.is_anonymized(pid):
                name = str(doc.data.get("name") or "")
                text = text.replace(f"{name}（{pid}）", f"{site.name(pid)}（{pid}）")
        if self.automaton is not None and _find(self.automaton, text):
            return _HIDDEN
        return text


def collect(site: Site) -> list[Finding]:
    """Every current finding of the duty rules, attributed to a body and a campaign."""
    registry = site.registry
    context = Context(today=site.options.today)
    by_file = {d.file: d for d in registry.documents}
    clean = Sanitizer(site)
    out: list[Finding] = []
    for entry in RULES.values():
        if entry.run is None or entry.run.__module__ not in DUTY_MODULES:
            continue
        for diag in entry.run(registry, context):
            doc = by_file.get(diag.file)
            if doc is None or not doc.id:
                continue
            out.append(_finding(site, diag, doc, clean))
    return out


def _finding(site: Site, diag: Diagnostic, doc: Document, clean: Sanitizer) -> Finding:
    campaign = doc.id if doc.kind == "campaign" else doc.data.get("campaign")
    return Finding(
        diag.rule,
        diag.severity,
        doc.id or "",
        doc.kind,
        responsible_body(site, doc, diag.path),
        campaign if isinstance(campaign, str) else "",
        clean(diag.message),
    )


def by_record(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        out[f.record].append(f)
    return out


def counts_by_body(site: Site, findings: list[Finding]) -> list[tuple[str, str, int]]:
    """(body id, body name, count), most findings first."""
    counts = Counter(f.body for f in findings)
    return sorted(
        ((b, site.name(b) if b else NO_BODY, n) for b, n in counts.items()), key=lambda x: (-x[2], x[1])
    )


def anchor(body: str) -> str:
    return "body-" + (re.sub(r"[^A-Za-z0-9-]", "-", body) if body else "none")


def register_link(site: Site, rule: str, department: str = "") -> str:
    """The major-hazard register filtered by a finding (and a responsible department)."""
    query = {"findings": rule} | ({"department": site.name(department)} if department else {})
    return site.href("hazards/index.md") + "?" + esc(urlencode(query))


def duties_page(site: Site, findings: list[Finding]) -> str:
    """The page: a count per body, then every finding grouped by body and campaign."""
    severities = Counter(f.severity for f in findings)
    totals = "，".join(f"{s.label} {severities[s]} 条" for s in Severity if severities[s])
    out = [
        "---\ntitle: 督办清单\n---\n\n# 督办清单\n\n",
        f"<p>检查规则在每次构建时对登记册逐条核查（截至 {site.options.today.isoformat()}），"
        f"下列是关于各单位履职的全部当前发现：共 {len(findings)} 条{('（' + totals + '）') if totals else ''}。"
        f'每条注明规则（见<a href="{site.href("rules.md")}">检查规则</a>）、相关记录和通知条款。'
        "“警告”是记录或履职不符合通知要求，“提醒”是时限已到或将到的事项。</p>\n\n",
    ]
    if not findings:
        out.append("<p>目前没有发现。</p>\n")
        return "".join(out)
    counts = counts_by_body(site, findings)
    out.append("## 各单位汇总\n\n")
    out.append(
        table(
            ["责任单位", "条数"],
            [[f'<a href="#{anchor(b)}">{esc(name)}</a>', str(n)] for b, name, n in counts],
            "rectify-data",
        )
    )
    groups: dict[str, dict[str, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for f in findings:
        groups[f.body][f.campaign].append(f)
    for body, name, n in counts:
        link = site.link(body, name) if body else esc(name)
        out.append(f'<h2 id="{anchor(body)}">{link}（{n} 条）</h2>\n\n')
        for campaign in sorted(groups[body], key=lambda c: (c == "", sort_key(c))):
            items = sorted(groups[body][campaign], key=lambda f: (f.rule, sort_key(f.record)))
            title = site.link(campaign) if campaign else esc(NO_CAMPAIGN)
            out.append(f"<h3>{title}</h3>\n\n")
            out.append(_rows(site, items[:SHOWN_PER_GROUP]))
            if len(items) > SHOWN_PER_GROUP:
                rest = Counter(f.rule for f in items[SHOWN_PER_GROUP:])
                more = "、".join(
                    f'<a href="{register_link(site, r, body)}">{esc(r)} {c} 条</a>'
                    if r.startswith("H-")
                    else f"{esc(r)} {c} 条"
                    for r, c in sorted(rest.items())
                )
                out.append(f"<p>另有 {len(items) - SHOWN_PER_GROUP} 条：{more}。</p>\n\n")
    return "".join(out)


def _rows(site: Site, items: list[Finding]) -> str:
    rows = []
    for f in items:
        rule = RULES.get(f.rule)
        rows.append(
            [
                f'<a href="{site.href("rules.md#" + f.rule.lower())}">{esc(f.rule)}</a>'
                f"<br>{esc(rule.title if rule else '')}",
                esc(f.severity.label),
                site.link(f.record, f.record),
                esc(f.message),
                esc(rule.source if rule else ""),
            ]
        )
    return table(["规则", "程度", "记录", "说明", "通知条款"], rows, "rectify-data rectify-duties")


__all__ = ["Finding", "by_record", "collect", "counts_by_body", "duties_page"]
