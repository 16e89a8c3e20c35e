"""A staff user's refused attempt to open a case is logged once per user, case and hour, for
the case's team, and the manager's access log shows it as refused (issue 6, point 5)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from kring.accounts.models import Role
from kring.audit import chain
from kring.audit.models import AuditEvent
from kring.cases.models import Case
from kring.testing.factories import UserFactory

REFUSED = "case.access_refused"


@pytest.fixture
def noor(other_team):
    """A coordinator of Team Zwolle."""
    return UserFactory(username="noor", first_name="Noor", role=Role.COORDINATOR, team=other_team)


@pytest.fixture
def vera(other_team):
    """The manager of Team Zwolle."""
    return UserFactory(username="vera", first_name="Vera", role=Role.MANAGER, team=other_team)


def _open(client, case_pk):
    return client.get(reverse("cases:detail", args=[case_pk]))


def test_olaf_opening_carlas_case_is_logged_as_refused(as_user, olaf, carlas_case):
    assert _open(as_user(olaf), carlas_case.pk).status_code == 404
    event = AuditEvent.objects.get(action=REFUSED)
    assert event.actor == olaf
    assert event.actor_role == Role.COORDINATOR
    assert event.case_id == carlas_case.pk
    assert event.team_id == carlas_case.team_id


def test_a_second_attempt_within_the_hour_writes_nothing(as_user, olaf, carlas_case):
    client = as_user(olaf)
    _open(client, carlas_case.pk)
    assert _open(client, carlas_case.pk).status_code == 404
    client.get(reverse("circle:overview", args=[carlas_case.pk]))
    assert AuditEvent.objects.filter(action=REFUSED).count() == 1


def test_an_attempt_after_an_hour_is_written_again(as_user, olaf, carlas_case):
    chain.append(
        {
            "at": timezone.now() - timedelta(minutes=61),
            "actor_id": olaf.pk,
            "actor_role": olaf.role,
            "actor_kind": "staff",
            "actor_participant_id": None,
            "for_participant_id": None,
            "team_id": carlas_case.team_id,
            "case_id": carlas_case.pk,
            "action": REFUSED,
            "object_type": "",
            "object_id": "",
            "ip": None,
            "data": {},
        }
    )
    assert _open(as_user(olaf), carlas_case.pk).status_code == 404
    assert AuditEvent.objects.filter(action=REFUSED).count() == 2


def test_each_user_and_each_case_is_logged_on_its_own(
    as_user, olaf, bram, carlas_case, requested_case, db
):
    _open(as_user(olaf), carlas_case.pk)
    _open(as_user(olaf), requested_case.pk)  # a coordinator never sees the inbox
    other = UserFactory(username="otto", role=Role.COORDINATOR, team=olaf.team)
    _open(as_user(other), carlas_case.pk)
    rows = AuditEvent.objects.filter(action=REFUSED)
    assert {(row.actor_id, row.case_id) for row in rows} == {
        (olaf.pk, carlas_case.pk),
        (olaf.pk, requested_case.pk),
        (other.pk, carlas_case.pk),
    }


def test_a_case_number_that_does_not_exist_is_not_logged(as_user, olaf, carlas_case):
    missing = Case.objects.order_by("-pk").first().pk + 100
    assert _open(as_user(olaf), missing).status_code == 404
    assert not AuditEvent.objects.filter(action=REFUSED).exists()


def test_a_case_the_user_may_open_is_not_logged_as_refused(as_user, carla, carlas_case):
    assert _open(as_user(carla), carlas_case.pk).status_code == 200
    assert not AuditEvent.objects.filter(action=REFUSED).exists()


def test_another_teams_coordinator_is_logged_for_the_cases_team(
    as_user, noor, mira, vera, carlas_case
):
    assert _open(as_user(noor), carlas_case.pk).status_code == 404
    event = AuditEvent.objects.get(action=REFUSED)
    assert event.team_id == carlas_case.team_id != noor.team_id
    html = as_user(mira).get(reverse("audit:log")).content.decode()
    assert "Noor" in html
    assert carlas_case.reference in html
    html = as_user(vera).get(reverse("audit:log")).content.decode()
    assert carlas_case.reference not in html


def test_another_teams_manager_is_seen_by_the_cases_manager(as_user, vera, mira, carlas_case):
    assert _open(as_user(vera), carlas_case.pk).status_code == 404
    assert AuditEvent.objects.filter(action=REFUSED, actor=vera).exists()
    html = as_user(mira).get(reverse("audit:log") + "?action=case.access_refused").content.decode()
    assert "Vera" in html
    assert carlas_case.reference in html


def test_the_access_log_shows_the_attempt_as_refused(as_user, olaf, mira, carla, carlas_case):
    _open(as_user(olaf), carlas_case.pk)
    _open(as_user(carla), carlas_case.pk)  # an allowed read, for contrast
    html = as_user(mira).get(reverse("audit:log")).content.decode()
    assert html.count('class="tag stopped">Refused</strong>') == 1
    assert "Tried to open a case without access" in html
    html = as_user(mira).get(reverse("audit:log") + "?action=case.access_refused").content.decode()
    assert 'value="case.access_refused" selected' in html
    assert "Olaf" in html
    assert "<code>case.viewed</code>" not in html


def test_the_row_stands_although_the_response_is_a_404():
    """The refusal is written in autocommit and the 404 rolls nothing back: with
    ATOMIC_REQUESTS the request's transaction, and the row with it, would be undone."""
    assert not any(db.get("ATOMIC_REQUESTS") for db in settings.DATABASES.values())


def test_an_administrator_opening_a_case_leaves_a_trace(as_user, admin_user, mira, carlas_case):
    """The finding of issue 6: an administrator reached case content without a trace."""
    assert _open(as_user(admin_user), carlas_case.pk).status_code == 404
    event = AuditEvent.objects.get(action=REFUSED)
    assert (event.actor, event.team_id) == (admin_user, carlas_case.team_id)
    html = as_user(mira).get(reverse("audit:log") + "?action=case.access_refused").content.decode()
    assert "Ada" in html
    assert carlas_case.reference in html
