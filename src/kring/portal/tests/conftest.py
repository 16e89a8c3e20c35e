"""Portal fixtures: Carla's case in preparation; Daan (responsible, acknowledged, invited) and
Sanne (harmed, invited) each hold a personal link. Everything is made through the real actions."""

import pytest
from django.urls import reverse
from django.utils import timezone

from kring.circle import actions
from kring.circle.models import Invitation, Mode, Side

# Planted in Sanne's record: must never reach the responsible side.
SANNE_PHONE = "06 9876 5432"
SANNE_EMAIL = "sanne@example.org"
SANNE_ADDRESS = "Lindelaan 4, Utrecht"
# The portal speaks the participant's language (Dutch unless set); these tests read English.
ENGLISH = "en"


@pytest.fixture
def daan(preparing_case, carla):
    daan = actions.add_participant(
        preparing_case,
        by=carla,
        name="Daan de Boer",
        side=Side.RESPONSIBLE,
        email="daan@example.org",
        phone="06 1111 2222",
        language=ENGLISH,
    )
    actions.record_acknowledgment(
        daan, acknowledges=True, given_at=timezone.now(), mode=Mode.IN_PERSON, by=carla
    )
    return daan


@pytest.fixture
def sanne(preparing_case, carla, daan):
    return actions.add_participant(
        preparing_case,
        by=carla,
        name="Sanne Jansen",
        side=Side.HARMED,
        email=SANNE_EMAIL,
        phone=SANNE_PHONE,
        address=SANNE_ADDRESS,
        wishes="Mijn tante Ria mag erbij zijn.",
        language=ENGLISH,
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
        phone="06 3333 4444",
        language=ENGLISH,
    )


def invite(participant, *, by) -> str:
    """Invite by letter (no mail involved) and return the personal link's token."""
    return actions.invite(participant, channel=Invitation.Channel.LETTER, by=by).token


@pytest.fixture
def daan_token(daan, sanne, joost, carla):
    return invite(daan, by=carla)


@pytest.fixture
def sanne_token(sanne, daan, carla):
    return invite(sanne, by=carla)


def enter_url(token: str) -> str:
    return reverse("portal:enter", args=[token])


@pytest.fixture
def as_daan(client, daan_token):
    """A browser that has opened Daan's personal link."""
    response = client.get(enter_url(daan_token))
    assert response.status_code == 303
    return client


@pytest.fixture
def as_sanne(client, sanne_token):
    response = client.get(enter_url(sanne_token))
    assert response.status_code == 303
    return client
