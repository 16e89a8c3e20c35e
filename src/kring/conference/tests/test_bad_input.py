"""Bad input to the conference's pages (issue 10 review, points 3-6 and R2-9): what a tampered
form, an old page or a pasted text sends. Each answers a 404 or a clear message at the field
(in Dutch, as Carla reads it), never a 500, and nothing is half-saved. Each test also shows the
same request with a good value does what it should, so the refusal refuses something."""

import time
from datetime import date

import pytest
from django.urls import reverse

from kring.circle.models import Participant, Side, Status
from kring.conference import editing, presentation, versions
from kring.conference.models import Agreement, Attendance, Idea, Plan
from kring.conference.tests.test_plan_views import JSON, signed_in, text, url

pytestmark = pytest.mark.django_db

NUL_TEXT = "Daan schildert\x00 de schutting."
NUL_SHOWN = "In deze tekst staat een teken dat niet kan worden opgeslagen."
NOT_PRESENT = "Kies iemand die er is."
RELOAD = "Laad de pagina opnieuw en probeer het nog eens."


def _plan_row(plan) -> tuple:
    plan = Plan.objects.get(pk=plan.pk)
    return (plan.revision, plan.edit_count, plan.good_outcome, plan.good_outcome_by_id)


# --- check-in (point 3) ----------------------------------------------------------------------


@pytest.mark.parametrize("sent", ["abc", "²", "-1", ""])
def test_check_in_of_a_participant_that_is_no_number_is_not_found(
    client, checking_in, everyone_said_yes, carla, sent
):
    signed_in(client, carla)
    check_in = reverse("conference:check_in", args=[checking_in.case_id])
    answer = client.post(check_in, {"participant": sent, "present": "yes"})
    assert answer.status_code == 404
    assert not Attendance.objects.exists()
    # The same form with Daan's number checks him in.
    daan = everyone_said_yes["daan"]
    assert client.post(check_in, {"participant": str(daan.pk), "present": "yes"}).status_code == 302
    assert Attendance.objects.get().participant == daan


# --- the printout (point 4) ------------------------------------------------------------------


@pytest.mark.parametrize("sent", ["²", "abc", "1.0", "٣"])
def test_a_printout_of_a_version_that_is_no_number_is_not_found(client, plan, carla, sent):
    signed_in(client, carla)
    printout = reverse("conference:print", args=[plan.case_id])
    assert client.get(printout, {"versie": sent}).status_code == 404
    assert client.get(printout).status_code == 200


# --- the plan editor (points 5, 6; R2-9) ------------------------------------------------------


@pytest.mark.parametrize("sent", ["²", "abc"])
def test_in_the_words_of_someone_that_is_no_number_without_script(client, plan, carla, ria, sent):
    signed_in(client, carla)
    before = _plan_row(plan)
    page = client.post(url("plan_save", plan), {"good_outcome_by": sent, "revision": "1"})
    assert page.status_code == 400
    assert NOT_PRESENT in text(page)
    assert _plan_row(plan) == before
    # Ria's number is saved.
    saved = client.post(url("plan_save", plan), {"good_outcome_by": ria.pk, "revision": "1"})
    assert saved.status_code == 302
    assert Plan.objects.get(pk=plan.pk).good_outcome_by == ria


@pytest.mark.parametrize("revision", [None, "abc", "²", ""])
def test_a_save_without_a_readable_revision_asks_to_reload(client, plan, carla, revision):
    signed_in(client, carla)
    before = _plan_row(plan)
    sent = {"if_not_kept": "We komen opnieuw bij elkaar."}
    if revision is not None:
        sent["revision"] = revision
    answer = client.post(url("plan_save", plan), sent, **JSON)
    assert answer.status_code == 400
    assert answer.json()["errors"]["revision"] == RELOAD
    assert _plan_row(plan) == before
    assert Plan.objects.get(pk=plan.pk).if_not_kept == ""
    sent["revision"] = "1"
    assert client.post(url("plan_save", plan), sent, **JSON).status_code == 200
    assert Plan.objects.get(pk=plan.pk).if_not_kept == "We komen opnieuw bij elkaar."


def test_someone_of_another_case_cannot_do_an_agreement(client, plan, carla, daan, team):
    from kring.cases import actions as case_actions
    from kring.testing.factories import ReferralFactory

    other_case = case_actions.open_case(ReferralFactory(), team=team)
    stranger = Participant.objects.create(
        case=other_case, name="Iemand Anders", side=Side.RESPONSIBLE, status=Status.ACCEPTED
    )
    signed_in(client, carla)
    answer = client.post(url("agreement_add", plan), {"what": "Iets.", "who": stranger.pk}, **JSON)
    assert answer.status_code == 400
    assert answer.json()["errors"]["who"] == NOT_PRESENT
    assert not Agreement.objects.exists()
    made = client.post(url("agreement_add", plan), {"what": "Iets.", "who": daan.pk}, **JSON)
    assert made.status_code == 200
    assert Agreement.objects.get().who == daan


def test_an_idea_brought_in_by_no_number_is_not_saved(client, plan, carla, joost):
    signed_in(client, carla)
    answer = client.post(url("idea_add", plan), {"text": "Samen fietsen.", "brought_in_by": "x"})
    assert answer.status_code == 400
    assert NOT_PRESENT in text(answer)
    assert not Idea.objects.exists()
    sent = {"text": "Samen fietsen.", "brought_in_by": joost.pk}
    assert client.post(url("idea_add", plan), sent).status_code == 302
    assert Idea.objects.get().brought_in_by == joost


