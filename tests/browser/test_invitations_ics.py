"""Issue 9, the browser journey's step 4 (and the calendar side of step 5), in Dutch: Carla
confirms the date in the browser; the invitations arrive at a real SMTP server; their calendar
files parse with `icalendar` and carry the local time Carla chose, on the day winter time
starts too; a move keeps the UID with a higher SEQUENCE and the summer time. Daan sees the
meeting on his own page at phone width; a participant without e-mail is on the letters list.
axe reports nothing on these pages."""

from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from kring.audit.actors import Actor
from kring.circle import actions as circle
from kring.circle import links
from kring.circle.models import Mode, Participant
from kring.scheduling import actions, poll
from kring.scheduling.models import Meeting
from kring.scheduling.tests.booking_fixtures import prepare, venue_of
from kring.testing.circle_people import add
from kring.testing.people import DAAN, RIA, SANNE
from tests.browser.conftest import PHONE
from tests.browser.ui import log_in, nl

pytestmark = pytest.mark.django_db(transaction=True)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
UTC = ZoneInfo("UTC")


def _local(*args) -> datetime:
    return datetime(*args, tzinfo=AMSTERDAM)


def _calendar_of(mail) -> icalendar.Calendar:
    [part] = [p for p in mail.message.iter_attachments() if p.get_content_type() == "text/calendar"]
    return icalendar.Calendar.from_ical(part.get_content())


def _event(mail):
    return _calendar_of(mail).walk("VEVENT")[0]


def test_after_confirming_the_invitations_arrive_with_a_calendar_file_in_local_time(
    new_context, live_server, smtp_server, axe, authenticator, preparing_case, carla, team
):
    # --- Carla's case, ready to be scheduled: Daan and Sanne prepared, Ria (no e-mail) too ----
    daan = add(DAAN, preparing_case, by=carla)
    circle.record_acknowledgment(
        daan, acknowledges=True, given_at=datetime.now(UTC), mode=Mode.IN_PERSON, by=carla
    )
    sanne = add(SANNE, preparing_case, by=carla)
    ria = add(RIA, preparing_case, by=carla, supports=sanne)
    Participant.objects.filter(pk=ria.pk).update(email="", address="Tantelaan 9\n3511 CC Utrecht")
    ria.refresh_from_db()
    for person in (daan, sanne, ria):
        prepare(person, by=carla)
    linde = venue_of(team, step_free=True, hearing_loop=True, route="Bus 8 tot halte Lindeplein.")

    # --- the poll: the Sunday winter time starts, and a Thursday in summer ---------------------
    meeting = poll.open_poll(preparing_case, by=carla)
    winter = poll.add_option(
        meeting,
        starts_at=_local(2027, 10, 31, 10, 0),
        ends_at=_local(2027, 10, 31, 12, 30),
        venue=linde,
        by=carla,
    )
    summer = poll.add_option(
        meeting,
        starts_at=_local(2027, 7, 15, 19, 0),
        ends_at=_local(2027, 7, 15, 21, 30),
        venue=linde,
        by=carla,
    )
    for person in (daan, sanne):
        poll.answer(person, {winter.pk: "yes", summer.pk: "if_need_be"}, by=Actor.in_portal(person))
    poll.answer(ria, {winter.pk: "yes", summer.pk: "yes"}, by=carla)

    # --- Carla confirms the Sunday in the browser ------------------------------------------
    page = axe.watch(new_context().new_page())
    log_in(page, carla, authenticator(carla), axe)
    page.goto(reverse("scheduling:confirm", args=[meeting.pk, winter.pk]))
    axe.check(page)
    page.get_by_role("button", name=nl("Confirm this date")).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CONFIRMED

    # --- the invitations at the SMTP server ----------------------------------------------------
    subject = nl("The date of your Eigen Kracht conference")
    daans = smtp_server.wait_for_subject(DAAN.email, subject)
    assert "zondag 31 oktober 2027" in daans.text and "10:00 – 12:30" in daans.text
    calendar = _calendar_of(daans)
    assert calendar["METHOD"] == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]) == meeting.uid and event["SEQUENCE"] == 0
    start = event.decoded("DTSTART")
    assert (start.date().isoformat(), start.hour, start.minute) == ("2027-10-31", 10, 0)
    assert start.astimezone(UTC) == datetime(2027, 10, 31, 9, 0, tzinfo=UTC)  # CET after 03:00
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    sannes = smtp_server.wait_for_subject(SANNE.email, "The date of your Eigen Kracht conference")
    assert str(_event(sannes)["UID"]) == meeting.uid  # Sanne reads English

    # --- the case page lists Ria's letter ------------------------------------------------------
    page.goto(reverse("cases:detail", args=[preparing_case.pk]))
    letters = page.get_by_role("region", name=nl("Letters to print"))
    expect(letters).to_contain_text("Ria Jansen")
    axe.check(page)

    # --- Daan sees the meeting on his own page, on his phone --------------------------------
    token = links.issue(daan, by=carla).token
    phone = axe.watch(new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page())
    phone.goto(reverse("portal:enter", args=[token]))
    panel = phone.get_by_role("region", name=nl("Your Eigen Kracht conference"))
    expect(panel).to_contain_text("zondag 31 oktober 2027")
    expect(panel).to_contain_text("Lindeplein 1")
    expect(panel).to_contain_text("Bus 8 tot halte Lindeplein.")
    expect(panel.get_by_role("link", name=nl("Put it in my calendar"))).to_be_visible()
    axe.check(phone)

    # --- Carla moves the meeting to the summer date: same UID, higher SEQUENCE ----------------
    actions.move(
        meeting,
        starts_at=summer.starts_at,
        ends_at=summer.ends_at,
        venue=linde,
        by=carla,
    )
    moved = smtp_server.wait_for_subject(
        DAAN.email, nl("Your Eigen Kracht conference has been moved")
    )
    event = _event(moved)
    assert str(event["UID"]) == meeting.uid and event["SEQUENCE"] == 1
    start = event.decoded("DTSTART")
    assert (start.date().isoformat(), start.hour) == ("2027-07-15", 19)
    assert start.astimezone(UTC) == datetime(2027, 7, 15, 17, 0, tzinfo=UTC)  # CEST
    axe.assert_no_violations()
