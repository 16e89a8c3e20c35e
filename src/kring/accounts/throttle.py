"""Sign-in lockout: failed attempts are counted per key ("user:carla", "ip:10.0.0.1", and
"recovery:<user id>" for wrong recovery codes).

After settings.KRING_LOGIN_MAX_FAILURES failures within the cool-off window a key is locked for
settings.KRING_LOGIN_COOLOFF_SECONDS. A lock always ends: attempts made while locked are refused
without being counted, so they never extend it, and a stranger cannot lock anyone out for good.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kring.accounts.models import LoginThrottle


def user_key(username: str) -> str:
    return f"user:{username.strip().lower()}"


def ip_key(address: str) -> str:
    return f"ip:{address}"


def recovery_key(user) -> str:
    """Wrong recovery codes, counted per user (the password is already known to whoever types)."""
    return f"recovery:{user.pk}"


def _limit(key: str) -> int:
    # An address is often shared (an office behind one router): it gets a higher limit.
    if key.startswith("ip:"):
        return settings.KRING_LOGIN_MAX_FAILURES_PER_ADDRESS
    return settings.KRING_LOGIN_MAX_FAILURES


def _cooloff() -> timedelta:
    return timedelta(seconds=settings.KRING_LOGIN_COOLOFF_SECONDS)


def locked_until(keys: Iterable[str]) -> datetime | None:
    """The moment the latest lock on any of `keys` ends, or None when none is locked now."""
    now = timezone.now()
    ends = LoginThrottle.objects.filter(key__in=list(keys), locked_until__gt=now).values_list(
        "locked_until", flat=True
    )
    return max(ends, default=None)


def register_failure(keys: Iterable[str]) -> list[str]:
    """Count one failed attempt against each key; return the keys that this failure locked."""
    keys = list(keys)
    now = timezone.now()
    window_start = now - _cooloff()
    newly_locked = []
    with transaction.atomic():
        for key in keys:
            throttle, _ = LoginThrottle.objects.select_for_update().get_or_create(key=key)
            if throttle.locked_until and throttle.locked_until > now:
                continue  # already locked: the lock is never extended
            if throttle.first_failure_at is None or throttle.first_failure_at < window_start:
                throttle.failures = 0
                throttle.first_failure_at = now
            throttle.failures += 1
            if throttle.failures >= _limit(key):
                throttle.locked_until = now + _cooloff()
                # The next lock needs a full new series of failures.
                throttle.failures = 0
                throttle.first_failure_at = None
                newly_locked.append(key)
            throttle.save()
        # Rows whose lock and window have both passed carry no information any more.
        LoginThrottle.objects.filter(
            Q(locked_until__isnull=True) | Q(locked_until__lte=now),
            Q(first_failure_at__isnull=True) | Q(first_failure_at__lt=window_start),
        ).exclude(key__in=keys).delete()
    return newly_locked


def reset(key: str) -> None:
    LoginThrottle.objects.filter(key=key).delete()
