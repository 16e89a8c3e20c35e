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

An address is counted by its network: an IPv4 address itself, an IPv6 address its /64 (one
home or office holds a whole /64), for the pair, the address and the usual addresses alike.

An attempt is counted before its password is checked (`begin`), under the locks of its rows,
and given back when the password is right (`succeeded`): a burst of parallel guesses cannot get
past a limit before a counter moves. Every caller locks its rows in one order (by key), and the
audit rows are written only after those locks are released (a record holds the audit chain's
lock to its commit): parallel attempts never deadlock, and no failure is lost.

Wrong recovery codes are counted per user ("recovery:<user id>", locked like a pair); only
someone who typed the right password reaches them. A lock always ends: attempts refused while
locked or slowed down are not counted, so they never extend it. Every lock, slowdown and end of
one is in the audit log, never with the password.
"""

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, field
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


def network(address: str | None) -> str:
    """The network an address stands for: an IPv4 address itself, an IPv6 address its /64 (the
    part that stays the same from day to day; one home or office holds the whole /64)."""
    if not address:
        return ""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def user_key(username: str) -> str:
    return f"user:{_username(username)}"


def pair_key(username: str, address: str | None) -> str:
    # An address never holds "|", so the last one separates it from any username.
    return f"pair:{_username(username)}|{network(address)}"


def ip_key(address: str) -> str:
    return f"ip:{network(address)}"


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


@dataclass(frozen=True)
class _Event:
    """An audit row to write once the throttle's rows are no longer locked."""

    action: str
    key: str
    user: User | None = None
    data: tuple[tuple[str, object], ...] = ()


def _audit(events: Iterable[_Event]) -> None:
    """Write the audit rows. Always after the transaction that locked throttle rows has ended:
    a record takes the chain's lock until its own commit, and a transaction that held a
    throttle row while waiting for the chain could deadlock with one that held the chain while
    waiting for that row (issue 14 review)."""
    for event in events:
        user = event.user if event.user is not None else _user_for_key(event.key)
        record(
            event.action,
            obj=user,
            team_id=user.team_id if user is not None else None,
            data={"counter": _counter(event.key), **dict(event.data)},
        )


def _locked_rows(keys: Iterable[str], *, create: bool = True) -> dict[str, LoginThrottle]:
    """The rows of `keys` (created where missing, unless `create` is False), locked in one
    order (by key) by every caller, so that two attempts never wait for each other's rows.
    Inside a transaction."""
    keys = sorted(set(keys))
    if create:
        LoginThrottle.objects.bulk_create(
            [LoginThrottle(key=key) for key in keys], ignore_conflicts=True
        )
    rows = LoginThrottle.objects.select_for_update(no_key=True).filter(key__in=keys)
    return {row.key: row for row in rows.order_by("key")}


def _slowed(row: LoginThrottle) -> bool:
    return row.key.startswith("user:") and row.failures >= settings.KRING_LOGIN_SLOWDOWN_AFTER


def _end_if_over(row: LoginThrottle, now: datetime, events: list[_Event]) -> bool:
    """Clear a lock or a slowdown that has run out, its audit row added to `events`; True if
    the row changed."""
    window_start = now - _cooloff()
    if row.key.startswith("user:"):
        quiet = row.last_failure_at is None or row.last_failure_at < window_start
        if not quiet or (row.failures == 0 and row.locked_until is None):
            return False
        if _slowed(row):
            events.append(_Event("account.slowdown_ended", row.key))
        row.failures, row.first_failure_at, row.locked_until = 0, None, None
        return True
    if row.locked_until is None or row.locked_until > now:
        return False
    row.locked_until = None
    events.append(_Event("account.unlocked", row.key))
    return True


def _end_over(keys: list[str], now: datetime) -> None:
    events: list[_Event] = []
    with transaction.atomic():
        for row in _locked_rows(keys, create=False).values():
            if _end_if_over(row, now, events):
                row.save()
    _audit(events)


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
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    value = f"{user.pk}:{network(address)}"
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


_State = tuple[int, datetime | None, datetime | None, datetime | None]


def _state(row: LoginThrottle) -> _State:
    return (row.failures, row.first_failure_at, row.last_failure_at, row.locked_until)


def _restore(row: LoginThrottle, state: _State) -> None:
    row.failures, row.first_failure_at, row.last_failure_at, row.locked_until = state


@dataclass
class Attempt:
    """A sign-in attempt, counted as a failure before its password is checked (so that parallel
    attempts see it): `refusal` when it may not be tried at all; otherwise `failed` writes the
    audit rows of the locks it started, or `succeeded` gives the count back."""

    username: str
    address: str | None
    user: User | None
    refusal: Refusal | None = None
    # After a wrong password: the lock of the pair or the address that refuses the next try.
    locks: Refusal | None = None
    _before: dict[str, _State] = field(default_factory=dict)
    _after: dict[str, _State] = field(default_factory=dict)
    _events: list[_Event] = field(default_factory=list)


def _sign_in_keys(username: str, address: str | None) -> list[str]:
    keys = [pair_key(username, address), user_key(username)]
    if address:
        keys.append(ip_key(address))
    return keys


