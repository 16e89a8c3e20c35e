"""Shared circle fixtures: Carla's case in preparation, with Daan (responsible) and Sanne (harmed)
and their circles. Everything is made through the real actions."""

import pytest
from django.utils import timezone

from kring.cases import actions as case_actions
from kring.circle import actions
from kring.circle.models import Mode, Side
from kring.testing.auth import force_verified_login
from kring.testing.factories import ReferralFactory

# Planted in Sanne's record: must never reach the responsible side or the office.
SANNE_PHONE = "06 9876 5432"
SANNE_EMAIL = "sanne@example.org"


@pytest.fixture
def assigned_case(db, bram, carla):
    """A case assigned to Carla (she declared independence), not yet in preparation."""
    case = case_actions.open_case(ReferralFactory())
    case_actions.take_on(case, by=bram)
    case_actions.offer_to_coordinator(case, coordinator=carla, by=bram)
    offer = case.assignments.get(coordinator=carla, status="offered")
    return case_actions.accept_assignment(offer, declares_independence=True, by=carla)


@pytest.fixture
def preparing_case(assigned_case, carla):
    return actions.start_preparation(assigned_case, by=carla)


@pytest.fixture
def daan(preparing_case, carla):
    return actions.add_participant(
        preparing_case,
        by=carla,
        name="Daan de Boer",
        side=Side.RESPONSIBLE,
        email="daan@example.org",
        phone="06 1111 2222",
    )


@pytest.fixture
def sanne(preparing_case, carla):
    return actions.add_participant(
        preparing_case,
        by=carla,
        name="Sanne Jansen",
        side=Side.HARMED,
        email=SANNE_EMAIL,
        phone=SANNE_PHONE,
        address="Lindelaan 4, Utrecht",
        wishes="Mijn tante Ria mag erbij zijn, mijn oom niet.",
    )


@pytest.fixture
def joost(preparing_case, carla, daan):
    """Daan's brother, in Daan's circle."""
    return actions.add_participant(
        preparing_case,
        by=carla,
        name="Joost de Boer",
        side=Side.SUPPORTER,
        supports=daan,
        relation="brother of Daan",
        email="joost@example.org",
    )


@pytest.fixture
def ria(preparing_case, carla, sanne):
    """Sanne's aunt, in Sanne's circle."""
    return actions.add_participant(
        preparing_case,
        by=carla,
        name="Ria Jansen",
        side=Side.SUPPORTER,
        supports=sanne,
        relation="aunt of Sanne",
    )


def acknowledge(participant, *, by, acknowledges=True):
    return actions.record_acknowledgment(
        participant,
        acknowledges=acknowledges,
        given_at=timezone.now(),
        mode=Mode.IN_PERSON,
        by=by,
    )


@pytest.fixture
def as_user(client):
    def login(user):
        force_verified_login(client, user)
        return client

    return login
