"""Administrators are audited (issue 6, point 5): every change made through /beheer/ reaches
Kring's audit log with its old and new values (never a password), the manager of the affected
team sees it in the access log and is e-mailed when someone gains access to the team's cases,
and an administrator cannot change their own role, team or access."""

import json

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from kring.accounts.models import Role, Team, User
from kring.audit.models import AuditEvent
from kring.notifications.models import OutgoingMail
from kring.testing.auth import force_verified_login
from kring.testing.users import UserFactory

NEW_PASSWORD = "een heel lang wachtwoord"  # noqa: S105


def _user_form(user, **changes) -> dict:
    """The admin's user-change form as the administrator would post it: every field as it is
    now, with `changes` applied (a checkbox left out is unticked; team "" is no team)."""
    values = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "language": user.language,
        "role": user.role,
        "team": user.team_id or "",
        "is_active": user.is_active,
        "is_superuser": user.is_superuser,
        **changes,
    }
    data = {key: value for key, value in values.items() if key not in {"is_active", "is_superuser"}}
    data |= {flag: "on" for flag in ("is_active", "is_superuser") if values[flag]}
    data |= {
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
    }
    return data


def _change(client, user, **changes):
    return client.post(
        reverse("admin:accounts_user_change", args=[user.pk]), _user_form(user, **changes)
    )


