import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from kring.accounts.models import Role
from kring.audit.models import AuditEvent
from kring.cases.actions import decline
from kring.cases.lifecycle import State
from kring.cases.models import Case, CaseEvent, DeclineReason
from kring.notifications.models import OutgoingMail
from kring.referrals.actions import ConsentMissing, submit_referral
from kring.referrals.models import Referral
from kring.referrals.privacy import PRIVACY_VERSION
from kring.referrals.tests.helpers import DESCRIPTION, PEOPLE, form_data, form_values
from kring.testing.factories import UserFactory
from kring.testing.people import DAAN, SANNE

pytestmark = pytest.mark.django_db

FORM = reverse("referrals:new")
SENT = reverse("referrals:sent")


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    """Post the form as a browser would; mail queued on commit is sent (tasks run at once)."""

    def _send(data, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(FORM, data, **extra)

    return _send


# --- the empty form ---------------------------------------------------------------------------


def test_anyone_can_open_the_form_without_logging_in(client):
    response = client.get(FORM)
    assert response.status_code == 200
    assert "Ask for a conference" in response.content.decode()
    assert form_values(response)["people-TOTAL_FORMS"] == "1"


def test_the_form_links_to_the_privacy_statement(client):
    response = client.get(FORM)
    assert f'href="{reverse("referrals:privacy")}"' in response.content.decode()


def test_the_honeypot_is_hidden_from_people_and_assistive_technology(client):
    html = client.get(FORM).content.decode()
    assert '<div class="honeypot" aria-hidden="true">' in html
    assert 'name="website"' in html
    start = html.index('name="website"')
    tag = html[html.rindex("<input", 0, start) : html.index(">", start)]
    assert 'tabindex="-1"' in tag
    assert 'autocomplete="off"' in tag


# --- bad input --------------------------------------------------------------------------------


def test_missing_fields_are_reported_in_a_summary_and_at_the_field_and_nothing_is_lost(send):
    data = form_data(requester_name="", requester_email="", people_informed=None)
    response = send(data)
    html = response.content.decode()

    assert response.status_code == 200
    assert "data-error-summary" in html
    assert 'href="#id_requester_name"' in html
    assert 'href="#id_requester_email"' in html
    assert 'href="#id_people_informed_group"' in html
    assert 'id="id_requester_name_error"' in html
    assert "Enter your name." in html
    assert "Enter your e-mail address." in html
    values = form_values(response)
    assert values["description"] == DESCRIPTION
    assert values["requester_relation"] == "relative"
    assert values["privacy_consent"] == "on"
    assert values["people-0-name"] == DAAN.name
    assert values["people-0-side"] == "responsible"
    assert values["people-0-contact"] == DAAN.phone
    assert values["people-1-name"] == SANNE.name
    assert values["people-1-side"] == "harmed"
    assert Referral.objects.count() == 0
    assert mail.outbox == []


def test_a_person_with_contact_details_but_no_name_is_an_error(send):
    response = send(form_data(people=[("", "", "sanne@example.org")]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_people-0-name"' in html
    assert "Person 1: Give this person’s name" in html
    assert form_values(response)["people-0-contact"] == "sanne@example.org"
    assert Referral.objects.count() == 0


def test_a_named_person_needs_a_side(send):
    response = send(form_data(people=[(DAAN.name, "", "")]))
    assert 'href="#id_people-0-side"' in response.content.decode()
    assert Referral.objects.count() == 0


def test_a_description_that_is_too_long_is_refused_with_its_length(send):
    response = send(form_data(description="x" * 4001))
    assert "(it has 4001)" in response.content.decode()
    assert Referral.objects.count() == 0


def test_line_ends_count_as_one_character_like_in_the_browser(send):
    description = "\r\n".join(["y" * 99] * 40)  # 3,999 characters as the browser counts them
    response = send(form_data(description=description))
    assert response.status_code == 302
    assert Referral.objects.get().description == description.replace("\r\n", "\n")


def test_a_tampered_people_list_shows_the_form_again_instead_of_failing(send):
    data = form_data()
    del data["people-TOTAL_FORMS"]
    response = send(data)
    assert response.status_code == 200
    assert "data-error-summary" in response.content.decode()
    assert form_values(response)["description"] == DESCRIPTION
    assert Referral.objects.count() == 0


# --- people: any number -----------------------------------------------------------------------


def test_add_another_person_keeps_everything_typed_and_adds_an_empty_row(send):
    response = send(form_data(action="add_person", requester_email=""))
    html = response.content.decode()

    assert response.status_code == 200
    assert "data-error-summary" not in html
    assert "field-error" not in html
    values = form_values(response)
    assert values["people-TOTAL_FORMS"] == "3"
    assert values["people-0-name"] == DAAN.name
    assert values["people-1-name"] == SANNE.name
    assert values["people-2-name"] == ""
    assert values["description"] == DESCRIPTION
    assert values["requester_name"] == "Petra de Vries"
    assert values["privacy_consent"] == "on"
    assert 'id="new-person"' in html
    assert Referral.objects.count() == 0


def test_a_person_left_out_is_dropped_when_adding_a_row(send):
    response = send(form_data(action="add_person", **{"people-0-DELETE": "on"}))
    values = form_values(response)
    assert values["people-TOTAL_FORMS"] == "2"
    assert values["people-0-name"] == SANNE.name
    assert values["people-1-name"] == ""


def test_a_person_left_out_and_empty_rows_are_not_stored(send):
    people = [*PEOPLE, ("", "", ""), ("Kees", "", "kees@example.org")]
    response = send(form_data(people=people, **{"people-3-DELETE": "on"}))
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert [(p.name, p.side, p.contact) for p in referral.people.all()] == PEOPLE


def test_a_request_without_any_named_person_is_accepted(send):
    response = send(form_data(people=[("", "", "")]))
    assert response.status_code == 302
    assert Referral.objects.get().people.count() == 0


def test_more_people_than_the_form_takes_is_an_error(send):
    people = [(f"Person {i}", "other", "") for i in range(31)]
    response = send(form_data(people=people))
    assert response.status_code == 200
    assert 'href="#people"' in response.content.decode()
    assert Referral.objects.count() == 0


# --- a valid request --------------------------------------------------------------------------


def test_a_valid_request_opens_a_case_in_the_inbox_with_a_timeline_event(send):
    response = send(form_data())
    assert response.status_code == 302
    assert response["Location"] == SENT

    referral = Referral.objects.get()
    assert referral.requester_name == "Petra de Vries"
    assert referral.description == DESCRIPTION
    assert (
        referral.language == "en"
    )  # the language the requester used (the test client asks for English)
    assert referral.privacy_version == PRIVACY_VERSION
    assert referral.privacy_accepted_at is not None
    assert [(p.name, p.side, p.contact) for p in referral.people.all()] == PEOPLE
    case = Case.objects.get(referral=referral)
    assert case.state == State.REQUESTED
    event = CaseEvent.objects.get(case=case)
    assert (event.kind, event.to_state, event.actor) == ("case.requested", "requested", None)
    assert AuditEvent.objects.filter(
        action="referral.submitted", case=case, object_id=str(referral.pk)
    ).exists()


def test_the_requester_gets_a_confirmation_without_the_story_or_any_name(send):
    send(form_data())
    referral = Referral.objects.get()
    to_requester = [m for m in mail.outbox if m.to == ["petra@example.org"]]
    assert len(to_requester) == 1
    message = to_requester[0]
    assert "Your request has been received" in message.subject
    html = message.alternatives[0][0]
    for text in (message.subject, message.body, html):
        assert referral.reference in text
        assert DESCRIPTION not in text
        for name, _side, contact in PEOPLE:
            assert name not in text
            assert not contact or contact not in text
        assert "Petra" not in text
    assert "within a few working days" in message.body


def test_every_active_office_user_is_notified_with_a_link_to_the_request(send, bram, carla):
    UserFactory(username="bea", role=Role.OFFICE, team=bram.team, language="en")
    UserFactory(username="gone", role=Role.OFFICE, team=bram.team, is_active=False)
    send(form_data())
    case = Case.objects.get()
    notices = {m.to[0]: m for m in mail.outbox if m.to != ["petra@example.org"]}
    assert set(notices) == {"bram@kring.test", "bea@kring.test"}
    link = settings.SITE_URL + reverse("cases:request_detail", args=[case.pk])
    for to, message in notices.items():
        language = "en" if to == "bea@kring.test" else "nl"  # each in their own language
        with translation.override(language):
            subject = gettext("New request in the inbox (%(ref)s)") % {"ref": case.reference}
        assert message.subject == subject
        assert link in message.body
        assert DESCRIPTION not in message.body
        assert "Daan" not in message.body and "Petra" not in message.body
    assert OutgoingMail.objects.get(to="bea@kring.test").language == "en"
    assert OutgoingMail.objects.get(to="bram@kring.test").language == "nl"


def test_a_request_in_english_gets_an_english_confirmation(client, send):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    send(form_data())
    referral = Referral.objects.get()
    assert referral.language == "en"
    stored = OutgoingMail.objects.get(to="petra@example.org")
    assert stored.language == "en"
    assert stored.subject == f"Your request has been received ({referral.reference})"
    assert "Thank you for your request" in stored.body_text


def test_the_confirmation_page_shows_the_reference_from_the_session(client, send):
    response = send(form_data())
    assert "K-" not in response["Location"]
    reference = Referral.objects.get().reference
    page = client.get(SENT)
    html = page.content.decode()
    assert page.status_code == 200
    assert reference in html
    assert "What happens next" in html
    assert "within a few working days" in html
    assert "no-store" in page["Cache-Control"]


def test_the_confirmation_page_without_a_request_leads_to_the_form(client):
    response = client.get(SENT)
    assert response.status_code == 302
    assert response["Location"] == FORM


def test_the_description_never_reaches_the_audit_log_or_the_outbox(send, bram):
    send(form_data())
    decline(Case.objects.get(), reason=DeclineReason.OTHER_HELP, by=bram)
    assert AuditEvent.objects.exists()
    for row in AuditEvent.objects.values():
        assert all(DESCRIPTION not in str(value) for value in row.values())
    assert OutgoingMail.objects.count() == 3
    for row in OutgoingMail.objects.values():
        for value in row.values():
            assert DESCRIPTION not in str(value)
            assert DAAN.name not in str(value) and SANNE.name not in str(value)


def test_a_declined_request_gets_a_plain_words_mail_with_the_reason(send, bram):
    send(form_data())
    case = Case.objects.get()
    with_reason = DeclineReason.OTHER_HELP
    decline(case, reason=with_reason, by=bram)
    stored = OutgoingMail.objects.get(kind="referral.declined")
    assert stored.to == "petra@example.org"
    assert case.reference in stored.subject
    assert str(with_reason.label) in stored.body_text
    assert str(with_reason.label) in stored.body_html
    assert DESCRIPTION not in stored.body_text


def test_a_request_is_not_stored_without_consent_to_the_privacy_statement(send):
    response = send(form_data(privacy_consent=None))
    assert 'href="#id_privacy_consent"' in response.content.decode()
    assert Referral.objects.count() == 0
    with pytest.raises(ConsentMissing):
        submit_referral({"privacy_consent": False}, [], language="nl")


# --- abuse ------------------------------------------------------------------------------------


def test_a_filled_honeypot_looks_sent_but_stores_and_sends_nothing(client, send, bram):
    response = send(form_data(website="https://spam.example"))
    assert response.status_code == 302
    assert response["Location"] == SENT
    assert client.get(SENT).status_code == 200
    assert Referral.objects.count() == 0
    assert Case.objects.count() == 0
    assert OutgoingMail.objects.count() == 0
    assert mail.outbox == []


def test_the_rate_limit_refuses_more_requests_per_hour_and_keeps_what_was_typed(send, settings):
    settings.KRING_REQUEST_RATE_PER_HOUR = 2
    assert send(form_data()).status_code == 302
    assert send(form_data()).status_code == 302

    response = send(form_data())
    html = response.content.decode()
    assert response.status_code == 429
    assert "Too many requests from this address" in html
    values = form_values(response)
    assert values["description"] == DESCRIPTION
    assert values["people-0-name"] == DAAN.name
    assert values["requester_email"] == "petra@example.org"
    assert Referral.objects.count() == 2


def test_the_rate_limit_counts_per_address(send, settings):
    settings.KRING_REQUEST_RATE_PER_HOUR = 1
    assert send(form_data(), REMOTE_ADDR="198.51.100.1").status_code == 302
    assert send(form_data(), REMOTE_ADDR="198.51.100.1").status_code == 429
    assert send(form_data(), REMOTE_ADDR="198.51.100.2").status_code == 302


def test_requests_with_mistakes_do_not_use_up_the_rate_limit(send, settings):
    settings.KRING_REQUEST_RATE_PER_HOUR = 1
    for _ in range(3):
        assert send(form_data(requester_name="")).status_code == 200
    assert send(form_data()).status_code == 302


# --- privacy ----------------------------------------------------------------------------------


def test_the_privacy_statement_is_a_public_page_with_its_version(client):
    response = client.get(reverse("referrals:privacy"))
    html = response.content.decode()
    assert response.status_code == 200
    assert PRIVACY_VERSION in html
    assert "Nothing leaves the case without consent" in html
    assert "How long we keep it" in html
    assert "Your rights" in html


def test_the_contact_address_is_the_organisations_own(client, db, settings):
    settings.KRING_CONTACT_EMAIL = "herstel@example.org"
    html = client.get(reverse("referrals:privacy")).content.decode()
    assert "mailto:herstel@example.org" in html
