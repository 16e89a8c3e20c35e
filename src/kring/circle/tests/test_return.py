"""Taking part is voluntary both ways (R9; issue 8, point 1): someone who withdrew or declined
comes back when the coordinator records it after speaking with them; their earlier consent no
longer counts, and the timeline shows both the leaving and the return."""

import pytest
from django.urls import reverse
from django.utils import timezone

from kring.audit.actors import Actor
from kring.circle import actions, guards, policy
from kring.circle.models import Answer, Consent, Mode, Notice, Status
from kring.core.policy import Refused

pytestmark = pytest.mark.django_db


def _consent(participant):
    return actions.give_consent(
        participant,
        legal_advice=Answer.NO,
        interpreter=Answer.NO,
        support_person=Answer.LATER,
        by=Actor.in_portal(participant),
    )


@pytest.fixture
def sanne_withdrew(preparing_case, daan_acknowledged, sanne, carla):
    """Sanne was invited, accepted, consented, and then stopped taking part in the portal."""
    actions.invite(sanne, channel="letter", by=carla)
    sanne.refresh_from_db()
    actions.respond(sanne, accepts=True, by=Actor.in_portal(sanne))
    _consent(sanne)
    actions.withdraw(sanne, by=Actor.in_portal(sanne))
    sanne.refresh_from_db()
    return sanne


def test_after_a_return_she_takes_part_and_must_consent_again(sanne_withdrew, carla):
    sanne = sanne_withdrew
    assert policy.may_consent(Actor.in_portal(sanne), sanne).code == "not_taking_part"

    actions.record_return(sanne, returned_at=timezone.now(), mode=Mode.PHONE, by=carla)
    sanne.refresh_from_db()

    assert sanne.status == Status.ACCEPTED and sanne.takes_part
    # The earlier consent stays on record but no longer counts (R9: a new consent).
    assert Consent.all_objects.filter(participant=sanne).count() == 1
    assert not guards.has_consent(sanne)
    assert policy.may_consent(Actor.in_portal(sanne), sanne) is None
    _consent(sanne)
    assert guards.has_consent(sanne)


def test_the_timeline_shows_both_the_withdrawal_and_the_return(
    as_user, sanne_withdrew, preparing_case, carla
):
    actions.record_return(sanne_withdrew, returned_at=timezone.now(), mode=Mode.PHONE, by=carla)
    kinds = list(preparing_case.events.values_list("kind", flat=True))
    assert kinds.index("circle.withdrawn") < kinds.index("circle.returned")
    page = as_user(carla).get(reverse("cases:detail", args=[preparing_case.pk])).content.decode()
    assert "Stopped taking part" in page
    assert "Takes part again (came back after stopping or saying no)" in page


def test_the_return_handles_the_notice_of_her_leaving(sanne_withdrew, carla):
    assert Notice.objects.filter(kind="circle.withdrawn", handled_at__isnull=True).exists()
    actions.record_return(sanne_withdrew, returned_at=timezone.now(), mode=Mode.PHONE, by=carla)
    assert not Notice.objects.filter(kind="circle.withdrawn", handled_at__isnull=True).exists()


def test_someone_who_declined_can_come_back_too(preparing_case, daan_acknowledged, sanne, carla):
    actions.invite(sanne, channel="letter", by=carla)
    sanne.refresh_from_db()
    actions.respond(sanne, accepts=False, by=Actor.in_portal(sanne))
    actions.record_return(sanne, returned_at=timezone.now(), mode=Mode.IN_PERSON, by=carla)
    sanne.refresh_from_db()
    assert sanne.status == Status.ACCEPTED


def test_a_return_is_refused_for_someone_who_takes_part(daan_acknowledged, carla):
    with pytest.raises(Refused):
        actions.record_return(
            daan_acknowledged, returned_at=timezone.now(), mode=Mode.PHONE, by=carla
        )


def test_the_coordinator_records_the_return_on_its_page(as_user, sanne_withdrew, carla):
    sanne = sanne_withdrew
    url = reverse("circle:record_return", args=[sanne.case_id, sanne.pk])
    client = as_user(carla)
    page = client.get(url).content.decode()
    assert "Their earlier consent no longer counts" in page
    response = client.post(url, {"returned_at": "", "mode": "phone"})
    assert "Enter the date and time." in response.content.decode()
    sanne.refresh_from_db()
    assert sanne.status == Status.WITHDRAWN
    when = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"returned_at": when, "mode": "phone"})
    assert response.status_code == 302
    sanne.refresh_from_db()
    assert sanne.status == Status.ACCEPTED


@pytest.mark.parametrize(("who", "status"), [("olaf", 404), ("bram", 403), ("mira", 403)])
def test_only_the_coordinator_of_the_case_records_a_return(
    request, as_user, sanne_withdrew, who, status
):
    sanne = sanne_withdrew
    url = reverse("circle:record_return", args=[sanne.case_id, sanne.pk])
    when = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    response = as_user(request.getfixturevalue(who)).post(
        url, {"returned_at": when, "mode": "phone"}
    )
    assert response.status_code == status
    sanne.refresh_from_db()
    assert sanne.status == Status.WITHDRAWN
