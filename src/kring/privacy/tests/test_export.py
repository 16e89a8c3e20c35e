"""A participant's export (GDPR article 15; issue 14, point 8): "The export of Daan holds
everything about Daan and nothing of what Sanne said in confidence." Every text of Daan and of
Sanne carries a marker; Daan's export, as JSON and as the PDF's text, holds each of Daan's and
none of Sanne's, nor the coordinator's safety assessment. The preview and each download are
audited; the case's coordinator or the office of its team may export (a subject-access request
is the organisation's duty and must not depend on one coordinator), the manager may not."""

import io
import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from kring.audit.actors import Actor
from kring.audit.models import AuditEvent
from kring.circle import actions
from kring.circle.models import Mode, Question
from kring.testing.people import DAAN, SANNE

pytestmark = pytest.mark.django_db

DAANS = {
    "note": "Daannote4411",
    "question": "Daanquestion4412",
    "answer": "Daananswer4413",
    "nominee": "Daannominee4414",
}
SANNES = {
    "note": "Sannenote5521",
    "question": "Sannequestion5522",
    "answer": "Sanneanswer5523",
    "nominee": "Sannenominee5524",
}
RISK = "Riskassessment6631"


def _markers_of(person, markers):
    return [*markers.values(), person.email, person.phone, person.address.splitlines()[0]]


@pytest.fixture
def said(preparing_case, carla, daan_acknowledged, sanne):
    """Daan and Sanne each had a conversation, asked a question that Carla answered, and named
    someone; Carla recorded a risk."""
    an_hour_ago = timezone.now() - timedelta(hours=1)
    for person, markers in ((daan_acknowledged, DAANS), (sanne, SANNES)):
        actions.record_conversation(
            person, held_at=an_hour_ago, mode=Mode.PHONE, notes=markers["note"], by=carla
        )
        question = actions.ask_question(
            person, text=markers["question"], by=Actor.in_portal(person)
        )
        actions.answer_question(
            Question.objects.get(pk=question.pk), answer=markers["answer"], by=carla
        )
        actions.nominate(person, name=markers["nominee"], by=Actor.in_portal(person))
    actions.flag_risk(preparing_case, kind="intimidation", level="low", assessment=RISK, by=carla)
    return daan_acknowledged


def _url(case, participant, name="privacy:export", **kwargs):
    return reverse(name, kwargs={"pk": case.pk, "participant_id": participant.pk, **kwargs})


def _download(client, case, participant, fmt):
    return client.get(_url(case, participant, "privacy:export_download", fmt=fmt))


def test_daans_json_export_holds_all_of_daan_and_nothing_of_sanne(
    said, sanne, preparing_case, carla, as_user
):
    response = _download(as_user(carla), preparing_case, said, "json")
    assert response.status_code == 200
    body = response.content.decode("utf-8")
    for marker in _markers_of(DAAN, DAANS):
        assert marker in body, marker
    for marker in [*_markers_of(SANNE, SANNES), RISK, SANNE.wishes]:
        assert marker not in body, marker
    data = json.loads(body)
    assert data["schema"] == "kring.participant-export/1"
    assert data["participant"] == said.pk
    keys = {item["key"] for section in data["sections"] for item in section["items"]}
    assert {"participant.name", "conversation.notes", "question.text", "nomination.made"} <= keys
    assert data["left_out"]


