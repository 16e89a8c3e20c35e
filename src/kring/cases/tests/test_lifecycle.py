"""The lifecycle's guards, one by one, with the message the user sees."""

import pytest

from kring.cases import actions
from kring.cases.lifecycle import State, refusal
from kring.cases.models import Assignment, CaseEvent
from kring.core.policy import NotAllowed, Refused


def test_take_on_moves_a_request_to_referred_in_the_office_workers_team(requested_case, bram):
    case = actions.take_on(requested_case, by=bram)
    assert case.state == State.REFERRED
    assert case.team == bram.team
    assert CaseEvent.objects.filter(case=case, kind="case.taken_on", actor=bram).exists()


def test_a_case_cannot_be_taken_on_twice(referred_case, bram):
    with pytest.raises(Refused) as refused:
        actions.take_on(referred_case, by=bram)
    assert "not possible while the case is “Taken on”" in str(refused.value.reason)


def test_coordinator_must_declare_independence_to_accept_r2(offered_case, carla):
    offer = offered_case.assignments.get(coordinator=carla)
    with pytest.raises(Refused) as refused:
        actions.accept_assignment(offer, declares_independence=False, by=carla)
    assert "no tie with anyone in this case" in str(refused.value.reason)
    offered_case.refresh_from_db()
    assert offered_case.state == State.REFERRED
    assert offered_case.coordinator is None


def test_accepting_with_the_declaration_assigns_the_case_r2(carlas_case, carla):
    assert carlas_case.state == State.ASSIGNED
    assert carlas_case.coordinator == carla
    assignment = carlas_case.assignments.get()
    assert assignment.status == Assignment.Status.ACCEPTED
    assert assignment.declared_independent_at is not None


def test_a_case_not_offered_to_a_coordinator_cannot_be_accepted_by_them(offered_case, olaf):
    offer = offered_case.assignments.get()
    assert refusal(offered_case, "accept_assignment", assignment=None) is not None
    with pytest.raises(NotAllowed):
        actions.accept_assignment(offer, declares_independence=True, by=olaf)


def test_handing_back_keeps_the_case_referred_and_logs_the_reason(offered_case, carla):
    offer = offered_case.assignments.get()
    case = actions.hand_back(offer, reason="tie", by=carla)
    assert case.state == State.REFERRED
    offer.refresh_from_db()
    assert offer.status == Assignment.Status.HANDED_BACK
    event = CaseEvent.objects.get(case=case, kind="case.handed_back")
    assert event.data == {"reason": "tie"}


def test_reassignment_ends_the_previous_coordinators_access_at_once(carlas_case, mira, olaf, carla):
    actions.offer_to_coordinator(carlas_case, coordinator=olaf, by=mira)
    carlas_case.refresh_from_db()
    assert carlas_case.state == State.REFERRED
    assert carlas_case.coordinator is None
    statuses = list(carlas_case.assignments.values_list("coordinator__username", "status"))
    assert statuses == [("carla", "ended"), ("olaf", "offered")]


def test_only_one_open_offer_per_case(offered_case, bram, olaf):
    actions.offer_to_coordinator(offered_case, coordinator=olaf, by=bram)
    open_offers = offered_case.assignments.filter(status__in=["offered", "accepted"])
    assert [a.coordinator.username for a in open_offers] == ["olaf"]


def test_a_request_cannot_be_offered_before_it_is_taken_on(requested_case, bram, carla):
    requested_case.team = bram.team
    requested_case.save()
    with pytest.raises(Refused) as refused:
        actions.offer_to_coordinator(requested_case, coordinator=carla, by=bram)
    assert "not possible while the case is “New request”" in str(refused.value.reason)


def test_decline_ends_the_request_and_tells_the_requester(
    requested_case, bram, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = actions.decline(requested_case, reason="outside_area", by=bram)
    assert case.state == State.DECLINED
    assert [m.to for m in mailoutbox] == [["petra@example.org"]]
    assert "Daan" not in mailoutbox[0].body and "fiets" not in mailoutbox[0].body


def test_stopped_case_cannot_be_stopped_again(carlas_case, carla):
    actions.stop(carlas_case, reason="safety", by=carla)
    with pytest.raises(Refused) as refused:
        actions.stop(carlas_case, reason="safety", by=carla)
    assert "Stopped" in str(refused.value.reason)


def test_another_coordinator_cannot_stop_carlas_case(carlas_case, olaf):
    with pytest.raises(NotAllowed):
        actions.stop(carlas_case, reason="other", by=olaf)


def test_every_move_leaves_a_timeline_event_with_actor(carlas_case, carla, bram):
    actions.stop(carlas_case, reason="no_acknowledgment", by=carla)
    kinds = list(carlas_case.events.values_list("kind", "actor__username"))
    assert kinds == [
        ("case.requested", None),
        ("case.taken_on", "bram"),
        ("case.offered", "bram"),
        ("case.assigned", "carla"),
        ("case.stopped", "carla"),
    ]


def test_the_offered_coordinator_is_notified_by_mail_without_case_content(
    referred_case, bram, carla, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        actions.offer_to_coordinator(referred_case, coordinator=carla, by=bram)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["carla@kring.test"]
    assert referred_case.reference in message.body
    assert "Daan" not in message.subject + message.body
    assert "fiets" not in message.subject + message.body


def test_a_case_is_offered_only_to_a_coordinator_of_its_team(referred_case, bram, other_team):
    from kring.testing.factories import UserFactory

    noor = UserFactory(username="noor", role="coordinator", team=other_team)
    with pytest.raises(Refused) as refused:
        actions.offer_to_coordinator(referred_case, coordinator=noor, by=bram)
    assert "team" in str(refused.value.reason)
    assert not referred_case.assignments.exists()


def test_only_the_manager_takes_a_case_from_its_coordinator(carlas_case, bram, olaf):
    """Reassignment is the manager's (docs/rules.md "Roles"); the office offers cases that
    have no coordinator."""
    with pytest.raises(NotAllowed):
        actions.offer_to_coordinator(carlas_case, coordinator=olaf, by=bram)
    carlas_case.refresh_from_db()
    assert carlas_case.state == State.ASSIGNED


def test_declining_a_case_withdraws_the_offer_not_yet_answered(offered_case, bram, carla):
    actions.decline(offered_case, reason="other_help", by=bram)
    offer = offered_case.assignments.get(coordinator=carla)
    assert offer.status == Assignment.Status.WITHDRAWN
    with pytest.raises(Refused):
        actions.accept_assignment(offer, declares_independence=True, by=carla)
