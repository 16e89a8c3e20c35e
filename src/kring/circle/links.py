"""Personal links to the participant portal (R9): 256 bits of randomness, stored only as a SHA-256 hash,
expiring, and revoked when the coordinator issues a new one."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from kring.circle.models import PersonalLink


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def issue(participant, *, by) -> str:
    """Revoke the participant's live link and issue a new one; returns the token, which exists
    nowhere else (call inside the action's transaction)."""
    now = timezone.now()
    PersonalLink.objects.filter(participant=participant, revoked_at__isnull=True).update(
        revoked_at=now
    )
    token = secrets.token_urlsafe(32)  # 256 bits
    PersonalLink.objects.create(
        participant=participant,
        token_hash=_hash(token),
        issued_at=now,
        issued_by=by,
        expires_at=now + timedelta(days=settings.KRING_PORTAL_LINK_DAYS),
    )
    return token


def revoke(participant) -> None:
    PersonalLink.objects.filter(participant=participant, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def url(token: str) -> str:
    return settings.SITE_URL + reverse("portal:enter", args=[token])


def find_live(token: str) -> PersonalLink | None:
    """The live link for `token`, or None for an unknown, expired or revoked one (the caller
    shows the same page for all three)."""
    if not token or len(token) > 100:
        return None
    now = timezone.now()
    return (
        PersonalLink.objects.select_related("participant__case")
        .filter(token_hash=_hash(token), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
