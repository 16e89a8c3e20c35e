"""Sign-in lockout that a stranger cannot turn against a user (docs/adr/0013-lockout.md).

Failed sign-ins are counted under three keys (rows of LoginThrottle):

- "pair:<username>|<address>": one username from one address. After KRING_LOGIN_MAX_FAILURES
  within the cool-off window the pair is locked for KRING_LOGIN_COOLOFF_SECONDS. Only failures
  from that address lock it, so a stranger elsewhere cannot lock a user out.
- "ip:<address>": every username from one address, at the higher limit
  KRING_LOGIN_MAX_FAILURES_PER_ADDRESS (an office shares one address); locked the same way.
- "user:<username>": one username from every address. It never locks: after
  KRING_LOGIN_SLOWDOWN_AFTER failures the username is slowed down, each failure refusing
  the next attempts for 2, 4, 8 ... seconds (at most KRING_LOGIN_SLOWDOWN_MAX_SECONDS), until
  no failure has come for the cool-off window. The slowdown does not apply from an address
  where the user signed in before (UsualAddress, kept KRING_LOGIN_USUAL_ADDRESS_DAYS).

Wrong recovery codes are counted per user ("recovery:<user id>", locked like a pair); only
someone who typed the right password reaches them. A lock always ends: attempts refused while
locked or slowed down are not counted, so they never extend it. Every lock, slowdown and end of
one is in the audit log, never with the password.
"""

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from kring.accounts.models import LoginThrottle, User, UsualAddress
from kring.audit.log import record

PAIR, ADDRESS, SLOWDOWN, RECOVERY = "pair", "address", "slowdown", "recovery"
_USUAL_ADDRESS_SALT = "kring.accounts.usual_address"


@dataclass(frozen=True)
class Refusal:
    """Why a sign-in attempt is refused without looking at the password, and until when."""

    counter: str
    until: datetime


def _username(username: str) -> str:
    return username.strip().lower()


def user_key(username: str) -> str:
    return f"user:{_username(username)}"


def pair_key(username: str, address: str | None) -> str:
    # An address never holds "|", so the last one separates it from any username.
    return f"pair:{_username(username)}|{address or ''}"


def ip_key(address: str) -> str:
    return f"ip:{address}"


def recovery_key(user) -> str:
    """Wrong recovery codes, counted per user (the password is already known to whoever types)."""
    return f"recovery:{user.pk}"


def _counter(key: str) -> str:
    prefix = key.split(":", 1)[0]
    return {"pair": PAIR, "ip": ADDRESS, "user": SLOWDOWN, "recovery": RECOVERY}[prefix]


def _limit(key: str) -> int:
    # An address is often shared (an office behind one router): it gets a higher limit.
    if key.startswith("ip:"):
        return settings.KRING_LOGIN_MAX_FAILURES_PER_ADDRESS
    if key.startswith("user:"):
        return settings.KRING_LOGIN_SLOWDOWN_AFTER
    return settings.KRING_LOGIN_MAX_FAILURES


def _cooloff() -> timedelta:
    return timedelta(seconds=settings.KRING_LOGIN_COOLOFF_SECONDS)


def slowdown_seconds(failures: int) -> int:
    """The wait after the `failures`-th failure of a username: 2, 4, 8 ... up to the maximum."""
    over = failures - settings.KRING_LOGIN_SLOWDOWN_AFTER
    if over < 0:
        return 0
    return min(settings.KRING_LOGIN_SLOWDOWN_MAX_SECONDS, 2 ** min(over + 1, 30))


def _user_for_key(key: str) -> User | None:
    """The account a key is about (for the audit row and its team), if it exists."""
    kind, _, rest = key.partition(":")
    if kind == "recovery":
        return User.objects.filter(pk=int(rest)).first() if rest.isdigit() else None
    if kind == "pair":
        rest = rest.rpartition("|")[0]
    if kind in ("pair", "user"):
        return User.objects.filter(username__iexact=rest).first()
    return None


