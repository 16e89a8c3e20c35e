"""The office, coordinator and manager pages, over HTTP, as each role sees them."""

import pytest
from django.urls import reverse

from kring.audit.models import AuditEvent
from kring.cases import actions
from kring.cases.lifecycle import State
from kring.testing.factories import ReferralFactory


def test_office_inbox_lists_new_requests_oldest_first(as_user, bram):
    first = actions.open_case(ReferralFactory())
    second = actions.open_case(ReferralFactory())
    response = as_user(bram).get(reverse("cases:inbox"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(first.reference) < html.index(second.reference)


def test_office_inbox_is_paginated(as_user, bram):
    cases = [actions.open_case(ReferralFactory()) for _ in range(27)]
    client = as_user(bram)
    page1 = client.get(reverse("cases:inbox")).content.decode()
    page2 = client.get(reverse("cases:inbox") + "?page=2").content.decode()
    assert cases[0].reference in page1 and cases[26].reference not in page1
    assert cases[26].reference in page2
    assert "Pagina 2 van 2" in page2 or "Page 2 of 2" in page2


@pytest.mark.parametrize("who", ["carla", "ruud", "admin_user"])
def test_only_the_office_and_the_manager_have_the_inbox(as_user, who, request):
    # The manager's inbox (the team's requests): referrals/tests/test_routing.py.
    response = as_user(request.getfixturevalue(who)).get(reverse("cases:inbox"))
    assert response.status_code == 403


def test_anonymous_visitor_is_sent_to_login(client, requested_case):
    for url in [reverse("cases:inbox"), reverse("cases:detail", args=[requested_case.pk])]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_office_reads_a_request_and_the_read_is_logged(as_user, bram, requested_case):
    response = as_user(bram).get(reverse("cases:request_detail", args=[requested_case.pk]))
    assert response.status_code == 200
    assert "Daan heeft de fiets van Sanne vernield." in response.content.decode()
    assert AuditEvent.objects.filter(
        actor=bram, action="referral.viewed", case=requested_case
    ).exists()


def test_take_on_needs_a_post(as_user, bram, requested_case):
    client = as_user(bram)
    assert client.get(reverse("cases:take_on", args=[requested_case.pk])).status_code == 405
    response = client.post(reverse("cases:take_on", args=[requested_case.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:assign", args=[requested_case.pk])
    requested_case.refresh_from_db()
    assert requested_case.state == State.REFERRED


def test_decline_without_a_reason_shows_the_message_and_changes_nothing(
    as_user, bram, requested_case
):
    response = as_user(bram).post(reverse("cases:decline", args=[requested_case.pk]), {})
    assert response.status_code == 200
    html = response.content.decode()
    assert "error-summary" in html
    requested_case.refresh_from_db()
    assert requested_case.state == State.REQUESTED


def test_assign_with_an_unknown_coordinator_is_refused_with_a_message(as_user, bram, referred_case):
    response = as_user(bram).post(
        reverse("cases:assign", args=[referred_case.pk]), {"coordinator": "999999"}
    )
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert not referred_case.assignments.exists()


def test_a_coordinator_of_another_team_cannot_be_chosen(as_user, bram, referred_case, other_team):
    from kring.testing.factories import UserFactory

    zoe = UserFactory(username="zoe", role="coordinator", team=other_team)
    response = as_user(bram).post(
        reverse("cases:assign", args=[referred_case.pk]), {"coordinator": zoe.pk}
    )
    assert response.status_code == 200
    assert not referred_case.assignments.exists()


def test_accept_without_declaration_says_why(as_user, carla, offered_case):
    response = as_user(carla).post(reverse("cases:offer", args=[offered_case.pk]), {"accept": "1"})
    assert response.status_code == 200
    assert "must first declare that they have no tie with anyone" in response.content.decode()
    offered_case.refresh_from_db()
    assert offered_case.state == State.REFERRED


def test_carla_accepts_and_finds_the_case_in_mijn_zaken(as_user, carla, offered_case):
    client = as_user(carla)
    response = client.post(
        reverse("cases:offer", args=[offered_case.pk]),
        {"accept": "1", "declares_independence": "on"},
    )
    assert response["Location"] == reverse("cases:detail", args=[offered_case.pk])
    my_cases = client.get(reverse("cases:my_cases")).content.decode()
    assert offered_case.reference in my_cases
    detail = client.get(reverse("cases:detail", args=[offered_case.pk])).content.decode()
    # Every later step of the process is built (follow-up registers the last ones, issue 12):
    # the task list shows them as to do, none as not available.
    assert "Te doen" in detail or "To do" in detail
    assert "Niet beschikbaar" not in detail and "Not yet available" not in detail


def test_olaf_cannot_open_carlas_case(as_user, olaf, carlas_case):
    client = as_user(olaf)
    assert client.get(reverse("cases:detail", args=[carlas_case.pk])).status_code == 404
    assert carlas_case.reference not in client.get(reverse("cases:my_cases")).content.decode()


def test_olaf_cannot_answer_an_offer_made_to_carla(as_user, olaf, offered_case):
    response = as_user(olaf).post(
        reverse("cases:offer", args=[offered_case.pk]),
        {"accept": "1", "declares_independence": "on"},
    )
    assert response.status_code == 404
    offered_case.refresh_from_db()
    assert offered_case.coordinator is None


def test_reassigned_coordinator_loses_access_at_once(as_user, carla, carlas_case, mira, olaf):
    actions.offer_to_coordinator(carlas_case, coordinator=olaf, by=mira)
    response = as_user(carla).get(reverse("cases:detail", args=[carlas_case.pk]))
    assert response.status_code == 404


def test_case_page_shows_the_timeline_with_actors(as_user, carla, carlas_case):
    html = as_user(carla).get(reverse("cases:detail", args=[carlas_case.pk])).content.decode()
    for actor in ["Bram", "Carla"]:
        assert actor in html
    assert AuditEvent.objects.filter(actor=carla, action="case.viewed", case=carlas_case).exists()


def test_stop_needs_a_reason_and_then_ends_the_case(as_user, carla, carlas_case):
    client = as_user(carla)
    url = reverse("cases:stop", args=[carlas_case.pk])
    assert "error-summary" in client.post(url, {}).content.decode()
    response = client.post(url, {"reason": "no_acknowledgment"})
    assert response.status_code == 302
    carlas_case.refresh_from_db()
    assert carlas_case.state == State.STOPPED


def test_office_cannot_stop_a_case(as_user, bram, carlas_case):
    assert (
        as_user(bram)
        .post(reverse("cases:stop", args=[carlas_case.pk]), {"reason": "other"})
        .status_code
        == 403
    )


def test_manager_sees_team_cases_but_not_another_teams(as_user, mira, carlas_case, other_team):
    from kring.testing.factories import UserFactory

    client = as_user(mira)
    assert carlas_case.reference in client.get(reverse("cases:team_cases")).content.decode()
    vera = UserFactory(username="vera", role="manager", team=other_team)
    client = as_user(vera)
    assert client.get(reverse("cases:detail", args=[carlas_case.pk])).status_code == 404


def test_team_cases_filter_by_state(as_user, mira, carlas_case, referred_case):
    html = as_user(mira).get(reverse("cases:team_cases") + "?state=assigned").content.decode()
    assert carlas_case.reference in html
    assert reverse("cases:detail", args=[carlas_case.pk]) in html


def test_manager_reads_the_access_log_of_the_own_team_only(
    as_user, mira, carla, carlas_case, other_team
):
    from kring.testing.factories import UserFactory

    as_user(carla).get(reverse("cases:detail", args=[carlas_case.pk]))
    html = as_user(mira).get(reverse("audit:log") + "?action=case.viewed").content.decode()
    assert "case.viewed" in html and carlas_case.reference in html
    vera = UserFactory(username="vera", role="manager", team=other_team)
    html = as_user(vera).get(reverse("audit:log")).content.decode()
    assert carlas_case.reference not in html


def test_access_log_refuses_a_bad_date_with_a_message(as_user, mira):
    response = as_user(mira).get(reverse("audit:log") + "?date_from=yesterday")
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()


@pytest.mark.parametrize("who", ["carla", "bram", "ruud", "admin_user"])
def test_only_managers_read_the_access_log(as_user, who, request):
    assert as_user(request.getfixturevalue(who)).get(reverse("audit:log")).status_code == 403
