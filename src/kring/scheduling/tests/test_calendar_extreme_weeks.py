"""A week far outside Kring's days in the calendar's URL (issue 14, finding 3): ?week=9999-12-31
had no Sunday and ?week=0001-01-01 no midnight in UTC: an OverflowError, a 500. Such a week is
nonsense like any other and shows this week (kring.core.dates.FIRST_DAY and LAST_DAY)."""

import pytest
from django.urls import reverse

from kring.core.dates import FIRST_DAY, LAST_DAY
from kring.scheduling.calendar import week_of

pytestmark = pytest.mark.django_db

EXTREMES = ["0001-01-01", "0001-01-07", "9999-12-31", "9999-12-27", "1989-12-31", "2101-01-01"]


@pytest.mark.parametrize("week", EXTREMES)
def test_a_week_outside_kring_s_days_shows_this_week(as_user, bram, week):
    response = as_user(bram).get(reverse("scheduling:calendar"), {"week": week})
    assert response.status_code == 200
    assert week_of(week) == week_of(None)
    this_week = as_user(bram).get(reverse("scheduling:calendar")).content.decode()
    assert response.content.decode().count("<td") == this_week.count("<td")


@pytest.mark.parametrize("day", [FIRST_DAY, LAST_DAY])
def test_the_weeks_of_the_first_and_the_last_day_are_shown(as_user, bram, day):
    assert week_of(day.isoformat()) != week_of(None)
    response = as_user(bram).get(reverse("scheduling:calendar"), {"week": day.isoformat()})
    assert response.status_code == 200
