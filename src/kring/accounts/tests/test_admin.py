import pytest
from django.urls import reverse

from kring.accounts.models import Role, Team, User
from kring.testing.auth import force_verified_login
from kring.testing.users import PASSWORD, UserFactory

ADMIN_URLS = ["admin:index", "admin:accounts_user_changelist", "admin:accounts_team_changelist"]


@pytest.mark.parametrize("name", ADMIN_URLS)
def test_coordinator_is_refused_the_admin(client, carla, name):
    force_verified_login(client, carla)
    response = client.get(reverse(name), follow=True)
    assert response.status_code == 403


@pytest.mark.parametrize("person", ["bram", "mira", "ruud"])
def test_other_staff_roles_are_refused_the_admin(client, request, person):
    force_verified_login(client, request.getfixturevalue(person))
    assert client.get(reverse("admin:index"), follow=True).status_code == 403


@pytest.mark.parametrize("name", ADMIN_URLS)
def test_administrator_may_use_the_admin(client, admin_user, name):
    force_verified_login(client, admin_user)
    assert client.get(reverse(name)).status_code == 200


def test_administrator_role_without_superuser_flag_may_manage_users(client, db):
    ada = UserFactory(username="ada", role=Role.ADMINISTRATOR, team=None)
    force_verified_login(client, ada)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200


def test_anonymous_visitor_is_sent_to_kring_login(client, db):
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))
    assert response.status_code == 200


def test_admin_has_no_login_form_of_its_own(client, db):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    response = client.post(reverse("admin:login"), {"username": "admin", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_unverified_administrator_is_sent_to_the_second_factor(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("admin:index"))
    assert response.url.startswith(reverse("accounts:setup"))


def test_cases_and_otp_devices_are_not_in_the_admin(client, admin_user):
    force_verified_login(client, admin_user)
    html = client.get(reverse("admin:index")).content.decode()
    assert "/beheer/cases/" not in html
    assert "/beheer/otp_totp/" not in html
    assert "/beheer/otp_static/" not in html


def test_administrator_adds_a_user_with_role_and_team(client, admin_user, team):
    force_verified_login(client, admin_user)
    data = {
        "username": "nina",
        "first_name": "Nina",
        "last_name": "",
        "email": "nina@kring.test",
        "language": "nl",
        "role": Role.OFFICE,
        "team": team.pk,
        "usable_password": "true",
        "password1": "a long enough passphrase",
        "password2": "a long enough passphrase",
    }
    response = client.post(reverse("admin:accounts_user_add"), data)
    assert response.status_code == 302
    nina = User.objects.get(username="nina")
    assert nina.role == Role.OFFICE
    assert nina.team == team
    assert nina.password.startswith("md5$")  # hashed (Argon2 outside the test settings)


def test_admin_refuses_a_common_password_for_a_new_user(client, admin_user):
    force_verified_login(client, admin_user)
    data = {
        "username": "nina",
        "role": Role.OFFICE,
        "language": "nl",
        "usable_password": "true",
        "password1": "password123456",
        "password2": "password123456",
    }
    response = client.post(reverse("admin:accounts_user_add"), data)
    assert response.status_code == 200
    assert "This password is on a list of passwords that are used often" in (
        response.content.decode()
    )
    assert not User.objects.filter(username="nina").exists()


def test_administrator_adds_a_team(client, admin_user):
    force_verified_login(client, admin_user)
    client.post(
        reverse("admin:accounts_team_add"),
        {"name": "Team Breda", "areas-TOTAL_FORMS": "0", "areas-INITIAL_FORMS": "0"},
    )
    assert Team.objects.filter(name="Team Breda").exists()