def _audit(action: str, key: str, user: User | None = None, **data) -> None:
    user = user if user is not None else _user_for_key(key)
    record(
        action,
        obj=user,
        team_id=user.team_id if user is not None else None,
        data={"counter": _counter(key), **data},
    )


def _slowed(row: LoginThrottle) -> bool:
    return row.key.startswith("user:") and row.failures >= settings.KRING_LOGIN_SLOWDOWN_AFTER


def _end_if_over(row: LoginThrottle, now: datetime) -> bool:
    """Clear a lock or a slowdown that has run out, with its audit row; True if one ended."""
    window_start = now - _cooloff()
    if row.key.startswith("user:"):
        quiet = row.last_failure_at is None or row.last_failure_at < window_start
        if not quiet:
            return False
        was_slowed = _slowed(row)
        row.failures, row.first_failure_at, row.locked_until = 0, None, None
        if was_slowed:
            _audit("account.slowdown_ended", row.key)
        return was_slowed
    if row.locked_until is None or row.locked_until > now:
        return False
    row.locked_until = None
    _audit("account.unlocked", row.key)
    return True


def _end_over(keys: list[str], now: datetime) -> None:
    with transaction.atomic():
        for row in LoginThrottle.objects.select_for_update().filter(key__in=keys):
            if _end_if_over(row, now):
                row.save()


def locked_until(keys: Iterable[str]) -> datetime | None:
    """The moment the latest lock on any of `keys` ends, or None when none is locked now.
    Locks that have ended are cleared first, each with an audit row."""
    keys = list(keys)
    now = timezone.now()
    _end_over(keys, now)
    ends = LoginThrottle.objects.filter(key__in=keys, locked_until__gt=now).values_list(
        "locked_until", flat=True
    )
    return max(ends, default=None)


