"""The findings of issue 6 in the circle, each reproduced: R4 could be bypassed by renewing a
personal link, a participant's side could still be changed, and a risk could be resolved in a
case that is no longer prepared."""

import pytest
from django.urls import reverse

from kring.cases import actions as case_actions
from kring.cases.lifecycle import State
from kring.cases.models import CaseEvent
from kring.circle import actions
from kring.circle.models import PersonalLink, RiskFlag, Side, Status
from kring.circle.tests.conftest import acknowledge
from kring.core.policy import NotAllowed, Refused


def test_a_new_link_for_a_harmed_person_never_invited_is_refused_before_acknowledgment(
    as_user, carla, preparing_case, daan, sanne
):
    """R4: the coordinator's POST to "new personal link" for Sanne, who was never invited and
    before anyone responsible acknowledged, used to return a letter with a live link."""
    client = as_user(carla)
    url = reverse("circle:reissue", args=[preparing_case.pk, sanne.pk])
    response = client.post(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "has not been invited: invite them first" in response.content.decode()
    assert not PersonalLink.objects.filter(participant=sanne).exists()
    assert not CaseEvent.objects.filter(kind="circle.link_reissued").exists()
    with pytest.raises(Refused) as refused:
        actions.reissue_link(sanne, by=carla)
    assert refused.value.code == "not_invited"


def test_a_new_link_keeps_the_order_of_the_method_for_someone_invited(
    carla, preparing_case, daan, sanne
):
    """Daan was invited, then his acknowledgment was withdrawn: no new link for him either, and
    none for Sanne's side while no one responsible acknowledges (R3, R4)."""
    acknowledge(daan, by=carla)
    actions.invite(daan, channel="letter", by=carla)
    actions.invite(sanne, channel="letter", by=carla)
    assert actions.reissue_link(sanne, by=carla)  # allowed while Daan acknowledges
    acknowledge(daan, by=carla, acknowledges=False)
    for person in (daan, sanne):
        with pytest.raises(Refused) as refused:
            actions.reissue_link(person, by=carla)
        assert refused.value.code == "order_of_the_method"


def test_the_new_link_is_offered_on_the_circle_page_only_when_allowed(
    as_user, carla, preparing_case, daan, sanne
):
    client = as_user(carla)
    page = client.get(reverse("circle:overview", args=[preparing_case.pk])).content.decode()
    assert reverse("circle:reissue", args=[preparing_case.pk, sanne.pk]) not in page
    assert "No one on the harmed side can be invited until" in page
    acknowledge(daan, by=carla)
    actions.invite(sanne, channel="letter", by=carla)
    page = client.get(reverse("circle:overview", args=[preparing_case.pk])).content.decode()
    assert reverse("circle:reissue", args=[preparing_case.pk, sanne.pk]) in page


def test_the_side_of_a_participant_cannot_be_changed(carla, daan):
    with pytest.raises(Refused) as refused:
        actions.update_participant(daan, by=carla, side=Side.HARMED)
    assert refused.value.code == "side_fixed"
    daan.refresh_from_db()
    assert daan.side == Side.RESPONSIBLE
    # The same side, sent along with other details, is fine.
    actions.update_participant(daan, by=carla, side=Side.RESPONSIBLE, relation="neighbour")


def test_a_participant_cannot_be_changed_once_the_case_is_stopped(carla, preparing_case, daan):
    case_actions.stop(preparing_case, reason="other", by=carla)
    with pytest.raises(Refused):
        actions.update_participant(daan, by=carla, relation="changed")
    daan.refresh_from_db()
    assert daan.relation == ""


def test_a_risk_cannot_be_resolved_once_the_case_is_stopped(carla, preparing_case):
    flag = actions.flag_risk(
        preparing_case, kind=RiskFlag.Kind.STALKING, level="high", assessment="x", by=carla
    )
    case_actions.stop(preparing_case, reason="safety", by=carla)
    with pytest.raises(Refused):
        actions.resolve_risk(flag, resolution="Opgelost", by=carla)
    flag.refresh_from_db()
    assert flag.resolved_at is None


def test_a_permission_failure_is_a_403_not_a_form_error(as_user, bram, preparing_case, daan):
    """The office sees the case, but the circle's forms are the coordinator's: 403."""
    url = reverse("circle:conversation", args=[preparing_case.pk, daan.pk])
    response = as_user(bram).post(url, {"held_at": "2026-01-05T10:00", "mode": "phone"})
    assert response.status_code == 403
    with pytest.raises(NotAllowed):
        actions.record_conversation(daan, held_at=daan.added_at, mode="phone", by=bram)


def test_a_withdrawn_person_is_not_offered_a_withdrawal_again(as_user, carla, preparing_case, daan):
    acknowledge(daan, by=carla)
    actions.invite(daan, channel="letter", by=carla)
    actions.withdraw(daan, by=carla)
    daan.refresh_from_db()
    assert daan.status == Status.WITHDRAWN
    page = as_user(carla).get(reverse("circle:overview", args=[preparing_case.pk])).content
    assert reverse("circle:withdraw", args=[preparing_case.pk, daan.pk]) not in page.decode()
    assert preparing_case.state == State.PREPARING
