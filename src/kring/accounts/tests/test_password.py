import pytest
from django.urls import reverse

from kring.audit.models import AuditEvent
from kring.testing.auth import force_verified_login
from kring.testing.users import PASSWORD

URL = "/account/wachtwoord/"


def change(client, new, old=PASSWORD, repeat=None):
    return client.post(
        URL, {"old_password": old, "new_password1": new, "new_password2": repeat or new}
    )


def test_password_change_url_is_stable():
    assert reverse("accounts:password_change") == URL


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("password123456", "This password is on a list of passwords that are used often"),
        ("kort", "This password is too short. It must contain at least 12 characters."),
        ("carla@kring.test", "The password is too similar to the email address."),
    ],
)
def test_weak_passwords_are_refused_with_a_clear_message(client, carla, new, message):
    force_verified_login(client, carla)
    response = change(client, new)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "data-error-summary" in html
    carla.refresh_from_db()
    assert carla.check_password(PASSWORD)


def test_wrong_current_password_is_refused(client, carla):
    force_verified_login(client, carla)
    response = change(client, "een lange zin als wachtwoord", old="wrong")
    assert "Your old password was entered incorrectly." in response.content.decode()


def test_no_composition_rules_a_long_phrase_is_accepted(client, carla):
    force_verified_login(client, carla)
    response = change(client, "fietsen langs de vecht")
    assert response.url == reverse("accounts:account")
    carla.refresh_from_db()
    assert carla.check_password("fietsen langs de vecht")
    # This session stays signed in; the change is audited.
    assert client.get(reverse("accounts:account")).status_code == 200
    assert AuditEvent.objects.filter(action="account.password_changed", actor=carla).exists()


def test_changing_the_password_ends_other_sessions(client, carla, django_user_model):
    from django.test import Client

    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    force_verified_login(other, carla)
    assert other.get(reverse("accounts:account")).status_code == 200
    force_verified_login(client, carla)

    change(client, "fietsen langs de vecht")

    assert other.get(reverse("accounts:account")).status_code == 302
