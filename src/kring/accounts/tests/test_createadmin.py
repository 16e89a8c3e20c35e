"""The first administrator (issue 7): `kring createadmin` makes a user who can administer, and
a signed-in user without a role gets a page that says so, never a redirect loop."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from kring.accounts.models import Role, User
from kring.audit.models import AuditEvent
from kring.testing.auth import force_verified_login, login_verified
from kring.testing.users import UserFactory

PASSWORD = "a long and unusual passphrase"  # noqa: S105


def create_admin(monkeypatch, username="ada", password=PASSWORD, **options):
    monkeypatch.setenv("KRING_ADMIN_PASSWORD", password)
    call_command(
        "createadmin",
        "--noinput",
        username=username,
        email=options.get("email", f"{username}@example.org"),
        first_name=options.get("first_name", "Ada"),
    )
    return User.objects.get(username=username)


def test_the_command_makes_an_administrator(db, monkeypatch):
    ada = create_admin(monkeypatch)
    assert ada.role == Role.ADMINISTRATOR
    assert ada.is_staff and ada.is_superuser and ada.is_active
    assert ada.team is None
    assert (ada.email, ada.first_name) == ("ada@example.org", "Ada")
    assert ada.check_password(PASSWORD)
    event = AuditEvent.objects.get(action="account.added")
    assert event.data["values"]["role"] == Role.ADMINISTRATOR
    assert event.actor is None


def test_the_first_administrator_reaches_the_admin_after_the_second_factor(db, client, monkeypatch):
    ada = create_admin(monkeypatch)
    login_verified(client, ada, password=PASSWORD)  # sets up the authenticator app first
    assert client.get(reverse("admin:index")).status_code == 200
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_an_existing_username_is_refused(db, monkeypatch):
    UserFactory(username="ada")
    with pytest.raises(CommandError, match="exists already"):
        create_admin(monkeypatch, username="Ada")
    assert User.objects.filter(role=Role.ADMINISTRATOR).count() == 0


def test_noinput_needs_the_password_in_the_environment(db, monkeypatch):
    monkeypatch.delenv("KRING_ADMIN_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="KRING_ADMIN_PASSWORD"):
        call_command(
            "createadmin", "--noinput", username="ada", email="ada@example.org", first_name="Ada"
        )
    assert not User.objects.exists()


def test_noinput_needs_every_answer(db, monkeypatch):
    monkeypatch.setenv("KRING_ADMIN_PASSWORD", PASSWORD)
    with pytest.raises(CommandError, match="--email"):
        call_command("createadmin", "--noinput", username="ada", first_name="Ada")


def test_a_weak_password_is_refused(db, monkeypatch):
    with pytest.raises(CommandError, match="too short"):
        create_admin(monkeypatch, password="short")
    assert not User.objects.exists()


def test_interactive_asks_again_until_the_passwords_match(db, monkeypatch, capsys):
    answers = iter(["ada", "not an address", "ada@example.org", "Ada"])
    passwords = iter(["one long passphrase", "another long passphrase", PASSWORD, PASSWORD])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(passwords))
    call_command("createadmin")
    ada = User.objects.get(username="ada")
    assert ada.role == Role.ADMINISTRATOR and ada.check_password(PASSWORD)
    errors = capsys.readouterr().err
    assert "not a valid e-mail address" in errors
    assert "The two passwords differ" in errors


def test_createsuperuser_points_to_createadmin(db):
    with pytest.raises(CommandError, match="createadmin"):
        call_command("createsuperuser", "--noinput", username="root", email="root@example.org")
    assert not User.objects.exists()


@pytest.mark.parametrize("role", ["", "someday"])
def test_a_user_without_a_role_gets_a_page_not_a_loop(db, client, role):
    nobody = UserFactory(username="nobody", role=role, team=None)
    force_verified_login(client, nobody)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:no_role")
    page = client.get(response.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ask an administrator" in html
    assert ("has the role" in html) is bool(role)


def test_the_no_role_page_sends_a_user_with_a_role_to_their_start_page(client, carla):
    force_verified_login(client, carla)
    response = client.get(reverse("accounts:no_role"))
    assert response.status_code == 302
    assert response.url == reverse("cases:my_cases")
