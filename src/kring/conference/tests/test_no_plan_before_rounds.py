"""R12: no plan can exist before the rounds of its conference are done, by any path: the
database refuses the row (migration 0002), so the admin, an import or a script cannot make one
either. The action's own refusal is tested with the plan's actions."""

import pytest
from django.db import IntegrityError, InternalError, transaction

from kring.conference.models import Plan

pytestmark = pytest.mark.django_db

REFUSED = (IntegrityError, InternalError)


def test_the_database_refuses_a_plan_before_the_rounds(checking_in, carla):
    with pytest.raises(REFUSED, match="R12"), transaction.atomic():
        Plan.objects.create(case=checking_in.case, conference=checking_in, created_by=carla)
    assert not Plan.objects.exists()


def test_the_database_refuses_a_plan_in_bulk_too(checking_in, carla):
    with pytest.raises(REFUSED, match="R12"), transaction.atomic():
        Plan.objects.bulk_create(
            [Plan(case=checking_in.case, conference=checking_in, created_by=carla)]
        )
    assert not Plan.objects.exists()


def test_once_the_rounds_are_done_the_plan_is_made(rounds_done, carla):
    plan = Plan.objects.create(case=rounds_done.case, conference=rounds_done, created_by=carla)
    assert Plan.objects.get().pk == plan.pk


def test_a_plan_cannot_be_moved_to_a_conference_without_rounds(plan, carla, summer_meeting):
    from kring.conference.models import Conference
    from kring.scheduling.models import Meeting

    summer_meeting.status = Meeting.Status.CANCELLED
    summer_meeting.save()
    other_meeting = Meeting.objects.create(
        case=plan.case,
        status=Meeting.Status.CONFIRMED,
        starts_at=summer_meeting.starts_at,
        ends_at=summer_meeting.ends_at,
        venue=summer_meeting.venue,
        created_by=carla,
    )
    other = Conference.objects.create(case=plan.case, meeting=other_meeting, created_by=carla)
    with pytest.raises(REFUSED, match="R12"), transaction.atomic():
        Plan.objects.filter(pk=plan.pk).update(conference=other)
    assert Plan.objects.get().conference_id == plan.conference_id


@pytest.mark.parametrize("field", ["rounds_done_at", "started_at"])
def test_a_conference_with_a_plan_keeps_its_start_and_its_rounds(plan, field):
    from kring.conference.models import Conference

    conference_id = plan.conference_id
    before = Conference.objects.values(field).get(pk=conference_id)[field]
    assert before is not None
    with pytest.raises(REFUSED, match="R12"), transaction.atomic():
        Conference.objects.filter(pk=conference_id).update(**{field: None})
    assert Conference.objects.values(field).get(pk=conference_id)[field] == before


def test_without_a_plan_the_end_of_the_rounds_may_be_cleared(rounds_done):
    """The trigger refuses only because of the plan: the same update passes without one."""
    from kring.conference.models import Conference

    Conference.objects.filter(pk=rounds_done.pk).update(rounds_done_at=None)
    assert Conference.objects.get(pk=rounds_done.pk).rounds_done_at is None
