"""The informal part (issue 10, point 6; R13): marked after the plan, once a version of it is
final; once only; on the timeline."""

from datetime import date

import pytest

from kring.cases.models import CaseEvent
from kring.conference import versions
from kring.conference.models import Agreement, Plan
from kring.core.policy import NotAllowed, Refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def finalised(plan, daan, carla):
    Agreement.objects.create(
        plan=plan, position=1, what="Daan fietst via de Kerkstraat.", who=daan, prevents_repeat=True
    )
    Plan.objects.filter(pk=plan.pk).update(
        evaluation_date=date(2027, 9, 16), if_not_kept="Opnieuw praten.", edit_count=2
    )
    plan.refresh_from_db()
    return versions.finalise(plan, by=carla)


def test_the_informal_part_comes_after_a_final_version(plan, carla, daan):
    with pytest.raises(Refused) as refused:
        versions.mark_informal(plan.conference, by=carla)
    assert refused.value.code == "no_version"
    plan.conference.refresh_from_db()
    assert plan.conference.informal_at is None


def test_marking_the_informal_part_sets_the_time_and_the_timeline(finalised, carla):
    conference = finalised.plan.conference
    marked = versions.mark_informal(conference, by=carla)
    assert marked.informal_at is not None
    event = CaseEvent.objects.get(kind="conference.informal_part")
    assert event.actor == carla
    assert event.data == {"conference": conference.pk}


def test_the_informal_part_is_marked_once(finalised, carla):
    conference = finalised.plan.conference
    versions.mark_informal(conference, by=carla)
    with pytest.raises(Refused) as refused:
        versions.mark_informal(conference, by=carla)
    assert refused.value.code == "informal_done"
    assert CaseEvent.objects.filter(kind="conference.informal_part").count() == 1


def test_only_the_coordinator_marks_it(finalised, mira, olaf):
    for someone in (mira, olaf):
        with pytest.raises(NotAllowed):
            versions.mark_informal(finalised.plan.conference, by=someone)
