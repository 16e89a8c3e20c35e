"""R2 at any stage before the conference: a manager reassigns a case in preparation, and a
coordinator hands back a case they accepted. The circle, links and consents stay; the old
coordinator loses access at once; the new one declares independence; participants with an
e-mail address are told the new coordinator's name. And the stop button shows only when the
case can be stopped (issue 6, "What was found"). Here, not in cases/tests, because it prepares
a circle (the import contract)."""

import pytest
from django.urls import reverse

from kring.cases import actions
from kring.cases.lifecycle import State
from kring.cases.models import Assignment, CaseEvent
from kring.circle import actions as circle
from kring.circle.models import PersonalLink, Side
from kring.core.policy import NotAllowed, Refused


@pytest.fixture
def daan_invited(daan_acknowledged, carla):
    """Daan acknowledged and was invited by e-mail: he has a live personal link."""
    circle.invite(daan_acknowledged, channel="email", by=carla)
    return daan_acknowledged


def _accept(case, coordinator):
    offer = case.assignments.get(coordinator=coordinator, status=Assignment.Status.OFFERED)
    return actions.accept_assignment(offer, declares_independence=True, by=coordinator)


def test_a_case_in_preparation_can_be_reassigned_and_keeps_its_circle(
    as_user,
    preparing_case,
    daan_invited,
    carla,
    olaf,
    mira,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    link = PersonalLink.objects.get(participant=daan_invited, revoked_at__isnull=True)
    actions.offer_to_coordinator(preparing_case, coordinator=olaf, by=mira)

    preparing_case.refresh_from_db()
    assert preparing_case.state == State.PREPARING
    assert preparing_case.coordinator is None
    # Carla's access ends at once: her case page and her circle page are gone for her.
    client = as_user(carla)
    assert client.get(reverse("cases:detail", args=[preparing_case.pk])).status_code == 404
    assert client.get(reverse("circle:overview", args=[preparing_case.pk])).status_code == 404
    # Until Olaf accepts, nobody works on the circle.
    with pytest.raises(NotAllowed):
        circle.add_participant(preparing_case, by=olaf, name="Iemand", side=Side.HARMED)

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case = _accept(preparing_case, olaf)
    assert (case.state, case.coordinator) == (State.PREPARING, olaf)
    assert case.participants.get() == daan_invited  # the circle stays
    link.refresh_from_db()
    assert link.revoked_at is None  # Daan's link keeps working
    # Daan is told the name of his new coordinator, and nothing else of the case.
    (told,) = [m for m in mailoutbox if m.to == ["daan@example.org"]]
    assert "Olaf" in told.body
    assert case.reference not in told.body and case.reference not in told.subject
    # Olaf works on the circle now.
    circle.add_participant(case, by=olaf, name="Sanne Jansen", side=Side.HARMED)


def test_the_new_coordinator_must_declare_independence_also_during_preparation(
    preparing_case, olaf, mira
):
    actions.offer_to_coordinator(preparing_case, coordinator=olaf, by=mira)
    offer = preparing_case.assignments.get(coordinator=olaf, status=Assignment.Status.OFFERED)
    with pytest.raises(Refused) as refused:
        actions.accept_assignment(offer, declares_independence=False, by=olaf)
    assert "no tie with anyone" in str(refused.value.reason)
    preparing_case.refresh_from_db()
    assert preparing_case.coordinator is None


def test_the_coordinator_can_hand_back_a_case_during_preparation_with_a_reason(
    as_user,
    preparing_case,
    daan_invited,
    carla,
    bram,
    mira,
    olaf,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    client = as_user(carla)
    url = reverse("cases:hand_back", args=[preparing_case.pk])
    page = client.get(url).content.decode()
    assert "Why do you hand the case back?" in page
    # No reason chosen: a clear message, nothing changes.
    response = client.post(url, {})
    assert "Choose the reason for handing the case back." in response.content.decode()
    preparing_case.refresh_from_db()
    assert preparing_case.coordinator == carla

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "absence"})
    assert response.status_code == 302
    preparing_case.refresh_from_db()
    assert (preparing_case.state, preparing_case.coordinator) == (State.PREPARING, None)
    assert client.get(reverse("cases:detail", args=[preparing_case.pk])).status_code == 404
    event = CaseEvent.objects.filter(case=preparing_case, kind="case.handed_back").last()
    assert (event.actor, event.data) == (carla, {"reason": "absence"})
    # The office worker who offered the case and the team's manager are told.
    assert {m.to[0] for m in mailoutbox} >= {bram.email, mira.email}
    # The case page tells the office it waits for a coordinator, with the circle kept.
    office = as_user(bram).get(reverse("cases:detail", args=[preparing_case.pk])).content.decode()
    assert "This case has no coordinator now." in office
    assert "Offer to a coordinator" in office
    # Another coordinator takes over.
    actions.offer_to_coordinator(preparing_case, coordinator=olaf, by=bram)
    assert _accept(preparing_case, olaf).coordinator == olaf


