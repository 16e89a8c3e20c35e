"""The office's week calendar (issue 9, point 8): a row per venue, a column per day from Monday
to Sunday in Europe/Amsterdam, each confirmed meeting with its case reference and coordinator
only; the same number of queries for 10 and for 1,000 meetings."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kring.cases.lifecycle import State
from kring.cases.models import Case
from kring.referrals.models import Referral
from kring.scheduling.calendar import week_grid, week_of
from kring.scheduling.models import Meeting, Venue
from kring.testing.factories import CaseFactory, ReferralFactory

pytestmark = pytest.mark.django_db
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MARKER = "Daan heeft de fiets"  # every ReferralFactory request's description


def local(*args) -> datetime:
    return datetime(*args, tzinfo=AMSTERDAM)


def room(team, name="Buurthuis De Linde", **extra) -> Venue:
    return Venue.objects.create(
        team=team, name=name, address="Lindeplein 1, Utrecht", capacity=12, **extra
    )


def meeting(case, venue, starts_at, *, by, hours=2, status=Meeting.Status.CONFIRMED) -> Meeting:
    return Meeting.objects.create(
        case=case,
        status=status,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        venue=venue,
        created_by=by,
    )


def html(response) -> str:
    return response.content.decode()


def test_week_of_gives_the_monday_of_any_day_and_this_week_for_nonsense():
    assert week_of("2027-11-04") == date(2027, 11, 1)  # a Thursday
    assert week_of("2027-11-01") == date(2027, 11, 1)
    assert week_of("2027-11-07") == date(2027, 11, 1)  # the Sunday
    assert week_of("gisteren").weekday() == 0
    assert week_of(None).weekday() == 0


def test_the_calendar_shows_reference_coordinator_time_and_venue_and_nothing_of_the_case(
    as_user, bram, carla, team, preparing_case, daan, sanne
):
    linde, pijler = room(team), room(team, "Wijkcentrum De Pijler")
    meeting(preparing_case, linde, local(2027, 11, 3, 19, 0), by=carla)  # Wednesday
    page = html(as_user(bram).get(reverse("scheduling:calendar") + "?week=2027-11-04"))
    assert preparing_case.reference in page
    assert str(carla) in page
    assert "19:00" in page and "21:00" in page
    assert "Buurthuis De Linde" in page and "Wijkcentrum De Pijler" in page  # an empty row too
    for private in ("Daan", "Sanne", MARKER, "Lindelaan", "06 "):
        assert private not in page
    # The Wednesday column: the meeting sits in the fourth cell of its venue's row (after th).
    row = page.split("Buurthuis De Linde</th>")[1].split("</tr>")[0]
    cells = row.split("<td>")[1:]
    assert len(cells) == 7
    assert preparing_case.reference in cells[2]
    assert pijler.name not in row


def test_only_confirmed_meetings_of_the_team_in_that_week_are_shown(
    as_user, mira, carla, olaf, team, other_team, preparing_case
):
    linde = room(team)
    meeting(preparing_case, linde, local(2027, 11, 3, 19, 0), by=carla)
    polling = CaseFactory(team=team, coordinator=olaf, state=State.PREPARING)
    meeting(polling, linde, local(2027, 11, 4, 10, 0), by=olaf, status=Meeting.Status.POLLING)
    cancelled = CaseFactory(team=team, coordinator=olaf, state=State.PREPARING)
    meeting(cancelled, linde, local(2027, 11, 4, 14, 0), by=olaf, status=Meeting.Status.CANCELLED)
    later = CaseFactory(team=team, coordinator=olaf, state=State.SCHEDULED)
    meeting(later, linde, local(2027, 11, 8, 10, 0), by=olaf)  # the Monday after
    elsewhere = CaseFactory(team=other_team, state=State.SCHEDULED)
    meeting(elsewhere, room(other_team, "Zwolse zaal"), local(2027, 11, 3, 10, 0), by=olaf)
    client = as_user(mira)
    page = html(client.get(reverse("scheduling:calendar") + "?week=2027-11-01"))
    assert preparing_case.reference in page
    for hidden in (polling, cancelled, later, elsewhere):
        assert hidden.reference not in page
    assert "Zwolse zaal" not in page
    # Next week holds the later one; the links lead there and back.
    assert "?week=2027-11-08" in page and "?week=2027-10-25" in page
    assert later.reference in html(client.get(reverse("scheduling:calendar") + "?week=2027-11-08"))


def test_a_retired_venue_shows_only_in_a_week_with_a_meeting_there(carla, team, preparing_case):
    old = room(team, "Oud buurthuis")
    meeting(preparing_case, old, local(2027, 11, 3, 19, 0), by=carla)
    Venue.objects.filter(pk=old.pk).update(retired_at=local(2027, 10, 1, 9, 0))
    this_week = week_grid(team, date(2027, 11, 1))
    assert [row.venue.name for row in this_week.rows] == ["Oud buurthuis"]
    assert week_grid(team, date(2027, 11, 8)).rows == []


def test_the_week_of_the_change_to_winter_time_keeps_local_times_and_days(
    carla, olaf, team, preparing_case
):
    # Sunday 31 October 2027 the clocks go back; the week runs Monday 25 to Sunday 31.
    linde = room(team)
    meeting(preparing_case, linde, local(2027, 10, 31, 23, 30), by=carla, hours=1)
    other = CaseFactory(team=team, coordinator=olaf, state=State.SCHEDULED)
    meeting(other, linde, local(2027, 10, 25, 0, 15), by=olaf)  # just after Monday midnight
    week = week_grid(team, date(2027, 10, 25))
    (row,) = week.rows
    monday, sunday = row.days[0], row.days[6]
    assert [e.starts.strftime("%H:%M") for e in monday] == ["00:15"]
    assert [e.starts.strftime("%H:%M") for e in sunday] == ["23:30"]
    assert sunday[0].starts.utcoffset() == timedelta(hours=1)  # winter time
    assert monday[0].starts.utcoffset() == timedelta(hours=2)  # still summer time
    # Neither belongs to the weeks around it.
    assert week_grid(team, date(2027, 10, 18)).meeting_count == 0
    assert week_grid(team, date(2027, 11, 1)).meeting_count == 0


def _many(team, venues, coordinators, count, monday) -> None:
    """`count` confirmed meetings of `count` cases of the team, spread over the week."""
    referrals = Referral.objects.bulk_create(ReferralFactory.build_batch(count))
    cases = Case.objects.bulk_create(
        CaseFactory.build(
            referral=referral,
            team=team,
            coordinator=coordinators[i % len(coordinators)],
            state=State.SCHEDULED,
        )
        for i, referral in enumerate(referrals)
    )
    start = datetime.combine(monday, datetime.min.time(), tzinfo=AMSTERDAM)
    Meeting.objects.bulk_create(
        Meeting(
            case=case,
            status=Meeting.Status.CONFIRMED,
            uid=f"calendar-{case.pk}@kring",
            starts_at=start + timedelta(days=i % 7, hours=8 + i % 12),
            ends_at=start + timedelta(days=i % 7, hours=10 + i % 12),
            venue=venues[i % len(venues)],
            created_by=coordinators[0],
        )
        for i, case in enumerate(cases)
    )


def _queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("scheduling:calendar") + "?week=2027-11-01")
    assert response.status_code == 200
    return len(ctx.captured_queries), html(response)


def test_the_calendar_asks_the_database_as_often_for_1000_meetings_as_for_10(
    as_user, bram, carla, olaf, team
):
    venues = [room(team, f"Zaal {n}") for n in range(5)]
    client = as_user(bram)
    _many(team, venues, [carla, olaf], 10, date(2027, 11, 1))
    _queries(client)  # the first request of a session also reads what the session holds
    few, page = _queries(client)
    assert page.count('class="meeting"') == 10
    _many(team, venues, [carla, olaf], 990, date(2027, 11, 1))
    many, page = _queries(client)
    assert page.count('class="meeting"') == 1000
    assert many == few


def test_reading_the_calendar_is_logged(as_user, bram, team):
    from kring.audit.models import AuditEvent  # noqa: PLC0415

    as_user(bram).get(reverse("scheduling:calendar"))
    event = AuditEvent.objects.get(action="scheduling.calendar_viewed")
    assert event.actor == bram and event.team_id == team.pk
