"""The office reads the free-text account while triaging; once a coordinator has accepted, it
sees status, people and dates only (issue 8, point 7; docs/rules.md "Roles";
policy.may_read_request). End to end through the pages: Bram reads it during triage, Carla
accepts, and Bram no longer sees it anywhere, while Mira, the team's manager, and Carla do."""

import pytest
from django.core import mail
from django.urls import reverse

from kring.cases.lifecycle import State
from kring.notifications.models import OutgoingMail
from kring.testing.factories import ReferralFactory

pytestmark = pytest.mark.django_db

ACCOUNT = ReferralFactory.description  # "Daan heeft de fiets van Sanne vernield."


def _get(client, url) -> tuple[int, str]:
    response = client.get(url)
    return response.status_code, response.content.decode()


def test_the_office_loses_the_free_text_once_the_case_is_accepted(
    requested_case, as_user, bram, carla, mira, django_capture_on_commit_callbacks
):
    case = requested_case
    request_page = reverse("cases:request_detail", args=[case.pk])
    case_page = reverse("cases:detail", args=[case.pk])
    assign_page = reverse("cases:assign", args=[case.pk])

    with django_capture_on_commit_callbacks(execute=True):
        # Triage: Bram reads what happened, takes the request on and offers it to Carla.
        office = as_user(bram)
        status, html = _get(office, request_page)
        assert status == 200 and ACCOUNT in html
        assert office.post(reverse("cases:take_on", args=[case.pk])).status_code == 302
        status, html = _get(office, request_page)  # taken on, no coordinator yet
        assert status == 200 and ACCOUNT in html
        status, html = _get(office, case_page)
        assert status == 200 and ACCOUNT in html
        assert office.post(assign_page, {"coordinator": carla.pk}).status_code == 302
        status, html = _get(office, case_page)  # offered, not accepted: still triage
        assert status == 200 and ACCOUNT in html

        # Carla accepts, with her declaration of independence.
        coordinator = as_user(carla)
        response = coordinator.post(
            reverse("cases:offer", args=[case.pk]),
            {"accept": "1", "declares_independence": "on"},
        )
        assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.ASSIGNED and case.coordinator == carla

    # Bram: the request page is closed to him, the case page shows state, people and dates.
    office = as_user(bram)
    status, html = _get(office, request_page)
    assert status in (403, 404) and ACCOUNT not in html
    status, html = _get(office, case_page)
    assert status == 200
    assert ACCOUNT not in html
    assert case.reference in html and "Daan" in html  # the people named, by name
    assert "the office read it while deciding about the request" in html
    for url in (
        assign_page,  # reassigning is the manager's now
        reverse("cases:inbox"),
        reverse("cases:team_cases"),
        reverse("cases:decline", args=[case.pk]),
    ):
        status, html = _get(office, url)
        assert ACCOUNT not in html, url

    # The team's manager and the coordinator still read it.
    assert ACCOUNT in _get(as_user(mira), request_page)[1]
    assert ACCOUNT in _get(as_user(carla), case_page)[1]

    # No e-mail of the whole way carried it, to anyone.
    assert mail.outbox, "the triage sent notices"
    for message in mail.outbox:
        assert ACCOUNT not in message.body and ACCOUNT not in message.subject
    for body in OutgoingMail.objects.values_list("body_text", flat=True):
        assert ACCOUNT not in body
