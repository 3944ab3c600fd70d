"""Facts derived once from a loaded registry and shared by the rules and the deadline report:
deadlines in force, who answers for what, and the indexes that keep every rule linear
(actions by hazard, hazards by enterprise, plans by campaign …). Pure: no file access."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from rectify.calendar import WorkingCalendar
from rectify.model import Document, Registry

DUE_SOON_WORKING_DAYS = 10  # H-due-soon: 两周的工作日
OPEN_STATUSES = frozenset({"open", "rectifying", "awaiting_acceptance"})
STARTED = frozenset({"implementing", "summarizing", "closed"})  # campaign statuses past planning
GOVERNMENT_TYPES = frozenset({"government", "party_committee"})
AREA_TYPES = frozenset({"county", "district", "town", "zone_committee"})
MAX_REST_DAYS = 15  # the longest run of rest days (春节 with its weekends) is well under this
WORKING_DAY_END = dt.time(17, 30)  # 下班时间 when jurisdiction.yaml cannot be read
REFERRAL_WORKING_DAYS = 5  # 及时移交 when neither the campaign nor jurisdiction.yaml sets a limit


def date(value: Any) -> dt.date | None:
    """An ISO date string of a schema-valid record as a date (``None`` if absent or malformed)."""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


@dataclass(frozen=True, slots=True)
class Deadline:
    """A deadline that was or is in force (整改时限): where it is written and since when it holds.

    ``rectification.deadline`` keeps the deadline first set; an approved extension
    (``extensions[i].new_deadline``) or a reopening (``reopened[i].new_deadline``) replaces it from the
    day it is approved or decided. History stays append-only: nothing is rewritten to move a deadline."""

    on: dt.date
    path: tuple[
        str | int, ...
    ]  # rectification.deadline, extensions[i].new_deadline, reopened[i].new_deadline
    extended: bool
    since: dt.date | None = None  # approval or reopening day; None for the registered deadline
    reopened: bool = False


def deadline_steps(hazard: dict[str, Any]) -> list[Deadline]:
    """Every deadline the hazard has had, in the order they took force (empty without a valid one).

    Approved extensions and reopenings count by their day (``approved_on`` / ``reopened[].date``); on the
    same day a reopening comes first, so an extension approved that day extends the reopened deadline.
    Unapproved extension requests move nothing."""
    current = date((hazard.get("rectification") or {}).get("deadline"))
    if current is None:
        return []
    events: list[tuple[dt.date, int, int, Deadline]] = []
    for index, entry in enumerate(_entries(hazard, "reopened")):
        day, new = date(entry.get("date")), date(entry.get("new_deadline"))
        if day is not None and new is not None:
            where = ("reopened", index, "new_deadline")
            events.append((day, 0, index, Deadline(new, where, False, day, True)))
    for index, entry in enumerate(_entries(hazard, "extensions")):
        day, new = date(entry.get("approved_on")), date(entry.get("new_deadline"))
        if day is not None and new is not None:
            where = ("extensions", index, "new_deadline")
            events.append((day, 1, index, Deadline(new, where, True, day)))
    events.sort(key=lambda event: event[:3])
    return [Deadline(current, ("rectification", "deadline"), False), *(e[3] for e in events)]


def _entries(hazard: dict[str, Any], name: str) -> list[dict[str, Any]]:
    value = hazard.get(name)
    return [e for e in value if isinstance(e, dict)] if isinstance(value, list) else []


def deadline_in_force(hazard: dict[str, Any]) -> Deadline | None:
    """The deadline in force now: the last of :func:`deadline_steps` (``None`` without a valid deadline)."""
    steps = deadline_steps(hazard)
    return steps[-1] if steps else None


def deadline_on(hazard: dict[str, Any], day: dt.date) -> Deadline | None:
    """The deadline in force on ``day``: what is approved or decided later does not reach back."""
    steps = [s for s in deadline_steps(hazard) if s.since is None or s.since <= day]
    return steps[-1] if steps else None


def overdue_days(hazard: dict[str, Any], today: dt.date, calendar: WorkingCalendar) -> int:
    """Days an unclosed hazard is past the last day of its deadline in force (0 if not overdue).

    The one count every rule, report and page uses: the deadline day itself is still in time, and a
    last day on a rest day moves to the next working day (:func:`last_day`)."""
    deadline = deadline_in_force(hazard)
    if hazard.get("status") not in OPEN_STATUSES or deadline is None:
        return 0
    return max((today - last_day(deadline.on, calendar)).days, 0)


def last_day(day: dt.date, calendar: WorkingCalendar) -> dt.date:
    """The day a time limit ending on ``day`` really ends (期间的最后一日).

    A limit whose last day is a rest day (法定节假日, or a weekend that is not a 调休 working day) ends
    on the next working day, as 《民法典》第二百零三条 rules for every time limit (法定休假日 there
    includes weekends). A year the calendar does not know leaves the day as it is."""
    shifted = day
    for _ in range(MAX_REST_DAYS):
        workday = calendar.is_workday(shifted)
        if workday is None:
            return day
        if workday:
            return shifted
        shifted += dt.timedelta(days=1)
    return day


def clock(value: Any) -> dt.time | None:
    """An ``HH:MM`` text as a time of day (``None`` if absent or malformed)."""
    if isinstance(value, str):
        try:
            return dt.time.fromisoformat(value)
        except ValueError:
            return None
    return None


@dataclass(slots=True)
class Facts:
    registry: Registry
    calendar: WorkingCalendar
    actions_by_hazard: dict[str, list[Document]] = field(default_factory=lambda: defaultdict(list))
    actions_by_target: dict[str, list[Document]] = field(default_factory=lambda: defaultdict(list))
    hazards_by_enterprise: dict[str, list[Document]] = field(default_factory=lambda: defaultdict(list))
    plans_by_campaign: dict[str, list[Document]] = field(default_factory=lambda: defaultdict(list))
    activities_by_campaign: dict[str, list[Document]] = field(default_factory=lambda: defaultdict(list))
    inspections_by_campaign: dict[str, list[Document]] = field(default_factory=lambda: defaultdict(list))
    enterprises_by_area: dict[str, list[Document]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def build(cls, registry: Registry) -> Facts:
        calendar_doc = next(
            (d for d in registry.documents if d.kind == "calendar" and d.file not in registry.invalid), None
        )
        facts = cls(registry, WorkingCalendar.from_data(calendar_doc.data if calendar_doc else None))
        for action in registry.records("action"):
            for hazard_id in action.data.get("hazards") or []:
                facts.actions_by_hazard[hazard_id].append(action)
            facts.actions_by_target[action.data.get("target", "")].append(action)
        for hazard in registry.records("hazard"):
            facts.hazards_by_enterprise[hazard.data.get("enterprise", "")].append(hazard)
        for plan in registry.records("plan"):
            facts.plans_by_campaign[plan.data.get("campaign", "")].append(plan)
        for activity in registry.records("activity"):
            if activity.data.get("campaign"):
                facts.activities_by_campaign[activity.data["campaign"]].append(activity)
        for inspection in registry.records("inspection"):
            if inspection.data.get("campaign"):
                facts.inspections_by_campaign[inspection.data["campaign"]].append(inspection)
        for enterprise in registry.records("enterprise"):
            facts.enterprises_by_area[enterprise.data.get("district", "")].append(enterprise)
            if enterprise.data.get("town"):
                facts.enterprises_by_area[enterprise.data["town"]].append(enterprise)
        return facts

    # -- lookups ------------------------------------------------------------------------------
    def last_day(self, day: dt.date) -> dt.date:
        """:func:`last_day` on this registry's calendar: the one place every rule shifts a deadline."""
        return last_day(day, self.calendar)

    def due(self, deadline: Deadline) -> dt.date:
        """The last day of a hazard's deadline in force, after the rest-day shift."""
        return self.last_day(deadline.on)

    def overdue_days(self, hazard: dict[str, Any], today: dt.date) -> int:
        """:func:`overdue_days` on this registry's calendar."""
        return overdue_days(hazard, today, self.calendar)

    @property
    def working_day_end(self) -> dt.time:
        """下班时间 of ``jurisdiction.yaml`` (``working_day_end``): a "下班前" deadline ends then."""
        doc = self.registry.jurisdiction
        found = clock(doc.data.get("working_day_end")) if doc is not None else None
        return found or WORKING_DAY_END

    def referral_limit(self, campaign_id: Any) -> int:
        """Working days allowed for 及时移交: the campaign's own limit, else the jurisdiction's, else 5."""
        own = self.data("campaign", campaign_id).get("referral_working_days")
        if isinstance(own, int):
            return own
        doc = self.registry.jurisdiction
        default = doc.data.get("referral_working_days") if doc is not None else None
        return default if isinstance(default, int) else REFERRAL_WORKING_DAYS

    def data(self, kind: str, record_id: Any) -> dict[str, Any]:
        """The record's data, or an empty mapping when it is absent (R-ref reports that)."""
        if not isinstance(record_id, str):
            return {}
        doc = self.registry.get(kind, record_id)
        return doc.data if doc is not None else {}

    def name(self, record_id: Any) -> str:
        """``市应急局（city-emergency）``: how reports name an organization, person or enterprise."""
        if not isinstance(record_id, str):
            return "（未填写）"
        for kind in ("organization", "person", "enterprise"):
            doc = self.registry.get(kind, record_id)
            if doc is not None:
                shown = doc.data.get("short_name") or doc.data.get("name") or record_id
                return f"{shown}（{record_id}）"
        return record_id

    def organization_of(self, person_id: Any) -> str | None:
        org = self.data("person", person_id).get("organization")
        return org if isinstance(org, str) else None

    def main_person(self, party_id: Any) -> str | None:
        for kind in ("organization", "enterprise"):
            value = self.data(kind, party_id).get("main_person")
            if isinstance(value, str):
                return value
        return None

    def can_enforce(self, org_id: Any, industry: Any) -> bool:
        """Whether the body holds enforcement power (执法权) in ``industry`` (any, if ``None``)."""
        powers = self.data("organization", org_id).get("enforcement") or []
        return bool(powers) if industry is None else industry in powers


_CACHE: list[Facts] = []


def facts_of(registry: Registry) -> Facts:
    """The facts of ``registry``, built once per registry however many rules ask."""
    for facts in _CACHE:
        if facts.registry is registry:
            return facts
    facts = Facts.build(registry)
    _CACHE[:] = [facts, *_CACHE[:1]]
    return facts
