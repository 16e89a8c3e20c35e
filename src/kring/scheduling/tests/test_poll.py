"""The date poll's actions (issue 9, point 2): options with bad input are refused with a clear
message and save nothing; a participant answers every option or nothing; an option of another
case is refused; options can be taken out until a date is set; the coordinator enters answers
told by phone (marked) and reminds those who have not answered, at most once a day."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from kring.audit.actors import Actor
from kring.cases import actions as case_actions
from kring.cases.models import CaseEvent
from kring.circle import actions as circle
from kring.core.policy import NotAllowed, Refused
from kring.notifications.models import OutgoingMail
from kring.scheduling import poll
from kring.scheduling.models import Meeting, PollAnswer, PollOption, Reminder
from kring.testing.factories import ReferralFactory

from .poll_fixtures import accepted, in_a_week, linde, meeting, venue_of

__all__ = ["accepted", "linde", "meeting"]

pytestmark = pytest.mark.django_db


def _refused(act) -> str:
    with translation.override("en"), pytest.raises(Refused) as refused:
        act()
    return str(refused.value.reason)


# --- proposing options -----------------------------------------------------------------------


def test_an_option_is_added_in_dutch_time_and_stored_in_utc(meeting, carla, linde):
    option = meeting.options.first()
    local = timezone.localtime(option.starts_at)
    assert (local.hour, local.minute) == (14, 0)
    assert str(local.tzinfo) == "Europe/Amsterdam"
    assert meeting.options.count() == 3
    assert CaseEvent.objects.filter(kind="scheduling.option_added").count() == 3


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda v, now: (now - timedelta(hours=2), now - timedelta(hours=1), v), "have passed"),
        (lambda v, now: (now + timedelta(days=3), now + timedelta(days=3, hours=-1), v), "later"),
        (lambda v, now: (now + timedelta(days=3), now + timedelta(days=3, hours=9), v), "8 hours"),
        (lambda v, now: (now + timedelta(days=400), now + timedelta(days=400, hours=2), v), "year"),
        (lambda v, now: (now + timedelta(days=3), now + timedelta(days=3, hours=2), None), "venue"),
    ],
    ids=["in the past", "end before start", "too long", "more than a year ahead", "unknown venue"],
)
def test_bad_times_and_an_unknown_venue_are_refused_and_nothing_is_saved(
    meeting, carla, linde, make, message
):
    starts_at, ends_at, venue = make(linde, timezone.now())
    text = _refused(
        lambda: poll.add_option(
            meeting, starts_at=starts_at, ends_at=ends_at, venue=venue, by=carla
        )
    )
    assert message in text
    assert meeting.options.count() == 3


def test_a_retired_venue_is_refused(meeting, carla, team):
    retired = venue_of(team, "Oud gebouw", retired_at=timezone.now())
    start, end = in_a_week(10)
    text = _refused(
        lambda: poll.add_option(meeting, starts_at=start, ends_at=end, venue=retired, by=carla)
    )
    assert text == "This venue is no longer in use. Choose another venue."
    assert meeting.options.count() == 3


def test_a_venue_of_another_team_is_refused(meeting, carla, other_team):
    elsewhere = venue_of(other_team, "Zaal Zwolle")
    start, end = in_a_week(10)
    text = _refused(
        lambda: poll.add_option(meeting, starts_at=start, ends_at=end, venue=elsewhere, by=carla)
    )
    assert "another team" in text
    assert meeting.options.count() == 3


def test_the_same_option_in_the_right_venue_is_accepted(meeting, carla, linde):
    """The refusals above refuse something that would otherwise have been saved."""
    start, end = in_a_week(10)
    poll.add_option(meeting, starts_at=start, ends_at=end, venue=linde, by=carla)
    assert meeting.options.count() == 4


def test_only_the_cases_coordinator_proposes(meeting, olaf, linde):
    start, end = in_a_week(10)
    with pytest.raises(NotAllowed):
        poll.add_option(meeting, starts_at=start, ends_at=end, venue=linde, by=olaf)
    assert meeting.options.count() == 3


def test_one_poll_per_case(meeting, carla, preparing_case):
    assert "already has a date poll" in _refused(lambda: poll.open_poll(preparing_case, by=carla))
    assert Meeting.objects.filter(case=preparing_case).count() == 1


def test_an_option_can_be_taken_out_until_a_date_is_confirmed(meeting, carla, accepted):
    daan = accepted["daan"][0]
    options = list(meeting.options.all())
    poll.answer(daan, {o.pk: "yes" for o in options}, by=Actor.in_portal(daan))
    poll.remove_option(options[0], by=carla)
    assert meeting.options.count() == 2
    assert PollAnswer.objects.filter(option_id=options[0].pk).count() == 0
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CONFIRMED)
    assert "date has been set" in _refused(lambda: poll.remove_option(options[1], by=carla))
    assert meeting.options.count() == 2


# --- answering -----------------------------------------------------------------------------


def test_a_participant_answers_every_option_in_the_portal(meeting, accepted):
    daan = accepted["daan"][0]
    a, b, c = meeting.options.all()
    poll.answer(daan, {a.pk: "yes", b.pk: "if_need_be", c.pk: "no"}, by=Actor.in_portal(daan))
    answers = {x.option_id: x for x in PollAnswer.objects.filter(participant=daan)}
    assert {k: v.answer for k, v in answers.items()} == {
        a.pk: "yes",
        b.pk: "if_need_be",
        c.pk: "no",
    }
    assert not any(x.by_phone for x in answers.values())
    event = CaseEvent.objects.get(kind="scheduling.poll_answered")
    assert event.actor_participant_id == daan.pk


def test_a_blank_is_not_a_no_and_nothing_is_saved(meeting, accepted):
    daan = accepted["daan"][0]
    a, b, c = meeting.options.all()
    text = _refused(lambda: poll.answer(daan, {a.pk: "yes", b.pk: "no"}, by=Actor.in_portal(daan)))
    assert text.startswith("Give an answer for ")
    assert PollAnswer.objects.filter(participant=daan).count() == 0
    _refused(
        lambda: poll.answer(daan, {a.pk: "yes", b.pk: "no", c.pk: ""}, by=Actor.in_portal(daan))
    )
    assert PollAnswer.objects.filter(participant=daan).count() == 0


def test_answers_can_be_changed_until_the_date_is_set(meeting, accepted):
    daan = accepted["daan"][0]
    me = Actor.in_portal(daan)
    options = list(meeting.options.all())
    poll.answer(daan, {o.pk: "no" for o in options}, by=me)
    poll.answer(daan, {o.pk: "yes" for o in options}, by=me)
    assert set(PollAnswer.objects.filter(participant=daan).values_list("answer", flat=True)) == {
        "yes"
    }
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CONFIRMED)
    _refused(lambda: poll.answer(daan, {o.pk: "no" for o in options}, by=me))
    assert set(PollAnswer.objects.filter(participant=daan).values_list("answer", flat=True)) == {
        "yes"
    }


def test_an_option_of_another_case_is_refused_and_changes_nothing(meeting, accepted, carla, linde):
    """A tampered option id: the option of another case's poll is not answered."""
    other = case_actions.open_case(ReferralFactory(), team=carla.team)
    other_option = PollOption.objects.create(
        meeting=Meeting.objects.create(case=other, created_by=carla),
        starts_at=in_a_week(11)[0],
        ends_at=in_a_week(11)[1],
        venue=linde,
    )
    daan = accepted["daan"][0]
    mine = {o.pk: "yes" for o in meeting.options.all()}
    text = _refused(
        lambda: poll.answer(daan, {**mine, other_option.pk: "no"}, by=Actor.in_portal(daan))
    )
    assert text == "These dates are not part of this poll."
    assert PollAnswer.objects.count() == 0


