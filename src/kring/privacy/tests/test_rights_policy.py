"""The policy of a participant's rights (issue 14, point 8) as tables, in the shape of
cases/tests/test_policy.py: the export is the case's coordinator's or the office's of the case's
team, in any state of the case (a subject-access request is the organisation's duty); the
correction, the erasure, and noting the request when a signed plan blocks it, the coordinator's
or the office's of the case's team, while the case is open. The manager does none of them.
Gathered by privacy/tests/test_policy.py."""

from collections.abc import Callable

import pytest
from django.utils import timezone

from kring.cases import actions
from kring.cases.tests.test_policy import (
    ALLOWED,
    STAFF,
    Row,
    World,
    assert_answer,
    denied,
    each,
    params,
    refused,
)
from kring.circle.models import Participant
from kring.privacy import policy
from kring.privacy.models import LegalHold

pytestmark = pytest.mark.django_db


def _daan(world):
    return world.fixture("daan")


def _stopped(world):
    daan = world.fixture("daan")
    actions.stop(daan.case, reason="safety", by=world.fixture("carla"))
    return Participant.objects.select_related("case").get(pk=daan.pk)


def _erased(world):
    daan = world.fixture("daan")
    Participant.objects.filter(pk=daan.pk).update(erased_at=timezone.now())
    return Participant.objects.select_related("case").get(pk=daan.pk)


def _held(world):
    daan = world.fixture("daan")
    LegalHold.objects.create(
        case=daan.case, placed_at=timezone.now(), placed_by=world.fixture("mira")
    )
    return Participant.objects.select_related("case").get(pk=daan.pk)


def _signed(world):
    case = world.fixture("following_up")
    return Participant.objects.select_related("case").get(case=case, name="Daan de Boer")


RIGHTS_SETUPS: dict[str, Callable] = {
    "preparing": _daan,
    "stopped": _stopped,
    "erased": _erased,
    "signed": _signed,
    "held": _held,
}

NEITHER_COORDINATOR_NOR_OFFICE = (
    "manager",
    "other_coordinator",
    "coordinator_other_team",
    "researcher",
    "administrator",
    "inactive_coordinator",
    "inactive_office",
)

RIGHTS_TABLES: dict[str, list[Row]] = {
    "may_export_participant": [
        Row("coordinator", "preparing", ALLOWED),
        Row("coordinator", "stopped", ALLOWED),
        Row("coordinator", "signed", ALLOWED),
        Row("coordinator", "erased", refused("erased")),
        Row("office", "preparing", ALLOWED),
        Row("office", "stopped", ALLOWED),  # also when the coordinator has left
        Row("office", "signed", ALLOWED),
        Row("office", "erased", refused("erased")),
        Row("office_other_team", "preparing", denied("team")),
        Row("office_no_team", "preparing", denied("team")),
        *each(NEITHER_COORDINATOR_NOR_OFFICE, "preparing", denied("role")),
        Row("manager_other_team", "preparing", denied("role")),
    ],
    "may_correct_participant": [
        Row("coordinator", "preparing", ALLOWED),
        Row("office", "preparing", ALLOWED),
        Row("coordinator", "signed", ALLOWED),
        Row("office", "signed", ALLOWED),
        Row("coordinator", "stopped", refused("case_ended")),
        Row("office", "stopped", refused("case_ended")),
        Row("coordinator", "erased", refused("erased")),
        Row("office", "erased", refused("erased")),
        Row("office_other_team", "preparing", denied("team")),
        Row("office_no_team", "preparing", denied("team")),
        *each(NEITHER_COORDINATOR_NOR_OFFICE, "preparing", denied("role")),
    ],
    "may_handle_erasure_request": [
        Row("coordinator", "preparing", ALLOWED),
        Row("office", "preparing", ALLOWED),
        Row("coordinator", "signed", ALLOWED),  # the page then notes the request
        Row("coordinator", "held", ALLOWED),  # the same
        Row("coordinator", "stopped", refused("case_ended")),
        Row("coordinator", "erased", refused("erased")),
        Row("office_other_team", "preparing", denied("team")),
        Row("office_no_team", "preparing", denied("team")),
        *each(NEITHER_COORDINATOR_NOR_OFFICE, "preparing", denied("role")),
    ],
    "may_erase_participant": [
        Row("coordinator", "preparing", ALLOWED),
        Row("office", "preparing", ALLOWED),
        Row("coordinator", "stopped", refused("case_ended")),
        Row("office", "stopped", refused("case_ended")),
        Row("coordinator", "erased", refused("erased")),
        Row("coordinator", "signed", refused("blocked")),
        Row("office", "signed", refused("blocked")),
        Row("coordinator", "held", refused("held")),  # a court or the police keeps the case
        Row("office", "held", refused("held")),
        Row("office_other_team", "preparing", denied("team")),
        Row("office_no_team", "preparing", denied("team")),
        *each(NEITHER_COORDINATOR_NOR_OFFICE, "preparing", denied("role")),
    ],
    "may_note_erasure_request": [
        Row("coordinator", "signed", ALLOWED),
        Row("office", "signed", ALLOWED),
        Row("coordinator", "held", ALLOWED),
        Row("office", "held", ALLOWED),
        Row("coordinator", "preparing", refused("erasable")),
        Row("coordinator", "erased", refused("erased")),
        Row("office_other_team", "signed", denied("team")),
        *each(NEITHER_COORDINATOR_NOR_OFFICE, "signed", denied("role")),
    ],
}


@pytest.fixture
def rights_world(request) -> World:
    return World(request, STAFF, RIGHTS_SETUPS)


@pytest.mark.parametrize(("name", "row"), params(RIGHTS_TABLES))
def test_a_persons_rights_each_actor_gets_the_answer_in_the_table(rights_world, name, row):
    target = rights_world.setup(row.given)
    actor = rights_world.person(row.actor)
    assert_answer(getattr(policy, name)(actor, target), row)
