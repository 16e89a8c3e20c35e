"""Changing agreements by mutual consent (issue 12, point 4; R14, R15): in follow-up the
coordinator changes the plan in the plan editor and makes a new version, which everyone signs
again. Until everyone signed it, the tracker follows version 1; once they have, the changed
agreement is "changed" and points at its new open row, the dropped one is "changed" without a
successor, and the new one is open. A closed case is read-only: the plan too."""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kring.cases.lifecycle import State
from kring.cases.models import CaseEvent
from kring.conference import editing, versions
from kring.conference.models import Agreement, Plan
from kring.followup import closing, queries
from kring.followup.models import AgreementChange, AgreementState, ChangeKind, Outcome
from kring.followup.models import TrackedAgreement as Tracked
from kring.followup.tests.conftest import sign_everyone
from kring.signing import queries as signing_queries
from kring.testing.auth import force_verified_login

pytestmark = pytest.mark.django_db

NEW_DATE = date(2028, 3, 1)
NEW_WHAT = "Daan helpt Sanne een middag in de fietsenwinkel van haar oom."


def words(page) -> str:
    """What a reader sees on the page: its text without tags, whitespace collapsed."""
    assert page.status_code == 200, page.status_code
    html = page.content.decode().split("<main", 1)[1].split("</main>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def as_user(client, user):
    force_verified_login(client, user)
    return client


def plan_rows(plan):
    rows = {a.position: a for a in Agreement.objects.filter(plan=plan)}
    return rows[1], rows[2]


def current(case) -> list[tuple[int, str, str, date | None]]:
    return [(t.number, t.what, t.state, t.due) for t in queries.current(case)]


@pytest.fixture
def plan_v1(following_up, final_version):
    return Plan.objects.select_related("conference__meeting").get(pk=final_version.plan_id)


def change_the_plan(plan, carla, daan):
    """Agreement 1 gets a new date, agreement 2 is dropped, a new one (that prevents a repeat,
    R11) is added."""
    bike, school = plan_rows(plan)
    editing.save_agreement(bike, revision=bike.revision, by=carla, by_when=NEW_DATE)
    editing.remove_agreement(school, revision=school.revision, by=carla)
    editing.add_agreement(
        plan, what=NEW_WHAT, who=daan, for_whom="Sanne", prevents_repeat=True, by=carla
    )


def test_a_changed_plan_is_tracked_once_everyone_signed_its_new_version(
    following_up, plan_v1, bike, school, carla, daan, client
):
    before = current(following_up)
    assert before == [
        (1, bike.what, AgreementState.OPEN, date(2027, 12, 1)),
        (2, school.what, AgreementState.OPEN, None),
    ]
    change_the_plan(plan_v1, carla, daan)

    # While the plan is being changed there is nothing to sign, and the tracker follows version 1.
    assert signing_queries.version_to_sign(following_up) is None
    assert current(following_up) == before
    overview = words(
        as_user(client, carla).get(reverse("signing:overview", args=[following_up.pk]))
    )
    assert "Nobody can sign yet: the plan must be made final first." in overview

    version_2 = versions.finalise(plan_v1, by=carla)
    assert version_2.number == 2
    following_up.refresh_from_db()
    assert following_up.state == State.FOLLOWING_UP

    # Signing's page says everyone signs again; the tracker still shows version 1.
    overview = words(client.get(reverse("signing:overview", args=[following_up.pk])))
    assert "The plan has changed. Everyone signs the new version again." in overview
    assert "Signed: 0 of 4." in overview
    assert current(following_up) == before
    tracker = words(client.get(reverse("followup:tracker", args=[following_up.pk])))
    assert school.what in tracker and NEW_WHAT not in tracker

    sign_everyone(version_2, carla)

    following_up.refresh_from_db()
    assert following_up.state == State.FOLLOWING_UP
    bike.refresh_from_db()
    school.refresh_from_db()
    # Agreement 1 is changed, replaced by its new open row with the new date.
    assert bike.state == AgreementState.CHANGED
    assert bike.replaced_by is not None
    new_bike = bike.replaced_by
    assert (new_bike.state, new_bike.due, new_bike.version_id) == (
        AgreementState.OPEN,
        NEW_DATE,
        version_2.pk,
    )
    # Agreement 2 was dropped: changed, without a successor.
    assert school.state == AgreementState.CHANGED and school.replaced_by is None
    # The new agreement is open; the tracker's current rows are version 2's.
    assert current(following_up) == [
        (1, bike.what, AgreementState.OPEN, NEW_DATE),
        (2, NEW_WHAT, AgreementState.OPEN, None),
    ]
    assert AgreementChange.objects.filter(tracked=bike, kind=ChangeKind.VERSION).exists()
    assert AgreementChange.objects.filter(tracked=school, kind=ChangeKind.VERSION).exists()
    # The timeline: version 2 finalised and signed, and the agreements changed (numbers only).
    kinds = list(
        CaseEvent.objects.filter(case=following_up).order_by("pk").values_list("kind", "data")
    )
    assert ("conference.plan_finalised", {"version": 2, "hash": version_2.content_hash[:12]}) in [
        (k, {key: d[key] for key in ("version", "hash") if key in d}) for k, d in kinds
    ]
    changed = [d for k, d in kinds if k == "followup.agreements_changed"]
    assert len(changed) == 1 and changed[0]["version"] == 2
    assert all(NEW_WHAT not in str(d) for _k, d in kinds)

    tracker = words(client.get(reverse("followup:tracker", args=[following_up.pk])))
    assert NEW_WHAT in tracker
    history = tracker.split("Changed by mutual consent", 1)[1]
    assert school.what in history and "Dropped in the new version." in history


def test_a_due_date_before_the_meeting_is_refused_and_changes_nothing(
    following_up, plan_v1, bike, carla
):
    agreement, _school = plan_rows(plan_v1)
    day_before = editing.meeting_day(plan_v1.conference) - timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        editing.save_agreement(agreement, revision=agreement.revision, by=carla, by_when=day_before)
    assert refused.value.message_dict == {
        "by_when": ["Choose a date on or after the day of the conference."]
    }
    agreement.refresh_from_db()
    plan_v1.refresh_from_db()
    assert agreement.by_when == date(2027, 12, 1)
    # The plan is still final: version 1 stays the one signed and tracked.
    assert versions.is_final(plan_v1)
    assert signing_queries.version_to_sign(following_up).number == 1
    bike.refresh_from_db()
    assert (bike.state, bike.due) == (AgreementState.OPEN, date(2027, 12, 1))
    # The same change with a date after the meeting goes through.
    editing.save_agreement(agreement, revision=agreement.revision, by=carla, by_when=NEW_DATE)
    plan_v1.refresh_from_db()
    assert not versions.is_final(plan_v1)


def test_the_editor_page_says_the_date_is_before_the_meeting(following_up, plan_v1, carla, client):
    agreement, _school = plan_rows(plan_v1)
    day_before = editing.meeting_day(plan_v1.conference) - timedelta(days=1)
    answer = as_user(client, carla).post(
        reverse("conference:agreement_save", args=[following_up.pk, agreement.pk]),
        {"revision": agreement.revision, "by_when": day_before.isoformat()},
        HTTP_ACCEPT="application/json",
    )
    assert answer.status_code == 400
    assert "Choose a date on or after the day of the conference." in answer.content.decode()
    agreement.refresh_from_db()
    assert agreement.by_when == date(2027, 12, 1)


def test_in_follow_up_the_plan_editor_and_versions_work_for_the_coordinator(
    following_up, plan_v1, carla, mira, client
):
    editor = as_user(client, carla).get(reverse("conference:plan", args=[following_up.pk]))
    assert editor.status_code == 200 and "data-plan=" in editor.content.decode()
    assert "Version 1" in words(client.get(reverse("conference:versions", args=[following_up.pk])))
    # The team's manager reads the versions; the editor is the coordinator's.
    as_user(client, mira)
    assert "Version 1" in words(client.get(reverse("conference:versions", args=[following_up.pk])))
    assert client.get(reverse("conference:plan", args=[following_up.pk])).status_code == 403


def test_in_a_closed_case_the_plan_is_read_only(following_up, plan_v1, carla, client):
    closing.close(following_up, by=carla, outcome=Outcome.ALL_KEPT)
    editor = as_user(client, carla).get(reverse("conference:plan", args=[following_up.pk]))
    assert editor.status_code == 200 and "data-plan=" not in editor.content.decode()
    agreement, _school = plan_rows(plan_v1)
    answer = client.post(
        reverse("conference:agreement_save", args=[following_up.pk, agreement.pk]),
        {"revision": agreement.revision, "what": "Iets anders."},
        HTTP_ACCEPT="application/json",
    )
    assert answer.status_code == 422 and answer.json()["refused"]
    agreement.refresh_from_db()
    assert agreement.what != "Iets anders."
    finalise = client.post(reverse("conference:finalise", args=[following_up.pk]))
    assert finalise.status_code == 200
    assert plan_v1.versions.count() == 1
    assert Tracked.objects.filter(case=following_up).count() == 2
