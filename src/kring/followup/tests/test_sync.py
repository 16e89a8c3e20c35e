"""The tracker follows the signed plan (issue 12, point 1; R14): followup.actions.sync, called
by signing when a version is fully signed. A change by mutual consent is a new version that
everyone signs again (the whole flow through the plan editor and the signatures is in
test_change_by_consent.py); here version 2 is made from the plan's rows and handed to sync as
signing does, so that each kind of change is seen on its own."""

from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from kring.audit.actors import Actor
from kring.cases import registry
from kring.cases.models import CaseEvent
from kring.conference import content
from kring.conference.models import Agreement, PlanVersion
from kring.core.policy import Refused
from kring.followup import actions
from kring.followup.models import (
    AgreementChange,
    AgreementState,
    ChangeKind,
    Contact,
    TrackedAgreement,
)

pytestmark = pytest.mark.django_db


def next_version(plan, carla) -> PlanVersion:
    """The plan's rows as they stand, frozen as its next version (as conference.versions does)."""
    frozen = content.canonical(plan)
    return PlanVersion.objects.create(
        plan=plan,
        number=plan.versions.count() + 1,
        content=frozen,
        content_hash=content.content_hash(frozen),
        edit_count=plan.edit_count,
        finalised_at=timezone.now(),
        finalised_by=carla,
    )


def tracker(case) -> list[tuple]:
    """The tracker as the coordinator reads it: number, what, state, of the current rows."""
    return [
        (t.number, t.what, t.state)
        for t in TrackedAgreement.objects.filter(case=case)
        .exclude(state=AgreementState.CHANGED)
        .order_by("number")
    ]


def shown(event: CaseEvent) -> str:
    with translation.override("en"):
        return " — ".join(
            [str(registry.event_label(event.kind)), *registry.timeline_details(event, full=True)]
        )


def test_signing_the_plan_tracks_its_agreements_and_plans_the_contact(
    following_up, bike, school, final_version
):
    assert following_up.state == "following_up"
    assert (bike.number, bike.owner.name, bike.due, bike.for_whom) == (
        1,
        "Daan de Boer",
        date(2027, 12, 1),
        "Sanne",
    )
    assert bike.what == "Daan betaalt de nieuwe fiets van Sanne terug, €20 per maand."
    assert (school.number, school.due, school.prevents_repeat) == (2, None, True)
    assert bike.state == school.state == AgreementState.OPEN
    assert bike.version == school.version == final_version
    # R15: about four weeks after the meeting the coordinator contacts the participants.
    meeting_day = timezone.localdate(final_version.plan.conference.meeting.starts_at)
    [contact] = Contact.objects.filter(case=following_up)
    assert contact.due_on == meeting_day + timedelta(days=28) and contact.done_at is None
    event = CaseEvent.objects.get(case=following_up, kind="followup.started")
    assert event.actor_kind == "system"
    assert shown(event) == "Follow-up of the agreements began — Version 1"


def test_syncing_a_version_twice_changes_nothing(following_up, final_version):
    before = (
        list(following_up.tracked_agreements.values()),
        Contact.objects.count(),
        CaseEvent.objects.filter(case=following_up).count(),
        AgreementChange.objects.count(),
    )
    actions.sync(following_up, final_version)
    after = (
        list(following_up.tracked_agreements.values()),
        Contact.objects.count(),
        CaseEvent.objects.filter(case=following_up).count(),
        AgreementChange.objects.count(),
    )
    assert after == before


