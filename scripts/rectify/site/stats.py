"""Figures the site shows and exports, computed once per build in linear time: one row per hazard
(the register, CSV, Excel, JSON) and the dashboard's counts."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from rectify.site.context import Site, closed_on, deadline_in_force
from rectify.site.html import relative

# the three states the dashboard counts (overdue is computed, never stored)
STATE_OPEN, STATE_OVERDUE, STATE_CLOSED = "整改中（未逾期）", "逾期未整改", "已销号"

ROW_FIELDS: list[tuple[str, str]] = [
    ("id", "编号"),
    ("title", "隐患名称"),
    ("level", "隐患等级"),
    ("district", "县区"),
    ("industry", "行业领域"),
    ("enterprise", "企业"),
    ("campaign", "专项整治"),
    ("status", "状态"),
    ("supervision", "挂牌督办"),
    ("department", "责任部门"),
    ("found_on", "发现日期"),
    ("deadline", "整改时限"),
    ("overdue", "是否逾期"),
    ("days_overdue", "逾期天数"),
    ("closed_on", "销号日期"),
    ("url", "页面"),
]


def hazard_row(site: Site, hazard: dict[str, Any]) -> dict[str, Any]:
    """The register's row of one hazard, in Chinese as shown (the same in every download)."""
    late = site.overdue(hazard)
    hid = str(hazard.get("id"))
    target = site.target(hid) or ""
    rect = hazard.get("rectification") or {}
    acceptance = hazard.get("acceptance") or {}
    return {
        "id": hid,
        "title": str(hazard.get("title") or ""),
        "level": site.label("hazard_level", hazard.get("level")),
        "district": site.name(hazard.get("district")),
        "industry": site.label("industry", hazard.get("industry")),
        "enterprise": site.name(hazard.get("enterprise")),
        "campaign": site.name(hazard.get("campaign")) if hazard.get("campaign") else "",
        "status": site.label("hazard_status", hazard.get("status")),
        "supervision": site.label(
            "supervision_level", (hazard.get("supervision") or {}).get("level", "none")
        ),
        "department": site.name(rect.get("department")),
        "found_on": str((hazard.get("found") or {}).get("date") or ""),
        "deadline": deadline_in_force(hazard) or "",
        "overdue": "是" if late else "否",
        "days_overdue": late,
        "closed_on": closed_on(hazard) or "",
        "acceptor": site.name(rect.get("acceptor")),
        "accepted_on": str(acceptance.get("date") or ""),
        "extensions": sum(1 for e in hazard.get("extensions") or [] if e.get("approved_on")),
        "state": state(hazard, site),
        "findings": " ".join(sorted({f.rule for f in site.findings.get(hid, [])})),
        "url": relative(target, "index.md", site.options.directory_urls) if target else "",
    }


def state(hazard: dict[str, Any], site: Site) -> str:
    if hazard.get("status") == "closed":
        return STATE_CLOSED
    return STATE_OVERDUE if site.overdue(hazard) else STATE_OPEN


@dataclass(slots=True)
class Dashboard:
    campaigns_by_status: dict[str, int] = field(default_factory=dict)
    major_states: dict[str, int] = field(default_factory=dict)
    all_states: dict[str, int] = field(default_factory=dict)
    by_district: dict[str, dict[str, int]] = field(default_factory=dict)
    by_industry: dict[str, dict[str, int]] = field(default_factory=dict)
    by_department: dict[str, dict[str, int]] = field(default_factory=dict)
    trend: list[dict[str, Any]] = field(default_factory=list)  # month, found, closed, open at month end

    @property
    def major_total(self) -> int:
        return sum(self.major_states.values())

    @property
    def rate(self) -> float:
        """整改率: closed major hazards over all major hazards, in percent."""
        total = self.major_total
        return round(100.0 * self.major_states.get(STATE_CLOSED, 0) / total, 1) if total else 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "campaigns_by_status": self.campaigns_by_status,
            "major_states": self.major_states,
            "rate": self.rate,
            "by_district": self.by_district,
            "by_industry": self.by_industry,
            "by_department": self.by_department,
            "trend": self.trend,
        }


def dashboard(site: Site) -> Dashboard:
    """Counts over major hazards (重大事故隐患) by state, district, industry and department."""
    out = Dashboard()
    status_labels = site.registry.schemas.labels("campaign_status")
    counts = Counter(str(c.data.get("status")) for c in site.registry.records("campaign"))
    out.campaigns_by_status = {label: counts.get(value, 0) for value, label in status_labels.items()}
    states = (STATE_OPEN, STATE_OVERDUE, STATE_CLOSED)
    major = Counter[str]()
    every = Counter[str]()
    groups: dict[str, dict[str, Counter[str]]] = {
        "district": defaultdict(Counter),
        "industry": defaultdict(Counter),
        "department": defaultdict(Counter),
    }
    found: Counter[str] = Counter()
    closed: Counter[str] = Counter()
    for doc in site.registry.records("hazard"):
        hazard = doc.data
        st = state(hazard, site)
        every[st] += 1
        if hazard.get("level") != "major":
            continue
        major[st] += 1
        groups["district"][site.name(hazard.get("district"))][st] += 1
        groups["industry"][site.label("industry", hazard.get("industry"))][st] += 1
        groups["department"][site.name((hazard.get("rectification") or {}).get("department"))][st] += 1
        on = str((hazard.get("found") or {}).get("date") or "")
        if on:
            found[on[:7]] += 1
        done = closed_on(hazard)
        if done:
            closed[done[:7]] += 1
    out.major_states = {s: major.get(s, 0) for s in states}
    out.all_states = {s: every.get(s, 0) for s in states}
    for name, counter in groups.items():
        table = {key: {s: c.get(s, 0) for s in states} for key, c in sorted(counter.items())}
        setattr(out, f"by_{name}", table)
    open_now = 0
    for month in sorted(set(found) | set(closed)):
        open_now += found.get(month, 0) - closed.get(month, 0)
        out.trend.append(
            {"month": month, "found": found.get(month, 0), "closed": closed.get(month, 0), "open": open_now}
        )
    return out