def _address_hashes(user, address: str) -> list[str]:
    """The keyed hash of the address's network (an IPv4 address, an IPv6 /64: the part that
    stays the same from day to day), under SECRET_KEY and each fallback."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        network = address
    else:
        mapped = ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) else None
        if isinstance(ip, ipaddress.IPv6Address) and mapped is None:
            network = str(ipaddress.ip_network(f"{ip}/64", strict=False))
        else:
            network = str(mapped or ip)
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    value = f"{user.pk}:{network}"
    return [
        salted_hmac(_USUAL_ADDRESS_SALT, value, secret=key, algorithm="sha256").hexdigest()
        for key in keys
    ]


def _usual_since() -> datetime:
    return timezone.now() - timedelta(days=settings.KRING_LOGIN_USUAL_ADDRESS_DAYS)


def is_usual(user: User | None, address: str | None) -> bool:
    """Has `user` fully signed in from this address (its network) within the retention period?"""
    if user is None or not address:
        return False
    return UsualAddress.objects.filter(
        user=user, address_hash__in=_address_hashes(user, address), last_seen__gte=_usual_since()
    ).exists()


def remember_address(user, address: str | None) -> None:
    """After a full sign-in (with the second factor where it is required): the address is now
    usual for this user. Only a keyed hash of it is stored, and only for the retention period."""
    if not address:
        return
    address_hash = _address_hashes(user, address)[0]
    UsualAddress.objects.update_or_create(
        user=user, address_hash=address_hash, defaults={"last_seen": timezone.now()}
    )
    UsualAddress.objects.filter(user=user, last_seen__lt=_usual_since()).delete()


def check(username: str, address: str | None, user: User | None) -> Refusal | None:
    """Is this sign-in attempt refused before the password is looked at? A lock of the pair or
    the address refuses it; a slowdown of the username too, except from a usual address."""
    keys = [pair_key(username, address), user_key(username)]
    if address:
        keys.append(ip_key(address))
    now = timezone.now()
    _end_over(keys, now)
    rows = {
        row.key: row for row in LoginThrottle.objects.filter(key__in=keys, locked_until__gt=now)
    }
    for key in keys:
        if key in rows and not key.startswith("user:"):
            return Refusal(_counter(key), rows[key].locked_until)
    slowed = rows.get(user_key(username))
    if slowed is not None and not is_usual(user, address):
        return Refusal(SLOWDOWN, slowed.locked_until)
    return None


def failed(username: str, address: str | None, user: User | None) -> None:
    """A wrong password (or an unknown username): count it under the pair, the address and the
    username, and audit any lock or slowdown it starts."""
    keys = [pair_key(username, address), user_key(username)]
    if address:
        keys.append(ip_key(address))
    register_failure(keys, user=user)


def register_failure(keys: Iterable[str], *, user: User | None = None) -> list[str]:
    """Count one failed attempt against each key; return the keys that this failure locked
    (a slowdown is not a lock). Each lock and each start of a slowdown has its audit row."""
    keys = list(keys)
    now = timezone.now()
    window_start = now - _cooloff()
    newly_locked = []
    with transaction.atomic():
        for key in keys:
            throttle, _ = LoginThrottle.objects.select_for_update().get_or_create(key=key)
            _end_if_over(throttle, now)
            if throttle.locked_until and throttle.locked_until > now:
                throttle.save()
                continue  # already locked: the lock is never extended
            if key.startswith("user:"):
                _count_slowdown(throttle, now, user)
            else:
                if throttle.first_failure_at is None or throttle.first_failure_at < window_start:
                    throttle.failures = 0
                    throttle.first_failure_at = now
                throttle.failures += 1
                throttle.last_failure_at = now
                if throttle.failures >= _limit(key):
                    throttle.locked_until = now + _cooloff()
                    # The next lock needs a full new series of failures.
                    throttle.failures = 0
                    throttle.first_failure_at = None
                    newly_locked.append(key)
                    if not key.startswith("recovery:"):  # its caller audits it for the user
                        # An address lock too goes to the attempted account's team log.
                        until = throttle.locked_until.isoformat()
                        _audit("account.locked", key, user, until=until)
            throttle.save()
        _forget_over(keys, now)
    return newly_locked


def _count_slowdown(row: LoginThrottle, now: datetime, user: User | None) -> None:
    """One more failure of a username, from any address; from the limit on each one makes the
    next attempts wait (the window stays open while failures keep coming)."""
    if row.first_failure_at is None:
        row.first_failure_at = now
    row.failures += 1
    row.last_failure_at = now
    seconds = slowdown_seconds(row.failures)
    if seconds:
        row.locked_until = now + timedelta(seconds=seconds)
        if row.failures == settings.KRING_LOGIN_SLOWDOWN_AFTER:
            _audit("account.slowed", row.key, user, seconds=seconds)


def _forget_over(keep: list[str], now: datetime) -> None:
    """Rows whose lock and window have both passed carry no information any more; the end of a
    lock or slowdown that nobody noticed is audited as they go."""
    window_start = now - _cooloff()
    over = LoginThrottle.objects.filter(
        Q(locked_until__isnull=True) | Q(locked_until__lte=now),
        Q(last_failure_at__isnull=True) | Q(last_failure_at__lt=window_start),
    ).exclude(key__in=keep)
    for row in over.filter(
        Q(locked_until__isnull=False)
        | Q(key__startswith="user:", failures__gte=settings.KRING_LOGIN_SLOWDOWN_AFTER)
    ):
        _end_if_over(row, now)
    over.delete()


def signed_in(username: str, address: str | None) -> None:
    """The right password: the pair starts afresh. The username's count across addresses stays
    (a stranger's failures do not stop because the user signed in)."""
    reset(pair_key(username, address))


def reset(key: str) -> None:
    LoginThrottle.objects.filter(key=key).delete()


def purge() -> None:
    """Daily (accounts.tasks): forget usual addresses past the retention period and counters
    that have run out."""
    now = timezone.now()
    UsualAddress.objects.filter(last_seen__lt=_usual_since()).delete()
    with transaction.atomic():
        _forget_over([], now)
