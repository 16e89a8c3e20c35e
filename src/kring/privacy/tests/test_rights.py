"""Erasing one participant who asks for it (GDPR article 17; issue 14, point 8): the case's
coordinator or the office of its team, while the case is open, unless a signed plan needs the
name; then the request is noted instead. Each refusal is proven against the same erasure going
through for someone it does not refuse."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kring.audit.models import AuditEvent
from kring.cases import actions as case_actions
from kring.cases.models import CaseEvent
from kring.circle import actions, links
from kring.circle.models import Conversation, Mode, Participant
from kring.core.policy import NotAllowed, Refused
from kring.notifications.models import OutgoingMail
from kring.notifications.tasks import send_mail
from kring.privacy import holds, rights
from kring.testing.people import DAAN

pytestmark = pytest.mark.django_db

NOTE = "Daannote8851"


def _erase_url(case, participant, name="privacy:erase"):
    return reverse(name, kwargs={"pk": case.pk, "participant_id": participant.pk})


@pytest.fixture
def daan_spoken_with(daan_acknowledged, carla):
    actions.record_conversation(
        daan_acknowledged,
        held_at=timezone.now() - timedelta(hours=1),
        mode=Mode.PHONE,
        notes=NOTE,
        by=carla,
    )
    return daan_acknowledged


@pytest.mark.parametrize("who", ["carla", "bram"])
def test_the_coordinator_or_the_office_erases_a_participant_who_asks(
    who, daan_spoken_with, preparing_case, as_user, request
):
    user = request.getfixturevalue(who)
    client = as_user(user)
    page = client.get(_erase_url(preparing_case, daan_spoken_with)).content.decode()
    assert "It cannot be undone." in page
    assert "What stays" in page
    response = client.post(_erase_url(preparing_case, daan_spoken_with), {"confirm": "on"})
    assert response.status_code == 302
    daan = Participant.objects.get(pk=daan_spoken_with.pk)
    assert daan.erased_at is not None
    assert DAAN.email not in Participant.objects.filter(pk=daan.pk).values_list("email", flat=True)
    assert not Conversation.objects.filter(notes__contains=NOTE).exists()
    row = AuditEvent.objects.filter(action=rights.ERASED).get()
    assert (row.actor_id, row.object_id, row.case_id) == (user.pk, str(daan.pk), preparing_case.pk)
    assert NOTE not in str(row.data) and DAAN.name not in str(row.data)
    event = CaseEvent.objects.get(case=preparing_case, kind=rights.ERASED)
    assert event.data["participant"] == daan.pk
    # The case page names him no more.
    case_page = client.get(reverse("cases:detail", args=[preparing_case.pk])).content.decode()
    assert DAAN.name not in case_page


def test_without_the_confirmation_nothing_is_erased(
    daan_spoken_with, preparing_case, carla, as_user
):
    response = as_user(carla).post(_erase_url(preparing_case, daan_spoken_with), {})
    assert response.status_code == 200
    assert "Confirm that the person asked for it." in response.content.decode()
    assert Participant.objects.get(pk=daan_spoken_with.pk).erased_at is None
    assert Conversation.objects.filter(notes=NOTE).exists()


def test_after_erasure_the_personal_link_answers_as_an_invalid_link(
    daan_spoken_with, preparing_case, carla, client
):
    issued = links.issue(daan_spoken_with, by=carla)
    opened = client.get(reverse("portal:enter", args=[issued.token]))
    assert opened["Location"] == reverse("portal:home")  # the link works before
    client.cookies.clear()
    rights.erase_participant(daan_spoken_with, by=carla)
    response = client.get(reverse("portal:enter", args=[issued.token]))
    page = response.content.decode()
    assert "This link does not work" in page
    assert DAAN.first_name not in page


@pytest.mark.parametrize(
    ("who", "status"),
    [("mira", 403), ("olaf", 404), ("ruud", 404), ("admin_user", 404)],
)
def test_no_one_else_may_erase(who, status, daan_spoken_with, preparing_case, as_user, request):
    client = as_user(request.getfixturevalue(who))
    assert client.get(_erase_url(preparing_case, daan_spoken_with)).status_code == status
    response = client.post(_erase_url(preparing_case, daan_spoken_with), {"confirm": "on"})
    assert response.status_code == status
    assert Participant.objects.get(pk=daan_spoken_with.pk).erased_at is None


def test_the_office_of_another_team_may_not_erase(daan_spoken_with, preparing_case, other_team):
    from kring.accounts.models import Role
    from kring.testing.factories import UserFactory

    wim = UserFactory(username="wim", role=Role.OFFICE, team=other_team)
    with pytest.raises(NotAllowed):
        rights.erase_participant(daan_spoken_with, by=wim)
    assert Participant.objects.get(pk=daan_spoken_with.pk).erased_at is None


def test_a_visitor_is_sent_to_sign_in(daan_spoken_with, preparing_case, client):
    response = client.post(_erase_url(preparing_case, daan_spoken_with), {"confirm": "on"})
    assert response.status_code == 302
    assert Participant.objects.get(pk=daan_spoken_with.pk).erased_at is None


def test_once_the_case_has_ended_retention_erases_not_the_page(
    daan_spoken_with, preparing_case, carla, as_user
):
    case_actions.stop(preparing_case, reason="safety", by=carla)
    client = as_user(carla)
    response = client.post(_erase_url(preparing_case, daan_spoken_with), {"confirm": "on"})
    assert "The case has ended" in response.content.decode()
    assert Participant.objects.get(pk=daan_spoken_with.pk).erased_at is None


def test_a_signed_participant_is_not_erased_but_the_request_is_noted(following_up, carla, as_user):
    """Daan signed the plan: no erase button, the reason, and a way to note that he asked. The
    same erasure of an unsigned participant goes through (the tests above)."""
    daan = Participant.objects.get(case=following_up, name=DAAN.name)
    client = as_user(carla)
    page = client.get(_erase_url(following_up, daan)).content.decode()
    assert "Erase for good" not in page
    assert "Note that the person asked to be erased" in page
    response = client.post(_erase_url(following_up, daan), {"confirm": "on"})
    assert response.status_code == 200
    with pytest.raises(Refused):
        rights.erase_participant(daan, by=carla)
    daan.refresh_from_db()
    assert daan.erased_at is None and daan.name == DAAN.name
    response = client.post(_erase_url(following_up, daan, "privacy:note_request"))
    assert response.status_code == 302
    row = AuditEvent.objects.filter(action=rights.REQUEST_NOTED).get()
    assert (row.object_id, row.actor_id) == (str(daan.pk), carla.pk)
    assert CaseEvent.objects.filter(case=following_up, kind=rights.REQUEST_NOTED).exists()


def test_a_legal_hold_keeps_a_participant_from_erasure_until_it_is_lifted(
    daan_spoken_with, preparing_case, carla, mira, as_user
):
    """While a court or the police keeps the case (GDPR article 17(3)(e)), neither the page nor
    the action erases Daan; the request can be noted. Once the hold is lifted, the same erasure
    goes through."""
    holds.place_hold(preparing_case, by=mira, reference="PV-2026-11")
    client = as_user(carla)
    page = client.get(_erase_url(preparing_case, daan_spoken_with)).content.decode()
    assert "Erase for good" not in page
    assert "kept for a legal procedure" in page
    assert "Note that the person asked to be erased" in page
    response = client.post(_erase_url(preparing_case, daan_spoken_with), {"confirm": "on"})
    assert response.status_code == 200
    with pytest.raises(Refused):
        rights.erase_participant(daan_spoken_with, by=carla)
    assert Participant.objects.get(pk=daan_spoken_with.pk).erased_at is None
    assert Conversation.objects.filter(notes=NOTE).exists()
    response = client.post(_erase_url(preparing_case, daan_spoken_with, "privacy:note_request"))
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=rights.REQUEST_NOTED).count() == 1

    holds.lift_hold(preparing_case, by=mira)
    response = client.post(_erase_url(preparing_case, daan_spoken_with), {"confirm": "on"})
    assert response.status_code == 302
    assert Participant.objects.get(pk=daan_spoken_with.pk).erased_at is not None
    assert not Conversation.objects.filter(notes__contains=NOTE).exists()


def _mails_to(address: str) -> tuple[OutgoingMail, OutgoingMail]:
    def mail(status: str) -> OutgoingMail:
        return OutgoingMail.objects.create(
            kind="circle.invitation",
            to=address,
            language="nl",
            subject=f"Uitnodiging voor {DAAN.name}",
            body_text=f"Beste {DAAN.name}, ...",
            body_html=f"<p>Beste {DAAN.name}</p>",
            status=status,
        )

    return mail(OutgoingMail.Status.PENDING), mail(OutgoingMail.Status.SENT)


def test_the_erasure_withdraws_and_empties_the_participant_s_mails(
    daan_spoken_with, preparing_case, carla, mailoutbox
):
    """His invitation still waiting is never sent, and neither mail keeps his address or name;
    a mail to someone else stays as it is."""
    pending, sent = _mails_to(DAAN.email.upper())  # the address in another case
    other = OutgoingMail.objects.create(
        kind="x", to="iemand@example.org", language="nl", subject="s", body_text="b"
    )
    rights.erase_participant(daan_spoken_with, by=carla)
    send_mail.call_local(pending.pk)
    assert mailoutbox == []
    for mail in OutgoingMail.objects.filter(pk__in=[pending.pk, sent.pk]):
        assert mail.status != OutgoingMail.Status.PENDING
        held = f"{mail.to} {mail.subject} {mail.body_text} {mail.body_html}".lower()
        assert DAAN.email.lower() not in held and DAAN.name.lower() not in held
    assert OutgoingMail.objects.get(pk=sent.pk).status == OutgoingMail.Status.SENT
    assert OutgoingMail.objects.get(pk=other.pk).to == "iemand@example.org"


def test_mails_to_an_address_someone_else_in_kring_still_has_are_kept(
    daan_spoken_with, preparing_case, carla, mailoutbox
):
    """A parent with two children in Kring: erasing one of them does not withdraw the mails to
    the address the other still has (the test above withdraws them when nobody has it)."""
    Participant.objects.create(
        case=daan_spoken_with.case, name="Broer", side=daan_spoken_with.side, email=DAAN.email
    )
    pending, sent = _mails_to(DAAN.email)
    rights.erase_participant(daan_spoken_with, by=carla)
    assert OutgoingMail.objects.get(pk=pending.pk).status == OutgoingMail.Status.PENDING
    assert OutgoingMail.objects.get(pk=sent.pk).to == DAAN.email


def test_a_request_is_not_noted_for_someone_who_can_be_erased(
    daan_spoken_with, preparing_case, carla, as_user
):
    response = as_user(carla).post(
        _erase_url(preparing_case, daan_spoken_with, "privacy:note_request")
    )
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action=rights.REQUEST_NOTED).exists()


def test_an_erased_participant_is_neither_exported_nor_erased_again(
    daan_spoken_with, preparing_case, carla, as_user
):
    rights.erase_participant(daan_spoken_with, by=carla)
    client = as_user(carla)
    export = reverse(
        "privacy:export_download",
        kwargs={"pk": preparing_case.pk, "participant_id": daan_spoken_with.pk, "fmt": "json"},
    )
    response = client.get(export)
    assert response.status_code == 302
    assert "have been erased" in client.get(response["Location"]).content.decode()
    with pytest.raises(Refused):
        rights.erase_participant(daan_spoken_with, by=carla)
    assert AuditEvent.objects.filter(action=rights.ERASED).count() == 1


def test_the_case_page_links_to_the_erasure_for_the_office_but_not_the_manager(
    daan_spoken_with, preparing_case, bram, mira, as_user
):
    url = _erase_url(preparing_case, daan_spoken_with)
    assert (
        url in as_user(bram).get(reverse("cases:detail", args=[preparing_case.pk])).content.decode()
    )
    assert (
        url
        not in as_user(mira).get(reverse("cases:detail", args=[preparing_case.pk])).content.decode()
    )
