"""A personal link waiting in the outbox is sealed with KRING_FIELD_KEYS, apart from SECRET_KEY
(issue 14, point 2; docs/adr/0014-sealed-secrets.md): rotating the secret key no longer voids
the links in the outbox, and the secret key alone does not open them."""

import base64
import hashlib

from cryptography.fernet import Fernet

from kring.notifications import secrets

LINK = "https://kring.example.org/p/abcdefghijklmnopqrstuvwxyz/"


def test_a_waiting_link_still_opens_after_the_secret_key_changed(settings):
    sealed = secrets.seal(LINK)
    settings.SECRET_KEY = "a-rotated-secret-key-" + "r" * 40

    assert secrets.unseal(sealed) == LINK


def test_the_secret_key_alone_does_not_open_a_waiting_link(settings):
    sealed = secrets.seal(LINK)
    settings.KRING_FIELD_KEYS = [Fernet.generate_key().decode()]

    assert LINK not in sealed
    assert secrets.unseal(sealed) is None


def test_a_link_queued_before_the_field_keys_opens_with_an_old_secret_key(settings):
    """Queued before the upgrade, sealed with a key derived from the secret key of then; the
    secret key rotated before `kring rotate-keys` re-sealed it: the fallback still opens it."""
    digest = hashlib.sha256(b"kring-outbox:" + settings.SECRET_KEY.encode()).digest()
    queued = Fernet(base64.urlsafe_b64encode(digest)).encrypt(LINK.encode()).decode()
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-rotated-secret-key-" + "r" * 40

    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert secrets.unseal(queued) == LINK
    settings.SECRET_KEY_FALLBACKS = []
    assert secrets.unseal(queued) is None
