"""The portal does not offer what is done or no longer fits (issue 8, point 6): after a consent
that counts, the consent is shown as given and not asked again (a guardian still consents for
a ward who has none); someone who stopped or said no is not asked whom else to bring."""

import pytest
from django.urls import reverse
from django.utils import timezone

from kring.audit.actors import Actor
from kring.circle import actions
from kring.circle.models import Consent
from kring.portal.tests.conftest import enter_url, in_english, invite
from kring.testing.circle_people import add
from kring.testing.people import ELLEN

CONSENT = {"legal_advice": "yes", "interpreter": "no", "support_person": "later", "agree": "on"}
CONSENT_LINK = reverse("portal:consent")
NOMINATE_LINK = reverse("portal:nominate")


def _text(response) -> str:
    return response.content.decode()


def test_after_consenting_the_page_shows_the_consent_and_no_button(as_daan, daan):
    assert f'href="{CONSENT_LINK}"' in _text(as_daan.get(reverse("portal:home")))

    as_daan.post(CONSENT_LINK, CONSENT)

    home = _text(as_daan.get(reverse("portal:home")))
    assert "You gave your consent on" in home
    assert f'href="{CONSENT_LINK}"' not in home
    page = _text(as_daan.get(CONSENT_LINK))
    assert "Give consent" not in page and 'name="agree"' not in page


def test_consenting_twice_is_refused_and_records_nothing_new(as_daan, daan):
    as_daan.post(CONSENT_LINK, CONSENT)

    response = as_daan.post(CONSENT_LINK, CONSENT)

    assert Consent.objects.filter(participant=daan).count() == 1
    assert "You have given your consent already." in _text(response)


def test_after_a_return_the_consent_is_asked_again(as_daan, daan, carla):
    as_daan.post(CONSENT_LINK, CONSENT)
    actions.withdraw(daan, by=Actor.in_portal(daan))

    actions.record_return(daan, returned_at=timezone.now(), mode="phone", by=carla)

    home = _text(as_daan.get(reverse("portal:home")))
    assert f'href="{CONSENT_LINK}"' in home


@pytest.fixture
def ellen_and_minor_sanne(sanne, daan_acknowledged, carla):
    """Sanne is a minor; her mother Ellen, in her circle, is her guardian (R9)."""
    ellen = add(ELLEN, sanne.case, by=carla, supports=sanne)
    actions.update_participant(sanne, by=carla, is_minor=True, guardian=ellen)
    sanne.refresh_from_db()
    return ellen, sanne


def test_a_guardian_who_consented_for_herself_still_consents_for_her_ward(
    client, ellen_and_minor_sanne, carla
):
    ellen, sanne = ellen_and_minor_sanne
    client.get(enter_url(invite(ellen, by=carla)))
    in_english(client)
    client.post(CONSENT_LINK, {**CONSENT, "person": ellen.pk})

    home = _text(client.get(reverse("portal:home")))
    assert f'href="{CONSENT_LINK}"' in home
    page = _text(client.get(CONSENT_LINK))
    assert "Sanne Jansen, as their parent or guardian" in page
    assert "Myself" not in page  # her own consent counts: not offered again

    client.post(CONSENT_LINK, {**CONSENT, "person": sanne.pk})

    assert Consent.objects.get(participant=sanne).given_by == ellen
    assert f'href="{CONSENT_LINK}"' not in _text(client.get(reverse("portal:home")))


def test_someone_who_stopped_is_not_asked_who_else_should_be_there(as_daan, daan):
    home = _text(as_daan.get(reverse("portal:home")))
    assert "Who else should be there?" in home and f'href="{NOMINATE_LINK}"' in home

    actions.withdraw(daan, by=Actor.in_portal(daan))

    home = _text(as_daan.get(reverse("portal:home")))
    assert "Who else should be there?" not in home and NOMINATE_LINK not in home
    response = as_daan.get(NOMINATE_LINK)
    assert response.status_code == 303 and response["Location"] == reverse("portal:home")


def test_someone_who_said_no_is_not_asked_who_else_should_be_there(as_sanne, sanne):
    as_sanne.post(reverse("portal:respond"), {"answer": "decline"})

    home = _text(as_sanne.get(reverse("portal:home")))

    assert "Who else should be there?" not in home
    assert as_sanne.get(NOMINATE_LINK).status_code == 303
