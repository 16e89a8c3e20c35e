"""Secrets that Kring must read back, sealed at rest (docs/adr/0014-sealed-secrets.md).

A few secrets cannot be hashed because Kring needs them again: the TOTP secret of an
authenticator app (to compute its codes), a personal link waiting in the outbox, new recovery
codes between the page that makes them and the page that shows them. They are sealed with
Fernet (AES-128-CBC and HMAC-SHA-256, from the `cryptography` library) under keys from
KRING_FIELD_KEYS: kept apart from SECRET_KEY and from the database, so that a copy of the
database, or of the database and SECRET_KEY, does not reveal them.

- `seal(value) -> str` seals with the first key; `open_sealed(token) -> bytes` opens with any
  key (raises `Unreadable` when no key opens it); so keys rotate: put a new key first, run
  `kring rotate-keys`, then drop the old key.
- `register(model_label, field)`: each app names the fields that hold sealed values (from its
  AppConfig.ready()), so that `kring rotate-keys` finds them without `core` importing the app.
"""

import base64
import binascii
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# The demo's key, public like the demo's SECRET_KEY: only KRING_DEMO_MODE may use it.
DEMO_KEY = "a3JpbmctZGVtby1maWVsZC1rZXktbm90LWZvci11c2U="  # base64 of 32 ASCII bytes
NEW_KEY_COMMAND = (
    "python3 -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())'"
)


@dataclass(frozen=True)
class SealedField:
    """A model field that holds sealed values; `legacy` opens what it held before it was
    sealed with the field keys (None when it cannot), so that rotating re-seals that too."""

    model: str  # "accounts.SealedTOTPDevice"
    field: str
    legacy: Callable[[str], str | bytes | None] | None = None


_SEALED_FIELDS: list[SealedField] = []


class Unreadable(Exception):
    """No key in KRING_FIELD_KEYS opens the value (a key was dropped too soon, or the value
    was changed)."""


def _key_bytes(key: str) -> bytes:
    """The bytes a key stands for (b"" when it is not base64). urlsafe_b64decode also takes the
    standard alphabet's "+" and "/", so one key may be spelled two ways: compare these."""
    try:
        return base64.urlsafe_b64decode(key.encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return b""


def parse_keys(
    keys: Iterable[str],
    *,
    secret_key: str | None = None,
    secret_key_fallbacks: Iterable[str] = (),
    demo: bool = False,
) -> list[str]:
    """The keys as given, checked: each 32 random bytes in URL-safe base64 (what
    NEW_KEY_COMMAND prints), none twice (in either base64 alphabet), none equal to SECRET_KEY
    or to one of SECRET_KEY_FALLBACKS, and the public demo key only in demo mode."""
    secrets = [s for s in [secret_key, *secret_key_fallbacks] if s is not None]
    secret_bytes = {raw for raw in map(_key_bytes, secrets) if len(raw) == 32}
    parsed: list[str] = []
    seen: list[bytes] = []
    for number, key in enumerate(keys, start=1):
        raw = _key_bytes(key)
        if len(raw) != 32:
            raise ImproperlyConfigured(
                f"KRING_FIELD_KEYS: key {number} is not a key (32 random bytes in URL-safe "
                f"base64, 44 characters). Make one with: {NEW_KEY_COMMAND}"
            )
        if raw == _key_bytes(DEMO_KEY) and not demo:
            raise ImproperlyConfigured(
                f"KRING_FIELD_KEYS: key {number} is the public demo key; only KRING_DEMO_MODE "
                f"may use it. Make a key with: {NEW_KEY_COMMAND}"
            )
        if raw in seen:
            raise ImproperlyConfigured(
                f"KRING_FIELD_KEYS: key {number} is the same as key {seen.index(raw) + 1}."
            )
        if key in secrets or raw in secret_bytes:
            raise ImproperlyConfigured(
                "KRING_FIELD_KEYS must be kept apart from KRING_SECRET_KEY and "
                "KRING_SECRET_KEY_FALLBACKS: use another key."
            )
        parsed.append(key)
        seen.append(raw)
    return parsed


@lru_cache(maxsize=4)
def _fernets(keys: tuple[str, ...]) -> tuple[MultiFernet, Fernet]:
    if not keys:
        raise ImproperlyConfigured("KRING_FIELD_KEYS is empty: there is no key to seal with.")
    fernets = [Fernet(key.encode("ascii")) for key in keys]
    return MultiFernet(fernets), fernets[0]


def _keys() -> tuple[MultiFernet, Fernet]:
    return _fernets(tuple(settings.KRING_FIELD_KEYS))


def seal(value: bytes | str) -> str:
    """The value sealed with the first key, as ASCII text for a text column or a session."""
    data = value.encode() if isinstance(value, str) else value
    multi, _ = _keys()
    return multi.encrypt(data).decode("ascii")


def open_sealed(token: str) -> bytes:
    """The sealed value, opened with whichever key sealed it."""
    multi, _ = _keys()
    try:
        return multi.decrypt(token.encode("ascii"))
    except (InvalidToken, UnicodeEncodeError) as error:
        raise Unreadable("no key in KRING_FIELD_KEYS opens this value") from error


def under_first_key(token: str) -> bool:
    """Whether the value is sealed with the first key already (then rotating leaves it)."""
    _, first = _keys()
    try:
        first.decrypt(token.encode("ascii"))
    except (InvalidToken, UnicodeEncodeError):
        return False
    return True


def reseal(token: str) -> str:
    """The same value sealed with the first key (MultiFernet.rotate keeps its timestamp)."""
    multi, _ = _keys()
    try:
        return multi.rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeEncodeError) as error:
        raise Unreadable("no key in KRING_FIELD_KEYS opens this value") from error


def register(
    model: str, field: str, *, legacy: Callable[[str], str | bytes | None] | None = None
) -> None:
    """Name a field that holds sealed values, from the app's AppConfig.ready()."""
    if not any(f.model == model and f.field == field for f in _SEALED_FIELDS):
        _SEALED_FIELDS.append(SealedField(model, field, legacy))


def sealed_fields() -> list[SealedField]:
    return list(_SEALED_FIELDS)