def _access_log(client, user, query="") -> str:
    force_verified_login(client, user)
    response = client.get(reverse("audit:log") + query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def admin_client(client, admin_user):
    force_verified_login(client, admin_user)
    return client


@pytest.fixture
def vera(other_team):
    """The manager of Team Zwolle."""
    return UserFactory(username="vera", first_name="Vera", role=Role.MANAGER, team=other_team)


# --- every change is in the audit log, with old and new values ------------------------------


def test_a_role_change_is_audited_with_the_old_and_new_role(admin_client, admin_user, olaf):
    response = _change(admin_client, olaf, role=Role.MANAGER)
    assert response.status_code == 302
    olaf.refresh_from_db()
    assert olaf.role == Role.MANAGER
    event = AuditEvent.objects.get(action="account.changed")
    assert event.actor == admin_user
    assert event.actor_role == Role.ADMINISTRATOR
    assert event.team_id == olaf.team_id
    assert event.object_type == "accounts.user"
    assert event.object_id == str(olaf.pk)
    assert event.data == {
        "user": olaf.pk,
        "changes": {"role": {"old": "coordinator", "new": "manager"}},
    }


def test_active_and_superuser_flags_are_audited(admin_client, olaf):
    _change(admin_client, olaf, is_active=False, is_superuser=True)
    event = AuditEvent.objects.get(action="account.changed")
    assert event.data["changes"] == {
        "is_active": {"old": True, "new": False},
        "is_superuser": {"old": False, "new": True},
    }


def test_other_fields_are_named_but_their_values_are_not_logged(admin_client, olaf):
    _change(admin_client, olaf, email="olaf.nieuw@example.org", first_name="Olav")
    event = AuditEvent.objects.get(action="account.changed")
    assert event.data == {"user": olaf.pk, "fields": ["email", "first_name"]}
    assert "olaf.nieuw@example.org" not in json.dumps(event.data)


def test_saving_without_a_change_writes_nothing(admin_client, olaf):
    assert _change(admin_client, olaf).status_code == 302
    assert not AuditEvent.objects.filter(action__startswith="account.").exists()


def test_a_move_to_another_team_is_written_for_both_teams(
    client, admin_user, olaf, mira, vera, other_team
):
    force_verified_login(client, admin_user)
    _change(client, olaf, team=other_team.pk)
    rows = AuditEvent.objects.filter(action="account.changed")
    assert {row.team_id for row in rows} == {olaf.team_id, other_team.pk}
    for row in rows:
        assert row.data["changes"] == {"team": {"old": olaf.team_id, "new": other_team.pk}}
    for manager in (mira, vera):
        html = _access_log(client, manager)
        assert "Olaf" in html
        assert "Team: Team Utrecht → Team Zwolle" in html


def test_a_user_added_through_the_admin_is_audited(admin_client, admin_user, team):
    data = {
        "username": "nina",
        "first_name": "Nina",
        "email": "nina@kring.test",
        "language": "nl",
        "role": Role.OFFICE,
        "team": team.pk,
        "usable_password": "true",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    assert admin_client.post(reverse("admin:accounts_user_add"), data).status_code == 302
    nina = User.objects.get(username="nina")
    event = AuditEvent.objects.get(action="account.added")
    assert event.actor == admin_user
    assert event.team_id == team.pk
    assert event.data == {
        "user": nina.pk,
        "values": {
            "role": "office",
            "team": team.pk,
            "is_active": True,
            "is_staff": False,
            "is_superuser": False,
        },
        "password_set": True,
    }
    logged = json.dumps(event.data)
    assert NEW_PASSWORD not in logged
    assert nina.password not in logged
    assert "nina@kring.test" not in logged


def test_a_user_deleted_through_the_admin_is_audited(admin_client, team):
    bea = UserFactory(username="bea", first_name="Bea", role=Role.OFFICE, team=team)
    response = admin_client.post(
        reverse("admin:accounts_user_delete", args=[bea.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not User.objects.filter(username="bea").exists()
    event = AuditEvent.objects.get(action="account.deleted")
    assert event.team_id == team.pk
    assert event.data == {
        "user": bea.pk,
        "username": "bea",
        "values": {
            "role": "office",
            "team": team.pk,
            "is_active": True,
            "is_staff": False,
            "is_superuser": False,
        },
    }


def test_users_deleted_with_the_list_action_are_audited(admin_client, team, mira, client):
    bea = UserFactory(username="bea", first_name="Bea", role=Role.OFFICE, team=team)
    response = admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "delete_selected", "_selected_action": [bea.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not User.objects.filter(pk=bea.pk).exists()
    event = AuditEvent.objects.get(action="account.deleted")
    assert (event.team_id, event.data["username"]) == (team.pk, "bea")
    html = _access_log(client, mira, "?action=admin")
    assert "Account deleted: bea" in html
    assert "Role: Office" in html


def test_a_password_set_by_the_administrator_is_audited_without_the_password(
    admin_client, admin_user, olaf
):
    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[olaf.pk]),
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    olaf.refresh_from_db()
    assert olaf.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action="account.password_set")
    assert event.actor == admin_user
    assert event.team_id == olaf.team_id
    assert event.data == {"user": olaf.pk, "usable": True}
    assert NEW_PASSWORD not in json.dumps(event.data)
    assert olaf.password not in json.dumps(event.data)


def test_a_refused_password_writes_nothing(admin_client, olaf):
    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[olaf.pk]),
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": "something else"},
    )
    assert response.status_code == 200
    assert not AuditEvent.objects.filter(action="account.password_set").exists()


def test_a_second_factor_reset_is_written_for_the_users_team(client, admin_user, olaf, mira):
    force_verified_login(client, olaf)  # olaf has an app now
    force_verified_login(client, admin_user)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [olaf.pk]},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="account.second_factor_reset")
    assert event.actor == admin_user
    assert event.team_id == olaf.team_id
    html = _access_log(client, mira, "?action=admin")
    assert "Second factor reset" in html
    assert "Olaf" in html


# The team's page holds its areas too (an inline): a post without them changes none.
NO_AREAS = {"areas-TOTAL_FORMS": "0", "areas-INITIAL_FORMS": "0"}


