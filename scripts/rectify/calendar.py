"""Working days on China's official calendar (法定节假日与调休).

The years the maintained ``chinese-calendar`` package covers come from it; a year it does not cover
yet comes from ``registry/calendar.yaml`` (copied from the State Council's notice for that year);
a year in neither is *unknown*: every function here then answers ``None`` and callers say so
instead of guessing that weekends are the only days off.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import chinese_calendar

_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class YearOverride:
    """One year of ``registry/calendar.yaml``: days off on weekdays and 调休 working weekends."""

    year: int
    notice: str
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]

    def is_workday(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays


@dataclass(slots=True)
class WorkingCalendar:
    """Answers "is this a working day" and counts working days; ``None`` where the year is unknown."""

    overrides: dict[int, YearOverride] = field(default_factory=dict)
    _package: dict[int, bool] = field(default_factory=dict)
    _answers: dict[dt.date, bool | None] = field(default_factory=dict)  # each day is asked many times

    @classmethod
    def from_data(cls, data: dict[str, Any] | None) -> WorkingCalendar:
        """From the parsed ``registry/calendar.yaml`` (already schema-checked), or ``None``."""
        overrides: dict[int, YearOverride] = {}
        for entry in (data or {}).get("years") or []:
            year = int(entry["year"])
            overrides[year] = YearOverride(
                year,
                str(entry["notice"]),
                frozenset(dt.date.fromisoformat(d) for d in entry.get("holidays") or []),
                frozenset(dt.date.fromisoformat(d) for d in entry.get("workdays") or []),
            )
        return cls(overrides)

    def _package_covers(self, year: int) -> bool:
        known = self._package.get(year)
        if known is None:
            try:
                chinese_calendar.is_workday(dt.date(year, 6, 1))
                known = True
            except NotImplementedError:
                known = False
            self._package[year] = known
        return known

    def covers(self, year: int) -> bool:
        return self._package_covers(year) or year in self.overrides

    def source(self, year: int) -> str | None:
        """Where the year's calendar comes from, for reports; ``None`` if it is unknown."""
        if self._package_covers(year):
            return "chinese-calendar"
        if year in self.overrides:
            return f"registry/calendar.yaml（{self.overrides[year].notice}）"
        return None

    def is_workday(self, day: dt.date) -> bool | None:
        if day in self._answers:
            return self._answers[day]
        answer: bool | None
        if self._package_covers(day.year):
            answer = bool(chinese_calendar.is_workday(day))
        else:
            override = self.overrides.get(day.year)
            answer = None if override is None else override.is_workday(day)
        self._answers[day] = answer
        return answer

    def unknown_years(self, start: dt.date, end: dt.date) -> list[int]:
        """Years between ``start`` and ``end`` (inclusive) that no source covers."""
        return [y for y in range(min(start, end).year, max(start, end).year + 1) if not self.covers(y)]

    def working_days_after(self, start: dt.date, end: dt.date) -> int | None:
        """Working days in ``(start, end]``: how many working days remain from ``start`` until a
        deadline ``end`` (0 if ``end`` is not after ``start``); ``None`` if a year is unknown."""
        if end <= start:
            return 0
        if self.unknown_years(start + _ONE_DAY, end):
            return None
        return sum(1 for day in _days(start + _ONE_DAY, end) if self.is_workday(day))

    def add_working_days(self, start: dt.date, count: int) -> dt.date | None:
        """The ``count``-th working day after ``start``; ``None`` if it runs into an unknown year."""
        day = start
        remaining = count
        while remaining > 0:
            day += _ONE_DAY
            workday = self.is_workday(day)
            if workday is None:
                return None
            if workday:
                remaining -= 1
        return day


def _days(start: dt.date, end: dt.date) -> Iterable[dt.date]:
    day = start
    while day <= end:
        yield day
        day += _ONE_DAY
