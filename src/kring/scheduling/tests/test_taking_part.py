"""Who takes part in the meeting is decided in one place (scheduling.policy.TAKING_PART: who said
yes and has not stopped since). The date poll's grid and its reminders, the invitations and the
letters, the meeting's reminders, the participant's page and the policy all ask it, so they cannot
disagree: the rule had been written out in five places (review of issue 9, in issue 10). Joost,
Daan's brother, in each status the circle knows."""

import pytest
from django.db.models import F

from kring.audit.actors import Actor
from kring.circle.models import Participant, Status
from kring.scheduling import grid, invitations, policy, poll, reminders
from kring.scheduling.models import Meeting, Reminder
from kring.scheduling.tests.meeting_fixtures import local

from .poll_fixtures import accepted, linde, meeting

__all__ = ["accepted", "linde", "meeting"]

pytestmark = pytest.mark.django_db

# Two days before the summer meeting (Thursday 15 July 2027, 19:00), when reminders are due.
TUESDAY_1000 = local(2027, 7, 13, 10, 0)


def _now_in(participant, status) -> Participant:
    Participant.objects.filter(pk=participant.pk).update(status=status)
    participant.refresh_from_db()
    return participant


def test_only_who_said_yes_takes_part_in_the_meeting_and_the_circle_counts_more(
    everyone_said_yes,
):
    """The circle's `takes_part` (not declined or stopped) is wider: who is invited and has not
    answered yet still takes part in the circle, but is not invited to the meeting."""
    joost = _now_in(everyone_said_yes["joost"], Status.INVITED)
    assert joost.takes_part
    assert not policy.is_taking_part(joost)
    assert [p.name for p in policy.taking_part(joost.case_id)] == [
        p.name for p in Participant.objects.filter(case=joost.case).exclude(pk=joost.pk)
    ]


@pytest.mark.parametrize("status", list(Status))
def test_the_confirmed_meeting_reaches_exactly_who_takes_part(
    status, summer_meeting, everyone_said_yes, carla, mailoutbox, django_capture_on_commit_callbacks
):
    joost = everyone_said_yes["joost"]
    reminders.plan(summer_meeting)  # while Joost said yes
    planned = Reminder.objects.get(meeting=summer_meeting, participant=joost)
    joost = _now_in(joost, status)
    expected = status == Status.ACCEPTED
    assert policy.is_taking_part(joost) is expected

    with django_capture_on_commit_callbacks(execute=True):
        invitations.send(summer_meeting, change="moved")
        reminder_sent = reminders.send_one(planned.pk, now=TUESDAY_1000)
    mailed = [sent.to[0] for sent in mailoutbox]
    assert ("joost@example.org" in mailed) is expected  # the change of the meeting
    assert reminder_sent is expected
    assert mailed.count("joost@example.org") == (2 if expected else 0)  # and the reminder

    # The meeting moved (a new sequence): its reminders are planned again, for who takes part.
    Meeting.objects.filter(pk=summer_meeting.pk).update(sequence=F("sequence") + 1)
    summer_meeting.refresh_from_db()
    reminders.plan(summer_meeting)
    again = Reminder.objects.filter(
        meeting=summer_meeting, sequence=summer_meeting.sequence, participant=joost
    )
    assert again.exists() is expected

    me = Actor.in_portal(joost)
    assert (invitations.portal_panel(joost) is not None) is expected
    assert (policy.may_download_calendar_file(me, joost, summer_meeting) is None) is expected

    joost = Participant.objects.get(pk=joost.pk)
    Participant.objects.filter(pk=joost.pk).update(email="")
    joost.refresh_from_db()
    assert (joost in invitations.letters_needed(summer_meeting)) is expected
    assert (policy.may_print_meeting_letter(carla, joost, summer_meeting) is None) is expected


@pytest.mark.parametrize("status", list(Status))
def test_the_date_poll_asks_exactly_who_takes_part(status, meeting, accepted, carla):
    joost = _now_in(accepted["joost"][0], status)
    expected = status == Status.ACCEPTED

    assert ("Joost" in " ".join(p.name for p in grid.answering(meeting))) is expected
    assert ("Joost" in " ".join(p.name for p in grid.grid(meeting).not_answered)) is expected
    assert (joost in poll.waiting_for(meeting)) is expected
    assert (policy.may_answer_poll(Actor.in_portal(joost), joost, meeting) is None) is expected
    assert (policy.may_enter_answers(carla, joost, meeting) is None) is expected
