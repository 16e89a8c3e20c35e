from django.contrib.sessions.models import Session
from django.urls import reverse

from kring.accounts import sessions
from kring.audit.models import AuditEvent
from kring.testing.auth import force_verified_login, login_verified

ACCOUNT = "/account/"


def shift(client, key, seconds):
    """Pretend `key` happened `seconds` earlier."""
    session = client.session
    session[key] -= seconds
    session.save()


def test_login_records_the_login_time_and_last_activity(client, carla):
    login_verified(client, carla)
    assert client.session[sessions.LOGIN_AT] == client.session[sessions.SEEN_AT]


def test_idle_session_is_ended_and_the_user_is_told_why(client, carla, settings):
    force_verified_login(client, carla)
    assert client.get(ACCOUNT).status_code == 200
    old_key = client.session.session_key
    shift(client, sessions.SEEN_AT, settings.KRING_SESSION_IDLE_SECONDS + 1)

    response = client.get(ACCOUNT)

    assert response.status_code == 302
    assert response.url == reverse("accounts:login") + "?next=%2Faccount%2F"
    assert not Session.objects.filter(session_key=old_key).exists()
    page = client.get(response.url).content.decode()
    assert "You were logged out after 30 minutes of inactivity." in page
    assert client.get(ACCOUNT).status_code == 302
    assert AuditEvent.objects.filter(action="account.session_expired", actor=carla).exists()


def test_active_session_is_ended_after_the_absolute_time(client, carla, settings):
    force_verified_login(client, carla)
    client.get(ACCOUNT)
    old_key = client.session.session_key
    shift(client, sessions.LOGIN_AT, settings.KRING_SESSION_ABSOLUTE_SECONDS + 1)

    response = client.get(ACCOUNT)

    assert response.url.startswith(reverse("accounts:login"))
    assert not Session.objects.filter(session_key=old_key).exists()
    page = client.get(response.url).content.decode()
    assert "because you had been logged in for 10 hours" in page


def test_session_just_within_the_idle_time_stays(client, carla, settings):
    force_verified_login(client, carla)
    client.get(ACCOUNT)
    shift(client, sessions.SEEN_AT, settings.KRING_SESSION_IDLE_SECONDS - 5)
    assert client.get(ACCOUNT).status_code == 200


def test_last_activity_is_written_at_most_once_a_minute(client, carla):
    force_verified_login(client, carla)
    client.get(ACCOUNT)
    shift(client, sessions.SEEN_AT, 30)
    seen = client.session[sessions.SEEN_AT]
    client.get(ACCOUNT)
    assert client.session[sessions.SEEN_AT] == seen

    shift(client, sessions.SEEN_AT, 40)
    client.get(ACCOUNT)
    assert client.session[sessions.SEEN_AT] > seen


def test_time_out_also_applies_halfway_through_the_login(client, carla, settings):
    client.post(reverse("accounts:login"), {"username": "carla", "password": "kring-demo"})
    shift(client, sessions.SEEN_AT, settings.KRING_SESSION_IDLE_SECONDS + 1)
    response = client.get(reverse("accounts:setup"))
    assert response.url.startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session
