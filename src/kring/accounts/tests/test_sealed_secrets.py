"""Secrets of the second factor sealed at rest (issue 14, findings 6 and 7;
docs/adr/0014-sealed-secrets.md): the TOTP secret is in no database row in clear, new recovery
codes are in no session row in clear, and recovery codes survive a rotation of SECRET_KEY while
the old key is a fallback."""

import importlib
import json
import re
from base64 import b32decode, b32encode
from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.migrations.exceptions import IrreversibleError
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp

from kring.accounts import second_factor
from kring.accounts.models import SealedTOTPDevice
from kring.testing.auth import confirmed_device, force_verified_login
from kring.testing.users import PASSWORD


def password_step(client, user):
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return response


def shown_codes(page: str) -> list[str]:
    return re.findall(r"<li>([a-z2-7]{5}-[a-z2-7]{5})</li>", page)


def database_text() -> str:
    """Every row of every table, as text: what someone with a copy of the database reads."""
    rows: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(rows).lower()


def secret_on_setup_page(page: str) -> bytes:
    groups = re.search(r'<p class="reference">([A-Z2-7 ]+)</p>', page).group(1)
    base32 = groups.replace(" ", "")
    return b32decode(base32 + "=" * (-len(base32) % 8))


def session_row(client) -> str:
    """The session as the database keeps it, and decoded."""
    row = Session.objects.get(session_key=client.session.session_key)
    return row.session_data + json.dumps(row.get_decoded())


def test_the_totp_secret_is_in_no_database_row_in_clear(client, carla):
    password_step(client, carla)
    secret = secret_on_setup_page(client.get(reverse("accounts:setup")).content.decode())

    stored = database_text()
    assert secret.hex() not in stored
    assert b32encode(secret).decode().rstrip("=").lower() not in stored
    # The app made from that page still works: setup and a later sign-in accept its codes.
    response = client.post(reverse("accounts:setup"), {"code": f"{totp(secret):06d}"})
    assert response.status_code == 302
    assert DEVICE_ID_SESSION_KEY in client.session
    assert secret.hex() not in database_text()


def test_new_recovery_codes_are_in_no_session_row_in_clear_and_shown_once(client, carla):
    password_step(client, carla)
    secret = secret_on_setup_page(client.get(reverse("accounts:setup")).content.decode())
    response = client.post(reverse("accounts:setup"), {"code": f"{totp(secret):06d}"})
    waiting = session_row(client)  # between the setup and the page that shows the codes

    codes = shown_codes(client.get(response.url).content.decode())

    assert len(codes) == 10
    for code in codes:
        assert code not in waiting
        assert code.replace("-", "") not in waiting
    assert not shown_codes(client.get(reverse("accounts:recovery_codes")).content.decode())


def test_regenerated_recovery_codes_are_in_no_session_row_in_clear(client, carla):
    force_verified_login(client, carla)
    response = client.post(reverse("accounts:recovery_codes_regenerate"))
    waiting = session_row(client)

    codes = shown_codes(client.get(response.url).content.decode())

    assert len(codes) == 10
    assert all(code.replace("-", "") not in waiting for code in codes)


def test_a_recovery_code_signs_in_after_a_secret_key_rotation_with_the_old_key_as_fallback(
    client, carla, settings
):
    confirmed_device(carla)
    code = second_factor.create_recovery_codes(carla)[0]
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-rotated-secret-key-" + "r" * 40
    settings.SECRET_KEY_FALLBACKS = [old_key]

    password_step(client, carla)
    response = client.post(reverse("accounts:verify"), {"code": code})

    assert response.status_code == 302
    assert DEVICE_ID_SESSION_KEY in client.session
    # Without the old key among the fallbacks, the same sheet of codes no longer works.
    other = second_factor.create_recovery_codes(carla)[1]
    settings.SECRET_KEY = "yet-another-secret-key-" + "y" * 40
    settings.SECRET_KEY_FALLBACKS = []
    client.logout()
    password_step(client, carla)
    assert (
        "not correct" in client.post(reverse("accounts:verify"), {"code": other}).content.decode()
    )


sealing_migration = importlib.import_module("kring.accounts.migrations.0009_sealed_totp_device")


def test_the_migration_seals_existing_apps_and_they_keep_working(client, carla, olaf):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    old = TOTPDevice.objects.create(user=carla, name="authenticator", confirmed=True, last_t=5)
    TOTPDevice.objects.create(user=olaf, name="authenticator", confirmed=False)
    secret = old.bin_key

    assert sealing_migration.seal_totp_devices(apps) == 2

    assert not TOTPDevice.objects.exists()
    assert secret.hex() not in database_text()
    moved = SealedTOTPDevice.objects.get(user=carla)
    assert (moved.bin_key, moved.confirmed, moved.last_t) == (secret, True, 5)
    assert not SealedTOTPDevice.objects.get(user=olaf).confirmed
    # Carla signs in with the app she has had all along.
    password_step(client, carla)
    response = client.post(reverse("accounts:verify"), {"code": f"{totp(secret):06d}"})
    assert response.status_code == 302
    assert DEVICE_ID_SESSION_KEY in client.session


def test_going_back_unseals_the_apps_into_django_otp(carla):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    old = TOTPDevice.objects.create(user=carla, name="authenticator", confirmed=True)
    sealing_migration.seal_totp_devices(apps)

    sealing_migration.unseal_totp_devices(apps)

    assert not SealedTOTPDevice.objects.exists()
    assert TOTPDevice.objects.get(user=carla).key == old.key


def test_going_back_keeps_when_the_app_was_set_up(carla):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    set_up = timezone.now() - timedelta(days=400)
    old = TOTPDevice.objects.create(user=carla, name="authenticator", confirmed=True)
    TOTPDevice.objects.filter(pk=old.pk).update(created_at=set_up)
    sealing_migration.seal_totp_devices(apps)

    sealing_migration.unseal_totp_devices(apps)

    assert TOTPDevice.objects.get(user=carla).created_at == set_up


def test_going_back_names_the_app_whose_key_was_dropped(carla, settings):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=carla, name="authenticator", confirmed=True)
    sealing_migration.seal_totp_devices(apps)
    moved = SealedTOTPDevice.objects.get(user=carla)
    settings.KRING_FIELD_KEYS = [Fernet.generate_key().decode()]

    with pytest.raises(IrreversibleError, match=rf"TOTP device {moved.pk} \(user {carla.pk}, "):
        sealing_migration.unseal_totp_devices(apps)


def test_the_app_follows_the_clock_only_when_otp_totp_sync_is_on(carla, settings):
    settings.OTP_TOTP_SYNC = False
    device = confirmed_device(carla)

    # A code of the next step (a phone's clock running ahead) is accepted within the tolerance,
    # but the drift is not learnt.
    assert device.verify_token(f"{totp(device.bin_key, drift=1):06d}")

    device.refresh_from_db()
    assert device.drift == 0


def test_the_wait_after_a_wrong_code_follows_otp_totp_throttle_factor(carla, settings):
    device = confirmed_device(carla)
    settings.OTP_TOTP_THROTTLE_FACTOR = 7
    assert device.get_throttle_factor() == 7

    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no wait at all
    near = {totp(device.bin_key, drift=drift) for drift in (-1, 0, 1)}
    assert not device.verify_token(next(f"{n:06d}" for n in range(4) if n not in near))
    assert device.verify_token(f"{totp(device.bin_key):06d}")
