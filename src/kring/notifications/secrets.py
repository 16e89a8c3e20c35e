"""Encryption of the one secret a mail may carry (a personal link) while it waits in the
outbox. The key is derived from SECRET_KEY; rotating SECRET_KEY makes waiting links unusable,
and the coordinator issues new ones."""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

PLACEHOLDER = "[[personal-link]]"


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"kring-outbox:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode("ascii")


def unseal(sealed: str) -> str | None:
    try:
        return _fernet().decrypt(sealed.encode("ascii")).decode()
    except InvalidToken:
        return None