def test_a_new_version_keeps_what_is_unchanged_and_replaces_what_changed(
    following_up, bike, school, carla, daan, sanne
):
    plan = bike.version.plan
    actions.set_state(bike, AgreementState.PARTLY_DONE, by=carla, note="De helft is betaald.")
    # By mutual consent: a new first agreement, the school's reworded; the bike's stays as it was.
    Agreement.objects.filter(pk=school.agreement_id).update(
        what="Daan fietst een andere route naar zijn werk."
    )
    Agreement.objects.create(
        plan=plan, position=0, what="Daan biedt Sanne zijn excuses aan, op papier.", who=daan
    )

    version = next_version(plan, carla)
    actions.sync(following_up, version)

    # The bike's agreement keeps its row, its state and its history; its number follows.
    bike.refresh_from_db()
    assert (bike.state, bike.version, bike.number) == (AgreementState.PARTLY_DONE, version, 2)
    assert list(bike.changes.values_list("kind", flat=True)) == [ChangeKind.STATE]
    # The school's is "changed by mutual consent" and points at its new, open row.
    school.refresh_from_db()
    assert school.state == AgreementState.CHANGED and school.replaced_by is not None
    successor = school.replaced_by
    assert (successor.number, successor.state, successor.version) == (3, "open", version)
    assert successor.what == "Daan fietst een andere route naar zijn werk."
    assert successor.agreement_id == school.agreement_id
    for row, to_state in ((school, AgreementState.CHANGED), (successor, AgreementState.OPEN)):
        line = row.changes.get(kind=ChangeKind.VERSION)
        assert (line.to_state, line.by, line.by_participant) == (to_state, None, None)
    assert tracker(following_up) == [
        (1, "Daan biedt Sanne zijn excuses aan, op papier.", "open"),
        (2, "Daan betaalt de nieuwe fiets van Sanne terug, €20 per maand.", "partly_done"),
        (3, "Daan fietst een andere route naar zijn werk.", "open"),
    ]
    event = CaseEvent.objects.get(case=following_up, kind="followup.agreements_changed")
    assert event.data == {"version": 2, "changed": 1, "added": 1, "dropped": 0}
    assert shown(event) == "The agreements follow a new signed version of the plan — Version 2"
    # Still one contact: a new version is not a new meeting.
    assert Contact.objects.filter(case=following_up).count() == 1
    # A report on the changed row is refused; the new row takes it.
    with pytest.raises(Refused):
        actions.invoke(school, by=Actor.in_portal(sanne), participant=sanne, text="Weer gezien.")
    actions.invoke(successor, by=Actor.in_portal(sanne), participant=sanne, text="Weer gezien.")


def test_an_agreement_dropped_in_a_new_version_is_changed_without_a_successor(
    following_up, bike, school, carla
):
    plan = bike.version.plan
    Agreement.objects.filter(pk=school.agreement_id).delete()

    actions.sync(following_up, next_version(plan, carla))

    school.refresh_from_db()
    assert (school.state, school.replaced_by, school.agreement) == (
        AgreementState.CHANGED,
        None,
        None,
    )
    assert school.changes.get().kind == ChangeKind.VERSION
    assert tracker(following_up) == [
        (1, "Daan betaalt de nieuwe fiets van Sanne terug, €20 per maand.", "open")
    ]
    event = CaseEvent.objects.get(case=following_up, kind="followup.agreements_changed")
    assert event.data == {"version": 2, "changed": 0, "added": 0, "dropped": 1}


def test_an_older_version_after_a_newer_one_changes_nothing(following_up, bike, carla):
    plan = bike.version.plan
    first = bike.version
    Agreement.objects.filter(pk=bike.agreement_id).update(what="Daan betaalt €30 per maand.")
    actions.sync(following_up, next_version(plan, carla))
    rows = list(following_up.tracked_agreements.order_by("pk").values())

    actions.sync(following_up, first)

    assert list(following_up.tracked_agreements.order_by("pk").values()) == rows


def test_a_version_without_agreements_synced_twice_is_taken_once(following_up, bike, carla):
    plan = bike.version.plan
    Agreement.objects.filter(plan=plan).delete()
    version = next_version(plan, carla)
    actions.sync(following_up, version)
    events = CaseEvent.objects.filter(case=following_up).count()

    assert actions.sync(following_up, version) == []

    assert CaseEvent.objects.filter(case=following_up).count() == events
    assert tracker(following_up) == []
