"""Finalising the plan and its versions (issue 10, point 5; R11, R14): one test per guard of
finalising, each against a plan that is complete but for that one thing (and is finalised once
it is put right); version numbers, the hash of the canonical form, a draft after a change, and
what changed between two versions.

A change of the plan is made here as the editor makes it (conference.editing): the plan's or
the row's fields change and the plan's `edit_count` goes up."""

from datetime import date

import pytest
from django.db.models import F

from kring.cases.models import CaseEvent
from kring.conference import content, policy, versions
from kring.conference.models import Agreement, Plan, PlanVersion
from kring.core.policy import Refused

pytestmark = pytest.mark.django_db


def edited(plan: Plan, **fields) -> Plan:
    """The plan after an edit of its own fields (as conference.editing saves one)."""
    Plan.objects.filter(pk=plan.pk).update(edit_count=F("edit_count") + 1, **fields)
    return Plan.objects.select_related("conference", "case").get(pk=plan.pk)


def agreement(plan: Plan, **fields) -> Agreement:
    made = Agreement.objects.create(
        plan=plan, position=plan.agreements.count() + 1, **{"what": "x", **fields}
    )
    Plan.objects.filter(pk=plan.pk).update(edit_count=F("edit_count") + 1)
    return made


@pytest.fixture
def complete(plan, daan):
    """Sanne's plan, complete: an agreement that prevents a repeat, an evaluation date and what
    happens when an agreement is not kept."""
    agreement(
        plan,
        what="Daan fietst niet meer via de Lindelaan naar school.",
        who=daan,
        for_whom="Sanne",
        how_checked="Joost vraagt het Daan elke vrijdag.",
        prevents_repeat=True,
    )
    return edited(
        plan,
        evaluation_date=date(2027, 9, 16),
        if_not_kept="Dan belt Carla iedereen en komen we opnieuw bij elkaar.",
    )


def test_a_complete_plan_can_be_finalised(complete, carla):
    assert versions.missing(complete) == []
    assert policy.may_finalise(carla, complete) is None


def _refused_only_for(plan, carla, code_item):
    """The plan needs exactly `code_item`: finalising is refused, names it, and makes nothing."""
    assert versions.missing(plan) == [code_item]
    with pytest.raises(Refused) as refused:
        versions.finalise(plan, by=carla)
    assert refused.value.code == "incomplete"
    assert str(code_item) in str(refused.value.reason)
    assert not PlanVersion.objects.exists()


def test_no_final_version_without_an_agreement_that_prevents_a_repeat(complete, carla):
    Agreement.objects.filter(plan=complete).update(prevents_repeat=False)
    plan = edited(complete)
    _refused_only_for(plan, carla, versions.PREVENTS_REPEAT)
    Agreement.objects.filter(plan=plan).update(prevents_repeat=True)
    assert versions.finalise(edited(plan), by=carla).number == 1


def test_no_final_version_without_an_evaluation_date(complete, carla):
    plan = edited(complete, evaluation_date=None)
    _refused_only_for(plan, carla, versions.EVALUATION_DATE)
    assert versions.finalise(edited(plan, evaluation_date=date(2027, 9, 16)), by=carla).number == 1


def test_no_final_version_without_what_happens_when_an_agreement_is_not_kept(complete, carla):
    plan = edited(complete, if_not_kept="  ")
    _refused_only_for(plan, carla, versions.IF_NOT_KEPT)
    assert versions.finalise(edited(plan, if_not_kept="We praten opnieuw."), by=carla).number == 1


def test_no_final_version_without_the_good_outcome_in_the_words_of_the_person_harmed(
    complete, carla
):
    plan = edited(complete, good_outcome="")
    _refused_only_for(plan, carla, versions.GOOD_OUTCOME)
    assert versions.finalise(edited(plan, good_outcome="Rust."), by=carla).number == 1


def test_a_plan_without_agreements_names_both_missing_things_once(plan, carla):
    plan = edited(plan, evaluation_date=date(2027, 9, 16), if_not_kept="Opnieuw praten.")
    assert versions.missing(plan) == [versions.AN_AGREEMENT, versions.PREVENTS_REPEAT]
    # An agreement row left empty by the editor is not an agreement.
    agreement(plan, what="", prevents_repeat=True)
    assert versions.missing(plan) == [versions.AN_AGREEMENT, versions.PREVENTS_REPEAT]


