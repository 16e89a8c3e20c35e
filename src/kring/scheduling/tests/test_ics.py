"""The calendar file of a meeting (issue 9, point 5), parsed back with `icalendar`: a stable
UID, SEQUENCE, the local time the coordinator chose in summer and in winter time, METHOD:CANCEL
on cancellation, and nothing about the case."""

from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest

from kring.scheduling import ics
from kring.scheduling.models import Meeting
from kring.scheduling.tests.meeting_fixtures import confirmed_meeting, local

UTC = ZoneInfo("UTC")


def parsed(meeting) -> tuple[icalendar.Calendar, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(ics.ics_text(meeting))
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    return calendar, events[0]


def test_a_summer_meeting_carries_the_local_time_with_its_zone(summer_meeting):
    meeting = summer_meeting
    calendar, event = parsed(meeting)
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == meeting.uid
    assert event["SEQUENCE"] == 0
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert (start.hour, start.minute, end.hour, end.minute) == (19, 0, 21, 30)
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert start.astimezone(UTC) == datetime(2027, 7, 15, 17, 0, tzinfo=UTC)  # CEST, +2
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    assert str(event["SUMMARY"]) == "Eigen Kracht-conferentie"
    assert str(event["LOCATION"]) == "Buurthuis De Linde, Lindeplein 1, 3511 AA Utrecht"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert "DTSTAMP" in event


def test_on_the_day_winter_time_starts_the_time_is_still_the_chosen_one(
    preparing_case, carla, linde, everyone_said_yes
):
    # The last Sunday of October 2027: the clocks go back at 03:00, the meeting is at 10:00.
    meeting = confirmed_meeting(
        preparing_case,
        by=carla,
        venue=linde,
        starts_at=local(2027, 10, 31, 10, 0),
        ends_at=local(2027, 10, 31, 12, 0),
    )
    calendar, event = parsed(meeting)
    start = event.decoded("DTSTART")
    assert (start.date().isoformat(), start.hour, start.minute) == ("2027-10-31", 10, 0)
    assert start.astimezone(UTC) == datetime(2027, 10, 31, 9, 0, tzinfo=UTC)  # CET, +1
    # The zone in the file itself knows the change, for calendars that read only the file.
    timezone_text = calendar.walk("VTIMEZONE")[0].to_ical().decode()
    assert "TZOFFSETTO:+0100" in timezone_text and "TZOFFSETTO:+0200" in timezone_text
    assert "20271031T030000" in timezone_text


def test_the_organiser_is_the_organisation_and_no_person_of_the_case_is_named(
    summer_meeting, settings
):
    meeting = summer_meeting
    settings.KRING_CONTACT_EMAIL = "info@eigen-kracht.test"
    text = ics.ics_text(meeting)
    _, event = parsed(meeting)
    assert str(event["ORGANIZER"]) == "mailto:info@eigen-kracht.test"
    for word in ("Daan", "Sanne", "Joost", "Ria", "Carla", meeting.case.reference):
        assert word not in text


def test_a_moved_meeting_keeps_its_uid_with_a_higher_sequence(summer_meeting):
    meeting = summer_meeting
    uid = meeting.uid
    meeting.sequence += 1
    meeting.starts_at, meeting.ends_at = local(2027, 7, 22, 19, 0), local(2027, 7, 22, 21, 0)
    meeting.save()
    calendar, event = parsed(meeting)
    assert (str(event["UID"]), event["SEQUENCE"]) == (uid, 1)
    assert calendar["METHOD"] == "REQUEST"
    assert event.decoded("DTSTART").day == 22


def test_a_cancelled_meeting_sends_method_cancel(summer_meeting):
    meeting = summer_meeting
    meeting.status = Meeting.Status.CANCELLED
    meeting.sequence += 1
    meeting.save()
    calendar, event = parsed(meeting)
    assert calendar["METHOD"] == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert (str(event["UID"]), event["SEQUENCE"]) == (meeting.uid, 1)
    assert ics.content_type(meeting) == "text/calendar; method=CANCEL"


def test_a_meeting_without_a_time_has_no_calendar_file(preparing_case, carla):
    meeting = Meeting.objects.create(case=preparing_case, created_by=carla)
    with pytest.raises(ValueError):
        ics.ics_text(meeting)
