"""The people of kring.testing.people in Carla's case in preparation, made through the real
actions. A fixture named after a person gives that person just added; a fixture for the same
person in another state is named after that state (`daan_acknowledged`). The conftest.py of the
apps above the circle import these fixtures (pytest finds them among a conftest's globals)."""

import pytest
from django.utils import timezone

from kring.circle import actions
from kring.circle.models import Mode
from kring.testing.people import DAAN, JOOST, RIA, SANNE, Person


def add(person: Person, case, *, by, supports=None):
    """`person` added to the circle of `case` by the coordinator `by`, through the real action."""
    details = person.details()
    if supports is not None:
        details["supports"] = supports
    return actions.add_participant(case, by=by, **details)


def acknowledge(participant, *, by, acknowledges=True):
    """The coordinator records that a responsible person does (or does not) acknowledge (R3)."""
    return actions.record_acknowledgment(
        participant,
        acknowledges=acknowledges,
        given_at=timezone.now(),
        mode=Mode.IN_PERSON,
        by=by,
    )


# --- the fixtures (imported by the conftest.py of the apps that use them) ---------------------


@pytest.fixture
def daan(preparing_case, carla):
    """Daan, just added to Carla's case in preparation: he has not acknowledged anything yet."""
    return add(DAAN, preparing_case, by=carla)


@pytest.fixture
def daan_acknowledged(daan, carla):
    """Daan, who acknowledged his part (R3): he, and then the harmed side, can be invited (R4)."""
    acknowledge(daan, by=carla)
    return daan


@pytest.fixture
def sanne(preparing_case, carla, daan):
    """Sanne, added after Daan (R3: the responsible side first), her contact details planted."""
    return add(SANNE, preparing_case, by=carla)


@pytest.fixture
def joost(preparing_case, carla, daan):
    """Daan's brother, in Daan's circle."""
    return add(JOOST, preparing_case, by=carla, supports=daan)


@pytest.fixture
def ria(preparing_case, carla, sanne):
    """Sanne's aunt, in Sanne's circle."""
    return add(RIA, preparing_case, by=carla, supports=sanne)
