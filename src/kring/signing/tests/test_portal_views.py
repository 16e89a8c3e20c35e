"""Signing on the participant's own page (issue 11, points 1, 2 and 4): the code first, then the
whole plan, the tick and the typed name; only the participant's own places (and a guardian's
for the minor); the browser's address and user agent stored; a refused POST changes nothing;
the copy downloaded once the PDF is made, recorded as a delivery."""

import pytest
from django.conf import settings
from django.urls import reverse

from kring.audit.models import AuditEvent
from kring.circle import links
from kring.notifications import secrets
from kring.notifications.models import OutgoingMail
from kring.signing.models import Declination, Delivery, Method, Role, Signature, SignedDocument
from kring.signing.tests.document_fixtures import sign_for

EN = "en"
BROWSER = "Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile Safari/537.36"


def enter(client, participant, carla):
    token = links.issue(participant, by=carla).token
    response = client.get(reverse("portal:enter", args=[token]))
    assert response.status_code == 303
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = EN
    return client


def verify(client, participant, capture):
    with capture(execute=False):
        response = client.post(reverse("signing:portal_code"), {"send": "1"})
    assert response.status_code == 303
    mail = OutgoingMail.objects.filter(kind="signing.code", to=participant.email).latest("pk")
    code = secrets.unseal(mail.secret)
    response = client.post(reverse("signing:portal_code"), {"code": code})
    assert response.status_code == 303
    return code


def sign_post(client, slot_key, name="Daan de Boer", agreed=True):
    data = {"slot": slot_key, f"{slot_key}-typed_name": name, f"{slot_key}-drawing": ""}
    if agreed:
        data[f"{slot_key}-agreed"] = "on"
    return client.post(
        reverse("signing:portal_sign"), data, HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="203.0.113.7"
    )


def test_the_page_asks_for_a_code_first_then_shows_the_whole_plan(
    client, final_version, daan, carla, django_capture_on_commit_callbacks
):
    enter(client, daan, carla)
    home = client.get(reverse("portal:home")).content.decode()
    assert "Sign the plan" in home
    assert reverse("signing:portal_sign") in home
    page = client.get(reverse("signing:portal_sign")).content.decode()
    assert "Send me a code" in page
    assert "betaalt de nieuwe fiets" not in page  # no plan before the code
    verify(client, daan, django_capture_on_commit_callbacks)
    response = client.get(reverse("signing:portal_sign"))
    page = response.content.decode()
    assert "Daan betaalt de nieuwe fiets van Sanne terug" in page
    assert "I have read this plan (version 1 of" in page
    assert "Sign for yourself" in page
    assert "as parent or guardian" not in page  # Daan signs only his own place
    assert f'value="{daan.pk}-own"' in page
    assert response["Cache-Control"].startswith("max-age=0")
    assert AuditEvent.objects.filter(action="signing.plan_read", actor_participant_id=daan.pk)


def test_signing_remotely_records_the_address_and_the_browser(
    client, final_version, daan, carla, django_capture_on_commit_callbacks
):
    enter(client, daan, carla)
    verify(client, daan, django_capture_on_commit_callbacks)
    response = sign_post(client, f"{daan.pk}-own", name="  Daan  ")
    assert response.status_code == 303
    signature = Signature.objects.get()
    assert (signature.participant, signature.signed_by, signature.role) == (daan, daan, Role.OWN)
    assert signature.method == Method.REMOTE
    assert signature.hosted_by is None
    assert signature.remote_address == "203.0.113.7"
    assert signature.user_agent == BROWSER
    assert signature.typed_name == "Daan"
    assert signature.consent_text.startswith("I have read this plan (version 1 of")
    assert signature.content_hash == final_version.content_hash
    page = client.get(reverse("signing:portal_sign")).content.decode()
    assert "Thank you. You have signed the plan." in page
    home = client.get(reverse("portal:home")).content.decode()
    assert "You have signed the plan" in home


