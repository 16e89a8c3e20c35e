import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, connections
from django.test import RequestFactory
from django.utils import timezone

from kring.core import ratelimit
from kring.core.models import RateLimitHit
from kring.core.tasks import purge_rate_limit_windows

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 2, 12, 10, tzinfo=UTC)


def test_hits_up_to_the_limit_are_allowed_and_the_next_is_refused():
    results = [ratelimit.hit("k", limit=3, window_seconds=3600, now=NOON) for _ in range(5)]
    assert results == [True, True, True, False, False]


def test_refused_hits_do_not_raise_the_count():
    for _ in range(5):
        ratelimit.hit("k", limit=2, window_seconds=3600, now=NOON)
    assert RateLimitHit.objects.get(key="k").count == 2


def test_each_key_has_its_own_count():
    assert ratelimit.hit("a", limit=1, window_seconds=3600, now=NOON)
    assert not ratelimit.hit("a", limit=1, window_seconds=3600, now=NOON)
    assert ratelimit.hit("b", limit=1, window_seconds=3600, now=NOON)


def test_a_new_window_starts_afresh():
    assert ratelimit.hit("k", limit=1, window_seconds=3600, now=NOON)
    assert not ratelimit.hit("k", limit=1, window_seconds=3600, now=NOON + timedelta(minutes=49))
    assert ratelimit.hit("k", limit=1, window_seconds=3600, now=NOON + timedelta(minutes=50))


def test_windows_are_fixed_and_aligned():
    assert ratelimit.window_start(NOON, 3600) == datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    assert ratelimit.window_start(NOON, 600) == datetime(2026, 3, 2, 12, 10, tzinfo=UTC)


def test_a_zero_limit_refuses_everything():
    assert not ratelimit.hit("k", limit=0, window_seconds=3600, now=NOON)


def test_windows_longer_than_what_is_kept_are_refused():
    with pytest.raises(ValueError):
        ratelimit.hit("k", limit=1, window_seconds=ratelimit.KEEP_SECONDS + 1)


def test_the_address_key_does_not_contain_the_address(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.42")
    key = ratelimit.address_key("referral", request)
    assert "203.0.113.42" not in key
    assert key.startswith("referral:")
    assert key == ratelimit.address_key("referral", request)
    other = RequestFactory().get("/", REMOTE_ADDR="203.0.113.43")
    assert ratelimit.address_key("referral", other) != key


def test_the_address_key_depends_on_the_secret_key(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.42")
    key = ratelimit.address_key("referral", request)
    settings.SECRET_KEY = "another-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"
    assert ratelimit.address_key("referral", request) != key


def test_the_periodic_task_purges_windows_older_than_a_day():
    old = timezone.now() - timedelta(seconds=ratelimit.KEEP_SECONDS + 3600)
    ratelimit.hit("old", limit=5, window_seconds=3600, now=old)
    ratelimit.hit("recent", limit=5, window_seconds=3600)
    purge_rate_limit_windows.call_local()
    assert list(RateLimitHit.objects.values_list("key", flat=True)) == ["recent"]


def _in_own_connection(fn):
    """Run fn in a thread, with a database connection of its own that commits for real."""
    try:
        return fn()
    finally:
        connections.close_all()


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the in-memory test database cannot serve several connections at once",
)
def test_concurrent_hits_never_let_more_through_than_the_limit():
    # Eight app processes at once, each with its own connection (outside the test transaction).
    key = f"busy-{uuid.uuid4()}"
    barrier = threading.Barrier(8)
    with ThreadPoolExecutor(max_workers=8) as pool:

        def one_request():
            barrier.wait()
            return ratelimit.hit(key, limit=5, window_seconds=3600, now=NOON)

        results = list(pool.map(lambda _: _in_own_connection(one_request), range(8)))

        def count_and_clean_up():
            count = RateLimitHit.objects.get(key=key).count
            RateLimitHit.objects.filter(key=key).delete()
            return count

        count = pool.submit(_in_own_connection, count_and_clean_up).result()
    assert sorted(results) == [False] * 3 + [True] * 5
    assert count == 5
