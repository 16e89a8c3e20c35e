"""Correcting a participant's details on the privacy app's own page (GDPR article 16; issue 14,
point 8): the case's coordinator or the office of its team, while the case is open and the
person not erased (privacy.policy.may_correct_participant). The audit row and the timeline name
the fields changed, never their values. The office never sees contact details (docs/rules.md
"Roles"): its page shows them masked and its contact fields start empty, an empty field leaves
the detail as it is. Each refusal is proven against the same correction going through for
someone it does not refuse."""

import html

import pytest
from django.urls import reverse

from kring.accounts.models import Role
from kring.audit.models import AuditEvent
from kring.cases import actions as case_actions
from kring.cases.models import CaseEvent
from kring.circle import links
from kring.circle.models import Participant
from kring.core.policy import NotAllowed, Refused
from kring.privacy import rights
from kring.testing.factories import UserFactory
from kring.testing.people import DAAN

pytestmark = pytest.mark.django_db

NEW_NAME = "Daan de Boer-Jansen"
NEW_EMAIL = "daan.nieuw4471@example.org"
NEW_PHONE = "06 4471 4472"


def _url(participant):
    return reverse(
        "privacy:correct", kwargs={"pk": participant.case_id, "participant_id": participant.pk}
    )


def _form(participant, **changes):
    """What the coordinator's page sends back: the current values, some changed."""
    data = {
        "name": participant.name,
        "email": participant.email,
        "phone": participant.phone,
        "address": participant.address,
        "language": participant.language,
    }
    data.update(changes)
    return data


def _corrections():
    return AuditEvent.objects.filter(action=rights.CORRECTED)


def _assert_unchanged(daan):
    now = Participant.objects.get(pk=daan.pk)
    assert (now.name, now.email, now.phone, now.address) == (
        daan.name,
        daan.email,
        daan.phone,
        daan.address,
    )
    assert not _corrections().exists()


def test_the_coordinator_corrects_name_and_email_and_the_log_names_only_the_fields(
    daan, carla, as_user
):
    client = as_user(carla)
    page = client.get(_url(daan)).content.decode()
    assert f'value="{daan.email}"' in page  # the coordinator sees the current values
    response = client.post(_url(daan), _form(daan, name=NEW_NAME, email=NEW_EMAIL))
    assert response.status_code == 302
    now = Participant.objects.get(pk=daan.pk)
    assert (now.name, now.email, now.phone) == (NEW_NAME, NEW_EMAIL, daan.phone)
    row = _corrections().get()
    assert row.data == {"fields": ["name", "email"]}
    assert (row.actor_id, row.object_id, row.case_id) == (carla.pk, str(daan.pk), daan.case_id)
    for value in (NEW_NAME, NEW_EMAIL, DAAN.email, DAAN.name):
        assert value not in str(row.data)
    event = CaseEvent.objects.get(case=daan.case, kind=rights.CORRECTED)
    assert event.data == {"participant": daan.pk, "fields": ["name", "email"]}
    assert NEW_EMAIL not in str(event.data)


def test_the_office_sees_the_details_masked_and_corrects_the_telephone_only(daan, bram, as_user):
    client = as_user(bram)
    response = client.get(_url(daan))
    assert response.status_code == 200
    page = response.content.decode()
    for detail in (DAAN.email, daan.phone, daan.address.splitlines()[0]):
        assert detail not in page
    assert "d\u2026@" in page  # the mask of the current e-mail address
    assert 'name="email"' in page and 'name="email" value' not in page
    assert AuditEvent.objects.filter(
        action="privacy.correction_viewed", actor=bram, object_id=str(daan.pk)
    ).exists()
    # Empty contact fields leave the details as they are; a filled one replaces.
    response = client.post(
        _url(daan), {"name": daan.name, "language": daan.language, "phone": NEW_PHONE}
    )
    assert response.status_code == 302
    now = Participant.objects.get(pk=daan.pk)
    assert (now.email, now.phone, now.address) == (daan.email, NEW_PHONE, daan.address)
    row = _corrections().get()
    assert (row.actor_id, row.data) == (bram.pk, {"fields": ["phone"]})
    assert NEW_PHONE not in str(row.data)
    # The answer after saving shows no contact detail either.
    assert NEW_PHONE not in client.get(response["Location"]).content.decode()


