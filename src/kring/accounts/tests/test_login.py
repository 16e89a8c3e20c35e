from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kring.accounts import throttle
from kring.accounts.models import LoginThrottle
from kring.audit.models import AuditEvent
from kring.testing.users import PASSWORD

WRONG = "not-the-password"
INCORRECT = "The username or password is not correct."
LOCKED = "Too many failed attempts"


def attempt(client, username, password, ip="10.0.0.1", **data):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password, **data},
        REMOTE_ADDR=ip,
    )


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail_until_locked(client, username, ip="10.0.0.1", *, times=None):
    from django.conf import settings

    for _ in range(times or settings.KRING_LOGIN_MAX_FAILURES):
        response = attempt(client, username, WRONG, ip=ip)
    return response


def test_login_page_has_labelled_fields(client, db):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_username">Username' in html
    assert '<label for="id_password">Password' in html
    assert 'autocomplete="current-password"' in html


def test_right_password_goes_on_to_the_second_factor(client, carla):
    response = attempt(client, "carla", PASSWORD)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:setup"))
    assert logged_in(client)


def test_wrong_password_and_unknown_user_get_the_same_message(client, carla):
    wrong_password = attempt(client, "carla", WRONG)
    unknown_user = attempt(client, "nobody", WRONG)
    for response in (wrong_password, unknown_user):
        assert response.status_code == 200
        assert INCORRECT in response.content.decode()
        assert "data-error-summary" in response.content.decode()
    assert not logged_in(client)


def test_username_stays_in_the_form_after_a_failure_but_the_password_does_not(client, carla):
    html = attempt(client, "carla", WRONG).content.decode()
    assert 'value="carla"' in html
    assert WRONG not in html


def test_account_is_locked_after_max_failures_and_refuses_even_the_right_password(
    client, carla, settings
):
    settings.KRING_LOGIN_MAX_FAILURES = 3
    for _ in range(2):
        assert LOCKED not in attempt(client, "carla", WRONG).content.decode()
    assert LOCKED in attempt(client, "carla", WRONG).content.decode()

    response = attempt(client, "carla", PASSWORD)

    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    assert "You can try again after" in response.content.decode()
    assert not logged_in(client)


def test_lock_ends_after_the_cool_off(client, carla, settings):
    settings.KRING_LOGIN_MAX_FAILURES = 3
    fail_until_locked(client, "carla")
    LoginThrottle.objects.filter(locked_until__isnull=False).update(
        locked_until=timezone.now() - timedelta(seconds=1)
    )

    response = attempt(client, "carla", PASSWORD)

    assert response.status_code == 302
    assert logged_in(client)


def test_lock_ends_after_the_configured_cool_off_without_editing_the_lock(client, carla, settings):
    settings.KRING_LOGIN_MAX_FAILURES = 2
    settings.KRING_LOGIN_COOLOFF_SECONDS = 0
    fail_until_locked(client, "carla")
    assert attempt(client, "carla", PASSWORD).status_code == 302


def test_attempts_during_a_lock_do_not_extend_it(client, carla, settings):
    settings.KRING_LOGIN_MAX_FAILURES = 2
    fail_until_locked(client, "carla")
    key = throttle.pair_key("carla", "10.0.0.1")
    until = LoginThrottle.objects.get(key=key).locked_until
    assert until is not None
    for _ in range(5):
        attempt(client, "carla", WRONG)
    assert LoginThrottle.objects.get(key=key).locked_until == until


def test_lock_key_ignores_the_case_of_the_username(client, carla, settings):
    settings.KRING_LOGIN_MAX_FAILURES = 2
    attempt(client, "Carla", WRONG)
    attempt(client, "CARLA", WRONG)
    assert LOCKED in attempt(client, "carla", PASSWORD).content.decode()


def test_failures_on_one_account_do_not_lock_another_account(client, carla, olaf, settings):
    settings.KRING_LOGIN_MAX_FAILURES = 3
    fail_until_locked(client, "carla", ip="10.0.0.66")

    response = attempt(client, "olaf", PASSWORD, ip="10.0.0.2")

    assert response.status_code == 302
    assert logged_in(client)


