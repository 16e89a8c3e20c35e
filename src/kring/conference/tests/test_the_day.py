"""The conference happens on its day (R12: a plan exists only from the meeting on), and who has
stopped taking part is not present (R9). Check-in, the start and the `hold` move wait for the
meeting's day (conference.policy.the_day_has_come); before it, conference mode and its panel on
the case page say on which day it opens, with nothing to press. Whoever declined or withdrew
after check-in does not count for the start, gets no round and is not in the plan
(conference.queries.present_participants). Each refusal is shown to refuse what the same step
does once its rule is met."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kring.cases.actions import make_move
from kring.cases.lifecycle import MoveRefused, State
from kring.circle import actions as circle_actions
from kring.circle.models import Status
from kring.conference import actions, content, queries
from kring.conference.models import Attendance, Conference, Round
from kring.core.policy import Refused
from kring.scheduling.models import Meeting
from kring.scheduling.tests.meeting_fixtures import local
from kring.testing.auth import force_verified_login

pytestmark = pytest.mark.django_db

BEFORE_THE_DAY = (
    "De conferentiemodus gaat open op de dag van de conferentie, donderdag 15 juli 2027."
)


def _dutch(client, user):
    force_verified_login(client, user)
    client.cookies["django_language"] = "nl"
    return client


def _move(meeting, starts):
    """The meeting (and the conference's copy of it, the same object) moved to `starts`."""
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=starts, ends_at=starts + timedelta(hours=2)
    )
    meeting.refresh_from_db()


def _ahead(meeting):
    _move(meeting, local(2027, 7, 15, 19, 0))


def _on_its_day(meeting):
    _move(meeting, timezone.now() - timedelta(hours=1))


def _check_in_everyone(conference, people, carla):
    for person in people.values():
        actions.check_in(conference, person, present=True, by=carla)


# --- the meeting's day ---------------------------------------------------------------------------


def test_check_in_waits_for_the_day_and_begins_on_it(
    scheduled_case, meeting_ahead, everyone_said_yes, carla
):
    daan = everyone_said_yes["daan"]
    with pytest.raises(Refused) as refused:
        actions.open_conference(scheduled_case, by=carla)
    assert refused.value.code == "before_the_day"
    assert "15 July 2027" in str(refused.value.reason)
    assert not Conference.objects.exists()
    assert not Attendance.objects.exists()

    # The same call on the day: check-in begins.
    _on_its_day(meeting_ahead)
    conference = actions.open_conference(scheduled_case, by=carla)
    actions.check_in(conference, daan, present=True, by=carla)
    assert Attendance.objects.get(conference=conference).participant == daan


def test_the_start_waits_for_the_day_and_the_case_stays_scheduled(
    checking_in, everyone_said_yes, carla
):
    """A conference whose check-in began and whose date was set later again: refused; on the day
    the same call opens it."""
    _check_in_everyone(checking_in, everyone_said_yes, carla)
    _ahead(checking_in.meeting)
    with pytest.raises(Refused) as refused:
        actions.start(checking_in, by=carla)
    assert refused.value.code == "before_the_day"
    with pytest.raises(Refused) as again:
        actions.check_in(checking_in, everyone_said_yes["daan"], present=False, by=carla)
    assert again.value.code == "before_the_day"
    checking_in.refresh_from_db()
    checking_in.case.refresh_from_db()
    assert checking_in.case.state == State.SCHEDULED
    assert checking_in.started_at is None
    assert not Round.objects.exists()
    assert Attendance.objects.get(participant=everyone_said_yes["daan"]).present is True

    _on_its_day(checking_in.meeting)
    actions.start(checking_in, by=carla)
    checking_in.case.refresh_from_db()
    assert checking_in.case.state == State.CONFERENCE_HELD
    assert Round.objects.count() == 4


def test_the_hold_move_itself_waits_for_the_day(checking_in, everyone_said_yes, carla):
    """The move's guard protects every other path than conference.actions.start."""
    _check_in_everyone(checking_in, everyone_said_yes, carla)
    _ahead(checking_in.meeting)
    case = checking_in.case
    with pytest.raises(MoveRefused) as refused:
        make_move(case, "hold", by=carla, conference=checking_in)
    assert refused.value.code == "hold.on_its_day"
    case.refresh_from_db()
    assert case.state == State.SCHEDULED

    _on_its_day(checking_in.meeting)
    make_move(case, "hold", by=carla, conference=checking_in)
    case.refresh_from_db()
    assert case.state == State.CONFERENCE_HELD


