"""The tracker after the templates review of issue 12 (findings 2, 3, 8, 11, 15-18):

- after closing nothing on the tracker asks for work: no contact to do or planned, no agreement
  past its date, while the same data in follow-up shows each of them (finding 2);
- a form the rule now refuses (the report answered meanwhile, the case closed) keeps what was
  typed on the page, read-only (finding 3);
- a refused or bad POST answers 400 and the title starts with "Error:" (finding 18);
- the Dutch tracker shows "Niet nagekomen" and says nothing that marks a person as failing, nor
  a word the glossary rules out (finding 11), with its own words for the button "Antwoord
  versturen", an invocation ("beroept zich op deze afspraak") and a contact that is due
  ("Aan de beurt sinds") (findings 15-17);
- the forms and the actions say a text is too long, or empty, in the same words (finding 8)."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse

from kring.audit.actors import Actor
from kring.followup import actions, closing, queries, texts
from kring.followup.forms import AnswerForm, AskBackForm, SetStateForm
from kring.followup.models import (
    AgreementState,
    Contact,
    Outcome,
    Report,
    TrackedAgreement,
)
from kring.followup.portal_forms import DoneForm
from kring.followup.tests.wording import not_said
from kring.signing.tests.pages import dutch
from kring.testing.auth import force_verified_login

pytestmark = pytest.mark.django_db

CONTACT_TO_DO = "Follow-up contact: get in touch with the participants"
PLANNED = "Follow-up contact with the participants planned for"


def url(name, case, *args):
    return reverse(f"followup:{name}", args=[case.pk, *args])


def seen(response) -> str:
    return unescape(" ".join(response.content.decode().split()))


def tracker(client, user, case) -> str:
    force_verified_login(client, user)
    response = client.get(url("tracker", case))
    assert response.status_code == 200
    return seen(response)


def title(page: str) -> str:
    return re.search(r"<title>(.*?)</title>", page).group(1)


def invoked(bike, sanne, words="The money for the bike has not come.") -> Report:
    return actions.invoke(bike, by=Actor.in_portal(sanne), participant=sanne, text=words)


# --- finding 2: nothing is due or past its date after closing -----------------------------------


def test_after_closing_no_contact_is_due_and_no_agreement_past_its_date(
    client, following_up, bike, carla
):
    contact = Contact.objects.get(case=following_up)
    Contact.objects.filter(pk=contact.pk).update(due_on=queries.today() - timedelta(days=1))
    TrackedAgreement.objects.filter(pk=bike.pk).update(due=queries.today() - timedelta(days=3))
    page = tracker(client, carla, following_up)
    # In follow-up: the contact is to do, the bike past its date.
    assert CONTACT_TO_DO in page and "To do now" in page
    assert "Past the date: 1" in page and 'class="agreement overdue"' in page
    closing.close(following_up, by=carla, outcome=Outcome.PARTLY_KEPT, note="")
    page = tracker(client, carla, following_up)
    assert "This case is closed." in page
    assert bike.what in page
    assert CONTACT_TO_DO not in page and "To do now" not in page and PLANNED not in page
    assert "Past the date" not in page and "overdue" not in page


def test_after_closing_a_contact_still_to_come_is_not_planned(client, following_up, carla):
    contact = Contact.objects.get(case=following_up)
    Contact.objects.filter(pk=contact.pk).update(due_on=queries.today() + timedelta(days=5))
    assert PLANNED in tracker(client, carla, following_up)
    closing.close(following_up, by=carla, outcome=Outcome.ALL_KEPT, note="")
    page = tracker(client, carla, following_up)
    assert PLANNED not in page and "Follow-up contact" not in page


def test_after_closing_a_recorded_contact_stays_as_history(client, following_up, carla):
    contact = Contact.objects.get(case=following_up)
    actions.record_contact(contact, by=carla, note="They are on speaking terms again.")
    closing.close(following_up, by=carla, outcome=Outcome.ALL_KEPT, note="")
    page = tracker(client, carla, following_up)
    assert "They are on speaking terms again." in page
    assert "Contact with the participants on" in page


# --- finding 3: what was typed is kept when the rule now hides the form -------------------------


def test_an_answer_to_a_report_answered_meanwhile_keeps_the_typed_text(
    client, following_up, bike, sanne, carla
):
    report = invoked(bike, sanne)
    actions.answer(report, by=carla, text="First answer.")
    force_verified_login(client, carla)
    response = client.post(
        url("answer", following_up, report.pk), {"text": "I phoned Daan this morning."}
    )
    assert response.status_code == 400
    page = seen(response)
    assert "This report has been answered already." in page
    # No form to answer any more, but the words typed are on the page.
    assert f'action="{url("answer", following_up, report.pk)}"' not in page
    assert "Nothing has been saved. This is what you typed:" in page
    assert "I phoned Daan this morning." in page
    report.refresh_from_db()
    assert report.answer == "First answer."


def test_a_state_sent_after_closing_keeps_the_typed_note(client, following_up, bike, carla):
    closing.close(following_up, by=carla, outcome=Outcome.NOT_KEPT, note="")
    force_verified_login(client, carla)
    response = client.post(
        url("set_state", following_up, bike.pk), {"state": "done", "note": "Paid in cash."}
    )
    assert response.status_code == 400
    page = seen(response)
    assert "Paid in cash." in page and "<textarea" not in page
    bike.refresh_from_db()
    assert bike.state == AgreementState.OPEN


def test_a_form_still_offered_keeps_its_text_in_the_form_not_twice(
    client, following_up, bike, carla
):
    force_verified_login(client, carla)
    response = client.post(
        url("set_state", following_up, bike.pk), {"state": "", "note": "Half of it paid."}
    )
    page = seen(response)
    assert "> Half of it paid.</textarea>" in page
    assert "Nothing has been saved." not in page


# --- finding 18: a bad POST is a 400 with "Error:" in the title ----------------------------------


@pytest.mark.parametrize("data", [{"text": ""}, {"text": "x" * (actions.TEXT_MAX + 1)}])
def test_bad_input_answers_400_with_error_in_the_title(
    client, following_up, bike, sanne, carla, data
):
    report = invoked(bike, sanne)
    assert not title(tracker(client, carla, following_up)).startswith("Error:")
    response = client.post(url("answer", following_up, report.pk), data)
    assert response.status_code == 400
    assert title(seen(response)).startswith("Error: Agreements, case")
    report.refresh_from_db()
    assert report.answered_at is None


# --- findings 11, 15-17: the Dutch tracker -------------------------------------------------------


def test_the_dutch_tracker_says_not_kept_in_neutral_words(
    client, following_up, bike, school, sanne, carla
):
    TrackedAgreement.objects.filter(pk=bike.pk).update(
        due=queries.today() - timedelta(days=3), state=AgreementState.NOT_KEPT
    )
    TrackedAgreement.objects.filter(pk=school.pk).update(state=AgreementState.PARTLY_DONE)
    Contact.objects.filter(case=following_up).update(due_on=queries.today())
    invoked(school, sanne, "He cycled past the school again.")
    response = dutch(client, carla).get(url("tracker", following_up))
    page = seen(response)
    main = re.sub(r"<[^>]+>", " ", page.split("<main", 1)[1].split("</main>", 1)[0])
    assert "Niet nagekomen" in main and "Deels gedaan" in main
    assert not not_said(main), not_said(main)
    # The words of the review: the button, the invocation, the contact that is due.
    assert "Antwoord versturen" in main
    assert "Sanne Jansen beroept zich op deze afspraak" in main
    assert "Aan de beurt sinds" in main


# --- finding 8: one wording per check, forms and actions alike ----------------------------------


def test_forms_and_actions_say_too_long_and_empty_in_the_same_words(following_up, bike, sanne):
    report = invoked(bike, sanne)
    long = "x" * (actions.TEXT_MAX + 1)
    form = AnswerForm({"text": long}, report=report)
    assert not form.is_valid()
    expected = str(texts.TOO_LONG) % {"limit_value": actions.TEXT_MAX}
    assert form.errors["text"] == [expected]
    assert DoneForm({"text": long}).errors["text"] == [expected]
    note = SetStateForm({"state": "done", "note": "x" * (actions.NOTE_MAX + 1)}, tracked=bike)
    assert note.errors["note"] == [str(texts.TOO_LONG) % {"limit_value": actions.NOTE_MAX}]
    assert AnswerForm({"text": ""}, report=report).errors["text"] == [str(texts.ANSWER_REQUIRED)]
    assert AskBackForm({"text": ""}, report=report).errors["text"] == [str(texts.ASK_BACK_REQUIRED)]
    # The participant's help text names the limit the action applies.
    assert str(actions.TEXT_MAX) in str(DoneForm().fields["text"].help_text)


def test_the_case_panel_shows_past_the_date_only_while_the_agreements_are_followed(
    client, following_up, bike, carla
):
    TrackedAgreement.objects.filter(pk=bike.pk).update(due=queries.today() - timedelta(days=3))
    Contact.objects.filter(case=following_up).update(due_on=queries.today())
    force_verified_login(client, carla)
    case_page = reverse("cases:detail", args=[following_up.pk])
    page = seen(client.get(case_page))
    assert "Past the date: 1" in page and CONTACT_TO_DO in page
    closing.close(following_up, by=carla, outcome=Outcome.PARTLY_KEPT, note="")
    page = seen(client.get(case_page))
    assert 'id="followup-panel-title"' in page
    assert "Past the date" not in page and CONTACT_TO_DO not in page
