"""The plan editor's page and its endpoints (issue 10, points 2 and 4): what Carla sees on her
tablet, in Dutch; the answers the page's script reads (the new revision, the errors at the
fields, the conflict with the other text as a 409); who may not; and the page's query count,
the same for a plan of 3 and of 30 agreements."""

import json
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kring.audit.models import AuditEvent
from kring.conference import editing
from kring.conference.models import Agreement, Idea, Plan
from kring.testing.auth import force_verified_login

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def signed_in(client, user, language="nl"):
    force_verified_login(client, user)
    client.cookies["django_language"] = language
    return client


def url(name, plan, *args):
    return reverse(f"conference:{name}", args=[plan.case_id, *args])


def text(response) -> str:
    """The page's visible text, roughly: tags out, spaces squeezed."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def test_carla_sees_the_plan_in_dutch(client, plan, carla, daan):
    editing.add_agreement(plan, what="Daan schildert de schutting.", who=daan, by=carla)
    page = signed_in(client, carla).get(url("plan", plan))
    assert page.status_code == 200
    seen = text(page)
    assert "Wat zou een goede uitkomst zijn?" in seen
    assert "Dat Daan begrijpt wat het met me deed" in seen
    assert "Afspraak 1" in seen and "Daan schildert de schutting." in seen
    assert "Deze afspraak voorkomt herhaling" in seen
    assert "Wat gebeurt er als een afspraak niet wordt nagekomen?" in seen
    # The checklist says what the plan still needs (conference.versions.missing).
    assert "een afspraak die herhaling voorkomt" in seen.lower()
    assert page["Cache-Control"].startswith("max-age=0")
    assert AuditEvent.objects.filter(action="conference.plan_viewed", case=plan.case).exists()


def test_in_the_words_of_offers_only_the_harmed_side_present(client, plan, carla):
    page = signed_in(client, carla).get(url("plan", plan)).content.decode()
    chooser = re.search(r'<select id="p-outcome-by".*?</select>', page, re.S).group(0)
    assert "Sanne" in chooser and "Ria" in chooser
    assert "Daan" not in chooser and "Joost" not in chooser


def test_before_the_rounds_the_page_says_why_and_a_post_makes_no_plan(client, checking_in, carla):
    from django.utils import timezone

    from kring.cases.lifecycle import State

    type(checking_in.case).objects.filter(pk=checking_in.case_id).update(
        state=State.CONFERENCE_HELD
    )
    checking_in.started_at = checking_in.introductions_done_at = timezone.now()
    checking_in.save()
    signed_in(client, carla)
    page = client.get(reverse("conference:plan", args=[checking_in.case_id]))
    assert "Het plan begint na de rondes" in text(page)
    assert "Begin met het plan" not in text(page)
    client.post(reverse("conference:plan_begin", args=[checking_in.case_id]))
    assert not Plan.objects.exists()


def test_carla_begins_the_plan_from_the_page(client, rounds_done, carla):
    signed_in(client, carla)
    page = client.get(reverse("conference:plan", args=[rounds_done.case_id]))
    assert "Begin met het plan" in text(page)
    answer = client.post(reverse("conference:plan_begin", args=[rounds_done.case_id]))
    assert answer.status_code == 302
    assert Plan.objects.filter(conference=rounds_done).exists()


@pytest.mark.parametrize("who", ["olaf", "mira", "bram"])
def test_nobody_else_opens_or_writes_the_plan(client, plan, who, request):
    user = request.getfixturevalue(who)
    signed_in(client, user)
    assert client.get(url("plan", plan)).status_code in (403, 404)
    answer = client.post(url("plan_save", plan), {"revision": 1, "good_outcome": "Anders."})
    assert answer.status_code in (403, 404)
    answer = client.post(url("agreement_add", plan), {"what": "Iets."})
    assert answer.status_code in (403, 404)
    assert Plan.objects.get(pk=plan.pk).revision == 1 and not Agreement.objects.exists()


def test_a_save_while_typing_answers_the_new_revision(client, plan, carla):
    signed_in(client, carla)
    answer = client.post(url("plan_save", plan), {"revision": 1, "if_not_kept": "Bellen."}, **JSON)
    assert answer.status_code == 200
    assert answer.json() == {"saved": True, "id": plan.pk, "revision": 2}
    saved = Plan.objects.get(pk=plan.pk)
    # Only the field sent is changed.
    assert saved.if_not_kept == "Bellen." and saved.good_outcome.startswith("Dat Daan")


def test_a_stale_save_is_a_409_with_the_other_text_who_and_when(client, plan, carla):
    editing.save_plan_fields(plan, revision=1, good_outcome="Van de laptop.", by=carla)
    signed_in(client, carla)
    answer = client.post(
        url("plan_save", plan), {"revision": 1, "good_outcome": "Van de tablet."}, **JSON
    )
    assert answer.status_code == 409
    body = answer.json()
    assert body["conflict"] is True and body["revision"] == 2
    assert body["values"]["good_outcome"] == "Van de laptop."
    assert body["display"]["good_outcome_by"] == "Sanne Jansen"
    assert body["changed_by"] == carla.get_full_name() and re.match(
        r"\d\d:\d\d", body["changed_at"]
    )
    assert "op een ander apparaat" in body["message"]
    assert Plan.objects.get(pk=plan.pk).good_outcome == "Van de laptop."


def test_without_script_a_conflict_shows_both_texts(client, plan, carla):
    editing.save_plan_fields(plan, revision=1, good_outcome="Van de laptop.", by=carla)
    signed_in(client, carla)
    page = client.post(url("plan_save", plan), {"revision": 1, "good_outcome": "Van de tablet."})
    assert page.status_code == 409
    seen = text(page)
    assert "Van de laptop." in seen and "Van de tablet." in seen
    assert 'name="revision" value="2"' in page.content.decode()


def test_errors_are_at_their_field_and_nothing_is_saved(client, plan, carla):
    signed_in(client, carla)
    answer = client.post(
        url("plan_save", plan),
        {"revision": 1, "evaluation_date": (timezone.localdate() - timedelta(days=2)).isoformat()},
        **JSON,
    )
    assert answer.status_code == 400
    assert "op of na de dag van de conferentie" in answer.json()["errors"]["evaluation_date"]
    page = client.post(url("agreement_add", plan), {"what": "", "for_whom": "Sanne"})
    assert page.status_code == 400
    assert "Schrijf op wat er is afgesproken" in text(page)
    assert 'value="Sanne"' in page.content.decode()  # what was typed stays
    assert Plan.objects.get(pk=plan.pk).evaluation_date is None and not Agreement.objects.exists()


def test_an_agreement_is_added_saved_moved_and_removed_without_script(client, plan, carla, daan):
    signed_in(client, carla)
    client.post(
        url("agreement_add", plan),
        {
            "what": "Daan schildert de schutting.",
            "who": daan.pk,
            "for_whom": "Sanne",
            "by_when": "2027-09-01",
            "how_checked": "Sanne kijkt.",
            "prevents_repeat": ["0", "1"],
        },
    )
    first = Agreement.objects.get()
    assert (first.who, first.by_when, first.prevents_repeat) == (daan, date(2027, 9, 1), True)
    client.post(url("agreement_add", plan), {"what": "Tweede.", "prevents_repeat": "0"})
    second = Agreement.objects.get(what="Tweede.")
    client.post(url("agreement_move", plan, second.pk), {"direction": "up"})
    assert list(Agreement.objects.order_by("position").values_list("what", flat=True)) == [
        "Tweede.",
        "Daan schildert de schutting.",
    ]
    client.post(
        url("agreement_save", plan, first.pk),
        {"revision": 1, "what": first.what, "prevents_repeat": "0"},
    )
    assert Agreement.objects.get(pk=first.pk).prevents_repeat is False
    client.post(url("agreement_remove", plan, first.pk), {"revision": 2})
    assert list(Agreement.objects.values_list("what", flat=True)) == ["Tweede."]


def test_a_new_row_sent_twice_is_made_once(client, plan, carla, joost):
    signed_in(client, carla)
    sent = {"text": "Samen sporten.", "brought_in_by": joost.pk, "client_id": "idee-1"}
    one = client.post(url("idea_add", plan), sent, **JSON).json()
    two = client.post(url("idea_add", plan), sent, **JSON).json()
    assert one == two and Idea.objects.count() == 1
    assert one["urls"]["save"] == url("idea_save", plan, one["id"])
    answer = client.post(url("idea_remove", plan, one["id"]), {"revision": 1}, **JSON)
    assert answer.json() == {"saved": True} and not Idea.objects.exists()


def _agreements(plan, carla, daan, count):
    for n in range(count):
        Agreement.objects.create(
            plan=plan, position=n + 1, what=f"Afspraak {n}", who=daan, changed_by=carla
        )
        Idea.objects.create(plan=plan, position=n + 1, text=f"Idee {n}", brought_in_by=daan)


def test_the_editor_reads_as_many_rows_for_3_as_for_30_agreements(client, plan, carla, daan):
    signed_in(client, carla)
    _agreements(plan, carla, daan, 3)
    client.get(url("plan", plan))  # the first page after signing in saves the session
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("plan", plan)).status_code == 200
    _agreements(plan, carla, daan, 27)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url("plan", plan))
    assert page.content.decode().count('class="card agreement') == 31  # and the new one
    assert len(many) == len(few), json.dumps([q["sql"] for q in many.captured_queries])[:3000]


def test_once_the_case_is_closed_the_page_shows_the_plan_without_forms(client, plan, carla):
    from kring.cases.lifecycle import State

    type(plan.case).objects.filter(pk=plan.case_id).update(state=State.CLOSED)
    page = signed_in(client, carla).get(url("plan", plan))
    assert page.status_code == 200
    seen = text(page)
    assert "Dat Daan begrijpt wat het met me deed" in seen
    assert "Opslaan" not in seen and "data-plan=" not in page.content.decode()
    answer = client.post(url("plan_save", plan), {"revision": 1, "if_not_kept": "Bellen."}, **JSON)
    assert answer.status_code == 422 and answer.json()["refused"]
    assert Plan.objects.get(pk=plan.pk).if_not_kept == ""