def test_signing_without_the_code_changes_nothing(
    client, final_version, daan, carla, django_capture_on_commit_callbacks
):
    enter(client, daan, carla)
    response = sign_post(client, f"{daan.pk}-own")
    assert response.status_code == 303
    assert not Signature.objects.exists()
    # The same request once the code was typed signs.
    verify(client, daan, django_capture_on_commit_callbacks)
    assert sign_post(client, f"{daan.pk}-own").status_code == 303
    assert Signature.objects.filter(participant=daan).count() == 1


def test_another_participants_place_cannot_be_signed(
    client, final_version, daan, sanne, carla, django_capture_on_commit_callbacks
):
    enter(client, daan, carla)
    verify(client, daan, django_capture_on_commit_callbacks)
    response = sign_post(client, f"{sanne.pk}-own")
    assert response.status_code == 303
    assert not Signature.objects.exists()
    assert sign_post(client, f"{daan.pk}-own").status_code == 303
    assert list(Signature.objects.values_list("participant_id", flat=True)) == [daan.pk]


def test_the_tick_and_the_name_are_needed(
    client, final_version, daan, carla, django_capture_on_commit_callbacks
):
    enter(client, daan, carla)
    verify(client, daan, django_capture_on_commit_callbacks)
    response = sign_post(client, f"{daan.pk}-own", agreed=False)
    assert response.status_code == 400
    assert "Tick the box if you agree with this plan." in response.content.decode()
    response = sign_post(client, f"{daan.pk}-own", name="   ")
    assert response.status_code == 400
    assert not Signature.objects.exists()


def test_a_wrong_code_is_said_at_the_field(
    client, final_version, daan, carla, django_capture_on_commit_callbacks
):
    enter(client, daan, carla)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("signing:portal_code"), {"send": "1"})
    response = client.post(reverse("signing:portal_code"), {"code": "12345"})
    assert response.status_code == 400
    assert "This code is not right" in response.content.decode()
    assert sign_post(client, f"{daan.pk}-own").status_code == 303
    assert not Signature.objects.exists()


def test_a_guardian_co_signs_for_the_minor(
    client, ellen, sanne_a_minor, sanne, carla, django_capture_on_commit_callbacks
):
    enter(client, ellen, carla)
    verify(client, ellen, django_capture_on_commit_callbacks)
    page = client.get(reverse("signing:portal_sign")).content.decode()
    assert "Sign as parent or guardian of Sanne" in page
    assert "As parent or guardian of Sanne" in page
    response = sign_post(client, f"{sanne.pk}-guardian", name="Ellen")
    assert response.status_code == 303
    signature = Signature.objects.get()
    assert (signature.participant, signature.role, signature.signed_by) == (
        sanne,
        Role.GUARDIAN,
        ellen,
    )
    event = AuditEvent.objects.filter(action="signing.signed").get()
    assert (event.actor_participant_id, event.for_participant_id) == (ellen.pk, sanne.pk)


def test_declined_then_signed(
    client, final_version, daan, carla, django_capture_on_commit_callbacks
):
    enter(client, daan, carla)
    verify(client, daan, django_capture_on_commit_callbacks)
    url = reverse("signing:portal_decline")
    page = client.get(url, {"slot": f"{daan.pk}-own"}).content.decode()
    assert "Why do you not sign?" in page
    response = client.post(url, {"slot": f"{daan.pk}-own", "reason": ""})
    assert response.status_code == 400
    assert not Declination.objects.exists()
    response = client.post(url, {"slot": f"{daan.pk}-own", "reason": "Ik wil eerst praten."})
    assert response.status_code == 303
    declination = Declination.objects.get()
    assert (declination.declined_by, declination.reason) == (daan, "Ik wil eerst praten.")
    assert declination.method == Method.REMOTE
    # Still possible to sign afterwards.
    assert sign_post(client, f"{daan.pk}-own").status_code == 303
    assert Signature.objects.filter(participant=daan).exists()