def begin(username: str, address: str | None, user: User | None) -> Attempt:
    """Before the password is looked at: refused while the pair or the address is locked, or
    while the username is slowed down (except from a usual address). Otherwise the attempt is
    counted now, under the rows' locks, as if it fails: a burst of parallel guesses cannot get
    past the limit before a counter moves. `succeeded` gives the count back."""
    attempt = Attempt(username, address, user)
    keys = _sign_in_keys(username, address)
    now = timezone.now()
    ended: list[_Event] = []
    with transaction.atomic():
        rows = _locked_rows(keys)
        changed = {key for key, row in rows.items() if _end_if_over(row, now, ended)}
        attempt.refusal = _refusal(rows, keys, user, address, now)
        if attempt.refusal is None:
            for key, row in rows.items():
                if row.locked_until and row.locked_until > now:
                    continue  # slowed down, tried from a usual address: never extended
                attempt._before[key] = _state(row)
                _count(row, now, user, attempt._events)
                attempt._after[key] = _state(row)
                changed.add(key)
            attempt.locks = _refusal(rows, keys, None, None, now, slowdown=False)
        for key in changed:
            rows[key].save()
    _audit(ended)
    return attempt


def _refusal(
    rows: dict[str, LoginThrottle],
    keys: list[str],
    user: User | None,
    address: str | None,
    now: datetime,
    *,
    slowdown: bool = True,
) -> Refusal | None:
    """A lock of the pair or the address refuses; a slowdown of the username too, except from
    a usual address (and not when `slowdown` is False)."""
    for key in keys:
        row = rows.get(key)
        if row is None or row.locked_until is None or row.locked_until <= now:
            continue
        if not key.startswith("user:"):
            return Refusal(_counter(key), row.locked_until)
    slowed = next((rows.get(key) for key in keys if key.startswith("user:")), None)
    if (
        slowdown
        and slowed is not None
        and slowed.locked_until is not None
        and slowed.locked_until > now
        and not is_usual(user, address)
    ):
        return Refusal(SLOWDOWN, slowed.locked_until)
    return None


def failed(attempt: Attempt) -> None:
    """The password was wrong (or the username unknown): the attempt stays counted, and any
    lock or slowdown it started is audited, never with the password."""
    _audit(attempt._events)


def succeeded(attempt: Attempt) -> None:
    """The right password: the attempt's count is given back, and the pair starts afresh. The
    username's count across addresses stays (a stranger's failures do not stop because the
    user signed in)."""
    with transaction.atomic():
        rows = _locked_rows(attempt._before, create=False)
        for key, row in rows.items():
            if key.startswith("pair:"):
                row.delete()
            elif _state(row) == attempt._after[key]:
                _restore(row, attempt._before[key])  # nobody counted since: as it was
                row.save()
            elif row.failures > 0:
                # Others were counted since; this one was not a failure.
                row.failures -= 1
                row.save()


def register_failure(keys: Iterable[str], *, user: User | None = None) -> list[str]:
    """Count one failed attempt against each key; return the keys that this failure locked
    (a slowdown is not a lock). Each lock and each start of a slowdown has its audit row,
    written once the rows are unlocked."""
    now = timezone.now()
    events: list[_Event] = []
    newly_locked = []
    with transaction.atomic():
        for key, row in _locked_rows(keys).items():
            _end_if_over(row, now, events)
            if row.locked_until and row.locked_until > now:
                row.save()
                continue  # already locked: the lock is never extended
            if _count(row, now, user, events):
                newly_locked.append(key)
            row.save()
    _audit(events)
    return newly_locked


def _count(row: LoginThrottle, now: datetime, user: User | None, events: list[_Event]) -> bool:
    """One more failure on `row`; True if it locked the row (its audit row added to events)."""
    if row.key.startswith("user:"):
        _count_slowdown(row, now, user, events)
        return False
    if row.first_failure_at is None or row.first_failure_at < now - _cooloff():
        row.failures = 0
        row.first_failure_at = now
    row.failures += 1
    row.last_failure_at = now
    if row.failures < _limit(row.key):
        return False
    row.locked_until = now + _cooloff()
    # The next lock needs a full new series of failures.
    row.failures = 0
    row.first_failure_at = None
    if not row.key.startswith("recovery:"):  # its caller audits it for the user
        # An address lock too goes to the attempted account's team log.
        until = row.locked_until.isoformat()
        events.append(_Event("account.locked", row.key, user, (("until", until),)))
    return True


def _count_slowdown(
    row: LoginThrottle, now: datetime, user: User | None, events: list[_Event]
) -> None:
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
            events.append(_Event("account.slowed", row.key, user, (("seconds", seconds),)))


def reset(key: str) -> None:
    LoginThrottle.objects.filter(key=key).delete()


def purge() -> None:
    """Daily (accounts.tasks): forget usual addresses past the retention period, and counters
    whose lock and window have both passed (they carry no information any more); the end of a
    lock or slowdown that nobody noticed is audited as they go. Rows that an attempt holds
    right now are skipped (the next day takes them)."""
    now = timezone.now()
    UsualAddress.objects.filter(last_seen__lt=_usual_since()).delete()
    window_start = now - _cooloff()
    events: list[_Event] = []
    with transaction.atomic():
        over = LoginThrottle.objects.select_for_update(skip_locked=True).filter(
            Q(locked_until__isnull=True) | Q(locked_until__lte=now),
            Q(last_failure_at__isnull=True) | Q(last_failure_at__lt=window_start),
        )
        rows = list(over.order_by("key"))
        for row in rows:
            _end_if_over(row, now, events)
        LoginThrottle.objects.filter(pk__in=[row.pk for row in rows]).delete()
    _audit(events)
