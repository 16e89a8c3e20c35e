"""Signing on the participant's own page (issue 11, points 1, 2 and 4): the code first, then the
whole plan, the tick and the typed name; only the participant's own places (and a guardian's
for the minor); the browser's address and user agent stored; a refused POST changes nothing;
the copy downloaded once the PDF is made, recorded as a delivery."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from kring.audit.models import AuditEvent
from kring.circle import links
from kring.notifications import secrets
from kring.notifications.models import OutgoingMail
from kring.signing import actions, codes
from kring.signing.models import Declination, Delivery, Method, Role, Signature, SignedDocument
from kring.signing.tests.document_fixtures import sign_for


def sign_in_person(version, person, carla):
    """`person` signs their own place on Carla's tablet."""
    from kring.audit.actors import Actor
    from kring.signing.consent import consent_text

    return actions.sign(
        version,
        person.pk,
        "own",
        by=Actor.in_person(person),
        typed_name=person.name,
        agreed=True,
        consent_text=consent_text(version, "nl"),
        shown_hash=version.content_hash,
        host=carla,
    )


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


def shown_hash(page: str, field: str) -> str:
    """The version's hash a page sent along in its hidden field `field` ("" when none)."""
    found = re.search(rf'name="{re.escape(field)}" value="([0-9a-f]*)"', page)
    return found.group(1) if found else ""


def sign_post(client, slot_key, name="Daan de Boer", agreed=True, shown=None):
    """Sign `slot_key` as the page would: with the version's hash the page shows now, unless
    `shown` names the hash of a page shown earlier."""
    if shown is None:
        shown = shown_hash(
            client.get(reverse("signing:portal_sign")).content.decode(), f"{slot_key}-shown_hash"
        )
    data = {
        "slot": slot_key,
        f"{slot_key}-typed_name": name,
        f"{slot_key}-drawing": "",
        f"{slot_key}-shown_hash": shown,
    }
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
    shown = shown_hash(page, "shown_hash")
    assert shown == final_version.content_hash
    response = client.post(url, {"slot": f"{daan.pk}-own", "reason": "", "shown_hash": shown})
    assert response.status_code == 400
    assert not Declination.objects.exists()
    response = client.post(
        url, {"slot": f"{daan.pk}-own", "reason": "Ik wil eerst praten.", "shown_hash": shown}
    )
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


# --- review of issue 11 ---------------------------------------------------------------------------


def _finalise_a_change(version, carla):
    """Carla changes the plan after the page was shown and makes it final again: version 2."""
    from kring.conference import editing, versions
    from kring.conference.models import Plan

    plan = Plan.objects.get(pk=version.plan_id)
    editing.save_plan_fields(
        plan, revision=plan.revision, by=carla, if_not_kept="Carla belt iedereen binnen een week."
    )
    second = versions.finalise(Plan.objects.get(pk=plan.pk), by=carla)
    assert second.content_hash != version.content_hash
    return second


def test_a_page_shown_before_the_plan_changed_signs_and_declines_nothing(
    client, final_version, daan, carla, django_capture_on_commit_callbacks
):
    """The version shown is the version signed: a form sent back after the plan was changed and
    made final again signs nothing (the new version's consent sentence was never shown); the
    page then shows the new version, which is signed."""
    enter(client, daan, carla)
    verify(client, daan, django_capture_on_commit_callbacks)
    key = f"{daan.pk}-own"
    page = client.get(reverse("signing:portal_sign")).content.decode()
    shown = shown_hash(page, f"{key}-shown_hash")
    assert shown == final_version.content_hash
    decline_page = client.get(reverse("signing:portal_decline"), {"slot": key}).content.decode()
    shown_to_decline = shown_hash(decline_page, "shown_hash")
    second = _finalise_a_change(final_version, carla)

    response = sign_post(client, key, shown=shown)
    assert response.status_code == 303
    assert response["Location"] == reverse("signing:portal_sign")
    response = client.post(
        reverse("signing:portal_decline"),
        {"slot": key, "reason": "Ik twijfel.", "shown_hash": shown_to_decline},
    )
    assert response.status_code == 303
    assert not Signature.objects.exists() and not Declination.objects.exists()
    page = client.get(reverse("signing:portal_sign")).content.decode()
    assert "The plan was changed. Read the new version and sign that one." in page
    assert "I have read this plan (version 2 of" in page

    assert sign_post(client, key).status_code == 303
    signature = Signature.objects.get()
    assert (signature.version, signature.content_hash) == (second, second.content_hash)
    assert signature.consent_text.startswith("I have read this plan (version 2 of")


