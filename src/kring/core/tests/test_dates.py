"""Kring's days (kring.core.dates, issue 14 finding 3): one bound for every form, and messages
that name it."""

from datetime import date, datetime

import pytest
from django import forms

from kring.core import dates


def test_the_messages_name_the_years_of_the_bounds():
    for message in (dates.DAY_OUT_OF_RANGE, dates.MOMENT_OUT_OF_RANGE):
        assert f"between {dates.FIRST_DAY.year} and {dates.LAST_DAY.year}" in str(message)
    assert date(dates.FIRST_DAY.year, 1, 1) == dates.FIRST_DAY
    assert date(dates.LAST_DAY.year, 12, 31) == dates.LAST_DAY


@pytest.mark.parametrize("day", [date.min, date(1989, 12, 31), date(2101, 1, 1), date.max])
def test_a_day_outside_is_refused_at_the_field(day):
    with pytest.raises(forms.ValidationError) as refused:
        dates.check_day(day)
    assert refused.value.code == "range"
    with pytest.raises(forms.ValidationError):
        dates.check_moment(datetime.combine(day, datetime.min.time()))


@pytest.mark.parametrize("day", [dates.FIRST_DAY, date(2026, 11, 26), dates.LAST_DAY])
def test_the_days_within_and_the_bounds_themselves_pass(day):
    assert dates.check_day(day) == day
    assert dates.check_moment(datetime.combine(day, datetime.max.time())).date() == day
    assert dates.check_day(None) is None
