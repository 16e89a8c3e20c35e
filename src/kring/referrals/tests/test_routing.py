"""A request goes to the team that works where it comes from (issue 8, point 7; docs/rules.md
"Roles"). A request from Zwolle reaches Team Zwolle's inbox (Wim, its office; Vera, its
manager; Noor is its coordinator) and Bram, the office of Team Utrecht, never sees it: not in
his inbox, not on its page, not by guessing the address. A request from no known place goes
to the central inbox, which every office sees and takes on for its own team."""

import pytest
from django.core import mail
from django.urls import reverse

from kring.accounts.models import Role, TeamArea
from kring.audit.models import AuditEvent
from kring.cases.lifecycle import State
from kring.cases.models import Case
from kring.referrals.models import Referral
from kring.referrals.tests.helpers import DESCRIPTION, form_data
from kring.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

FORM = reverse("referrals:new")
INBOX = reverse("cases:inbox")


@pytest.fixture
def wim(other_team):
    """The office of Team Zwolle."""
    return UserFactory(username="wim", first_name="Wim", role=Role.OFFICE, team=other_team)


@pytest.fixture
def vera(other_team):
    """The manager of Team Zwolle."""
    return UserFactory(username="vera", first_name="Vera", role=Role.MANAGER, team=other_team)


@pytest.fixture
def noor(other_team):
    """A coordinator of Team Zwolle."""
    return UserFactory(username="noor", first_name="Noor", role=Role.COORDINATOR, team=other_team)


@pytest.fixture
def areas(team, other_team):
    TeamArea.objects.create(team=team, municipality="Utrecht", postcode_from=3500, postcode_to=3585)
    TeamArea.objects.create(
        team=other_team, municipality="Zwolle", postcode_from=8000, postcode_to=8049
    )


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    """Post the request form as a browser would; the mail queued on commit is sent."""

    def _send(**overrides) -> Case:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(FORM, form_data(**overrides))
        assert response.status_code == 302, response.content.decode()[:2000]
        client.logout()
        return Referral.objects.latest("pk").case

    return _send


def _page(as_user, user, url) -> tuple[int, str]:
    response = as_user(user).get(url)
    return response.status_code, response.content.decode()


@pytest.mark.parametrize("place", ["Zwolle", " zwolle", "8011 AB", "8011AB Zwolle"])
def test_a_request_from_zwolle_reaches_team_zwolle_and_bram_never_sees_it(
    send, areas, as_user, place, bram, mira, wim, vera, noor, other_team
):
    case = send(place=place)
    assert case.team == other_team
    assert case.state == State.REQUESTED
    assert case.referral.place == place.strip()
    detail = reverse("cases:request_detail", args=[case.pk])

    # Team Zwolle's office sees it in the inbox and opens it, with what happened.
    status, inbox = _page(as_user, wim, INBOX)
    assert status == 200 and case.reference in inbox and "Team Zwolle" in inbox
    status, html = _page(as_user, wim, detail)
    assert status == 200 and DESCRIPTION in html and "Take on" in html
    # Its manager sees the team's inbox too, and the request.
    status, inbox = _page(as_user, vera, INBOX)
    assert status == 200 and case.reference in inbox
    assert _page(as_user, vera, detail)[0] == 200

    # Bram, of Team Utrecht: not in his inbox, and its page does not exist for him.
    status, inbox = _page(as_user, bram, INBOX)
    assert status == 200 and case.reference not in inbox
    for url in (
        detail,
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:decline", args=[case.pk]),
        reverse("cases:assign", args=[case.pk]),
    ):
        status, html = _page(as_user, bram, url)
        assert status == 404, url
        assert DESCRIPTION not in html and case.reference not in html
    # Nor can he take it on, or decline it.
    client = as_user(bram)
    assert client.post(reverse("cases:take_on", args=[case.pk])).status_code == 404
    assert (
        client.post(reverse("cases:decline", args=[case.pk]), {"reason": "duplicate"}).status_code
        == 404
    )
    case.refresh_from_db()
    assert (case.state, case.team) == (State.REQUESTED, other_team)
    # The guess is in the access log, for the manager of the team it was made against.
    assert AuditEvent.objects.filter(action="case.access_refused", actor=bram, case=case).exists()
    # Mira, Team Utrecht's manager, does not see it either.
    assert case.reference not in _page(as_user, mira, INBOX)[1]
    assert _page(as_user, mira, detail)[0] == 404

    # Only Team Zwolle's office was told of it.
    notices = [m.to[0] for m in mail.outbox if m.to != ["petra@example.org"]]
    assert notices == ["wim@kring.test"]

    # Wim takes it on: it is Team Zwolle's case, to be offered to Noor.
    client = as_user(wim)
    response = client.post(reverse("cases:take_on", args=[case.pk]))
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.team) == (State.REFERRED, other_team)
    assert "Noor" in client.get(reverse("cases:assign", args=[case.pk])).content.decode()