def test_many_failures_from_one_address_lock_that_address_only(client, carla, olaf, settings):
    settings.KRING_LOGIN_MAX_FAILURES_PER_ADDRESS = 3
    for name in ("anna", "bert", "cees"):  # a different username each time
        attempt(client, name, WRONG, ip="10.0.0.66")

    from_attacker = attempt(client, "olaf", PASSWORD, ip="10.0.0.66")
    assert LOCKED in from_attacker.content.decode()
    assert not logged_in(client)

    from_elsewhere = attempt(client, "olaf", PASSWORD, ip="10.0.0.2")
    assert from_elsewhere.status_code == 302


def test_an_address_shared_by_colleagues_has_a_higher_limit_than_one_account(
    client, carla, olaf, settings
):
    settings.KRING_LOGIN_MAX_FAILURES = 3
    settings.KRING_LOGIN_MAX_FAILURES_PER_ADDRESS = 10
    for name in ("anna", "bert", "cees", "dirk"):  # colleagues mistyping, one office address
        attempt(client, name, WRONG, ip="10.0.0.66")
    assert attempt(client, "olaf", PASSWORD, ip="10.0.0.66").status_code == 302


def test_success_resets_the_count_for_the_account(client, carla, settings):
    settings.KRING_LOGIN_MAX_FAILURES = 3
    fail_until_locked(client, "carla", times=2)
    assert attempt(client, "carla", PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))

    # Two more failures (from another address) do not reach the limit of three.
    fail_until_locked(client, "carla", ip="10.0.0.3", times=2)
    assert attempt(client, "carla", PASSWORD, ip="10.0.0.3").status_code == 302


def test_inactive_user_cannot_log_in(client, carla):
    carla.is_active = False
    carla.save()
    assert INCORRECT in attempt(client, "carla", PASSWORD).content.decode()
    assert not logged_in(client)


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/zaken/", "javascript:alert(1)"]
)
def test_next_pointing_elsewhere_is_ignored(client, carla, settings, next_url):
    settings.DEMO_MODE = True
    response = attempt(client, "carla", PASSWORD, next=next_url)
    assert response.url == reverse("cases:my_cases")


def test_next_on_this_site_is_followed(client, carla, settings):
    settings.DEMO_MODE = True
    response = attempt(client, "carla", PASSWORD, next="/account/")
    assert response.url == "/account/"


def test_logins_failures_and_locks_are_audited(client, carla, settings):
    settings.KRING_LOGIN_MAX_FAILURES = 2
    attempt(client, "carla", WRONG)
    attempt(client, "carla", WRONG)
    attempt(client, "carla", PASSWORD)
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions == [
        "account.login_failed",
        "account.login_failed",
        "account.locked",
        "account.login_refused",
    ]
    failed = AuditEvent.objects.filter(action="account.login_failed").first()
    assert failed.actor is None
    assert failed.object_id == str(carla.pk)
    assert failed.ip == "10.0.0.1"
    # In her team's access log, where the manager sees them (issue 8, point 10).
    assert set(AuditEvent.objects.values_list("team_id", flat=True)) == {carla.team_id}
    assert carla.team_id is not None


def test_a_failed_login_for_an_unknown_name_belongs_to_no_team(client, carla):
    attempt(client, "nobody-here", WRONG)
    failed = AuditEvent.objects.get(action="account.login_failed")
    assert (failed.object_id, failed.team_id) == ("", None)


def test_successful_login_is_audited_with_the_user(client, carla):
    attempt(client, "carla", PASSWORD)
    event = AuditEvent.objects.get(action="account.login")
    assert event.actor == carla


def test_logout_ends_the_session_on_the_server(client, carla):
    from django.contrib.sessions.models import Session

    attempt(client, "carla", PASSWORD)
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()

    response = client.post(reverse("accounts:logout"), follow=True)

    assert not Session.objects.filter(session_key=key).exists()
    assert "You have been logged out." in response.content.decode()
    assert AuditEvent.objects.filter(action="account.logout", actor=carla).exists()
    assert not logged_in(client)


def test_logout_needs_a_post(client, carla):
    attempt(client, "carla", PASSWORD)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert logged_in(client)