def test_an_impossible_date_is_an_error_at_the_field(client, plan, carla):
    signed_in(client, carla)
    before = _plan_row(plan)
    sent = {"evaluation_date": "2027-02-31", "revision": "1"}
    answer = client.post(url("plan_save", plan), sent, **JSON)
    assert answer.status_code == 400
    assert "Vul een datum in" in answer.json()["errors"]["evaluation_date"]
    assert _plan_row(plan) == before
    sent["evaluation_date"] = "2027-02-28"
    assert client.post(url("plan_save", plan), sent, **JSON).status_code == 200
    assert Plan.objects.get(pk=plan.pk).evaluation_date == date(2027, 2, 28)


def test_a_text_with_a_nul_character_is_an_error_at_the_field(client, plan, carla):
    """PostgreSQL cannot store NUL: without the check this was a 500 there."""
    signed_in(client, carla)
    before = _plan_row(plan)
    answer = client.post(url("plan_save", plan), {"if_not_kept": NUL_TEXT, "revision": "1"}, **JSON)
    assert answer.status_code == 400
    assert NUL_SHOWN in answer.json()["errors"]["if_not_kept"]
    assert _plan_row(plan) == before
    page = client.post(url("agreement_add", plan), {"what": NUL_TEXT})
    assert page.status_code == 400
    assert NUL_SHOWN in text(page)
    assert not Agreement.objects.exists()
    idea = client.post(url("idea_add", plan), {"text": NUL_TEXT}, **JSON)
    assert idea.status_code == 400 and not Idea.objects.exists()
    # Without the NUL the same text is saved.
    clean = NUL_TEXT.replace("\x00", "")
    assert client.post(url("agreement_add", plan), {"what": clean}).status_code == 302
    assert Agreement.objects.get().what == clean


def test_a_saved_agreement_does_not_take_a_nul_character_either(client, plan, carla):
    agreement = editing.add_agreement(plan, what="Iets.", by=carla)
    signed_in(client, carla)
    save = url("agreement_save", plan, agreement.pk)
    answer = client.post(save, {"how_checked": NUL_TEXT, "revision": "1"}, **JSON)
    assert answer.status_code == 400
    assert NUL_SHOWN in answer.json()["errors"]["how_checked"]
    assert Agreement.objects.get().how_checked == ""


def test_a_client_id_with_a_nul_character_is_ignored(client, plan, carla):
    signed_in(client, carla)
    sent = {"what": "Iets.", "client_id": "abc\x00def"}
    assert client.post(url("agreement_add", plan), sent, **JSON).status_code == 200
    assert Agreement.objects.get().what == "Iets."


def test_a_move_that_is_neither_up_nor_down_moves_nothing(client, plan, carla):
    first = editing.add_agreement(plan, what="Eerste.", by=carla)
    second = editing.add_agreement(plan, what="Tweede.", by=carla)
    signed_in(client, carla)
    move = url("agreement_move", plan, second.pk)
    order = list(Agreement.objects.order_by("position").values_list("pk", flat=True))
    answer = client.post(move, {"direction": "sideways"}, follow=True)
    assert "Kies omhoog of omlaag." in text(answer)
    assert list(Agreement.objects.order_by("position").values_list("pk", flat=True)) == order
    assert client.post(move, {"direction": "sideways"}, **JSON).status_code == 400
    client.post(move, {"direction": "up"})
    moved = list(Agreement.objects.order_by("position").values_list("pk", flat=True))
    assert moved == [second.pk, first.pk]


# --- the second screen (R2-9) -----------------------------------------------------------------


def test_a_screen_poll_with_an_unreadable_since_counts_as_now(client, plan, carla):
    """Junk once read as 1970 stopped the polling at once (286)."""
    signed_in(client, carla)
    state = presentation.screen_state(plan.case)
    content = reverse("conference:screen_content", args=[plan.case_id])
    for since in ("abc", "²", ""):
        assert client.get(content, {"seen": state, "since": since}).status_code == 204
    assert client.get(content, {"seen": state}).status_code == 204
    assert client.get(content, {"seen": state, "since": "0"}).status_code == 286
    assert client.get(content, {"seen": state, "since": int(time.time())}).status_code == 204


def test_a_screen_poll_without_seen_gets_the_plan(client, plan, carla):
    signed_in(client, carla)
    content = reverse("conference:screen_content", args=[plan.case_id])
    answer = client.get(content, {"since": int(time.time())})
    assert answer.status_code == 200
    assert "Dat Daan begrijpt wat het met me deed" in answer.content.decode()
    assert versions.latest_version(plan) is None


# --- the round note (point 6) -------------------------------------------------------------------


def test_a_round_note_with_a_nul_character_leaves_the_round_open(
    client, checking_in, everyone_said_yes, carla
):
    from django.contrib.messages import get_messages

    from kring.conference import actions
    from kring.conference.models import Round

    for person in everyone_said_yes.values():
        actions.check_in(checking_in, person, present=True, by=carla)
    actions.start(checking_in, by=carla)
    actions.mark_introductions(checking_in, by=carla)
    first = Round.objects.order_by("position").first()
    signed_in(client, carla)
    done = reverse("conference:round_done", args=[checking_in.case_id, first.pk])
    answer = client.post(done, {"note": "wil sorry\x00 zeggen"}, follow=True)
    assert any(NUL_SHOWN in str(m) for m in get_messages(answer.wsgi_request))
    first.refresh_from_db()
    assert first.done_at is None and first.note == ""
    client.post(done, {"note": "wil sorry zeggen"})
    first.refresh_from_db()
    assert first.done_at is not None and first.note == "wil sorry zeggen"
