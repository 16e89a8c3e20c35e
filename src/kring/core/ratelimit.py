"""A rate limit shared by every app process: counts per key in fixed windows, in the database.

`hit` is atomic across processes: on SQLite every write transaction starts IMMEDIATE (see the
database settings), so two processes queue for the write lock; on PostgreSQL the unique
constraint on (key, window_start) settles a race to create the row, and the conditional
UPDATE takes the row lock, so no two requests can both take the last place in a window.
"""

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from kring.core.models import RateLimitHit
from kring.core.net import client_ip

# Windows are kept this long, then purged (core.tasks.purge_rate_limit_windows).
KEEP_SECONDS = 24 * 3600


def window_start(now: datetime, window_seconds: int) -> datetime:
    """The start of the fixed window that `now` falls in (windows are aligned to the epoch)."""
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % window_seconds, tz=UTC)


def hit(key: str, *, limit: int, window_seconds: int, now: datetime | None = None) -> bool:
    """Count one hit for `key`; True when it is allowed (at most `limit` per window)."""
    if not 0 < window_seconds <= KEEP_SECONDS:
        raise ValueError(f"window_seconds must be between 1 and {KEEP_SECONDS}")
    if limit < 1:
        return False
    start = window_start(now or timezone.now(), window_seconds)
    with transaction.atomic():
        row, created = RateLimitHit.objects.get_or_create(
            key=key, window_start=start, defaults={"count": 1}
        )
        if created:
            return True
        # One statement decides: the count only grows while it is below the limit.
        return bool(
            RateLimitHit.objects.filter(pk=row.pk, count__lt=limit).update(count=F("count") + 1)
        )


def address_key(scope: str, request: HttpRequest) -> str:
    """A key per client address that does not hold the address itself (it is personal data):
    an HMAC-SHA-256 of it, keyed with SECRET_KEY."""
    address = client_ip(request) or "unknown"
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{scope}:{address}".encode(), hashlib.sha256
    ).hexdigest()
    return f"{scope}:{digest}"


def purge(now: datetime | None = None) -> int:
    """Delete the windows that no longer count; returns how many rows went."""
    cutoff = (now or timezone.now()) - timedelta(seconds=KEEP_SECONDS)
    deleted, _ = RateLimitHit.objects.filter(window_start__lt=cutoff).delete()
    return deleted
