"""A decline can carry a short, optional note to the requester on what help fits better (issue 8,
point 7). It is the one e-mail with text a staff member wrote, to the requester who asked: it
goes in as written, is stored with the decline, never repeats the request's own account, and
never reaches the timeline or the audit log."""

import pytest
from django.core import mail
from django.urls import reverse

from kring.audit.models import AuditEvent
from kring.cases import actions
from kring.cases.lifecycle import State
from kring.cases.models import CaseEvent
from kring.core.policy import Refused
from kring.notifications.models import OutgoingMail
from kring.testing.factories import ReferralFactory

pytestmark = pytest.mark.django_db

NOTE = (
    "Slachtofferhulp Nederland kan je verder helpen: bel 0900-0101.\n"
    "Je mag ons ook altijd zelf bellen."
)
ACCOUNT = ReferralFactory.description


@pytest.fixture
def decline_page(requested_case):
    # The requester wrote in English: the e-mail is in English, as the tests read it.
    requested_case.referral.language = "en"
    requested_case.referral.save(update_fields=["language"])
    return reverse("cases:decline", args=[requested_case.pk])


def _requester_mail():
    (message,) = [m for m in mail.outbox if m.to == ["petra@example.org"]]
    return message


def test_the_note_reaches_the_requester_in_the_decline_email_as_written(
    requested_case, decline_page, as_user, bram, django_capture_on_commit_callbacks
):
    office = as_user(bram)
    html = office.get(decline_page).content.decode()
    assert "A note to the requester (optional)" in html
    assert "receives this in the e-mail exactly as you write it" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(decline_page, {"reason": "other_help", "note": NOTE})
    assert response.status_code == 302
    requested_case.refresh_from_db()
    assert requested_case.state == State.DECLINED
    assert requested_case.decline_note == NOTE

    message = _requester_mail()
    assert "A note from us on what help may fit better:" in message.body
    assert NOTE in message.body
    assert "Other help fits better" in message.body  # the reason, as before
    html = message.alternatives[0][0]
    assert "Slachtofferhulp Nederland kan je verder helpen: bel 0900-0101.<br>" in html
    assert NOTE.split("\n")[0] not in message.subject
    # No other mail carries it.
    for other in mail.outbox:
        if other is not message:
            assert "Slachtofferhulp" not in other.body


def test_the_note_never_reaches_the_audit_log_or_the_timeline(
    requested_case, decline_page, as_user, bram, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        as_user(bram).post(decline_page, {"reason": "other_help", "note": NOTE})
    event = CaseEvent.objects.get(case=requested_case, kind="case.declined")
    assert event.data == {"reason": "other_help", "with_note": 1}
    for row in AuditEvent.objects.values():
        assert "Slachtofferhulp" not in str(row)
    for row in CaseEvent.objects.values():
        assert "Slachtofferhulp" not in str(row)


def test_without_a_note_the_email_is_as_before(
    requested_case, decline_page, as_user, bram, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        as_user(bram).post(decline_page, {"reason": "not_suitable", "note": "   "})
    requested_case.refresh_from_db()
    assert requested_case.decline_note == ""
    assert "A note from us" not in _requester_mail().body
    assert CaseEvent.objects.get(case=requested_case, kind="case.declined").data == {
        "reason": "not_suitable",
        "with_note": 0,
    }


@pytest.mark.parametrize(
    "note",
    [
        ACCOUNT,
        f"Jullie schreven: {ACCOUNT.upper()} Dat past niet bij ons.",
        "Over: daan heeft de   fiets van sanne\nvernield. Bel Halt.",
    ],
)
def test_a_note_that_repeats_the_account_is_refused_and_nothing_is_sent(
    requested_case, decline_page, as_user, bram, note, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(bram).post(decline_page, {"reason": "other_help", "note": note})
    assert response.status_code == 200
    assert "The note repeats what the request says about what happened." in (
        response.content.decode()
    )
    requested_case.refresh_from_db()
    assert requested_case.state == State.REQUESTED
    assert mail.outbox == [] and not OutgoingMail.objects.exists()


def test_the_action_itself_refuses_a_note_that_repeats_the_account(requested_case, bram):
    with pytest.raises(Refused) as refused:
        actions.decline(requested_case, reason="other_help", note=ACCOUNT, by=bram)
    assert refused.value.code == "note_quotes_account"
    requested_case.refresh_from_db()
    assert requested_case.state == State.REQUESTED


def test_a_note_longer_than_1000_characters_is_refused(requested_case, decline_page, as_user, bram):
    response = as_user(bram).post(decline_page, {"reason": "other_help", "note": "a" * 1001})
    assert response.status_code == 200
    assert "Keep the note to at most 1000 characters (it has 1001)." in response.content.decode()
    requested_case.refresh_from_db()
    assert requested_case.state == State.REQUESTED
    # 1000 is allowed.
    response = as_user(bram).post(decline_page, {"reason": "other_help", "note": "a" * 1000})
    assert response.status_code == 302


def test_a_short_note_that_shares_a_few_words_with_the_account_is_fine(
    requested_case, decline_page, as_user, bram
):
    response = as_user(bram).post(
        decline_page, {"reason": "other_help", "note": "Over de fiets: vraag de school."}
    )
    assert response.status_code == 302


def test_line_ends_count_as_one_character_like_in_the_browser(
    requested_case, decline_page, as_user, bram
):
    note = "\r\n".join(["a" * 99] * 10)  # 990 letters and 9 line ends: 999 in the browser
    response = as_user(bram).post(decline_page, {"reason": "other_help", "note": note})
    assert response.status_code == 302
    requested_case.refresh_from_db()
    assert requested_case.decline_note == note.replace("\r\n", "\n")
