"""Working-day arithmetic pinned to the State Council's published schedules, plus properties."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.workdays.calendar import DayKind, UnknownScheduleError, WorkCalendar, add_months
from fazhi.workdays.schedules import package_schedules

SCHEDULES = {y: s for y, s in package_schedules().items() if y <= 2026}  # as a release of 2026 knows
CAL = WorkCalendar(SCHEDULES)
KNOWN = st.dates(min_value=date(2005, 1, 1), max_value=date(2025, 12, 31))


def d(text: str) -> date:
    return date.fromisoformat(text)


# -- pinned years --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # 2024 春节: 2月10日至17日放假, 2月4日(日)、2月18日(日)上班
        ("2024-02-04", True),
        ("2024-02-09", True),  # 除夕 was not a statutory holiday before 2025
        ("2024-02-10", False),
        ("2024-02-16", False),
        ("2024-02-18", True),
        # 2024 国庆: 10月1日至7日放假, 9月29日(日)、10月12日(六)上班
        ("2024-09-29", True),
        ("2024-10-07", False),
        ("2024-10-12", True),
        # 2025 春节 (除夕 added by 国务院令第798号): 1月28日至2月4日, 1月26日(日)、2月8日(六)上班
        ("2025-01-26", True),
        ("2025-01-28", False),
        ("2025-02-04", False),
        ("2025-02-08", True),
        # 2025 国庆中秋: 10月1日至8日, 9月28日(日)、10月11日(六)上班
        ("2025-09-28", True),
        ("2025-10-08", False),
        ("2025-10-11", True),
        # 2026 (rules.md §11 lists the make-up days 01-04, 02-14, 02-28, 05-09, 09-20, 10-10)
        ("2026-01-02", False),
        ("2026-01-04", True),
        ("2026-02-14", True),
        ("2026-02-16", False),
        ("2026-02-28", True),
        ("2026-05-05", False),
        ("2026-05-09", True),
        ("2026-09-20", True),
        ("2026-10-07", False),
        ("2026-10-10", True),
        ("2026-03-07", False),  # an ordinary Saturday
        ("2026-03-09", True),  # an ordinary Monday
    ],
)
def test_is_workday_pinned(day, expected):
    assert CAL.is_workday(d(day)) is expected


def test_add_workdays_across_2024_spring_festival():
    # 2月9日(五) is the 1st, the make-up Sunday 2月18日 the 2nd, 2月19日 the 3rd.
    assert CAL.add_workdays(d("2024-02-08"), 3) == d("2024-02-19")
    assert CAL.add_workdays(d("2024-02-08"), 1) == d("2024-02-09")
    assert CAL.add_workdays(d("2024-02-08"), 2) == d("2024-02-18")


def test_add_workdays_across_2025_national_day():
    # 9月30日(二) → 10月9日(四) is the first working day after the 8-day holiday.
    assert CAL.add_workdays(d("2025-09-30"), 1) == d("2025-10-09")
    assert CAL.add_workdays(d("2025-09-30"), 3) == d("2025-10-11")  # make-up Saturday counts


def test_add_workdays_backwards():
    assert CAL.add_workdays(d("2024-02-19"), -3) == d("2024-02-08")
    assert CAL.add_workdays(d("2024-02-19"), -1) == d("2024-02-18")


def test_workdays_between_counts_after_start_up_to_end():
    assert CAL.workdays_between(d("2024-02-08"), d("2024-02-19")) == 3
    assert CAL.workdays_between(d("2024-02-19"), d("2024-02-08")) == -3
    assert CAL.workdays_between(d("2024-03-01"), d("2024-03-01")) == 0
    # 2024: 366 days, 251 working days (a number every 2024 HR calendar states)
    assert CAL.workdays_between(d("2023-12-31"), d("2024-12-31")) == 251


def test_calendar_day_period_rolls_over_national_day():
    # 行政复议法 第二十条 60日 from 2024-08-02 ends 2024-10-01 (holiday) → next working day 2024-10-08.
    assert CAL.period_end(d("2024-08-02"), 60, DayKind.DAY) == d("2024-10-08")
    # a period ending on a make-up Saturday is not extended (the day is a working day)
    assert CAL.period_end(d("2024-10-02"), 10, DayKind.DAY) == d("2024-10-12")


def test_month_periods():
    assert add_months(d("2024-01-31"), 1) == d("2024-02-29")
    assert add_months(d("2023-08-31"), 6) == d("2024-02-29")
    assert add_months(d("2024-12-15"), 1) == d("2025-01-15")
    # 6个月 from 2024-04-01 ends 2024-10-01, a holiday → 2024-10-08
    assert CAL.period_end(d("2024-04-01"), 6, DayKind.MONTH) == d("2024-10-08")
    assert CAL.period_end(d("2022-03-15"), 2, DayKind.YEAR) == d("2024-03-15")


def test_unknown_year_fails_loudly():
    with pytest.raises(UnknownScheduleError, match="2027年的节假日安排尚未载入"):
        CAL.add_workdays(d("2026-12-28"), 10)
    with pytest.raises(UnknownScheduleError):
        CAL.is_workday(d("2027-01-04"))
    with pytest.raises(UnknownScheduleError):
        CAL.period_end(d("2026-12-01"), 60, DayKind.DAY)


def test_unknown_year_guessed_only_when_allowed_and_flagged():
    cal = WorkCalendar(SCHEDULES, strict=False)
    assert cal.verified
    result = cal.add_workdays(d("2026-12-30"), 3)
    assert result == d("2027-01-04")  # 12-31 (四), then weekends only: 01-01 (五), 01-04 (一)
    assert cal.guessed_years == {2027}
    assert not cal.verified


# -- properties ---------------------------------------------------------------------------------
@settings(max_examples=300, deadline=None)
@given(start=KNOWN, n=st.integers(min_value=1, max_value=120))
def test_add_then_count_round_trips(start, n):
    end = CAL.add_workdays(start, n)
    assert CAL.is_workday(end)
    assert CAL.workdays_between(start, end) == n
    assert CAL.workdays_between(start, end - timedelta(days=1)) == n - 1


@settings(max_examples=300, deadline=None)
@given(start=KNOWN, n=st.integers(min_value=1, max_value=120))
def test_add_workdays_matches_day_by_day_walk(start, n):
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        counted += CAL.is_workday(day)
    assert CAL.add_workdays(start, n) == day


@settings(max_examples=200, deadline=None)
@given(start=KNOWN, n=st.integers(min_value=1, max_value=60))
def test_backwards_inverts_forwards(start, n):
    end = CAL.add_workdays(start, n)
    back = CAL.add_workdays(end, -n)
    # going back lands on start itself when start is a working day, else on the working day before it
    assert back == start if CAL.is_workday(start) else back == CAL.add_workdays(start, -1)
    assert CAL.add_workdays(back, n) == end


@settings(max_examples=200, deadline=None)
@given(a=KNOWN, b=KNOWN, c=KNOWN)
def test_between_is_additive(a, b, c):
    assert CAL.workdays_between(a, b) + CAL.workdays_between(b, c) == CAL.workdays_between(a, c)


@settings(max_examples=200, deadline=None)
# the period (≤ 400 days) and its roll-forward must end inside the known years (2004–2026)
@given(start=st.dates(min_value=date(2005, 1, 1), max_value=date(2025, 11, 1)), n=st.integers(1, 400))
def test_day_period_ends_on_first_workday_on_or_after_plain_end(start, n):
    end = CAL.period_end(start, n, DayKind.DAY)
    plain = start + timedelta(days=n)
    assert end >= plain
    assert CAL.is_workday(end)
    assert all(not CAL.is_workday(plain + timedelta(days=i)) for i in range((end - plain).days))