def test_before_the_day_conference_mode_says_when_it_opens_and_offers_nothing(
    client, scheduled_case, meeting_ahead, everyone_said_yes, carla
):
    client = _dutch(client, carla)
    mode = client.get(reverse("conference:mode", args=[scheduled_case.pk]))
    assert mode.status_code == 200
    text = mode.content.decode()
    assert BEFORE_THE_DAY in text
    assert "Wie is er?" not in text
    assert reverse("conference:check_in", args=[scheduled_case.pk]) not in text
    assert reverse("conference:start", args=[scheduled_case.pk]) not in text
    assert "Daan de Boer" not in text

    # The case page: the panel says the same, without the way in.
    case_page = client.get(reverse("cases:detail", args=[scheduled_case.pk])).content.decode()
    assert BEFORE_THE_DAY in case_page
    assert "Conferentiemodus openen" not in case_page

    # A check-in posted anyway changes nothing, and says why.
    post = client.post(
        reverse("conference:check_in", args=[scheduled_case.pk]),
        {"participant": everyone_said_yes["daan"].pk, "present": "yes"},
        follow=True,
    )
    assert BEFORE_THE_DAY in post.content.decode()
    assert not Conference.objects.exists()


def test_on_the_day_the_case_page_leads_into_conference_mode(client, scheduled_case, carla):
    case_page = (
        _dutch(client, carla)
        .get(reverse("cases:detail", args=[scheduled_case.pk]))
        .content.decode()
    )
    assert "Conferentiemodus openen" in case_page
    assert "De conferentiemodus gaat open op de dag" not in case_page


# --- who has stopped taking part is not present --------------------------------------------------


def test_without_anyone_of_the_harmed_side_left_the_start_is_refused(
    checking_in, everyone_said_yes, carla
):
    """Sanne and Ria (the harmed side) were checked in, then both withdrew."""
    people = everyone_said_yes
    _check_in_everyone(checking_in, people, carla)
    for key in ("sanne", "ria"):
        circle_actions.withdraw(people[key], by=carla)
    with pytest.raises(Refused) as refused:
        actions.start(checking_in, by=carla)
    assert refused.value.code == "hold.both_sides_present"
    checking_in.case.refresh_from_db()
    assert checking_in.case.state == State.SCHEDULED
    assert not Round.objects.exists()


def test_who_withdrew_after_check_in_gets_no_round_and_is_noted_as_not_there(
    checking_in, everyone_said_yes, carla
):
    people = everyone_said_yes
    _check_in_everyone(checking_in, people, carla)
    # Before withdrawing, Ria was counted.
    assert people["ria"] in queries.present_participants(checking_in)
    circle_actions.withdraw(people["ria"], by=carla)
    actions.start(checking_in, by=carla)
    turns = list(Round.objects.order_by("position").values_list("participant__name", flat=True))
    assert turns == ["Daan de Boer", "Sanne Jansen", "Joost de Boer"]
    assert Attendance.objects.get(participant=people["ria"]).present is False
    assert Attendance.objects.get(participant=people["joost"]).present is True
    assert list(queries.present_participants(checking_in)) == [
        people["daan"],
        people["joost"],
        people["sanne"],
    ]


def test_who_left_after_the_start_keeps_the_round_but_is_not_in_the_plan(
    plan, everyone_said_yes, carla
):
    """No path lets someone withdraw once the conference began (circle.policy.WITHDRAWABLE);
    should their status change all the same, they are no longer present for the plan: not in
    its canonical form (who signs it), not to be chosen in it."""
    from django.core.exceptions import ValidationError

    from kring.circle.models import Participant
    from kring.conference import editing

    ria = everyone_said_yes["ria"]
    assert "Ria Jansen" in content.canonical(plan)["present"]
    Participant.objects.filter(pk=ria.pk).update(status=Status.WITHDRAWN)
    assert "Ria Jansen" not in content.canonical(plan)["present"]
    assert Round.objects.filter(participant=ria, done_at__isnull=False).exists()
    with pytest.raises(ValidationError):
        editing.save_plan_fields(plan, revision=1, good_outcome_by=ria, by=carla)
    # Sanne, still there, may be chosen.
    editing.save_plan_fields(plan, revision=1, good_outcome_by=everyone_said_yes["sanne"], by=carla)
