"""What follow-up reads (followup.queries; issue 12): the current agreements, what counts as
overdue, a team's overdue agreements, and who is in the plan."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from kring.cases.lifecycle import State
from kring.cases.models import Case
from kring.circle.models import Participant
from kring.followup import queries
from kring.followup.models import AgreementState, TrackedAgreement

pytestmark = pytest.mark.django_db

DUE = date(2027, 12, 1)


def test_today_is_the_date_in_amsterdam(settings):
    assert settings.TIME_ZONE == "Europe/Amsterdam"
    assert queries.today() == timezone.localdate()


def test_current_leaves_out_the_agreements_changed_by_mutual_consent(following_up, bike, school):
    assert list(queries.current(following_up)) == [bike, school]
    TrackedAgreement.objects.filter(pk=bike.pk).update(state=AgreementState.CHANGED)
    assert list(queries.current(following_up)) == [school]


OVERDUE = [
    (AgreementState.OPEN, DUE + timedelta(days=1), True),
    (AgreementState.PARTLY_DONE, DUE + timedelta(days=1), True),
    (AgreementState.OPEN, DUE, False),  # its own day is not past yet
    (AgreementState.OPEN, DUE - timedelta(days=1), False),
    (AgreementState.DONE, DUE + timedelta(days=1), False),
    (AgreementState.NOT_KEPT, DUE + timedelta(days=1), False),
    (AgreementState.CHANGED, DUE + timedelta(days=1), False),
]


@pytest.mark.parametrize(("state", "on", "overdue"), OVERDUE)
def test_an_agreement_is_overdue_past_its_date_while_still_open(bike, state, on, overdue):
    bike.state = state
    assert queries.is_overdue(bike, on) is overdue


@pytest.mark.parametrize(("state", "on", "overdue"), OVERDUE)
def test_the_overdue_filter_says_what_is_overdue_says(bike, state, on, overdue):
    """One rule, written once (queries.overdue_q) for every query that counts or lists overdue
    agreements: the tracker's row, the case panel, the team's list and the digest agree."""
    TrackedAgreement.objects.filter(pk=bike.pk).update(state=state)
    assert TrackedAgreement.objects.filter(queries.overdue_q(on), pk=bike.pk).exists() is overdue


def test_an_agreement_without_a_date_is_never_overdue(school):
    assert not queries.is_overdue(school, date(2099, 1, 1))
    assert not TrackedAgreement.objects.filter(queries.overdue_q(date(2099, 1, 1)), pk=school.pk)


def test_overdue_for_team_holds_the_team_open_agreements_in_follow_up(
    following_up, bike, school, team, other_team
):
    after = DUE + timedelta(days=1)
    assert list(queries.overdue_for_team(team, after)) == [bike]
    assert list(queries.overdue_for_team(team, DUE)) == []
    assert list(queries.overdue_for_team(other_team, after)) == []
    TrackedAgreement.objects.filter(pk=school.pk).update(due=DUE - timedelta(days=10))
    assert list(queries.overdue_for_team(team, after)) == [school, bike]  # oldest date first
    Case.objects.filter(pk=following_up.pk).update(state=State.CLOSED)
    assert list(queries.overdue_for_team(team, after)) == []


def test_in_the_plan_are_everyone_present_and_every_owner(
    following_up, bike, daan, sanne, joost, ria
):
    for present in (daan, sanne, joost, ria):
        assert queries.in_the_plan(present)
    ellen = Participant.objects.create(case=following_up, name="Ellen Jansen", side="supporter")
    assert not queries.in_the_plan(ellen)
    TrackedAgreement.objects.filter(pk=bike.pk).update(owner=ellen)
    assert queries.in_the_plan(ellen)
    # The owner of an agreement changed by mutual consent only is no longer in the plan by it.
    TrackedAgreement.objects.filter(pk=bike.pk).update(state=AgreementState.CHANGED)
    assert not queries.in_the_plan(ellen)