def test_nothing_changed_saves_nothing_and_logs_no_correction(daan, carla, as_user):
    response = as_user(carla).post(_url(daan), _form(daan))
    assert response.status_code == 302
    _assert_unchanged(daan)
    assert not CaseEvent.objects.filter(kind=rights.CORRECTED).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "D" * 201, "Ensure this value has at most 200 characters"),
        ("email", "daan.at.example.org", "Enter an e-mail address like name@example.org."),
        ("name", "", "Enter the person's name."),
    ],
)
@pytest.mark.parametrize("who", ["carla", "bram"])
def test_bad_input_is_said_and_nothing_is_half_saved(
    who, field, value, message, daan, as_user, request
):
    client = as_user(request.getfixturevalue(who))
    data = _form(daan, phone=NEW_PHONE, **{field: value})
    response = client.post(_url(daan), data)
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    _assert_unchanged(daan)


@pytest.mark.parametrize(
    ("who", "status"),
    [("mira", 403), ("olaf", 404), ("ruud", 404), ("admin_user", 404)],
)
def test_no_one_else_corrects(who, status, daan, carla, as_user, request):
    client = as_user(request.getfixturevalue(who))
    assert client.get(_url(daan)).status_code == status
    response = client.post(_url(daan), _form(daan, email=NEW_EMAIL))
    assert response.status_code == status
    _assert_unchanged(daan)
    # The same correction by the coordinator goes through.
    assert as_user(carla).post(_url(daan), _form(daan, email=NEW_EMAIL)).status_code == 302
    assert Participant.objects.get(pk=daan.pk).email == NEW_EMAIL


def test_the_office_of_another_team_may_not_correct(daan, bram, other_team):
    wim = UserFactory(username="wim", role=Role.OFFICE, team=other_team)
    with pytest.raises(NotAllowed):
        rights.correct_participant(daan, by=wim, email=NEW_EMAIL)
    _assert_unchanged(daan)
    rights.correct_participant(daan, by=bram, email=NEW_EMAIL)
    assert Participant.objects.get(pk=daan.pk).email == NEW_EMAIL


def test_a_participant_on_their_personal_page_is_sent_to_sign_in(daan, carla, client):
    issued = links.issue(daan, by=carla)
    client.get(reverse("portal:enter", args=[issued.token]))
    response = client.post(_url(daan), _form(daan, email=NEW_EMAIL))
    assert response.status_code == 302
    assert "portal" not in response["Location"]
    _assert_unchanged(daan)


def test_once_the_case_has_ended_nothing_is_corrected(daan, carla, bram, as_user):
    case_actions.stop(daan.case, reason="safety", by=carla)
    for user in (carla, bram):
        response = as_user(user).post(_url(daan), _form(daan, email=NEW_EMAIL))
        assert response.status_code == 200
        assert "The case has ended" in response.content.decode()
    _assert_unchanged(daan)
    with pytest.raises(Refused):
        rights.correct_participant(daan, by=carla, email=NEW_EMAIL)


def test_the_case_page_links_to_the_correction_for_coordinator_and_office_not_the_manager(
    daan, carla, bram, mira, as_user
):
    case_url = reverse("cases:detail", args=[daan.case_id])
    for user in (carla, bram):
        assert _url(daan) in as_user(user).get(case_url).content.decode()
    assert _url(daan) not in as_user(mira).get(case_url).content.decode()
    case_actions.stop(daan.case, reason="safety", by=carla)
    assert _url(daan) not in as_user(carla).get(case_url).content.decode()


def test_the_office_sending_only_a_name_changes_only_the_name(daan, bram, as_user):
    """What is not sent stays as it is: the contact details and the language."""
    response = as_user(bram).post(_url(daan), {"name": NEW_NAME})
    assert response.status_code == 302
    now = Participant.objects.get(pk=daan.pk)
    assert (now.name, now.email, now.phone, now.language) == (
        NEW_NAME,
        daan.email,
        daan.phone,
        daan.language,
    )
    assert _corrections().get().data == {"fields": ["name"]}
