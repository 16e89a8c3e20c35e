"""Issue 9, the browser journey's steps 3 and 5, in Dutch: Carla sees the grid of the date
poll, picks the best date ("Kies deze datum"), reads what confirming does and confirms; the case
page shows the meeting. Then she moves the meeting on its page, at phone width: the calendar
file keeps its UID with a higher SEQUENCE and the new local time. axe reports nothing."""

from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from kring.audit.actors import Actor
from kring.cases.lifecycle import State
from kring.scheduling import ics, poll
from kring.scheduling.models import Meeting
from kring.scheduling.tests.booking_fixtures import days_ahead, prepare, venue_of
from kring.testing.circle_people import daan, daan_acknowledged, sanne
from tests.browser.conftest import PHONE
from tests.browser.ui import log_in, nl

__all__ = ["daan", "daan_acknowledged", "sanne"]

pytestmark = pytest.mark.django_db(transaction=True)


def _event(meeting):
    return icalendar.Calendar.from_ical(ics.ics_text(meeting)).walk("VEVENT")[0]


def test_carla_confirms_the_best_date_and_moves_the_meeting(
    new_context, live_server, axe, authenticator, preparing_case, daan_acknowledged, sanne,
    carla, team,
):  # fmt: skip
    for person in (daan_acknowledged, sanne):
        prepare(person, by=carla)
    linde = venue_of(team, step_free=True)
    eik = venue_of(team, "Wijkcentrum De Eik", step_free=True)
    meeting = poll.open_poll(preparing_case, by=carla)
    options = []
    for days in (7, 8, 9):
        start, end = days_ahead(days)
        options.append(
            poll.add_option(meeting, starts_at=start, ends_at=end, venue=linde, by=carla)
        )
    # Both can make the second date; the others only if need be.
    for person in (daan_acknowledged, sanne):
        answers = {o.pk: "if_need_be" for o in options} | {options[1].pk: "yes"}
        poll.answer(person, answers, by=Actor.in_portal(person))
    best = options[1]

    # --- step 3: the grid, the best date first; Carla chooses it and confirms ----------------
    page = axe.watch(new_context().new_page())
    log_in(page, carla, authenticator(carla), axe)
    page.goto(reverse("scheduling:poll", args=[preparing_case.pk]))
    axe.check(page)
    page.get_by_role("link", name=nl("Choose this date")).first.click()

    heading = nl("Set the date for case %(reference)s", reference=preparing_case.reference)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    day = timezone.localtime(best.starts_at)
    expect(page.locator("time").first).to_have_attribute("datetime", day.isoformat())
    expect(page.get_by_text(nl("What happens when you confirm"))).to_be_visible()
    axe.check(page)
    page.get_by_role("button", name=nl("Confirm this date")).click()

    expect(
        page.get_by_text(nl("The date is set. Everyone who takes part gets an invitation."))
    ).to_be_visible()
    panel = page.get_by_role("region", name=nl("The meeting"), exact=True)
    expect(panel).to_contain_text(nl(Meeting.Status.CONFIRMED.label))
    expect(panel).to_contain_text("Buurthuis De Linde")
    axe.check(page)
    meeting.refresh_from_db()
    preparing_case.refresh_from_db()
    assert (meeting.status, meeting.starts_at) == (Meeting.Status.CONFIRMED, best.starts_at)
    assert preparing_case.state == State.SCHEDULED
    first = _event(meeting)
    assert (str(first["UID"]), first["SEQUENCE"]) == (meeting.uid, 0)

    # --- step 5: Carla moves it, on her phone, to another day at De Eik ----------------------
    phone = axe.watch(new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page())
    log_in(phone, carla, authenticator(carla), axe)
    phone.goto(reverse("cases:detail", args=[preparing_case.pk]))
    phone.get_by_role("region", name=nl("The meeting"), exact=True).get_by_role(
        "link", name=nl("Move the meeting")
    ).click()
    axe.check(phone)
    new_day = timezone.localdate() + timedelta(days=12)
    phone.get_by_label(nl("Date")).fill(new_day.isoformat())
    phone.get_by_label(nl("Start (Dutch time)")).fill("10:00")
    phone.get_by_label(nl("End (Dutch time)")).fill("12:30")
    phone.get_by_label(nl("Venue")).select_option(label="Wijkcentrum De Eik (12)")
    phone.get_by_role("button", name=nl("Move the meeting")).click()

    expect(
        phone.get_by_text(nl("The meeting is moved. Everyone who takes part is told."))
    ).to_be_visible()
    expect(phone.get_by_role("region", name=nl("The meeting"), exact=True)).to_contain_text(
        "Wijkcentrum De Eik"
    )
    axe.check(phone)
    meeting.refresh_from_db()
    assert meeting.venue == eik
    moved = _event(meeting)
    assert str(moved["UID"]) == str(first["UID"])
    assert moved["SEQUENCE"] == 1
    start = moved.decoded("DTSTART")
    assert (start.date(), start.hour, start.minute) == (new_day, 10, 0)

    # --- and the cancel page: a reason is asked only for stopping; back to preparation -----
    phone.get_by_role("region", name=nl("The meeting"), exact=True).get_by_role(
        "link", name=nl("Cancel the meeting")
    ).click()
    axe.check(phone)
    phone.get_by_label(nl("Back to preparation, to find a new date")).check()
    phone.get_by_role("button", name=nl("Cancel the meeting")).click()
    expect(
        phone.get_by_text(nl("The meeting is cancelled. Everyone who takes part is told."))
    ).to_be_visible()
    axe.check(phone)
    preparing_case.refresh_from_db()
    assert preparing_case.state == State.PREPARING
    assert _event(Meeting.objects.get(pk=meeting.pk))["SEQUENCE"] == 2
    axe.assert_no_violations()
