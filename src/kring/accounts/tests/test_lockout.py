"""Lockout that cannot be turned against a user (issue 14, finding 2; docs/adr/0013-lockout.md).

Failures count per username and address pair (a lock), per address (a lock, at a higher limit)
and per username across every address (a slowdown, never a lock). A user's right password from
an address where they signed in before is never slowed down. The clock is moved forward by
setting `django.utils.timezone.now`, never by sleeping.
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kring.accounts import throttle
from kring.accounts.models import LoginThrottle, UsualAddress
from kring.audit.models import AuditEvent
from kring.testing.auth import confirmed_device, fresh_totp_code, totp_code
from kring.testing.users import PASSWORD

WRONG = "not-the-password"
HOME = "192.0.2.10"  # where Carla signs in every day
LOCKED = "Too many failed attempts"
SLOWED = "signing in with this username is slowed down"


@pytest.fixture
def clock(monkeypatch):
    """The clock, moved forward with clock.forward(seconds=...)."""

    class Clock:
        def __init__(self):
            self.now = timezone.now()

        def forward(self, **delta):
            self.now += timedelta(**delta)

    moved = Clock()
    monkeypatch.setattr(timezone, "now", lambda: moved.now)
    return moved


def english(**defaults) -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en", **defaults)


def attempt(username, password, ip, client=None, **extra):
    client = client or english()
    response = client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
        **extra,
    )
    return response


def page(response) -> str:
    return response.content.decode()


def sign_in_fully(user, ip) -> Client:
    """The password, then the code from the app: a full sign-in from `ip`."""
    client = english(REMOTE_ADDR=ip)
    response = attempt(user.username, PASSWORD, ip, client)
    assert response.status_code == 302, page(response)
    assert response.url.startswith(reverse("accounts:verify"))
    response = client.post(
        reverse("accounts:verify"), {"code": fresh_totp_code(confirmed_device(user))}
    )
    assert response.status_code == 302, page(response)
    assert client.session.get("otp_device_id")
    return client


def carla_has_signed_in_at_home(carla):
    sign_in_fully(carla, HOME).post(reverse("accounts:logout"))


def strangers_attack(username, *, addresses=12, tries=3):
    """Wrong passwords from many addresses: under the per-pair and per-address limits each."""
    for n in range(addresses):
        for _ in range(tries):
            attempt(username, WRONG, f"198.51.100.{n + 1}")


def test_a_strangers_failures_from_other_addresses_do_not_lock_out_carla_at_home(carla, clock):
    confirmed_device(carla)
    carla_has_signed_in_at_home(carla)
    clock.forward(minutes=1)

    strangers_attack("carla")

    # Her right password from her usual address still works, after the second factor.
    client = sign_in_fully(carla, HOME)
    assert client.get(reverse("accounts:account")).status_code == 200


def test_one_stranger_locks_only_their_own_pair_and_carla_signs_in_at_home(carla, clock, settings):
    confirmed_device(carla)
    carla_has_signed_in_at_home(carla)
    for _ in range(settings.KRING_LOGIN_MAX_FAILURES):
        attempt("carla", WRONG, "198.51.100.7")

    assert LOCKED in page(attempt("carla", PASSWORD, "198.51.100.7"))
    sign_in_fully(carla, HOME)


def test_many_addresses_slow_a_username_down_even_for_the_right_password_from_elsewhere(
    carla, clock
):
    confirmed_device(carla)
    carla_has_signed_in_at_home(carla)
    strangers_attack("carla")

    # On a train: an address she never signed in from.
    refused = attempt("carla", PASSWORD, "203.0.113.5")
    assert refused.status_code == 200
    assert SLOWED in page(refused)
    assert "Try again after" in page(refused)
    assert "_auth_user_id" not in refused.wsgi_request.session

    # The wait ends; then the right password goes on to the second factor.
    clock.forward(seconds=settings_slowdown_max() + 1)
    response = attempt("carla", PASSWORD, "203.0.113.5")
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:verify"))


def settings_slowdown_max() -> int:
    from django.conf import settings

    return settings.KRING_LOGIN_SLOWDOWN_MAX_SECONDS


def test_the_slowdown_refuses_without_looking_at_the_password_and_grows(carla, clock, settings):
    settings.KRING_LOGIN_SLOWDOWN_AFTER = 4
    settings.KRING_LOGIN_SLOWDOWN_MAX_SECONDS = 60
    waits = []
    for n in range(8):
        attempt("carla", WRONG, f"198.51.100.{n + 1}")
        row = LoginThrottle.objects.get(key=throttle.user_key("carla"))
        if row.locked_until:
            waits.append(round((row.locked_until - clock.now).total_seconds()))
            # During the wait an attempt is refused and not counted.
            before = row.failures
            assert SLOWED in page(attempt("carla", WRONG, "203.0.113.99"))
            assert LoginThrottle.objects.get(key=throttle.user_key("carla")).failures == before
            clock.forward(seconds=waits[-1])
    assert waits == [2, 4, 8, 16, 32]

    # Then it stays at the maximum, as long as failures keep coming.
    for n in range(3):
        attempt("carla", WRONG, f"198.51.100.{n + 50}")
        row = LoginThrottle.objects.get(key=throttle.user_key("carla"))
        assert row.locked_until - clock.now == timedelta(seconds=60)
        clock.forward(seconds=60)


def test_an_unknown_username_is_slowed_down_the_same_way(db, clock, settings):
    settings.KRING_LOGIN_SLOWDOWN_AFTER = 3
    for n in range(3):
        attempt("nobody", WRONG, f"198.51.100.{n + 1}")
    assert SLOWED in page(attempt("nobody", WRONG, "203.0.113.5"))


def test_one_address_trying_many_usernames_is_locked_by_the_address_counter(
    carla, olaf, clock, settings
):
    settings.KRING_LOGIN_MAX_FAILURES_PER_ADDRESS = 6
    for name in ("anna", "bert", "cees", "dirk", "eva", "frits"):
        attempt(name, WRONG, "198.51.100.66")

    refused = attempt("olaf", PASSWORD, "198.51.100.66")
    assert LOCKED in page(refused)
    assert "_auth_user_id" not in refused.wsgi_request.session
    assert attempt("olaf", PASSWORD, "203.0.113.2").status_code == 302


@pytest.mark.parametrize("counter", ["pair", "address", "slowdown"])
def test_every_lock_and_slowdown_ends_when_the_clock_moves_on(carla, clock, settings, counter):
    confirmed_device(carla)
    settings.KRING_LOGIN_MAX_FAILURES = 3
    settings.KRING_LOGIN_MAX_FAILURES_PER_ADDRESS = 4
    settings.KRING_LOGIN_SLOWDOWN_AFTER = 4
    if counter == "pair":
        for _ in range(3):
            attempt("carla", WRONG, "198.51.100.1")
    elif counter == "address":
        for name in ("anna", "bert", "cees", "dirk"):
            attempt(name, WRONG, "198.51.100.1")
    else:
        for n in range(30):
            attempt("carla", WRONG, f"198.51.100.{n + 2}")
            clock.forward(seconds=1)
    assert attempt("carla", PASSWORD, "198.51.100.1").status_code == 200

    clock.forward(seconds=settings.KRING_LOGIN_COOLOFF_SECONDS + 1)

    response = attempt("carla", PASSWORD, "198.51.100.1")
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:verify"))


def test_locks_slowdowns_and_their_ends_are_audited_without_the_password(carla, clock, settings):
    settings.KRING_LOGIN_MAX_FAILURES = 2
    settings.KRING_LOGIN_SLOWDOWN_AFTER = 3
    attempt("carla", WRONG, "198.51.100.1")
    attempt("carla", WRONG, "198.51.100.1")  # locks this pair
    attempt("carla", WRONG, "198.51.100.2")  # slows the username down
    attempt("carla", PASSWORD, "198.51.100.1")  # refused: the pair is locked
    clock.forward(seconds=settings.KRING_LOGIN_COOLOFF_SECONDS + 1)
    attempt("carla", PASSWORD, "198.51.100.1")  # the lock and the slowdown have ended

    rows = list(AuditEvent.objects.order_by("pk").values_list("action", "data"))
    assert [action for action, _ in rows] == [
        "account.login_failed",
        "account.login_failed",
        "account.locked",
        "account.login_failed",
        "account.slowed",
        "account.login_refused",
        "account.unlocked",
        "account.slowdown_ended",
        "account.login",
    ]
    by_action = dict(rows)
    assert by_action["account.locked"]["counter"] == "pair"
    assert by_action["account.login_refused"]["counter"] == "pair"
    assert by_action["account.unlocked"]["counter"] == "pair"
    assert by_action["account.slowed"]["seconds"] == 2
    for action in ("account.locked", "account.slowed", "account.unlocked"):
        assert AuditEvent.objects.get(action=action).object_id == str(carla.pk)
    everything = repr(list(AuditEvent.objects.values()))
    assert WRONG not in everything
    assert PASSWORD not in everything


def test_the_usual_address_is_remembered_only_after_the_second_factor(carla, clock):
    confirmed_device(carla)
    client = english(REMOTE_ADDR=HOME)
    attempt("carla", PASSWORD, HOME, client)
    assert not UsualAddress.objects.exists()  # a password alone does not make an address usual

    client.post(reverse("accounts:verify"), {"code": totp_code(confirmed_device(carla))})

    usual = UsualAddress.objects.get()
    assert usual.user == carla
    assert HOME not in usual.address_hash  # a keyed hash, never the address itself


def test_a_usual_address_is_forgotten_after_the_retention_period(carla, clock, settings):
    confirmed_device(carla)
    carla_has_signed_in_at_home(carla)
    settings.KRING_LOGIN_SLOWDOWN_AFTER = 3
    clock.forward(days=settings.KRING_LOGIN_USUAL_ADDRESS_DAYS + 1)
    strangers_attack("carla", addresses=3, tries=1)

    assert SLOWED in page(attempt("carla", PASSWORD, HOME))
    throttle.purge()
    assert not UsualAddress.objects.exists()


def test_an_ipv6_address_counts_as_usual_within_its_64_bit_prefix(carla, clock, settings):
    confirmed_device(carla)
    sign_in_fully(carla, "2001:db8:1:2::10").post(reverse("accounts:logout"))
    settings.KRING_LOGIN_SLOWDOWN_AFTER = 3
    strangers_attack("carla", addresses=3, tries=1)

    # The same network, the next day's temporary address.
    sign_in_fully(carla, "2001:db8:1:2:abcd::99")
    assert SLOWED in page(attempt("carla", PASSWORD, "2001:db8:1:3::10"))


@pytest.mark.parametrize(
    ("language", "slowed", "locked"),
    [
        ("en", SLOWED, "Too many failed attempts. You can try again after"),
        (
            "nl",
            "Daarom gaat inloggen met deze gebruikersnaam nu langzamer",
            "Te veel mislukte pogingen. Je kunt het weer proberen na",
        ),
    ],
)
def test_the_messages_are_in_the_users_language(carla, clock, settings, language, slowed, locked):
    settings.KRING_LOGIN_MAX_FAILURES = 2
    settings.KRING_LOGIN_SLOWDOWN_AFTER = 2
    attempt("carla", WRONG, "198.51.100.1")
    attempt("carla", WRONG, "198.51.100.1")

    locked_page = page(attempt("carla", PASSWORD, "198.51.100.1", HTTP_ACCEPT_LANGUAGE=language))
    slowed_page = page(attempt("carla", PASSWORD, "198.51.100.2", HTTP_ACCEPT_LANGUAGE=language))

    assert locked in locked_page
    assert slowed in slowed_page
    assert "data-error-summary" in slowed_page


def test_wrong_recovery_codes_need_the_password_first(carla, clock, settings):
    """The recovery-code lock (per user) is reached only with the right password, so a
    stranger without it cannot start it; and it ends too."""
    settings.KRING_LOGIN_MAX_FAILURES = 2
    confirmed_device(carla)
    stranger = english(REMOTE_ADDR="198.51.100.1")
    for _ in range(5):
        response = stranger.post(reverse("accounts:verify"), {"code": "aaaaa-bbbbb"})
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    assert not LoginThrottle.objects.filter(key=throttle.recovery_key(carla)).exists()

    client = english(REMOTE_ADDR=HOME)
    attempt("carla", PASSWORD, HOME, client)
    for _ in range(2):
        client.post(reverse("accounts:verify"), {"code": "aaaaa-bbbbb"})
    assert LoginThrottle.objects.get(key=throttle.recovery_key(carla)).locked_until
    clock.forward(seconds=settings.KRING_LOGIN_COOLOFF_SECONDS + 1)
    client = english(REMOTE_ADDR=HOME)
    attempt("carla", PASSWORD, HOME, client)
    response = client.post(reverse("accounts:verify"), {"code": totp_code(confirmed_device(carla))})
    assert response.status_code == 302


def test_ipv6_addresses_of_one_64_bit_network_share_the_pair_and_the_address_counters(
    carla, clock, settings
):
    """A stranger with an IPv6 /64 has 2^64 addresses: the pair and the address are counted on
    the network, like the usual addresses."""
    settings.KRING_LOGIN_MAX_FAILURES = 3
    settings.KRING_LOGIN_MAX_FAILURES_PER_ADDRESS = 5
    for n in range(3):
        attempt("carla", WRONG, f"2001:db8:1:2::{n + 1}")
    assert LOCKED in page(attempt("carla", PASSWORD, "2001:db8:1:2:ffff::1"))
    assert throttle.pair_key("carla", "2001:db8:1:2::1") == throttle.pair_key(
        "carla", "2001:db8:1:2:abcd::9"
    )
    for name in ("anna", "bert"):
        attempt(name, WRONG, f"2001:db8:1:2::{name[0]}")
    # The address counter: five failures from the network lock every username from it.
    refused = attempt("olaf", PASSWORD, "2001:db8:1:2::77")
    assert LOCKED in page(refused)
    # Another /64 is another network.
    assert LOCKED not in page(attempt("carla", WRONG, "2001:db8:1:3::1"))


def test_the_right_password_gives_back_the_count_of_its_own_attempt(carla, clock, settings):
    """Every attempt is counted before its password is checked (parallel guesses cannot pass
    the limit); the right one is given back: it neither locks nor slows down."""
    settings.KRING_LOGIN_MAX_FAILURES = 2
    settings.KRING_LOGIN_MAX_FAILURES_PER_ADDRESS = 2
    settings.KRING_LOGIN_SLOWDOWN_AFTER = 2
    attempt("carla", WRONG, "198.51.100.1")
    assert attempt("carla", PASSWORD, "198.51.100.1").status_code == 302
    assert not LoginThrottle.objects.filter(key=throttle.pair_key("carla", "198.51.100.1"))
    assert LoginThrottle.objects.get(key=throttle.ip_key("198.51.100.1")).failures == 1
    user_row = LoginThrottle.objects.get(key=throttle.user_key("carla"))
    assert (user_row.failures, user_row.locked_until) == (1, None)
    assert not AuditEvent.objects.filter(action__in=["account.locked", "account.slowed"])


def test_the_daily_purge_forgets_counters_that_ran_out_and_audits_an_unnoticed_end(
    carla, clock, settings
):
    """Old counters are forgotten by the daily purge, not on every failed sign-in."""
    settings.KRING_LOGIN_MAX_FAILURES = 2
    for _ in range(2):
        attempt("carla", WRONG, "198.51.100.1")
    clock.forward(seconds=settings.KRING_LOGIN_COOLOFF_SECONDS + 1)
    attempt("olaf", WRONG, "198.51.100.2")  # a failure elsewhere forgets nothing
    assert LoginThrottle.objects.filter(key=throttle.pair_key("carla", "198.51.100.1")).exists()

    throttle.purge()

    assert set(LoginThrottle.objects.values_list("key", flat=True)) == {
        throttle.pair_key("olaf", "198.51.100.2"),
        throttle.user_key("olaf"),
        throttle.ip_key("198.51.100.2"),
    }
    unlocked = AuditEvent.objects.get(action="account.unlocked")
    assert unlocked.data["counter"] == "pair"
    assert unlocked.object_id == str(carla.pk)
