"""`kring rotate-keys` (issue 14, point 2; docs/adr/0014-sealed-secrets.md): every sealed value
is re-sealed with the first key of KRING_FIELD_KEYS, in batches that each commit, so that it can
stop and run again; afterwards the old key can go."""

import base64
import hashlib
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command

from kring.accounts.models import SealedTOTPDevice
from kring.core import sealing
from kring.notifications import secrets
from kring.notifications.models import OutgoingMail

KEY_A = Fernet.generate_key().decode()  # the new key
KEY_B = Fernet.generate_key().decode()  # the old key
LINK = "https://kring.example.org/p/abcdefghijklmnopqrstuvwxyz/"


def rotate(*args: str) -> str:
    out = StringIO()
    call_command("rotate-keys", *args, stdout=out)
    return out.getvalue()


def opens(device: SealedTOTPDevice) -> bool:
    device.refresh_from_db()
    try:
        device.bin_key  # noqa: B018
    except sealing.Unreadable:
        return False
    return True


@pytest.fixture
def under_old_key(settings, carla):
    """Five apps and a link in the outbox, sealed with the old key B."""
    settings.KRING_FIELD_KEYS = [KEY_B]
    devices = [SealedTOTPDevice.objects.create(user=carla, name=f"app {i}") for i in range(5)]
    mail = OutgoingMail.objects.create(
        kind="test",
        to="daan@example.org",
        language="nl",
        subject="s",
        body_text="b",
        secret=secrets.seal(LINK),
    )
    return devices, {d.pk: d.bin_key for d in devices}, mail


def test_after_rotating_the_new_key_alone_opens_everything(settings, under_old_key):
    devices, keys, mail = under_old_key
    settings.KRING_FIELD_KEYS = [KEY_A, KEY_B]

    output = rotate()

    settings.KRING_FIELD_KEYS = [KEY_A]
    assert {d.pk: (d.refresh_from_db(), d.bin_key)[1] for d in devices} == keys
    mail.refresh_from_db()
    assert secrets.unseal(mail.secret) == LINK
    assert "accounts.SealedTOTPDevice.sealed_key: 5 re-sealed" in output
    assert "notifications.OutgoingMail.secret: 1 re-sealed" in output


def test_a_dry_run_counts_and_changes_nothing(settings, under_old_key):
    devices, _keys, _mail = under_old_key
    settings.KRING_FIELD_KEYS = [KEY_A, KEY_B]

    output = rotate("--dry-run")

    assert "accounts.SealedTOTPDevice.sealed_key: 5 to re-seal" in output
    settings.KRING_FIELD_KEYS = [KEY_A]
    assert not any(opens(d) for d in devices)


def test_stopped_half_way_it_goes_on_where_it_stopped(settings, under_old_key):
    devices, keys, _mail = under_old_key
    settings.KRING_FIELD_KEYS = [KEY_A, KEY_B]

    rotate("--batch-size", "2", "--max-batches", "1")

    settings.KRING_FIELD_KEYS = [KEY_A]
    assert [opens(d) for d in devices] == [True, True, False, False, False]
    settings.KRING_FIELD_KEYS = [KEY_A, KEY_B]
    output = rotate("--batch-size", "2")
    assert "accounts.SealedTOTPDevice.sealed_key: 3 re-sealed, 2 under the first key" in output
    assert "0 re-sealed" in rotate()  # nothing left to do
    settings.KRING_FIELD_KEYS = [KEY_A]
    assert all(opens(d) for d in devices)


def test_a_link_queued_before_the_field_keys_is_resealed(settings, db):
    digest = hashlib.sha256(b"kring-outbox:" + settings.SECRET_KEY.encode()).digest()
    old = Fernet(base64.urlsafe_b64encode(digest)).encrypt(LINK.encode()).decode()
    mail = OutgoingMail.objects.create(
        kind="test", to="daan@example.org", language="nl", subject="s", body_text="b", secret=old
    )

    rotate()

    mail.refresh_from_db()
    settings.SECRET_KEY = "a-rotated-secret-key-" + "r" * 40
    assert secrets.unseal(mail.secret) == LINK


def test_a_value_no_key_opens_is_reported_and_the_command_fails(settings, under_old_key):
    devices, _keys, _mail = under_old_key
    settings.KRING_FIELD_KEYS = [KEY_A]  # the old key dropped too soon

    with pytest.raises(CommandError, match="6 values could not be opened"):
        rotate()
