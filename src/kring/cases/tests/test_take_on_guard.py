"""The guard of the `take_on` move, has_team (R1: a case taken on belongs to a team), asked
through lifecycle.refusal, and what it protects: an office worker without a team takes nothing
on, and the request stays in the inbox without a team."""

import pytest

from kring.accounts.models import Role
from kring.cases import actions
from kring.cases.lifecycle import State, refusal
from kring.core.policy import Refused
from kring.testing.users import UserFactory


@pytest.fixture
def bas(db):
    """Bas works at the office but belongs to no team (yet)."""
    return UserFactory(username="bas", first_name="Bas", role=Role.OFFICE, team=None)


def test_a_request_without_a_team_cannot_be_taken_on(requested_case):
    assert requested_case.team_id is None

    refused = refusal(requested_case, "take_on")

    assert refused is not None
    assert refused.code == "take_on.has_team"
    assert str(refused) == "A case that is taken on must belong to a team."


def test_a_request_with_a_team_can_be_taken_on(requested_case, team):
    requested_case.team = team  # what actions.take_on does first: the office worker's team

    assert refusal(requested_case, "take_on") is None


def test_the_state_is_asked_before_the_team(referred_case):
    referred_case.team = None

    refused = refusal(referred_case, "take_on")

    assert refused.code == "state"
    assert "not possible while the case is “Taken on”" in str(refused)


def test_an_office_worker_without_a_team_takes_nothing_on(requested_case, bas):
    with pytest.raises(Refused) as refused:
        actions.take_on(requested_case, by=bas)

    # The policy says it first, in the office worker's words; has_team is the lifecycle's own.
    assert refused.value.code in {"no_team", "take_on.has_team"}
    requested_case.refresh_from_db()
    assert requested_case.state == State.REQUESTED
    assert requested_case.team_id is None
    assert not requested_case.events.filter(kind="case.taken_on").exists()