def test_daans_pdf_export_holds_all_of_daan_and_nothing_of_sanne(
    said, sanne, preparing_case, carla, as_user
):
    response = _download(as_user(carla), preparing_case, said, "pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    for marker in _markers_of(DAAN, DAANS):
        assert marker in text, marker
    for marker in [*_markers_of(SANNE, SANNES), RISK]:
        assert marker not in text, marker


def test_sannes_pdf_speaks_her_language_and_daans_his(said, sanne, preparing_case, carla, as_user):
    client = as_user(carla)
    english = _download(client, preparing_case, sanne, "pdf").content
    dutch = _download(client, preparing_case, said, "pdf").content
    assert "Your data in Kring" in PdfReader(io.BytesIO(english)).pages[0].extract_text()
    assert "Je gegevens in Kring" in PdfReader(io.BytesIO(dutch)).pages[0].extract_text()


def test_the_downloads_are_attachments_named_without_a_name_and_never_cached(
    said, preparing_case, carla, as_user
):
    client = as_user(carla)
    for fmt in ("pdf", "json"):
        response = _download(client, preparing_case, said, fmt)
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment;")
        assert f"gegevens-{preparing_case.reference}-{said.pk}.{fmt}" in disposition
        assert "Daan" not in disposition
        assert "no-store" in response["Cache-Control"]


def test_the_preview_lists_every_section_and_what_is_left_out(
    said, sanne, preparing_case, carla, as_user
):
    response = as_user(carla).get(_url(preparing_case, said))
    assert response.status_code == 200
    page = response.content.decode()
    for marker in DAANS.values():
        assert marker in page
    for marker in [*SANNES.values(), RISK, SANNE.email]:
        assert marker not in page
    assert "What is not in the export, and why" in page
    assert "safety check" in page
    assert _url(preparing_case, said, "privacy:export_download", fmt="pdf") in page
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_the_preview_and_each_download_are_audited_with_ids_and_format_only(
    said, preparing_case, carla, as_user
):
    client = as_user(carla)
    before = AuditEvent.objects.count()
    client.get(_url(preparing_case, said))
    _download(client, preparing_case, said, "pdf")
    _download(client, preparing_case, said, "json")
    rows = list(AuditEvent.objects.order_by("pk")[before:])
    actions_ = [(r.action, r.data.get("format")) for r in rows if r.action.startswith("privacy.")]
    assert actions_ == [
        ("privacy.export_viewed", None),
        ("privacy.exported", "pdf"),
        ("privacy.exported", "json"),
    ]
    for row in rows:
        assert row.object_id == str(said.pk)
        assert row.case_id == preparing_case.pk
        assert row.actor_id == carla.pk
        assert DAANS["note"] not in json.dumps(row.data)


def test_the_office_of_the_team_exports_and_each_read_is_audited(
    said, preparing_case, bram, as_user
):
    """The one place where the office reads the coordinator's notes and the contact details:
    the preview, the PDF and the JSON, each in the access log under the office worker's name."""
    client = as_user(bram)
    before = AuditEvent.objects.count()
    page = client.get(_url(preparing_case, said)).content.decode()
    assert DAANS["note"] in page and said.email in page
    pdf = _download(client, preparing_case, said, "pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert DAANS["note"] in text
    exported = json.loads(_download(client, preparing_case, said, "json").content)
    assert DAANS["note"] in json.dumps(exported)
    assert SANNES["note"] not in json.dumps(exported)
    rows = [
        r for r in AuditEvent.objects.order_by("pk")[before:] if r.action.startswith("privacy.")
    ]
    assert [(r.action, r.data.get("format"), r.actor_id) for r in rows] == [
        ("privacy.export_viewed", None, bram.pk),
        ("privacy.exported", "pdf", bram.pk),
        ("privacy.exported", "json", bram.pk),
    ]


def test_the_office_exports_a_closed_case_whose_coordinator_has_left(
    said, preparing_case, carla, bram, as_user
):
    """The case has ended and its coordinator no longer works it: the office still answers
    the request."""
    from kring.cases import actions as case_actions

    case_actions.stop(preparing_case, reason="safety", by=carla)
    carla.is_active = False
    carla.save(update_fields=["is_active"])
    response = _download(as_user(bram), preparing_case, said, "json")
    assert response.status_code == 200
    assert DAANS["note"] in response.content.decode()


@pytest.mark.parametrize(
    ("who", "status"), [("mira", 403), ("olaf", 404), ("ruud", 404), ("admin_user", 404)]
)
def test_no_one_but_the_coordinator_or_the_office_may_export(
    who, status, said, preparing_case, bram, as_user, request
):
    """The manager sees the case but does not export (supervision, not casework): 403.
    Another coordinator, the researcher, the administrator do not see the case: 404. The same
    download by the office goes through."""
    client = as_user(request.getfixturevalue(who))
    before = AuditEvent.objects.filter(action="privacy.exported").count()
    for url in (
        _url(preparing_case, said),
        _url(preparing_case, said, "privacy:export_download", fmt="json"),
    ):
        response = client.get(url)
        assert response.status_code == status
        assert DAANS["note"] not in response.content.decode()
    assert AuditEvent.objects.filter(action="privacy.exported").count() == before
    allowed = _download(as_user(bram), preparing_case, said, "json")
    assert DAANS["note"] in allowed.content.decode()


def test_the_office_of_another_team_may_not_export(said, preparing_case, other_team, as_user):
    from kring.accounts.models import Role
    from kring.testing.factories import UserFactory

    wim = UserFactory(username="wim", role=Role.OFFICE, team=other_team)
    response = _download(as_user(wim), preparing_case, said, "json")
    assert response.status_code == 404
    assert DAANS["note"] not in response.content.decode()
    assert not AuditEvent.objects.filter(action="privacy.exported").exists()


def test_the_coordinator_of_another_teams_case_or_a_visitor_gets_nothing(
    said, preparing_case, client
):
    response = client.get(_url(preparing_case, said, "privacy:export_download", fmt="json"))
    assert response.status_code == 302  # to the sign-in page
    assert DAANS["note"] not in response.content.decode()


def test_the_participant_in_the_portal_cannot_reach_the_export(said, preparing_case, client):
    """Daan's own personal page is no staff session: the export's address sends him to sign in."""
    from kring.circle import links

    issued = links.issue(said, by=preparing_case.coordinator)
    client.get(reverse("portal:enter", args=[issued.token]))
    response = client.get(_url(preparing_case, said, "privacy:export_download", fmt="json"))
    assert response.status_code == 302
    assert DAANS["note"] not in response.content.decode()


def test_an_unknown_format_is_not_found(said, preparing_case, carla, as_user):
    response = as_user(carla).get(_url(preparing_case, said, "privacy:export_download", fmt="xml"))
    assert response.status_code == 404


def test_the_case_page_links_to_the_export_for_the_coordinator_and_the_office_only(
    said, preparing_case, carla, bram, mira, as_user
):
    export_url = _url(preparing_case, said)
    for user in (carla, bram):
        page = as_user(user).get(reverse("cases:detail", args=[preparing_case.pk]))
        assert export_url in page.content.decode()
    page = as_user(mira).get(reverse("cases:detail", args=[preparing_case.pk])).content.decode()
    assert export_url not in page


def test_what_the_request_said_about_daan_is_in_his_export_but_not_the_account(
    preparing_case, carla, as_user
):
    """Daan joined the circle from the request: his name and contact as the request gave them
    are in his export; the requester's account of what happened is not (it is the requester's)."""
    from kring.referrals.models import ReferralPerson

    person = ReferralPerson.objects.get(referral=preparing_case.referral, name="Daan")
    ReferralPerson.objects.filter(pk=person.pk).update(contact="Requestcontact3391")
    person.refresh_from_db()
    daan = actions.add_from_request(person, by=carla)
    body = _download(as_user(carla), preparing_case, daan, "json").content.decode("utf-8")
    data = json.loads(body)
    request_items = {
        item["key"]: item["value"]
        for section in data["sections"]
        if section["key"] == "request"
        for item in section["items"]
    }
    assert request_items["request.contact"] == "Requestcontact3391"
    assert preparing_case.referral.description not in body
    assert preparing_case.referral.requester_name not in body


def test_what_daan_did_on_his_page_is_counted_in_his_export_and_not_what_sanne_did(
    said, sanne, preparing_case, carla, as_user
):
    body = _download(as_user(carla), preparing_case, said, "json").content.decode("utf-8")
    [log] = [s for s in json.loads(body)["sections"] if s["key"] == "log"]
    assert log["items"]
    for item in log["items"]:
        action = item["key"].removeprefix("log.")
        assert (
            int(item["value"])
            == AuditEvent.objects.filter(action=action, actor_participant_id=said.pk).count()
        )
        assert AuditEvent.objects.filter(action=action, actor_participant_id=sanne.pk).exists()
