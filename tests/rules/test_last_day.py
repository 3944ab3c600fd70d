"""The one rest-day rule every deadline rule uses (H-overdue, H-due-soon, H-extension, H-liability,
C-milestone, K-deadline): a time limit whose last day is a rest day ends on the next working day."""

from __future__ import annotations

import datetime as dt

import pytest

from rectify.calendar import WorkingCalendar
from rectify.facts import last_day

D = dt.date


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2023, 8, 28), D(2023, 8, 28)),  # a Monday: a working day stays
        (D(2023, 11, 25), D(2023, 11, 27)),  # Saturday → Monday
        (D(2023, 11, 26), D(2023, 11, 27)),  # Sunday → Monday
        (D(2023, 9, 29), D(2023, 10, 7)),  # 中秋 → the 调休 Saturday after 国庆
        (D(2023, 10, 1), D(2023, 10, 7)),
        (D(2023, 10, 8), D(2023, 10, 8)),  # a Sunday worked (调休): no shift
        (D(2024, 2, 10), D(2024, 2, 18)),  # 春节 2024 → the Sunday worked after it
        (D(2024, 2, 4), D(2024, 2, 4)),  # a Sunday worked before 春节
    ],
)
def test_last_day_moves_past_rest_days(day: dt.date, expected: dt.date) -> None:
    assert last_day(day, WorkingCalendar()) == expected


def test_unknown_year_is_not_shifted() -> None:
    assert last_day(D(2099, 1, 3), WorkingCalendar()) == D(2099, 1, 3)


def test_override_year_from_calendar_yaml() -> None:
    calendar = WorkingCalendar.from_data(
        {
            "years": [
                {"year": 2099, "notice": "国办发明电〔2098〕1号", "holidays": ["2099-01-01", "2099-01-02"]}
            ]
        }
    )
    assert last_day(D(2099, 1, 1), calendar) == D(2099, 1, 5)  # Thu, Fri off, then the weekend
