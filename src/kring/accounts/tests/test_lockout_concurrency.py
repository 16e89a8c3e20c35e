"""Sign-in attempts at the same moment (issue 14 review, finding 1a and 3): on PostgreSQL the
throttle's rows are locked in one order (by key) and the audit rows, which take the chain's
lock, are written only after the row locks are released, so parallel failures never deadlock
and every one is counted. An attempt is counted before its password is checked (and given back
when the password is right), so a burst of parallel guesses gets no more than the limit.

Threads start together at a barrier; nothing sleeps."""

import threading

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kring.accounts import throttle
from kring.accounts.models import LoginThrottle
from kring.audit import chain
from kring.audit.models import AuditEvent

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite's writers never run at once"
    ),
]
WRONG = "not-the-password"


def _in_parallel(posts):
    """Each (username, password, address) posted to the sign-in page by its own thread, all
    starting together; returns the status codes (an exception as its repr)."""
    start = threading.Barrier(len(posts))
    outcomes: list = [None] * len(posts)

    def post(n, username, password, address):
        try:
            client = Client(HTTP_ACCEPT_LANGUAGE="en", raise_request_exception=True)
            start.wait(timeout=60)
            response = client.post(
                reverse("accounts:login"),
                {"username": username, "password": password},
                REMOTE_ADDR=address,
            )
            outcomes[n] = response.status_code
        except Exception as error:  # reported by the test
            outcomes[n] = repr(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(n, *p)) for n, p in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def _waiting_for_the_chain() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
        return cursor.fetchone()[0]


def _wait_for_waiters(count: int, threads) -> None:
    """Poll pg_locks until `count` backends wait for the chain's lock, or one of `threads` has
    ended (with the fix the second may not need the chain at all)."""
    while _waiting_for_the_chain() < count and all(thread.is_alive() for thread in threads):
        pass


def test_two_failures_for_one_username_from_two_addresses_do_not_deadlock(carla, settings):
    """Carla from A locks her pair (an audit row) while Carla from B starts the slowdown of the
    username (an audit row). The chain's lock is held by the test until both wait for it, A
    first; before the fix A then held the chain and waited for the username's row, which B
    held while it waited for the chain: a deadlock, and B's failure was not counted. Now no
    row is locked while a record waits for the chain."""
    settings.KRING_LOGIN_MAX_FAILURES = 2
    settings.KRING_LOGIN_SLOWDOWN_AFTER = 2
    now = timezone.now()
    pair_a = throttle.pair_key("carla", "198.51.100.1")
    for key in (pair_a, throttle.user_key("carla")):
        LoginThrottle.objects.create(key=key, failures=1, first_failure_at=now, last_failure_at=now)
    errors: list[str] = []

    def fail(address):
        try:
            keys = [throttle.pair_key("carla", address), throttle.user_key("carla")]
            throttle.register_failure([*keys, throttle.ip_key(address)], user=carla)
        except Exception as error:  # reported by the test
            errors.append(repr(error))
        finally:
            connections.close_all()

    from_a = threading.Thread(target=fail, args=("198.51.100.1",))
    from_b = threading.Thread(target=fail, args=("198.51.100.2",))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [chain.LOCK_KEY])
        from_a.start()
        _wait_for_waiters(1, [from_a])
        from_b.start()
        _wait_for_waiters(2, [from_a, from_b])
    for thread in (from_a, from_b):
        thread.join(timeout=120)

    assert errors == []
    assert not from_a.is_alive() and not from_b.is_alive()
    # Both counted: each address's pair and address counters, and the username's (the second
    # failure came during the slowdown the first one started, which it does not extend).
    assert LoginThrottle.objects.get(key=throttle.user_key("carla")).failures == 2
    assert LoginThrottle.objects.get(key=throttle.pair_key("carla", "198.51.100.2")).failures == 1
    for address in ("198.51.100.1", "198.51.100.2"):
        assert LoginThrottle.objects.get(key=throttle.ip_key(address)).failures == 1
    assert LoginThrottle.objects.get(key=pair_a).locked_until is not None
    actions = sorted(AuditEvent.objects.values_list("action", flat=True))
    assert actions == ["account.locked", "account.slowed"]
    assert chain.verify().ok


def test_parallel_failures_for_one_username_from_many_addresses_all_count(carla, settings):
    # Each failure locks its own pair and the username is slowed down from the second: every
    # attempt writes audit rows while it counts.
    settings.KRING_LOGIN_MAX_FAILURES = 1
    settings.KRING_LOGIN_SLOWDOWN_AFTER = 100
    addresses = [f"198.51.100.{n + 1}" for n in range(6)]
    for rounds in range(1, 4):
        outcomes = _in_parallel(
            [("carla", WRONG, f"{address[:-1]}{rounds}{address[-1]}") for address in addresses]
        )
        assert outcomes == [200] * len(addresses), outcomes
        user_row = LoginThrottle.objects.get(key=throttle.user_key("carla"))
        assert user_row.failures == rounds * len(addresses)
    assert AuditEvent.objects.filter(action="account.login_failed").count() == 18
    assert AuditEvent.objects.filter(action="account.locked").count() == 18
    assert chain.verify().ok


def test_a_burst_of_parallel_guesses_gets_no_more_than_the_limit(carla, settings):
    settings.KRING_LOGIN_MAX_FAILURES = 3
    outcomes = _in_parallel([("carla", WRONG, "198.51.100.9")] * 8)
    assert outcomes == [200] * 8, outcomes
    # Each guess that reached the password is a failed sign-in in the log; the rest were
    # refused without looking at the password.
    assert AuditEvent.objects.filter(action="account.login_failed").count() == 3
    assert AuditEvent.objects.filter(action="account.login_refused").count() == 5
    assert AuditEvent.objects.filter(action="account.locked").count() == 1