def test_only_the_cases_coordinator_can_hand_it_back(as_user, preparing_case, olaf, mira):
    with pytest.raises(NotAllowed):
        actions.hand_back_case(preparing_case, reason="tie", by=olaf)
    with pytest.raises(NotAllowed):
        actions.hand_back_case(preparing_case, reason="tie", by=mira)
    url = reverse("cases:hand_back", args=[preparing_case.pk])
    assert as_user(olaf).post(url, {"reason": "tie"}).status_code == 404
    assert as_user(mira).post(url, {"reason": "tie"}).status_code == 403
    preparing_case.refresh_from_db()
    assert preparing_case.coordinator is not None


def test_after_the_conference_a_case_is_no_longer_reassigned_or_stopped(
    as_user, preparing_case, carla, olaf, mira
):
    # Later stages make this move; here the state is set as they will.
    preparing_case.state = State.CONFERENCE_HELD
    preparing_case.save()
    with pytest.raises(Refused):
        actions.offer_to_coordinator(preparing_case, coordinator=olaf, by=mira)
    with pytest.raises(Refused):
        actions.hand_back_case(preparing_case, reason="tie", by=carla)
    with pytest.raises(Refused):
        actions.stop(preparing_case, reason="other", by=carla)
    page = as_user(carla).get(reverse("cases:detail", args=[preparing_case.pk])).content.decode()
    assert "Stop the case" not in page
    assert "Hand the case back" not in page
    manager = as_user(mira).get(reverse("cases:detail", args=[preparing_case.pk])).content.decode()
    assert "Reassign" not in manager and "Stop the case" not in manager


def test_the_stop_button_shows_while_the_case_can_be_stopped(as_user, preparing_case, carla):
    page = as_user(carla).get(reverse("cases:detail", args=[preparing_case.pk])).content.decode()
    assert "Stop the case" in page and "Hand the case back" in page


def test_the_stop_page_says_why_it_cannot_stop_a_case_after_the_conference(
    as_user, preparing_case, carla
):
    preparing_case.state = State.FOLLOWING_UP
    preparing_case.save()
    client = as_user(carla)
    url = reverse("cases:stop", args=[preparing_case.pk])
    page = client.get(url).content.decode()
    assert "This step is not possible while the case is “Follow-up”." in page
    assert "<form" not in page.split("<main", 1)[1]
    client.post(url, {"reason": "other"})
    preparing_case.refresh_from_db()
    assert preparing_case.state == State.FOLLOWING_UP


def test_an_office_worker_of_another_team_cannot_decline_a_teams_case(referred_case, other_team):
    from kring.accounts.models import Role
    from kring.testing.factories import UserFactory

    stranger = UserFactory(username="kees", role=Role.OFFICE, team=other_team)
    with pytest.raises(NotAllowed):
        actions.decline(referred_case, reason="not_suitable", by=stranger)
    referred_case.refresh_from_db()
    assert referred_case.state == State.REFERRED
