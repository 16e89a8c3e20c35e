"""Participants are actors (issue 6, point 2): what a participant does in the portal is recorded
as done by them, and what a parent or guardian does for a minor as done by the guardian, for the
minor. No timeline line says "the requester" unless the requester did it."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kring.audit.models import AuditEvent
from kring.cases.models import CaseEvent
from kring.circle import actions
from kring.circle.models import Side
from kring.portal.tests.conftest import ENGLISH, enter_url, invite
from kring.testing.auth import force_verified_login

CONSENT = {"legal_advice": "yes", "interpreter": "no", "support_person": "later", "agree": "on"}


@pytest.fixture
def ruben_and_ingrid(preparing_case, carla, daan_acknowledged):
    """Ruben (harmed) is a minor; Ingrid Verhoef, in his circle, is his guardian. Daan has
    acknowledged his part, so the harmed side can be invited (R4)."""
    ruben = actions.add_participant(
        preparing_case, by=carla, name="Ruben Verhoef", side=Side.HARMED, language=ENGLISH
    )
    ingrid = actions.add_participant(
        preparing_case,
        by=carla,
        name="Ingrid Verhoef",
        side=Side.SUPPORTER,
        supports=ruben,
        relation="mother of Ruben",
        language=ENGLISH,
    )
    actions.update_participant(ruben, by=carla, is_minor=True, guardian=ingrid)
    return ruben, ingrid


def _timeline(client, case) -> str:
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    return page.split('id="timeline-title"', 1)[1]


def test_a_guardians_consent_in_the_portal_is_recorded_as_the_guardians_for_the_minor(
    client, as_user, carla, preparing_case, ruben_and_ingrid
):
    ruben, ingrid = ruben_and_ingrid
    client.get(enter_url(invite(ingrid, by=carla)))
    client.post(reverse("portal:consent"), {**CONSENT, "person": ruben.pk})

    event = CaseEvent.objects.get(case=preparing_case, kind="circle.consented")
    assert event.actor is None
    assert (event.actor_kind, event.actor_participant_id) == ("participant", ingrid.pk)
    assert (event.for_participant_id, event.via) == (ruben.pk, "portal")
    audit = AuditEvent.objects.filter(action="circle.consented").get()
    assert (audit.actor_kind, audit.actor_participant_id) == ("participant", ingrid.pk)
    assert audit.for_participant_id == ruben.pk

    timeline = _timeline(as_user(carla), preparing_case)
    assert (
        "Ingrid Verhoef (parent or guardian), for Ruben Verhoef, via the personal page" in timeline
    )
    assert "the requester" not in timeline.split("Request received", 1)[0]


def test_the_timeline_says_in_dutch_that_the_guardian_consented_for_the_minor(
    client, carla, preparing_case, ruben_and_ingrid
):
    ruben, ingrid = ruben_and_ingrid
    client.get(enter_url(invite(ingrid, by=carla)))
    client.post(reverse("portal:consent"), {**CONSENT, "person": ruben.pk})
    staff = Client(HTTP_ACCEPT_LANGUAGE="nl")  # Carla's own browser, in Dutch
    force_verified_login(staff, carla)
    with translation.override("nl"):
        expected = translation.gettext("%(name)s (parent or guardian), for %(minor)s") % {
            "name": "Ingrid Verhoef",
            "minor": "Ruben Verhoef",
        }
        via = translation.gettext("%(who)s, via the personal page") % {"who": expected}
    assert "ouder/voogd" in expected and "persoonlijke pagina" in via
    assert via in _timeline(staff, preparing_case)


def test_a_participants_own_answer_in_the_portal_names_them_not_the_requester(
    as_daan, as_user, carla, daan, preparing_case
):
    as_daan.post(reverse("portal:respond"), {"answer": "accept"})
    as_daan.post(reverse("portal:withdraw"))

    for kind in ("circle.accepted", "circle.withdrawn"):
        event = CaseEvent.objects.get(case=preparing_case, kind=kind)
        assert (event.actor_kind, event.actor_participant_id, event.for_participant_id) == (
            "participant",
            daan.pk,
            None,
        )
    timeline = _timeline(as_user(carla), preparing_case)
    assert timeline.count("Daan de Boer, via the personal page") == 2
    # Only the request itself was the requester's.
    assert timeline.count("the requester") == 1


def test_what_the_coordinator_records_by_phone_names_the_coordinator(
    carla, daan, daan_token, preparing_case
):
    actions.respond(daan, accepts=True, by=carla)
    event = CaseEvent.objects.get(case=preparing_case, kind="circle.accepted")
    assert (event.actor_kind, event.actor, event.data["mode"]) == ("staff", carla, "phone")


def test_an_action_without_an_actor_is_a_programming_error(daan):
    with pytest.raises(TypeError):
        actions.respond(daan, accepts=True, by=None)
