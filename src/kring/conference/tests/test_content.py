"""The plan's canonical form and its hash (issue 10, point 5)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kring.conference import content
from kring.conference.models import Agreement, Idea

pytestmark = pytest.mark.django_db


def test_the_canonical_form_reads_names_dates_and_order(plan, daan, sanne):
    Idea.objects.create(plan=plan, position=1, text="Samen de fiets maken", brought_in_by=daan)
    Agreement.objects.create(
        plan=plan, position=2, what="Daan betaalt het slot", who=daan, for_whom="Sanne"
    )
    Agreement.objects.create(
        plan=plan,
        position=1,
        what="Daan fietst niet meer via de Lindelaan",
        who=daan,
        prevents_repeat=True,
    )
    form = content.canonical(plan)
    assert form["good_outcome"]["by"] == sanne.name
    assert [a["what"] for a in form["agreements"]] == [
        "Daan fietst niet meer via de Lindelaan",
        "Daan betaalt het slot",
    ]
    assert [a["number"] for a in form["agreements"]] == [1, 2]
    assert form["ideas"] == [{"text": "Samen de fiets maken", "by": daan.name}]
    assert sorted(form["present"]) == form["present"] and daan.name in form["present"]


def test_the_hash_changes_with_any_word_and_not_otherwise(plan):
    first = content.content_hash(content.canonical(plan))
    assert first == content.content_hash(content.canonical(plan))
    assert len(first) == 64
    plan.if_not_kept = "We komen opnieuw bij elkaar."
    plan.save()
    assert content.content_hash(content.canonical(plan)) != first


def test_the_canonical_form_costs_the_same_for_3_and_30_agreements(plan, daan):
    def queries() -> int:
        fresh = type(plan).objects.get(pk=plan.pk)
        with CaptureQueriesContext(connection) as captured:
            content.canonical(fresh)
        return len(captured)

    for position in range(3):
        Agreement.objects.create(plan=plan, position=position, what="x", who=daan)
    few = queries()
    for position in range(3, 30):
        Agreement.objects.create(plan=plan, position=position, what="x", who=daan)
    assert queries() == few
