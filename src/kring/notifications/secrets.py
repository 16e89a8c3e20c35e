"""Sealing of the one secret a mail may carry (a personal link) while it waits in the outbox:
with KRING_FIELD_KEYS (kring.core.sealing; docs/adr/0014-sealed-secrets.md), apart from
SECRET_KEY, so that rotating the secret key leaves the links in the outbox usable and the
database with the secret key alone does not reveal them."""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

from kring.core import sealing

PLACEHOLDER = "[[personal-link]]"


def seal(value: str) -> str:
    return sealing.seal(value)


def unseal(sealed: str) -> str | None:
    """The link, or None when no key opens it (a field key was dropped too soon)."""
    try:
        return sealing.open_sealed(sealed).decode()
    except sealing.Unreadable:
        return open_before_field_keys(sealed)


def open_before_field_keys(sealed: str) -> str | None:
    """A link queued before KRING_FIELD_KEYS existed, sealed with a key derived from
    SECRET_KEY (or from one of SECRET_KEY_FALLBACKS: the secret key may have been rotated
    before `kring rotate-keys` re-sealed such links with the field keys)."""
    for secret_key in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
        digest = hashlib.sha256(b"kring-outbox:" + secret_key.encode()).digest()
        try:
            opened = Fernet(base64.urlsafe_b64encode(digest)).decrypt(sealed.encode("ascii"))
        except (InvalidToken, UnicodeEncodeError):
            continue
        return opened.decode()
    return None