def test_team_added_renamed_and_deleted_are_audited(admin_client, admin_user):
    admin_client.post(reverse("admin:accounts_team_add"), {"name": "Team Breda", **NO_AREAS})
    breda = Team.objects.get(name="Team Breda")
    admin_client.post(
        reverse("admin:accounts_team_change", args=[breda.pk]),
        {"name": "Team Breda-Oost", **NO_AREAS},
    )
    admin_client.post(reverse("admin:accounts_team_delete", args=[breda.pk]), {"post": "yes"})
    assert not Team.objects.filter(pk=breda.pk).exists()
    rows = list(AuditEvent.objects.filter(action__startswith="team.").order_by("pk"))
    assert [(row.action, row.team_id, row.data) for row in rows] == [
        ("team.added", breda.pk, {"team": breda.pk, "values": {"name": "Team Breda"}}),
        (
            "team.changed",
            breda.pk,
            {
                "team": breda.pk,
                "changes": {"name": {"old": "Team Breda", "new": "Team Breda-Oost"}},
            },
        ),
        ("team.deleted", breda.pk, {"team": breda.pk, "values": {"name": "Team Breda-Oost"}}),
    ]
    assert all(row.actor == admin_user for row in rows)


def test_a_team_renamed_is_seen_by_its_manager(admin_client, team, mira, client):
    admin_client.post(
        reverse("admin:accounts_team_change", args=[team.pk]), {"name": "Utrecht", **NO_AREAS}
    )
    html = _access_log(client, mira, "?action=admin")
    assert "Name: Team Utrecht → Utrecht" in html


# --- an administrator cannot change their own role, team or access ---------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("role", Role.MANAGER),
        ("team", "team"),
        ("is_active", False),
        ("is_superuser", False),
    ],
)
def test_an_administrator_cannot_change_their_own_role_team_or_access(
    admin_client, admin_user, team, field, value
):
    if value == "team":
        value = team.pk
    response = _change(admin_client, admin_user, **{field: value})
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors[field] == [
        "You cannot change this on your own account: ask another administrator."
    ]
    html = response.content.decode()
    assert "You cannot change this on your own account: ask another administrator." in html
    admin_user.refresh_from_db()
    assert (admin_user.role, admin_user.team, admin_user.is_active, admin_user.is_superuser) == (
        Role.ADMINISTRATOR,
        None,
        True,
        True,
    )
    assert not AuditEvent.objects.filter(action__startswith="account.").exists()


def test_an_administrator_may_change_their_own_name(admin_client, admin_user):
    assert _change(admin_client, admin_user, first_name="Adriana").status_code == 302
    admin_user.refresh_from_db()
    assert admin_user.first_name == "Adriana"


