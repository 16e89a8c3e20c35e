from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

import kring
from kring.accounts.models import Role, Team, User
from kring.audit.models import AuditEvent
from kring.cases.lifecycle import MOVES, State
from kring.cases.models import Assignment, Case, CaseEvent
from kring.notifications.models import OutgoingMail
from kring.referrals.models import Referral, ReferralPerson

demo_mode = override_settings(DEMO_MODE=True)


def load_demo():
    with demo_mode:
        call_command("load_demo", stdout=StringIO())


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Team,
            User,
            Referral,
            ReferralPerson,
            Case,
            Assignment,
            CaseEvent,
            AuditEvent,
            OutgoingMail,
        )
    }


@pytest.mark.django_db
def test_loading_the_demo_twice_neither_fails_nor_duplicates_anything():
    load_demo()
    first = counts()
    load_demo()
    assert counts() == first
    assert first["Case"] >= 10


def moves_with_an_action():
    """The moves some app's actions.py can make: their targets are the states that exist."""
    source = "\n".join(p.read_text() for p in Path(kring.__file__).parent.glob("*/actions.py"))
    return [move for move in MOVES.values() if f'"{move.name}"' in source]


@pytest.mark.django_db
def test_the_demo_shows_every_state_that_the_actions_can_reach_so_far():
    load_demo()
    reachable = {State.REQUESTED} | {move.target for move in moves_with_an_action()}
    present = set(Case.objects.values_list("state", flat=True))
    assert reachable <= present, f"add demo cases in {sorted(reachable - present)}"


@pytest.mark.django_db
def test_the_demo_has_requests_in_the_inbox_and_cases_of_carla_at_every_stage():
    load_demo()
    carla = User.objects.get(username="carla")
    assert Case.objects.filter(state=State.REQUESTED, team=None).count() >= 3
    # Offered to carla, waiting for her answer.
    assert Assignment.objects.filter(
        coordinator=carla, status=Assignment.Status.OFFERED, case__state=State.REFERRED
    ).exists()
    assert Case.objects.filter(coordinator=carla, state=State.ASSIGNED).exists()
    assert Case.objects.filter(coordinator=carla, state=State.STOPPED).exists()
    assert Case.objects.filter(state=State.DECLINED).exists()
    # Handed back by carla (R2), offered to someone else.
    assert Assignment.objects.filter(
        coordinator=carla, status=Assignment.Status.HANDED_BACK
    ).exists()


@pytest.mark.django_db
def test_the_demo_has_a_case_reassigned_from_olaf_to_carla():
    load_demo()
    reassigned = Case.objects.get(
        coordinator__username="carla",
        assignments__coordinator__username="olaf",
        assignments__status=Assignment.Status.ENDED,
    )
    assert reassigned.state == State.ASSIGNED
    # Reassignment moves the case back to "referred" until the new coordinator accepts (R2).
    assert reassigned.events.filter(from_state=State.ASSIGNED, to_state=State.REFERRED).exists()


@pytest.mark.django_db
def test_the_demo_teams_and_roles_are_as_the_readme_says():
    load_demo()
    roles = {u.username: (u.role, u.team.name if u.team else None) for u in User.objects.all()}
    assert roles["carla"] == (Role.COORDINATOR, "Team Utrecht")
    assert roles["olaf"] == (Role.COORDINATOR, "Team Utrecht")
    assert roles["bram"] == (Role.OFFICE, "Team Utrecht")
    assert roles["mira"] == (Role.MANAGER, "Team Utrecht")
    assert roles["ruud"] == (Role.RESEARCHER, None)
    assert roles["admin"] == (Role.ADMINISTRATOR, None)
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert not User.objects.filter(is_superuser=True).exclude(username="admin").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["carla", "olaf", "bram", "mira", "ruud", "admin"])
def test_every_demo_login_works_with_the_demo_password(client, username):
    load_demo()
    assert client.login(username=username, password="kring-demo")


@pytest.mark.django_db
def test_a_changed_demo_password_is_reset_by_loading_again(client):
    load_demo()
    carla = User.objects.get(username="carla")
    carla.set_password("something-else-entirely")
    carla.save()
    load_demo()
    assert client.login(username="carla", password="kring-demo")


@pytest.mark.django_db
def test_the_demo_data_is_refused_outside_demo_mode():
    with override_settings(DEMO_MODE=False), pytest.raises(CommandError, match="DEMO_MODE"):
        call_command("load_demo")
    assert not User.objects.filter(username="admin").exists()
