"""Working days on China's official calendar, with real 调休 dates, and the override fallback."""

from __future__ import annotations

import datetime as dt

from rectify.calendar import WorkingCalendar

D = dt.date


def test_national_day_2023_and_its_working_weekend() -> None:
    cal = WorkingCalendar()
    assert [cal.is_workday(D(2023, 9, d)) for d in (28, 29, 30)] == [True, False, False]
    assert [cal.is_workday(D(2023, 10, d)) for d in range(1, 10)] == [
        False, False, False, False, False, False, True, True, True,  # 10-07 Sat and 10-08 Sun worked
    ]  # fmt: skip
    # from Wed 2023-09-27: 09-28, 10-07, 10-08, 10-09 … 10-13 = 8 working days
    assert cal.working_days_after(D(2023, 9, 27), D(2023, 10, 13)) == 8
    assert cal.add_working_days(D(2023, 9, 27), 10) == D(2023, 10, 17)
    assert cal.source(2023) == "chinese-calendar"


def test_spring_festival_2024_working_sunday() -> None:
    cal = WorkingCalendar()
    assert cal.is_workday(D(2024, 2, 4)) is True  # Sunday worked before 春节
    assert cal.is_workday(D(2024, 2, 12)) is False  # Monday off


def test_unknown_year_is_not_guessed() -> None:
    cal = WorkingCalendar()
    assert cal.covers(2099) is False
    assert cal.is_workday(D(2099, 1, 5)) is None
    assert cal.working_days_after(D(2099, 1, 1), D(2099, 1, 9)) is None
    assert cal.add_working_days(D(2099, 1, 1), 3) is None
    assert cal.unknown_years(D(2098, 12, 30), D(2099, 1, 3)) == [2098, 2099]


def test_override_file_covers_a_year_the_package_does_not() -> None:
    cal = WorkingCalendar.from_data(
        {
            "years": [
                {
                    "year": 2099,
                    "notice": "测试用的假设放假安排",
                    "holidays": ["2099-01-01", "2099-01-02"],
                    "workdays": ["2099-01-03"],
                }
            ]
        }
    )
    assert cal.source(2099) == "registry/calendar.yaml（测试用的假设放假安排）"
    # 2099-01-01 Thu off, 01-02 Fri off, 01-03 Sat worked, 01-04 Sun off, 01-05 Mon worked
    assert [cal.is_workday(D(2099, 1, d)) for d in range(1, 6)] == [False, False, True, False, True]
    assert cal.working_days_after(D(2098, 12, 30), D(2099, 1, 5)) is None  # 2098-12-31 unknown
    assert cal.working_days_after(D(2099, 1, 1), D(2099, 1, 5)) == 2
