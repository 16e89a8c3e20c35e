"""A follow-up meeting (issue 12, point 4), planned with scheduling's date poll and booking
while the case is in follow-up, from the case after everyone signed its plan (`following_up`):
the coordinator proposes a date, a participant answers on their own page, the coordinator
confirms it (bookings, invitations that name a follow-up meeting, a calendar file, a letter for
whoever has no e-mail address) and cancels it, and the case stays in follow-up throughout; the
held conference, its meeting and its pages are untouched; a closed case plans nothing, and is
not closed while a follow-up meeting is still to come."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kring.cases import lifecycle
from kring.cases.lifecycle import State
from kring.cases.models import Case, CaseEvent
from kring.circle import links
from kring.conference import queries
from kring.core.policy import Refused
from kring.followup import closing
from kring.followup.models import Outcome
from kring.notifications.models import OutgoingMail
from kring.scheduling import actions, ics, letters, policy, poll
from kring.scheduling.models import Booking, Meeting, PollAnswer
from kring.testing.auth import force_verified_login

pytestmark = pytest.mark.django_db

FOLLOW_UP = Meeting.Purpose.FOLLOW_UP


def _as(client, user):
    force_verified_login(client, user)
    client.cookies["django_language"] = "en"
    return client


def _in_portal(client, participant, carla):
    token = links.issue(participant, by=carla).token
    assert client.get(reverse("portal:enter", args=[token])).status_code == 303
    client.cookies["django_language"] = "en"
    return client


def _in_two_weeks():
    return timezone.localdate() + timedelta(days=14)


def _propose(client, case, venue):
    day = _in_two_weeks()
    return client.post(
        reverse("scheduling:poll", args=[case.pk]),
        {"day": day.isoformat(), "starts": "14:00", "ends": "16:00", "venue": str(venue.pk)},
    )


def _names_a_follow_up_meeting(subject: str) -> bool:
    """In Dutch (Daan, Joost) or in English (Sanne): a follow-up meeting, not the conference."""
    subject = subject.lower()
    named = "nazorggesprek" in subject or "follow-up meeting" in subject
    return named and "conferen" not in subject


def _snapshot(meeting):
    meeting = Meeting.objects.get(pk=meeting.pk)
    return (meeting.status, meeting.starts_at, meeting.venue_id, meeting.sequence, meeting.purpose)


def test_the_coordinator_plans_a_follow_up_meeting_and_the_case_stays_in_follow_up(
    client, following_up, bike, carla, linde, everyone_said_yes
):
    case = following_up
    held = queries.confirmed_meeting(case)
    conference = queries.current_conference(case)
    assert held is not None and conference is not None
    before = _snapshot(held)

    # The case page leads to the poll; the poll page names the follow-up meeting.
    _as(client, carla)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Plan a follow-up meeting" in page
    page = client.get(reverse("scheduling:poll", args=[case.pk])).content.decode()
    assert "Finding a date for the follow-up meeting of case" in page

    # Proposing the first date opens a follow-up meeting's poll.
    assert _propose(client, case, linde).status_code == 302
    meeting = Meeting.objects.get(case=case, purpose=FOLLOW_UP)
    assert meeting.status == Meeting.Status.POLLING
    option = meeting.options.get()

    # Sanne answers on her own page, which asks about a follow-up meeting.
    sanne = everyone_said_yes["sanne"]
    portal = _in_portal(client.__class__(), sanne, carla)
    home = portal.get(reverse("portal:home")).content.decode()
    assert "looking for a date for a follow-up meeting" in home
    answer = portal.get(reverse("scheduling:answer_poll")).content.decode()
    assert "looking for a date for a follow-up meeting" in answer
    response = portal.post(reverse("scheduling:answer_poll"), {f"option_{option.pk}": "yes"})
    assert response.status_code == 303
    assert PollAnswer.objects.get(participant=sanne, option=option).answer == "yes"

    # Carla confirms it: booked, invited, no move of the case.
    confirm_url = reverse("scheduling:confirm", args=[meeting.pk, option.pk])
    page = client.get(confirm_url).content.decode()
    assert "The case stays in follow-up." in page
    assert "The case is then scheduled." not in page
    OutgoingMail.objects.all().delete()
    assert client.post(confirm_url).status_code == 302

    case.refresh_from_db()
    assert case.state == State.FOLLOWING_UP
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CONFIRMED
    assert Booking.objects.filter(meeting=meeting, released_at__isnull=True).count() == 2
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert "scheduling.follow_up_confirmed" in kinds
    assert kinds.count("case.scheduled") == 0

    invitations = OutgoingMail.objects.filter(kind="scheduling.invitation")
    # Daan, Sanne and Joost; Ria has no e-mail address.
    assert invitations.count() == 3
    for mail in invitations:
        assert _names_a_follow_up_meeting(mail.subject)
        (attachment,) = mail.attachments
        assert attachment["filename"] == ics.FOLLOW_UP_FILENAME
        assert "SUMMARY:Nazorggesprek" in attachment["content"]
        assert f"UID:{meeting.uid}" in attachment["content"]

    # Ria gets a letter, which the case page offers, named as a follow-up meeting's.
    ria = everyone_said_yes["ria"]
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "The follow-up meeting" in page
    assert reverse("scheduling:meeting_letter", args=[meeting.pk, ria.pk]) in page
    assert letters.letter_filename(ria, meeting).startswith("nazorggesprek-")

    # The held conference, its meeting and its plan are as they were.
    assert _snapshot(held) == before
    assert queries.confirmed_meeting(case) == held
    assert queries.current_conference(case) == conference
    assert queries.plan_of(queries.current_conference(case)) is not None
    page = client.get(reverse("conference:plan", args=[case.pk])).content.decode()
    assert bike.what in page

    # Cancelling it tells everyone; the case stays in follow-up, the bookings are free again.
    cancel_url = reverse("scheduling:cancel", args=[meeting.pk])
    page = client.get(cancel_url).content.decode()
    assert "The case stays in follow-up." in page
    assert 'name="then"' not in page
    assert client.post(cancel_url).status_code == 302
    case.refresh_from_db()
    meeting.refresh_from_db()
    assert case.state == State.FOLLOWING_UP
    assert meeting.status == Meeting.Status.CANCELLED
    assert not Booking.objects.filter(meeting=meeting, released_at__isnull=True).exists()
    cancelled = OutgoingMail.objects.filter(kind="scheduling.cancelled")
    assert cancelled.count() == 3
    assert all(_names_a_follow_up_meeting(mail.subject) for mail in cancelled)
    assert "case.unscheduled" not in CaseEvent.objects.filter(case=case).values_list(
        "kind", flat=True
    )
    assert _snapshot(held) == before


def _follow_up_poll(case, carla, linde):
    meeting = poll.open_poll(case, by=carla)
    start = poll.local(_in_two_weeks(), time(14, 0))
    poll.add_option(
        meeting, starts_at=start, ends_at=start + timedelta(hours=2), venue=linde, by=carla
    )
    return meeting


def test_the_case_is_not_closed_while_a_follow_up_meeting_is_to_come(
    client, following_up, carla, linde
):
    case = following_up
    meeting = _follow_up_poll(case, carla, linde)
    refusal = lifecycle.refusal(case, "close", outcome=Outcome.ALL_KEPT)
    assert refusal is not None and "follow-up meeting" in str(refusal.message)
    # The closing page says why, and the case stays in follow-up.
    _as(client, carla)
    close_url = reverse("followup:close", args=[case.pk])
    response = client.post(close_url, {"outcome": Outcome.ALL_KEPT, "note": ""})
    assert response.status_code == 200
    assert "Stop its date poll or cancel the meeting first" in response.content.decode()
    case.refresh_from_db()
    assert case.state == State.FOLLOWING_UP

    # What the guard says can be done: the poll page offers to stop the poll, and stopping it
    # sends nobody anything (no date was set).
    stop_url = reverse("scheduling:cancel", args=[meeting.pk])
    page = client.get(reverse("scheduling:poll", args=[case.pk])).content.decode()
    assert stop_url in page and "Stop the date poll" in page
    page = client.get(stop_url).content.decode()
    assert "Stop the date poll of case" in page and 'name="then"' not in page
    OutgoingMail.objects.all().delete()
    assert client.post(stop_url).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert not OutgoingMail.objects.exists()
    assert "scheduling.poll_stopped" in CaseEvent.objects.filter(case=case).values_list(
        "kind", flat=True
    )
    # The stopped poll no longer holds the case open: closing works.
    closing.close(case, by=carla, outcome=Outcome.ALL_KEPT)
    case.refresh_from_db()
    assert case.state == State.CLOSED


def test_the_case_is_not_closed_while_a_confirmed_follow_up_meeting_is_to_come(
    following_up, carla, linde
):
    case = following_up
    meeting = _follow_up_poll(case, carla, linde)
    meeting = actions.confirm(meeting, meeting.options.get(), by=carla)
    with pytest.raises(Refused):
        closing.close(case, by=carla, outcome=Outcome.ALL_KEPT)
    case.refresh_from_db()
    assert case.state == State.FOLLOWING_UP

    actions.cancel(meeting, by=carla)
    closing.close(case, by=carla, outcome=Outcome.ALL_KEPT)
    case.refresh_from_db()
    assert case.state == State.CLOSED


def test_after_a_cancelled_follow_up_meeting_the_pages_do_not_fall_back_to_the_conference(
    client, following_up, carla, linde, everyone_said_yes
):
    case = following_up
    held = queries.confirmed_meeting(case)
    assert held is not None and held.status == Meeting.Status.CONFIRMED
    meeting = _follow_up_poll(case, carla, linde)
    meeting = actions.confirm(meeting, meeting.options.get(), by=carla)
    actions.cancel(meeting, by=carla)

    # Sanne's page shows no meeting: not the conference's, held long ago, as if it were to come.
    sanne = everyone_said_yes["sanne"]
    portal = _in_portal(client.__class__(), sanne, carla)
    home = portal.get(reverse("portal:home")).content.decode()
    assert "Your Eigen Kracht conference" not in home
    assert "Your follow-up meeting" not in home
    # The conference's calendar file is not offered either.
    assert reverse("scheduling:calendar_file", args=[held.pk]) not in home

    # The case page offers Ria the letter that the follow-up meeting will not take place, not
    # the conference's invitation.
    ria = everyone_said_yes["ria"]
    _as(client, carla)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("scheduling:meeting_letter", args=[meeting.pk, ria.pk]) in page
    assert reverse("scheduling:meeting_letter", args=[held.pk, ria.pk]) not in page
    assert "The follow-up meeting will not take place." in page


def test_a_closed_case_plans_no_follow_up_meeting(client, following_up, carla, linde):
    case = following_up
    # The same page and input open a poll while the case is in follow-up (see above).
    assert policy.may_open_poll(carla, case) is None
    Case.objects.filter(pk=case.pk).update(state=State.CLOSED)
    case.refresh_from_db()

    refusal = policy.may_open_poll(carla, case)
    assert refusal is not None and refusal.code == "not_preparing"
    _as(client, carla)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Plan a follow-up meeting" not in page
    response = _propose(client, case, linde)
    assert response.status_code == 200
    assert "only while the case is in follow-up" in response.content.decode()
    assert not Meeting.objects.filter(case=case, purpose=FOLLOW_UP).exists()


def test_a_follow_up_meeting_of_a_case_closed_since_sends_no_reminder(following_up, carla, linde):
    from kring.scheduling import reminders
    from kring.scheduling.models import Reminder

    case = following_up
    meeting = _follow_up_poll(case, carla, linde)
    meeting = actions.confirm(meeting, meeting.options.get(), by=carla)
    OutgoingMail.objects.all().delete()

    # In follow-up: two days before, who takes part and has an e-mail address is reminded of a
    # follow-up meeting.
    assert reminders.send_due(now=reminders.due_at(meeting, 2)) == 3
    for mail in OutgoingMail.objects.filter(kind="scheduling.reminder"):
        assert _names_a_follow_up_meeting(mail.subject)

    # Closed since (the meeting held early, or called off outside Kring): the coordinator's
    # reminder of the day before is not sent.
    Case.objects.filter(pk=case.pk).update(state=State.CLOSED)
    assert reminders.send_due(now=reminders.due_at(meeting, 1)) == 0
    assert not OutgoingMail.objects.filter(kind="scheduling.coordinator_reminder").exists()
    coordinator = Reminder.objects.get(meeting=meeting, kind=Reminder.Kind.COORDINATOR)
    assert coordinator.sent_at is None and coordinator.cancelled_at is not None
