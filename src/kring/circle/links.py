"""Personal links to the participant portal (R9): 256 bits of randomness, stored only as a SHA-256 hash,
expiring, and revoked when the coordinator issues a new one.

Each link also has a letter code (issue 8, point 4; docs/adr/0007-letter-codes.md): 12
characters of Crockford base32 (60 bits), printed in groups of four, for a person who types
the short address rather than the long link. The code is the same personal link in another
form: stored only as a keyed hash, expiring and revoked with the link. Hashes of revoked links
and codes are kept, so that a superseded one is recognised ("there is a newer invitation")
instead of counting as a guess."""

import enum
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from kring.circle.models import PersonalLink

# Crockford's base32: no I, L, O or U, so that no two characters look alike.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12  # 12 x 5 bits = 60 bits
CODE_GROUP = 4
# Crockford's reading of what people type: O is zero, I and L are one.
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = str.maketrans("", "", " -\u2010\u2011\u2012\u2013\u2014\t.")
_CODE_KEY_SALT = "kring.circle.links.code"


@dataclass(frozen=True)
class Issued:
    """A new personal link: its token and its letter code, which exist nowhere else."""

    token: str
    code: str


class Match(enum.Enum):
    LIVE = "live"
    SUPERSEDED = "superseded"  # real, but a newer invitation replaced it
    NONE = "none"  # unknown, expired, or revoked without a newer one


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def code_hash(code: str, *, secret: str | None = None) -> str:
    """HMAC-SHA-256 of a normalised code, keyed with a key derived from SECRET_KEY (Django's
    salted_hmac, as for recovery codes in ADR 0004): a copy of the database alone does not let
    anyone test the 2^60 possible codes against the stored hashes."""
    return salted_hmac(_CODE_KEY_SALT, code, secret=secret, algorithm="sha256").hexdigest()


def _code_hashes(code: str) -> list[str]:
    """The hash under the current key and under each fallback key (a rotated SECRET_KEY)."""
    keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return [code_hash(code, secret=key) for key in keys]


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def squeeze(typed: str) -> str:
    """What was typed, in capitals, without spaces and dashes, read as Crockford reads it."""
    return typed.upper().translate(_SEPARATORS).translate(_READ_AS)


def normalise(typed: str) -> str | None:
    """The code in `typed`, or None when it cannot be a code (wrong length, or a character
    outside the alphabet, such as U)."""
    code = squeeze(typed)
    if len(code) != CODE_LENGTH or any(char not in CODE_ALPHABET for char in code):
        return None
    return code


def grouped(code: str) -> str:
    """`7KQ4M2XD9HBR` as `7KQ4-M2XD-9HBR`."""
    return "-".join(code[i : i + CODE_GROUP] for i in range(0, len(code), CODE_GROUP))


def issue(participant, *, by) -> Issued:
    """Revoke the participant's live link and issue a new one with a new code; returns the
    token and the code, which exist nowhere else (call inside the action's transaction)."""
    now = timezone.now()
    PersonalLink.objects.filter(participant=participant, revoked_at__isnull=True).update(
        revoked_at=now
    )
    token = secrets.token_urlsafe(32)  # 256 bits
    code = new_code()
    while PersonalLink.objects.filter(code_hash=code_hash(code)).exists():
        code = new_code()  # 1 in 2^60 per live code; the unique constraint stays the guard
    PersonalLink.objects.create(
        participant=participant,
        token_hash=_hash(token),
        code_hash=code_hash(code),
        issued_at=now,
        issued_by=by,
        expires_at=now + timedelta(days=settings.KRING_PORTAL_LINK_DAYS),
    )
    return Issued(token, code)


def revoke(participant) -> None:
    PersonalLink.objects.filter(participant=participant, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def url(token: str) -> str:
    return settings.SITE_URL + reverse("portal:enter", args=[token])


def code_url() -> str:
    """The short address printed on the letter, where the code is typed in."""
    return settings.SITE_URL + reverse("portal:code")


def short_address() -> str:
    """The short address as a person types it: without `https://` (browsers add it)."""
    address = code_url()
    return address.removeprefix("https://")


def _live(queryset):
    now = timezone.now()
    return queryset.filter(revoked_at__isnull=True, expires_at__gt=now)


def find_live(token: str) -> PersonalLink | None:
    """The live link for `token`, or None for an unknown, expired or revoked one (the caller
    shows the same page for all three)."""
    if not token or len(token) > 100:
        return None
    return (
        _live(PersonalLink.objects.select_related("participant__case"))
        .filter(token_hash=_hash(token))
        .first()
    )


def _match(condition: Q) -> tuple[Match, PersonalLink | None]:
    link = PersonalLink.objects.select_related("participant__case").filter(condition).first()
    if link is None:
        return Match.NONE, None
    now = timezone.now()
    if link.revoked_at is None and link.expires_at > now:
        return Match.LIVE, link
    newer = PersonalLink.objects.filter(
        participant_id=link.participant_id, issued_at__gte=link.issued_at
    ).exclude(pk=link.pk)
    if link.revoked_at is not None and newer.exists():
        return Match.SUPERSEDED, link
    return Match.NONE, None


def match_token(token: str) -> tuple[Match, PersonalLink | None]:
    """Whether `token` is a live link, one a newer invitation replaced, or neither."""
    if not token or len(token) > 100:
        return Match.NONE, None
    return _match(Q(token_hash=_hash(token)))


def match_code(code: str) -> tuple[Match, PersonalLink | None]:
    """The same for a normalised letter code (see `normalise`)."""
    return _match(Q(code_hash__in=_code_hashes(code)))