def test_version_1_holds_the_canonical_form_its_hash_and_the_edit_count(complete, carla):
    version = versions.finalise(complete, by=carla)
    assert version.number == 1
    assert version.content == content.canonical(complete)
    assert version.content_hash == content.content_hash(content.canonical(complete))
    assert len(version.content_hash) == 64
    assert version.edit_count == complete.edit_count
    assert version.finalised_by == carla
    assert versions.is_final(complete)
    assert versions.latest_version(complete) == version
    # Read back from the database (jsonb on PostgreSQL keeps its own key order), the stored
    # content gives the same hash: a version can be verified from what is stored.
    stored = type(version).objects.get(pk=version.pk)
    assert content.content_hash(stored.content) == version.content_hash


def test_finalising_twice_is_refused_as_already_final_and_makes_one_version(complete, carla):
    versions.finalise(complete, by=carla)
    with pytest.raises(Refused) as refused:
        versions.finalise(complete, by=carla)
    assert refused.value.code == "final"
    assert list(PlanVersion.objects.values_list("number", flat=True)) == [1]


def test_an_edit_after_finalising_makes_a_draft_and_finalising_again_makes_version_2(
    complete, carla, joost
):
    first = versions.finalise(complete, by=carla)
    plan = edited(complete, evaluation_date=date(2027, 10, 7))
    agreement(plan, what="Daan betaalt het nieuwe slot.", who=joost, for_whom="Sanne")
    plan.refresh_from_db()
    assert not versions.is_final(plan)
    assert policy.may_finalise(carla, plan) is None
    second = versions.finalise(plan, by=carla)
    assert second.number == 2
    assert second.content_hash != first.content_hash
    assert versions.changes(first.content, second.content) == [
        "Agreement 2 added: Daan betaalt het nieuwe slot.",
        "The evaluation date changed from 16 September 2027 to 7 October 2027.",
    ]
    listed = versions.with_changes([first, second])
    assert listed[0] == (first, None)
    assert listed[1][1] == versions.changes(first.content, second.content)


def test_the_timeline_says_which_version_and_not_the_plan(complete, carla):
    version = versions.finalise(complete, by=carla)
    event = CaseEvent.objects.get(kind="conference.plan_finalised")
    assert event.data == {"version": 1, "hash": version.content_hash[:12]}
    assert event.actor == carla


def test_changes_name_which_parts_of_an_agreement_changed_and_what_was_removed():
    def form(*agreements, **extra):
        return {
            "good_outcome": {"text": "Rust.", "by": "Sanne"},
            "ideas": [],
            "agreements": [
                {
                    "number": n,
                    "what": what,
                    "who": who,
                    "for_whom": "",
                    "by_when": by_when,
                    "how_checked": "",
                    "prevents_repeat": False,
                }
                for n, (what, who, by_when) in enumerate(agreements, start=1)
            ],
            "evaluation_date": "2027-09-16",
            "if_not_kept": "Opnieuw praten.",
            **extra,
        }

    older = form(("Excuses", "Daan", ""), ("Slot betalen", "Daan", ""), ("Samen fietsen", "", ""))
    newer = form(
        ("Excuses", "Daan", ""),
        ("Samen fietsen", "", ""),
        ("Slot betalen", "Joost", "2027-08-01"),
        if_not_kept="Carla belt.",
        good_outcome={"text": "Rust en excuses.", "by": "Sanne"},
    )
    assert versions.changes(older, newer) == [
        "The answer to “what would be a good outcome?” changed.",
        "Agreement 3 changed: who does it, ready by.",
        "What happens when an agreement is not kept changed.",
    ]
    assert versions.changes(newer, form(("Excuses", "Daan", ""))) == [
        "The answer to “what would be a good outcome?” changed.",
        "Agreement removed (it was number 2): Samen fietsen",
        "Agreement removed (it was number 3): Slot betalen",
        "What happens when an agreement is not kept changed.",
    ]
