"""Fixtures for the invitation, letter and drawing tests: a case in preparation for Carla with
Daan (responsible, acknowledged) and Sanne (harmed), each with a supporter. Sanne's contact
details are planted so that tests can prove they never reach the responsible side (R18).

Import with `from kring.circle.tests.fixtures_invite import *` (pytest finds fixtures among a
test module's globals)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kring.circle import actions
from kring.circle.models import Mode, Side

SANNE_PHONE = "06 3141 5926"
SANNE_EMAIL = "sanne.verborgen@example.org"
SANNE_ADDRESS = "Geheimweg 7\n3511 AB Utrecht"
DAAN_ADDRESS = "Daanstraat 12\n3512 CD Utrecht"

__all__ = [
    "SANNE_PHONE",
    "SANNE_EMAIL",
    "SANNE_ADDRESS",
    "DAAN_ADDRESS",
    "daan",
    "sanne",
    "circle_of_both",
]


@pytest.fixture
def daan(preparing_case, carla):
    """Daan, responsible, who has acknowledged his part (R3) and has an e-mail address."""
    person = actions.add_participant(
        preparing_case,
        by=carla,
        name="Daan de Boer",
        side=Side.RESPONSIBLE,
        email="daan@example.org",
        phone="06 1111 2222",
        address=DAAN_ADDRESS,
        language="nl",
    )
    actions.record_acknowledgment(
        person,
        acknowledges=True,
        given_at=timezone.now() - timedelta(hours=1),
        mode=Mode.IN_PERSON,
        by=carla,
    )
    return person


@pytest.fixture
def sanne(preparing_case, carla, daan):
    """Sanne, harmed, with every contact detail planted."""
    return actions.add_participant(
        preparing_case,
        by=carla,
        name="Sanne Jansen",
        side=Side.HARMED,
        email=SANNE_EMAIL,
        phone=SANNE_PHONE,
        address=SANNE_ADDRESS,
        language="en",
    )


@pytest.fixture
def circle_of_both(preparing_case, carla, daan, sanne):
    """A supporter for each: Daan's brother Joost (no e-mail) and Sanne's aunt Ria."""
    joost = actions.add_participant(
        preparing_case,
        by=carla,
        name="Joost de Boer",
        side=Side.SUPPORTER,
        supports=daan,
        relation="Brother of Daan",
        address="Broerlaan 3\n3513 EF Utrecht",
    )
    ria = actions.add_participant(
        preparing_case,
        by=carla,
        name="Ria Jansen",
        side=Side.SUPPORTER,
        supports=sanne,
        relation="Aunt of Sanne",
        email="ria@example.org",
    )
    return {"joost": joost, "ria": ria}
