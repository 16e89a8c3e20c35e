"""Shared circle fixtures: Carla's case in preparation, with Daan (responsible) and Sanne (harmed)
and their circles. Everything is made through the real actions."""

import pytest
from django.utils import timezone

from kring.circle import actions
from kring.circle.models import Mode, Side

# Planted in Sanne's record: must never reach the responsible side or the office.
SANNE_PHONE = "06 9876 5432"
SANNE_EMAIL = "sanne@example.org"


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