def test_only_someone_who_said_yes_answers(meeting, accepted, carla, ria):
    circle.invite(ria, channel="letter", by=carla)  # invited, not yet answered
    options = {o.pk: "yes" for o in meeting.options.all()}
    assert "said they will take part" in _refused(
        lambda: poll.answer(ria, options, by=Actor.in_portal(ria))
    )
    assert PollAnswer.objects.filter(participant=ria).count() == 0


def test_a_participant_answers_only_for_themselves(meeting, accepted):
    daan, sanne = accepted["daan"][0], accepted["sanne"][0]
    options = {o.pk: "yes" for o in meeting.options.all()}
    with pytest.raises(NotAllowed):
        poll.answer(sanne, options, by=Actor.in_portal(daan))
    assert PollAnswer.objects.count() == 0


def test_answers_by_telephone_are_marked(meeting, accepted, carla):
    joost = accepted["joost"][0]
    options = {o.pk: "if_need_be" for o in meeting.options.all()}
    poll.answer(joost, options, by=carla)
    answers = PollAnswer.objects.filter(participant=joost)
    assert answers.count() == 3
    assert all(a.by_phone and a.recorded_by_id == carla.pk for a in answers)
    assert CaseEvent.objects.filter(kind="scheduling.poll_answers_entered").count() == 1


# --- reminders ---------------------------------------------------------------------------------


def test_a_reminder_goes_to_those_who_have_not_answered_once_a_day(
    meeting, accepted, carla, django_capture_on_commit_callbacks
):
    daan = accepted["daan"][0]
    poll.answer(daan, {o.pk: "yes" for o in meeting.options.all()}, by=Actor.in_portal(daan))
    with django_capture_on_commit_callbacks(execute=True):
        reminded = poll.remind_to_answer(meeting, by=carla)
    assert reminded.sent == 2  # Sanne and Joost; Daan answered
    sent = OutgoingMail.objects.filter(kind="scheduling.poll_reminder")
    assert sorted(sent.values_list("to", flat=True)) == sorted(
        [accepted["sanne"][0].email, accepted["joost"][0].email]
    )
    for message in sent:
        # Nothing of the case: no date, no venue, no name; only how to reach the page.
        assert "Linde" not in message.body_text and "Daan" not in message.body_text
        assert "/code/" in message.body_text
    again = poll.remind_to_answer(meeting, by=carla)
    assert (again.sent, again.recently) == (0, 2)
    assert sent.count() == 2
    # A day later they may be reminded again.
    Reminder.objects.filter(kind=Reminder.Kind.POLL).update(
        sent_at=timezone.now() - timedelta(days=1, minutes=1)
    )
    assert poll.remind_to_answer(meeting, by=carla).sent == 2