def test_asking_for_codes_too_often_hides_the_button_and_says_why(
    client, final_version, daan, carla, django_capture_on_commit_callbacks
):
    """The hourly limit of codes is the policy's: the page shows no button that would be
    refused, says why, and still takes the last code sent."""
    enter(client, daan, carla)
    for _ in range(codes.HOURLY_LIMIT - 1):
        with django_capture_on_commit_callbacks(execute=False):
            client.post(reverse("signing:portal_code"), {"send": "1"})
    page = client.get(reverse("signing:portal_sign")).content.decode()
    assert "Send me a new code" in page
    assert "too often" not in page
    verify(client, daan, django_capture_on_commit_callbacks)  # the last code of the hour
    phone = enter(Client(), daan, carla)  # another browser: the code is typed there again
    page = phone.get(reverse("signing:portal_sign")).content.decode()
    assert "Send me a new code" not in page and "Send me a code" not in page
    assert "You have asked for a code too often. Wait an hour and try again" in page
    with django_capture_on_commit_callbacks(execute=False):
        phone.post(reverse("signing:portal_code"), {"send": "1"})
    assert OutgoingMail.objects.filter(kind="signing.code").count() == codes.HOURLY_LIMIT


def test_without_an_e_mail_address_the_copy_is_on_the_page_and_on_paper(
    client, final_version, daan, ria, carla, django_capture_on_commit_callbacks
):
    """Who has no e-mail address is not promised a PDF by e-mail: they download it on their page,
    and the coordinator gives them a printed copy."""
    sign_in_person(final_version, ria, carla)
    enter(client, ria, carla)
    for page in (
        client.get(reverse("portal:home")).content.decode(),
        client.get(reverse("signing:portal_sign")).content.decode(),
    ):
        assert "You have signed the plan" in page
        assert "by e-mail" not in page
        assert "as a PDF file" in page and "Your coordinator also gives you a printed copy." in page
    sign_in_person(final_version, daan, carla)
    other = enter(Client(), daan, carla)
    assert "you will get the plan as a PDF file by e-mail" in (
        other.get(reverse("portal:home")).content.decode()
    )


def test_declining_on_the_personal_page_reaches_the_coordinator(
    client, final_version, joost, carla, django_capture_on_commit_callbacks
):
    """The page promises that the coordinator reads the reason and gets in touch: the case page
    shows it as waiting for them, and they get a mail without content."""
    from kring.testing.auth import force_verified_login

    enter(client, joost, carla)
    verify(client, joost, django_capture_on_commit_callbacks)
    key = f"{joost.pk}-own"
    page = client.get(reverse("signing:portal_decline"), {"slot": key}).content.decode()
    assert "Your coordinator reads this and will get in touch with you." in page
    response = client.post(
        reverse("signing:portal_decline"),
        {
            "slot": key,
            "reason": "Geheime reden van Joost",
            "shown_hash": shown_hash(page, "shown_hash"),
        },
    )
    assert response.status_code == 303
    assert OutgoingMail.objects.filter(kind="circle.notice", to=carla.email).count() == 1

    staff = Client()
    force_verified_login(staff, carla)
    staff.cookies[settings.LANGUAGE_COOKIE_NAME] = EN
    case_page = staff.get(reverse("cases:detail", args=[final_version.plan.case_id]))
    case_page = " ".join(case_page.content.decode().split())
    assert "Waiting for you" in case_page
    assert (
        f"{joost.name}: does not sign the plan and said why: read it on the page Signing the plan"
        in case_page
    )
    assert "Geheime reden" not in case_page


def test_each_place_has_its_own_drawing_field_and_hint(
    client, final_version, sanne, joost, carla, django_capture_on_commit_callbacks
):
    """Joost signs for himself and as Sanne's guardian: each form's drawing field is found by
    sign.js by its mark (its name carries the form's prefix), each hint has its own id."""
    from kring.circle.models import Participant

    Participant.objects.filter(pk=sanne.pk).update(is_minor=True, guardian=joost)
    enter(client, joost, carla)
    verify(client, joost, django_capture_on_commit_callbacks)
    page = client.get(reverse("signing:portal_sign")).content.decode()
    for key in (f"{joost.pk}-own", f"{sanne.pk}-guardian"):
        field = re.search(rf'<input type="hidden" name="{key}-drawing"[^>]*>', page)
        assert field is not None and "data-drawing-input" in field.group(0)
        assert f'data-max-length="{actions.DRAWING_MAX}"' in field.group(0)
        assert page.count(f'id="drawing-hint-{key}"') == 1
