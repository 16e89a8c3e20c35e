"""Writing the plan (issue 10, points 2 and 4; R11, R12): conference.editing. Carla writes the
plan of Daan and Sanne's conference on 15 July 2027, with Joost (Daan's brother) and Ria
(Sanne's aunt) present. Every refusal is shown to refuse what would otherwise have happened."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from kring.audit.models import AuditEvent
from kring.cases.models import CaseEvent
from kring.conference import editing
from kring.conference.models import Agreement, Attendance, Idea, Plan
from kring.core.policy import Refused

pytestmark = pytest.mark.django_db


def _edits(plan) -> int:
    return Plan.objects.get(pk=plan.pk).edit_count


# --- beginning the plan (R12) -------------------------------------------------------------------


def test_carla_begins_the_plan_once_the_rounds_are_done(rounds_done, carla):
    plan = editing.begin_plan(rounds_done, by=carla)
    assert plan.conference == rounds_done and plan.created_by == carla
    assert CaseEvent.objects.filter(case=rounds_done.case, kind="conference.plan_begun").exists()
    # Beginning again is the same plan.
    assert editing.begin_plan(rounds_done, by=carla) == plan
    assert Plan.objects.count() == 1


def test_no_plan_before_the_rounds_are_done(checking_in, carla):
    with pytest.raises(Refused) as refused:
        editing.begin_plan(checking_in, by=carla)
    assert not Plan.objects.exists()
    # Once the conference has begun but the rounds are not done, still no plan (R12).
    from django.utils import timezone

    from kring.cases.lifecycle import State

    type(checking_in.case).objects.filter(pk=checking_in.case_id).update(
        state=State.CONFERENCE_HELD
    )
    checking_in.started_at = checking_in.introductions_done_at = timezone.now()
    checking_in.save()
    with pytest.raises(Refused) as refused:
        editing.begin_plan(checking_in, by=carla)
    assert refused.value.code == "rounds_not_done"
    assert not Plan.objects.exists()
    # The database is the second wall: a row written past the action is refused too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.create(case=checking_in.case, conference=checking_in, created_by=carla)


@pytest.mark.parametrize("who", ["olaf", "mira", "bram"])
def test_only_the_coordinator_begins_the_plan(rounds_done, who, request):
    with pytest.raises(PermissionDenied):
        editing.begin_plan(rounds_done, by=request.getfixturevalue(who))
    assert not Plan.objects.exists()


def test_a_participant_does_not_begin_the_plan(rounds_done, sanne):
    from kring.audit.actors import Actor

    with pytest.raises(PermissionDenied):
        editing.begin_plan(rounds_done, by=Actor.in_portal(sanne))
    assert not Plan.objects.exists()


# --- the plan's own fields ---------------------------------------------------------------------


def test_saving_the_plans_fields_raises_revision_and_edit_count(plan, carla, ria):
    saved = editing.save_plan_fields(
        plan,
        revision=1,
        good_outcome="Dat Daan sorry zegt.",
        good_outcome_by=ria,
        evaluation_date=date(2027, 9, 1),
        if_not_kept="Dan belt Carla iedereen en komen we terug.",
        by=carla,
    )
    assert saved.revision == 2 and saved.edit_count == 1
    assert saved.good_outcome_by == ria and saved.changed_by == carla
    audit = AuditEvent.objects.get(action="conference.plan_changed")
    # The audit row names the fields, never the text.
    assert audit.data == {
        "fields": ["evaluation_date", "good_outcome", "good_outcome_by", "if_not_kept"]
    }
    assert "sorry" not in str(audit.data)


def test_a_save_that_changes_nothing_is_no_change(plan, carla):
    same = editing.save_plan_fields(plan, revision=1, good_outcome=plan.good_outcome, by=carla)
    assert same.revision == 1 and same.edit_count == 0
    assert not AuditEvent.objects.filter(action="conference.plan_changed").exists()


def test_a_stale_revision_is_a_conflict_and_keeps_the_other_text(plan, carla):
    editing.save_plan_fields(plan, revision=1, good_outcome="Tekst van de laptop.", by=carla)
    with pytest.raises(editing.Conflict) as conflict:
        editing.save_plan_fields(plan, revision=1, good_outcome="Tekst van de tablet.", by=carla)
    assert conflict.value.revision == 2
    assert conflict.value.values["good_outcome"] == "Tekst van de laptop."
    assert conflict.value.changed_by == carla.get_full_name()
    assert conflict.value.changed_at is not None
    kept = Plan.objects.get(pk=plan.pk)
    assert kept.good_outcome == "Tekst van de laptop." and kept.edit_count == 1
    # Sent again on the new revision, it is saved.
    editing.save_plan_fields(plan, revision=2, good_outcome="Tekst van de tablet.", by=carla)
    assert Plan.objects.get(pk=plan.pk).good_outcome == "Tekst van de tablet."


def test_the_good_outcome_is_in_the_words_of_the_harmed_side_present(plan, carla, daan, joost, ria):
    for person in (daan, joost):  # the responsible side
        with pytest.raises(ValidationError) as error:
            editing.save_plan_fields(plan, revision=1, good_outcome_by=person, by=carla)
        assert "good_outcome_by" in error.value.message_dict
    # Ria, Sanne's aunt, may answer (the harmed side); not once she is noted as not there.
    Attendance.objects.filter(participant=ria).update(present=False)
    with pytest.raises(ValidationError):
        editing.save_plan_fields(plan, revision=1, good_outcome_by=ria, by=carla)
    Attendance.objects.filter(participant=ria).update(present=True)
    editing.save_plan_fields(plan, revision=1, good_outcome_by=ria, by=carla)
    assert Plan.objects.get(pk=plan.pk).good_outcome_by == ria


@pytest.mark.parametrize(
    ("day", "message"),
    [
        # The day before the conference's: the meeting's own day in Amsterdam, never "today"
        # (the meeting began an hour ago, which just after midnight was yesterday).
        (lambda the_day: the_day - timedelta(days=1), "on or after the day of the conference"),
        (lambda the_day: date(2072, 7, 15), "within five years"),
    ],
)
def test_the_evaluation_date_is_after_the_meeting_and_not_absurd(plan, carla, day, message):
    the_day = timezone.localdate(plan.conference.meeting.starts_at)
    with pytest.raises(ValidationError) as error:
        editing.save_plan_fields(plan, revision=1, evaluation_date=day(the_day), by=carla)
    assert message in str(error.value.message_dict["evaluation_date"])
    assert Plan.objects.get(pk=plan.pk).evaluation_date is None
    editing.save_plan_fields(plan, revision=1, evaluation_date=the_day, by=carla)
    assert Plan.objects.get(pk=plan.pk).evaluation_date == the_day


def test_texts_longer_than_the_model_allows_are_refused(plan, carla):
    with pytest.raises(ValidationError) as error:
        editing.save_plan_fields(plan, revision=1, if_not_kept="x" * 2001, by=carla)
    assert "2000" in str(error.value.message_dict["if_not_kept"])
    assert Plan.objects.get(pk=plan.pk).if_not_kept == ""


def test_nobody_else_edits_the_plan(plan, olaf, mira):
    for who in (olaf, mira):
        with pytest.raises(PermissionDenied):
            editing.save_plan_fields(plan, revision=1, good_outcome="Anders.", by=who)
    assert Plan.objects.get(pk=plan.pk).revision == 1


# --- ideas --------------------------------------------------------------------------------------


def test_ideas_are_added_saved_and_removed(plan, carla, joost, ria):
    idea = editing.add_idea(plan, text="Samen de schutting verven.", brought_in_by=joost, by=carla)
    second = editing.add_idea(plan, text="Een kaart schrijven.", by=carla)
    assert (idea.position, second.position) == (1, 2)
    saved = editing.save_idea(idea, revision=1, text="Samen de schutting schilderen.", by=carla)
    assert saved.revision == 2 and saved.text == "Samen de schutting schilderen."
    with pytest.raises(editing.Conflict):
        editing.remove_idea(idea, revision=1, by=carla)
    assert Idea.objects.filter(pk=idea.pk).exists()
    editing.remove_idea(idea, revision=2, by=carla)
    editing.remove_idea(idea, revision=2, by=carla)  # sent again: removed already
    assert list(Idea.objects.values_list("pk", flat=True)) == [second.pk]
    assert _edits(plan) == 4


def test_an_idea_is_brought_in_by_someone_present(plan, carla, ria):
    Attendance.objects.filter(participant=ria).update(present=False)
    with pytest.raises(ValidationError):
        editing.add_idea(plan, text="Iets.", brought_in_by=ria, by=carla)
    with pytest.raises(ValidationError):
        editing.add_idea(plan, text="   ", by=carla)
    assert not Idea.objects.exists()


def test_an_idea_sent_twice_with_its_client_id_is_made_once(plan, carla):
    first = editing.add_idea(plan, text="Een kaart.", client_id="c-1", by=carla)
    again = editing.add_idea(plan, text="Een kaart.", client_id="c-1", by=carla)
    assert first == again and Idea.objects.count() == 1 and _edits(plan) == 1


# --- agreements ---------------------------------------------------------------------------------


def _agreement(plan, carla, daan, **extra):
    values = {
        "what": "Daan helpt twee zaterdagen in de tuin van Sanne.",
        "who": daan,
        "for_whom": "Sanne",
        "by_when": date(2027, 9, 1),
        "how_checked": "Sanne laat het Carla weten.",
        "prevents_repeat": False,
    }
    return editing.add_agreement(plan, **{**values, **extra}, by=carla)


def test_an_agreement_says_who_does_what_for_whom_by_when(plan, carla, daan):
    agreement = _agreement(plan, carla, daan, client_id="a-1")
    assert agreement.who == daan and agreement.position == 1 and agreement.revision == 1
    assert _agreement(plan, carla, daan, client_id="a-1") == agreement
    assert Agreement.objects.count() == 1
    audit = AuditEvent.objects.get(action="conference.agreement_added")
    assert audit.data == {} and audit.object_id == str(agreement.pk)


def test_who_is_someone_present_or_someone_else_by_name(plan, carla, daan, joost):
    Attendance.objects.filter(participant=joost).update(present=False)
    with pytest.raises(ValidationError) as error:
        _agreement(plan, carla, daan, who=joost)
    assert "who" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _agreement(plan, carla, daan, who_other="De school")
    assert "who_other" in error.value.message_dict
    assert not Agreement.objects.exists()
    other = _agreement(plan, carla, daan, who=None, who_other="De voetbalclub")
    # Choosing someone present later replaces the name written before.
    saved = editing.save_agreement(other, revision=1, who=daan, by=carla)
    assert saved.who == daan and saved.who_other == ""


def test_by_when_is_not_before_the_conference(plan, carla, daan):
    with pytest.raises(ValidationError) as error:
        _agreement(plan, carla, daan, by_when=date(2026, 1, 1))
    assert "by_when" in error.value.message_dict
    agreement = _agreement(plan, carla, daan)
    with pytest.raises(ValidationError):
        editing.save_agreement(agreement, revision=1, by_when=date(2040, 1, 1), by=carla)
    assert Agreement.objects.get(pk=agreement.pk).by_when == date(2027, 9, 1)


def test_an_agreement_needs_its_what(plan, carla, daan):
    with pytest.raises(ValidationError):
        _agreement(plan, carla, daan, what=" ")
    agreement = _agreement(plan, carla, daan)
    with pytest.raises(ValidationError):
        editing.save_agreement(agreement, revision=1, what="", by=carla)


def test_a_stale_agreement_save_is_a_conflict(plan, carla, daan):
    agreement = _agreement(plan, carla, daan)
    editing.save_agreement(agreement, revision=1, prevents_repeat=True, by=carla)
    with pytest.raises(editing.Conflict) as conflict:
        editing.save_agreement(agreement, revision=1, what="Iets anders.", by=carla)
    assert conflict.value.values["prevents_repeat"] is True
    assert conflict.value.values["who"] == daan.pk
    assert conflict.value.values["by_when"] == "2027-09-01"
    assert Agreement.objects.get(pk=agreement.pk).what.startswith("Daan helpt")
    with pytest.raises(editing.Conflict):
        editing.remove_agreement(agreement, revision=1, by=carla)
    editing.remove_agreement(agreement, revision=2, by=carla)
    assert not Agreement.objects.exists()


def test_agreements_move_up_and_down(plan, carla, daan):
    first, second, third = (_agreement(plan, carla, daan, what=w) for w in "ABC")
    editing.move_agreement(third, up=True, by=carla)
    order = list(Agreement.objects.order_by("position").values_list("what", flat=True))
    assert order == ["A", "C", "B"]
    editing.move_agreement(first, up=True, by=carla)  # at the top: nothing changes
    editing.move_agreement(first, up=False, by=carla)
    order = list(Agreement.objects.order_by("position").values_list("what", flat=True))
    assert order == ["C", "A", "B"]


def test_a_change_after_a_finalised_version_makes_a_draft(plan, carla, daan):
    from django.utils import timezone

    from kring.conference import content
    from kring.conference.models import PlanVersion

    agreement = _agreement(plan, carla, daan)
    plan.refresh_from_db()
    frozen = content.canonical(plan)
    version = PlanVersion.objects.create(
        plan=plan,
        number=1,
        content=frozen,
        content_hash=content.content_hash(frozen),
        edit_count=plan.edit_count,
        finalised_at=timezone.now(),
        finalised_by=carla,
    )
    editing.save_agreement(agreement, revision=1, for_whom="Sanne en haar moeder", by=carla)
    assert _edits(plan) == version.edit_count + 1
