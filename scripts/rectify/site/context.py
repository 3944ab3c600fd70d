"""What every page generator shares: the registry, the build's profile and "today", and the one
place that decides how a record is named and linked on the site (public or internal)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from rectify import facts
from rectify.calendar import WorkingCalendar
from rectify.ids import sort_key
from rectify.model import Document, Registry
from rectify.site.history import History
from rectify.site.html import esc, relative

PUBLIC, INTERNAL = "public", "internal"
PROFILE_LABELS = {PUBLIC: "公开版", INTERNAL: "内部版"}
DEFAULT_CALENDAR = WorkingCalendar.from_data(None)  # the official calendar alone

# source path of each kind's record pages (records without a page link to an anchor on an index)
PAGE_OF = {
    "campaign": "campaigns/{id}.md",
    "organization": "organizations/{id}.md",
    "enterprise": "enterprises/{id}.md",
    "inspection": "inspections/{year}/{id}.md",
    "hazard": "hazards/{year}/{id}.md",
    "consultation": "consultations/{id}.md",
    "case": "actions/cases/{id}.md",
    "action": "actions/index.md#{id}",
    "activity": "activities/index.md#{id}",
    "plan": "campaigns/plans.md#{id}",
    "responsibility": "organizations/responsibilities.md#{id}",
}


@dataclass(frozen=True, slots=True)
class SiteOptions:
    profile: str = PUBLIC
    today: dt.date = dt.date(2023, 12, 31)
    directory_urls: bool = False
    site_url: str = ""

    @property
    def public(self) -> bool:
        return self.profile != INTERNAL


def deadline_in_force(hazard: dict[str, Any]) -> str | None:
    """整改时限 in force (ISO text), as the rules compute it (:func:`rectify.facts.deadline_in_force`)."""
    deadline = facts.deadline_in_force(hazard)
    return deadline.on.isoformat() if deadline else None


def days_overdue(hazard: dict[str, Any], today: dt.date, calendar: WorkingCalendar | None = None) -> int:
    """Days an unclosed hazard is past its deadline in force, counted as the rules count them
    (:func:`rectify.facts.overdue_days`: the deadline day is in time, a rest-day last day moves on).
    Pass the registry's calendar (``Site.calendar``) so ``registry/calendar.yaml`` years count too."""
    return facts.overdue_days(hazard, today, calendar or DEFAULT_CALENDAR)


def closed_on(hazard: dict[str, Any]) -> str | None:
    acceptance = hazard.get("acceptance") or {}
    if hazard.get("status") == "closed" and isinstance(acceptance.get("date"), str):
        return str(acceptance["date"])
    return None


@dataclass(slots=True)
class Site:
    """The registry as the site shows it. ``page`` is the page being written (for relative links)."""

    registry: Registry
    options: SiteOptions
    history: History
    page: str = "index.md"
    findings: dict[str, list[Any]] = field(default_factory=dict)  # record id → 督办清单 findings
    findings_by_body: dict[str, int] = field(default_factory=dict)
    _names: dict[str, str] = field(default_factory=dict)
    _sorted: dict[str, list[Document]] = field(default_factory=dict)

    @property
    def calendar(self) -> WorkingCalendar:
        """The registry's working calendar, as the rules use it."""
        return facts.facts_of(self.registry).calendar

    def overdue(self, hazard: dict[str, Any]) -> int:
        """:func:`days_overdue` for the build's "today" on the registry's calendar."""
        return days_overdue(hazard, self.options.today, self.calendar)

    # -- labels -------------------------------------------------------------------------------
    def label(self, enum: str, value: object) -> str:
        return self.registry.schemas.label(enum, str(value)) if value is not None else ""

    @property
    def city(self) -> str:
        jur = self.registry.jurisdiction
        return str(jur.data.get("name", "")) if jur else ""

    # -- names --------------------------------------------------------------------------------
    def name(self, record_id: object) -> str:
        """Plain-text name of any record id: person (by role when anonymized in public), body, enterprise."""
        if not isinstance(record_id, str):
            return ""
        cached = self._names.get(record_id)
        if cached is not None:
            return cached
        name = record_id
        for kind in self.registry.kinds_of(record_id):
            data = self.registry.by_kind[kind][record_id].data
            if kind == "person":
                name = self._person_name(data)
            elif kind in ("organization", "enterprise"):
                name = str(data.get("name") or record_id)
            elif kind in ("campaign", "hazard", "consultation", "case", "activity", "responsibility"):
                name = str(data.get("title") or record_id)
            break
        self._names[record_id] = name
        return name

    def _person_name(self, person: dict[str, Any]) -> str:
        org = self.name(person.get("organization"))
        title = str(person.get("title") or "")
        if self.options.public and person.get("anonymize"):
            return f"{org}{title}" or "（不公开姓名）"
        name = str(person.get("name") or person.get("id"))
        return f"{name}（{org}{title}）" if org or title else name

    def is_anonymized(self, person_id: str) -> bool:
        doc = self.registry.get("person", person_id)
        return bool(self.options.public and doc and doc.data.get("anonymize"))

    # -- links --------------------------------------------------------------------------------
    def target(self, record_id: str) -> str | None:
        for kind in self.registry.kinds_of(record_id):
            pattern = PAGE_OF.get(kind)
            if pattern:
                return pattern.format(id=record_id, year=record_id.split("-")[1] if "-" in record_id else "")
        return None

    def href(self, target: str) -> str:
        return esc(relative(target, self.page, self.options.directory_urls))

    def link(self, record_id: object, text: str | None = None) -> str:
        """An escaped link to a record's page, or its escaped name when it has none."""
        if not isinstance(record_id, str) or not record_id:
            return ""
        shown = esc(text if text is not None else self.name(record_id))
        target = self.target(record_id)
        if target is None:
            return shown
        return f'<a href="{self.href(target)}">{shown}</a>'

    def links(self, ids: object) -> str:
        return "、".join(self.link(i) for i in ids) if isinstance(ids, list) else ""

    def records(self, kind: str) -> list[Document]:
        """Records of ``kind`` in id order, numbers as numbers (``INSP-2023-9999`` before ``INSP-2023-10000``)."""
        found = self._sorted.get(kind)
        if found is None:  # sorted once per build: many pages and files list the same kind
            found = self._sorted[kind] = sorted(
                self.registry.records(kind), key=lambda d: sort_key(d.id or "")
            )
        return found