@pytest.mark.parametrize("place", ["", "Kampen", "9999"])
def test_a_request_from_no_known_area_goes_to_the_central_inbox(
    send, areas, as_user, place, bram, wim, mira, team
):
    case = send(place=place)
    assert case.team is None
    # Every office sees it, marked as without a team; no manager does.
    for office in (bram, wim):
        status, inbox = _page(as_user, office, INBOX)
        assert status == 200 and case.reference in inbox and "Without a team" in inbox
    assert case.reference not in _page(as_user, mira, INBOX)[1]
    # Every active office user was told of it.
    notices = {m.to[0] for m in mail.outbox if m.to != ["petra@example.org"]}
    assert notices == {"bram@kring.test", "wim@kring.test"}

    # Bram takes it on for his team: from then on Wim no longer sees it.
    status, html = _page(as_user, bram, reverse("cases:request_detail", args=[case.pk]))
    assert "This request has no team yet. When you take it on, it becomes your team’s." in html
    assert as_user(bram).post(reverse("cases:take_on", args=[case.pk])).status_code == 302
    case.refresh_from_db()
    assert (case.state, case.team) == (State.REFERRED, team)
    assert _page(as_user, wim, reverse("cases:request_detail", args=[case.pk]))[0] == 404
    assert _page(as_user, wim, reverse("cases:detail", args=[case.pk]))[0] == 404


def test_the_request_page_shows_the_place_and_the_team(send, areas, as_user, bram, team):
    case = send(place="3511 AB Utrecht")
    status, html = _page(as_user, bram, reverse("cases:request_detail", args=[case.pk]))
    assert status == 200
    assert "3511 AB Utrecht" in html and "Team Utrecht" in html


def test_the_form_asks_for_the_place_and_a_long_one_is_refused(client, send, areas):
    html = client.get(FORM).content.decode()
    assert "Place or postcode" in html
    assert "Leave it empty if you do not know." in html
    response = client.post(FORM, form_data(place="x" * 101))
    assert response.status_code == 200
    assert "Ensure this value has at most 100 characters" in response.content.decode()
    assert not Referral.objects.exists()


def test_the_place_never_reaches_the_audit_log_or_any_mail(send, areas, bram, wim):
    send(place="8011 AB Zwolle")
    for row in AuditEvent.objects.values():
        assert "8011" not in str(row)
    for message in mail.outbox:
        assert "8011" not in message.body and "8011" not in message.subject


def test_the_managers_menu_has_the_teams_requests(as_user, vera):
    html = as_user(vera).get(reverse("cases:team_cases")).content.decode()
    assert f'href="{INBOX}"' in html


def test_a_team_without_office_staff_has_its_manager_told(send, areas, vera, bram):
    """No one of Team Zwolle's office: the request still reaches someone who sees it."""
    case = send(place="Zwolle")
    notices = [m.to[0] for m in mail.outbox if m.to != ["petra@example.org"]]
    assert notices == ["vera@kring.test"]
    assert reverse("cases:request_detail", args=[case.pk]) in mail.outbox[-1].body
