"""Portal fixtures: Carla's case in preparation; Daan (responsible, acknowledged, invited) and
Sanne (harmed, invited) each hold a personal link. The people, and the contact details planted
in their records, are those of kring.testing.people, the same in every app's tests. Everything
is made through the real actions."""

import pytest
from django.conf import settings
from django.urls import reverse

from kring.circle import actions
from kring.circle.models import Invitation
from kring.testing.circle_people import daan, daan_acknowledged, joost, ria, sanne

__all__ = ["daan", "daan_acknowledged", "joost", "ria", "sanne"]

# The portal speaks the participant's language; these tests read English.
ENGLISH = "en"


def invite(participant, *, by) -> str:
    """Invite by letter (no mail involved) and return the personal link's token."""
    return actions.invite(participant, channel=Invitation.Channel.LETTER, by=by).token


@pytest.fixture
def daan_token(daan_acknowledged, sanne, joost, carla):
    return invite(daan_acknowledged, by=carla)


@pytest.fixture
def sanne_token(sanne, daan_acknowledged, carla):
    return invite(sanne, by=carla)


def enter_url(token: str) -> str:
    return reverse("portal:enter", args=[token])


def in_english(client):
    """The portal in English, as after the language switch, for someone who prefers Dutch."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = ENGLISH
    return client


@pytest.fixture
def as_daan(client, daan_token):
    """A browser that has opened Daan's personal link. Daan prefers Dutch; he switched the
    portal to English (the language switch), so that these tests read English."""
    response = client.get(enter_url(daan_token))
    assert response.status_code == 303
    return in_english(client)


@pytest.fixture
def as_sanne(client, sanne_token):
    """A browser that has opened Sanne's personal link (Sanne reads English)."""
    response = client.get(enter_url(sanne_token))
    assert response.status_code == 303
    return client