def test_an_administrator_cannot_delete_their_own_account(admin_client, admin_user):
    response = admin_client.post(
        reverse("admin:accounts_user_delete", args=[admin_user.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    response = admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "delete_selected", "_selected_action": [admin_user.pk], "post": "yes"},
    )
    assert User.objects.filter(pk=admin_user.pk).exists()
    assert not AuditEvent.objects.filter(action="account.deleted").exists()


def test_an_administrator_may_change_another_administrators_role(admin_client, db):
    ada = UserFactory(username="ada", role=Role.ADMINISTRATOR, team=None)
    assert _change(admin_client, ada, role=Role.RESEARCHER).status_code == 302
    ada.refresh_from_db()
    assert ada.role == Role.RESEARCHER


# --- the manager sees it in the access log -------------------------------------------------


def test_the_manager_sees_a_role_change_in_plain_words(admin_client, olaf, mira, client):
    _change(admin_client, olaf, role=Role.MANAGER)
    html = _access_log(client, mira)
    assert "Role: Coordinator → Manager" in html
    assert "Olaf" in html
    assert "Account changed: Olaf" in html  # in words, never the code (issue 8, point 10)
    assert "account.changed" not in html


def test_the_manager_reads_the_change_in_their_own_language(admin_client, olaf, mira, client):
    _change(admin_client, olaf, role=Role.MANAGER)
    force_verified_login(client, mira)
    html = client.get(reverse("audit:log"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Rol: Coördinator → Manager" in html


def test_the_administration_filter_shows_only_administration_changes(
    admin_client, olaf, mira, client, carla
):
    _change(admin_client, olaf, role=Role.MANAGER)
    force_verified_login(client, carla)
    client.get(reverse("cases:my_cases"))
    html = _access_log(client, mira, "?action=admin")
    assert "Account changed: Olaf" in html
    assert "Read a list of cases" not in html
    assert 'value="admin"' in html


def test_a_change_in_another_team_is_not_shown(admin_client, olaf, vera, client):
    _change(admin_client, olaf, role=Role.MANAGER)
    html = _access_log(client, vera)
    assert "Account changed" not in html


def test_no_secret_reaches_the_access_log(admin_client, olaf, mira, client):
    admin_client.post(
        reverse("admin:auth_user_password_change", args=[olaf.pk]),
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    olaf.refresh_from_db()
    html = _access_log(client, mira)
    assert "Password set by an administrator" in html
    assert NEW_PASSWORD not in html
    assert olaf.password not in html


# --- access to cases is e-mailed to the team's managers -------------------------------------


def test_a_role_that_gives_access_to_cases_is_mailed_to_the_teams_managers(
    admin_client, admin_user, team, mira, mailoutbox, django_capture_on_commit_callbacks
):
    mira.language = "en"
    mira.save(update_fields=["language"])
    milan = UserFactory(username="milan", role=Role.MANAGER, team=team, language="nl")
    UserFactory(username="hugo", role=Role.MANAGER, team=team, is_active=False)
    tess = UserFactory(username="tess", first_name="Tess", role=Role.RESEARCHER, team=None)
    with django_capture_on_commit_callbacks(execute=True):
        _change(admin_client, tess, role=Role.COORDINATOR, team=team.pk)
    assert sorted(m.to[0] for m in mailoutbox) == ["milan@kring.test", "mira@kring.test"]
    assert OutgoingMail.objects.get(to=milan.email).language == "nl"
    message = next(m for m in mailoutbox if m.to == [mira.email])
    assert message.subject == "A role in your team was changed"
    assert "Tess" not in message.subject
    link = settings.SITE_URL + reverse("audit:log")
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert "Ada" in body
        assert "Tess" in body
        assert "Coordinator" in body
        assert "Team Utrecht" in body
        assert link in body
    with translation.override("nl"):
        dutch = next(m for m in mailoutbox if m.to == [milan.email])
        assert "Coördinator" in dutch.body


def test_a_user_added_with_a_case_role_is_mailed_to_the_managers(
    admin_client, team, mira, mailoutbox, django_capture_on_commit_callbacks
):
    data = {
        "username": "nina",
        "first_name": "Nina",
        "email": "nina@kring.test",
        "language": "nl",
        "role": Role.OFFICE,
        "team": team.pk,
        "usable_password": "true",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("admin:accounts_user_add"), data)
    assert [m.to for m in mailoutbox] == [[mira.email]]
    assert "Nina" in mailoutbox[0].body


def test_a_move_to_a_team_mails_the_new_teams_manager_only(
    admin_client, olaf, mira, vera, other_team, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _change(admin_client, olaf, team=other_team.pk)
    assert [m.to for m in mailoutbox] == [[vera.email]]


def test_a_promotion_to_manager_is_mailed_to_the_other_managers(
    admin_client, olaf, mira, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _change(admin_client, olaf, role=Role.MANAGER)
    assert [m.to for m in mailoutbox] == [[mira.email]]


@pytest.mark.parametrize(
    "changes",
    [
        {"role": Role.RESEARCHER, "team": ""},  # loses access: no mail
        {"first_name": "Olav"},  # nothing to do with access
        {"is_active": False},
    ],
)
def test_a_change_that_gives_no_access_sends_no_mail(
    admin_client, olaf, mira, mailoutbox, django_capture_on_commit_callbacks, changes
):
    with django_capture_on_commit_callbacks(execute=True):
        assert _change(admin_client, olaf, **changes).status_code == 302
    assert mailoutbox == []