def test_the_copy_is_downloaded_by_a_signer_once_made(
    client, final_version, daan, sanne, joost, ria, carla, django_capture_on_commit_callbacks
):
    enter(client, daan, carla)
    assert client.get(reverse("signing:portal_document")).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        for person in (sanne, joost, ria):
            sign_for(final_version, person)
    assert client.get(reverse("signing:portal_document")).status_code == 404  # not signed
    with django_capture_on_commit_callbacks(execute=True):
        sign_for(final_version, daan)
    document = SignedDocument.objects.get()
    assert document.status == SignedDocument.Status.MADE
    home = client.get(reverse("portal:home")).content.decode()
    assert "Download your copy of the plan (PDF)" in home
    response = client.get(reverse("signing:portal_document"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")
    delivery = Delivery.objects.get(channel=Delivery.Channel.PORTAL)
    assert delivery.participant == daan
    assert AuditEvent.objects.filter(action="signing.copy_downloaded", actor_participant_id=daan.pk)


@pytest.mark.parametrize("name", ["portal_sign", "portal_document"])
def test_without_a_portal_session_nothing_is_shown(client, final_version, name):
    response = client.get(reverse(f"signing:{name}"))
    assert response.status_code == 404


def test_a_changed_plan_is_signed_again_and_the_page_says_so(
    client, final_version, daan, carla, django_capture_on_commit_callbacks
):
    from kring.conference import versions

    enter(client, daan, carla)
    verify(client, daan, django_capture_on_commit_callbacks)
    assert sign_post(client, f"{daan.pk}-own").status_code == 303
    plan = final_version.plan
    plan.edit_count += 1
    plan.save()
    second = versions.finalise(plan, by=carla)
    home = client.get(reverse("portal:home")).content.decode()
    assert "Read and sign the plan" in home
    page = client.get(reverse("signing:portal_sign")).content.decode()
    assert "The plan has changed since you signed it." in page
    assert sign_post(client, f"{daan.pk}-own").status_code == 303
    assert list(Signature.objects.values_list("version__number", flat=True)) == [1, 2]
    assert Signature.objects.get(version=second).consent_text.startswith(
        "I have read this plan (version 2 of"
    )


def test_someone_without_a_place_to_sign_is_sent_to_their_page(
    client, ellen, final_version, daan, carla, django_capture_on_commit_callbacks
):
    enter(client, ellen, carla)  # in the circle, not at the meeting, no minor to sign for
    response = client.get(reverse("signing:portal_sign"))
    assert response.status_code == 303
    assert response["Location"] == reverse("portal:home")
    assert "Sign the plan" not in client.get(reverse("portal:home")).content.decode()
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("signing:portal_code"), {"send": "1"})
    assert not OutgoingMail.objects.filter(kind="signing.code").exists()
    assert sign_post(client, f"{daan.pk}-own").status_code == 303
    assert not Signature.objects.exists()


def test_a_staff_user_never_reaches_these_pages(client, final_version, carla):
    from kring.testing.auth import force_verified_login

    force_verified_login(client, carla)  # the case's coordinator: still not a participant
    for name in ("portal_sign", "portal_document", "portal_decline"):
        assert client.get(reverse(f"signing:{name}")).status_code == 404


def test_without_an_e_mail_address_the_page_says_to_sign_with_the_coordinator(
    client, final_version, ria, carla, django_capture_on_commit_callbacks
):
    enter(client, ria, carla)
    page = client.get(reverse("signing:portal_sign")).content.decode()
    assert "We have no e-mail address of yours, so we cannot send you a code." in page
    assert "Send me a code" not in page
    assert "Carla" in page  # the contact block names her coordinator
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("signing:portal_code"), {"send": "1"})
    assert not OutgoingMail.objects.filter(kind="signing.code").exists()
