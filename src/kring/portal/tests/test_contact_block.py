"""Everyone can reach their coordinator (issue 8, point 3): the portal, the participants'
e-mails and letters name the coordinator with their work telephone number and e-mail address,
and the organisation when the coordinator is away; the requester's e-mails give the
organisation's. The portal shows a participant's own details masked (point 5)."""

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse

from kring.circle import actions, letters
from kring.circle.models import Invitation
from kring.testing.factories import ReferralFactory
from kring.testing.people import DAAN

from .conftest import enter_url

CARLA_PHONE = "06 12 34 56 78"
CARLA_EMAIL = "carla@herstel.example.org"
ORGANISATION_PHONE = "030 765 43 21"
ORGANISATION_EMAIL = "herstel@example.org"


@pytest.fixture(autouse=True)
def contact_settings(settings, carla):
    settings.KRING_CONTACT_PHONE = ORGANISATION_PHONE
    settings.KRING_CONTACT_EMAIL = ORGANISATION_EMAIL
    carla.work_phone, carla.work_email = CARLA_PHONE, CARLA_EMAIL
    carla.save()


def _text(response) -> str:
    return response.content.decode()


def test_every_portal_page_says_how_to_reach_the_coordinator(as_daan):
    for name in ("portal:home", "portal:consent", "portal:nominate"):
        page = _text(as_daan.get(reverse(name)))
        assert "Questions? Contact Carla, your coordinator" in page, name
        assert CARLA_PHONE in page and 'href="tel:0612345678"' in page
        assert f'href="mailto:{CARLA_EMAIL}"' in page
        assert ORGANISATION_PHONE not in page


def test_while_the_coordinator_is_away_the_portal_gives_the_organisation(as_daan, carla):
    carla.away = True
    carla.save()

    page = _text(as_daan.get(reverse("portal:home")))

    assert "Your coordinator cannot be reached at the moment." in page
    assert ORGANISATION_PHONE in page and ORGANISATION_EMAIL in page
    assert CARLA_PHONE not in page and CARLA_EMAIL not in page


def test_a_page_for_a_link_that_does_not_work_gives_the_organisation_only(client):
    page = _text(client.get(enter_url("x" * 43)))

    assert ORGANISATION_PHONE in page and ORGANISATION_EMAIL in page
    assert "Carla" not in page and CARLA_PHONE not in page


def test_the_portal_shows_the_participants_own_details_masked(as_daan):
    page = _text(as_daan.get(reverse("portal:home")))

    assert DAAN.email not in page and "d…@…e.org" in page
    assert DAAN.phone not in page and "ending in …22" in page
    for line in DAAN.address.splitlines():
        assert line not in page  # not even the town
    assert "Is this not right? Tell your coordinator about the change." in page


def test_the_invitation_email_names_the_coordinator_and_her_work_details(
    sanne, daan_acknowledged, carla, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        actions.invite(sanne, channel=Invitation.Channel.EMAIL, by=carla)

    message = mail.outbox[0]
    html = message.alternatives[0][0]
    assert "Questions? Contact your coordinator, Carla." in message.body
    assert f"Telephone: {CARLA_PHONE}" in message.body and f"E-mail: {CARLA_EMAIL}" in message.body
    assert CARLA_PHONE in html and CARLA_EMAIL in html
    assert CARLA_PHONE not in message.subject


def test_the_letter_names_the_coordinator_and_her_work_details(sanne, daan_acknowledged, carla):
    html = letters.letter_html(sanne, "x" * 43, "7KQ4M2XD9HBR")

    assert "Questions? Contact Carla, your coordinator" in html
    assert CARLA_PHONE in html and CARLA_EMAIL in html


@pytest.mark.parametrize("kind", ["referral.received", "referral.declined"])
def test_the_requesters_emails_give_the_organisations_contact(kind, db):
    context = {"referral": ReferralFactory(), "reason": "", "organisation": "Eigen Kracht Centrale"}
    text = render_to_string(f"mail/{kind}.txt", context)
    html = render_to_string(f"mail/{kind}.html", context)

    assert "Questions? Contact Eigen Kracht Centrale." in text
    assert f"Telephone: {ORGANISATION_PHONE}" in text and ORGANISATION_EMAIL in text
    assert ORGANISATION_PHONE in html


def test_the_email_about_an_answer_names_the_coordinator_and_her_work_details(daan, carla):
    from kring.audit.actors import Actor
    from kring.notifications.models import OutgoingMail

    question = actions.ask_question(daan, text="Hoe laat begint het?", by=Actor.in_portal(daan))
    actions.answer_question(question, answer="Om tien uur.", by=carla)

    sent = OutgoingMail.objects.get(kind="circle.answered")  # in Daan's language, Dutch
    assert "Vragen? Neem contact op met je coördinator, Carla." in sent.body_text
    assert CARLA_PHONE in sent.body_text and CARLA_EMAIL in sent.body_html


@pytest.mark.parametrize(
    "name",
    ["portal:home", "portal:consent", "portal:nominate", "portal:withdraw", "portal:question"],
)
def test_no_portal_page_shows_the_participants_own_details_in_full(as_sanne, name):
    from kring.testing.people import SANNE_ADDRESS, SANNE_EMAIL, SANNE_PHONE

    page = _text(as_sanne.get(reverse(name)))

    for detail in (SANNE_EMAIL, SANNE_PHONE, *SANNE_ADDRESS.splitlines()):
        assert detail not in page, name
