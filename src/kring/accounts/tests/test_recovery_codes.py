"""Recovery codes are stored hashed, work once, are throttled, and survive the move from
django-otp's StaticTokens (docs/adr/0004-hashed-recovery-codes.md)."""

import importlib
import re
import threading
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from kring.accounts import second_factor
from kring.accounts.models import LoginThrottle, RecoveryCode
from kring.audit.models import AuditEvent
from kring.testing.auth import confirmed_device, login_verified
from kring.testing.users import PASSWORD

migration = importlib.import_module(
    "kring.accounts.migrations.0003_recovery_codes_from_static_tokens"
)


def password_step(client, user):
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302


def verify(client, code: str):
    return client.post(reverse("accounts:verify"), {"code": code})


def verified(client) -> bool:
    return DEVICE_ID_SESSION_KEY in client.session


def every_value_in_the_database() -> str:
    """Every row of every table, as text."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from introspection
            parts.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(parts)


def test_recovery_codes_are_stored_only_as_hashes(client, carla):
    page = login_verified(client, carla).content.decode()  # set-up shows the codes once
    shown = re.findall(r"<li>([a-z2-7]{5}-[a-z2-7]{5})</li>", page)
    assert len(shown) == 10

    everything = every_value_in_the_database().lower()
    for code in shown:
        assert code not in everything
        assert code.replace("-", "") not in everything
    assert RecoveryCode.objects.filter(user=carla).count() == 10
    assert not StaticToken.objects.exists()


def test_codes_have_fifty_random_bits_and_are_all_different(carla):
    codes = second_factor.create_recovery_codes(carla)
    assert len(set(codes)) == 10
    assert all(re.fullmatch(r"[a-z2-7]{10}", code) for code in codes)  # 10 x 5 bits


def test_a_recovery_code_works_once(carla):
    code = second_factor.create_recovery_codes(carla)[3]

    assert second_factor.use_recovery_code(carla, code)
    assert not second_factor.use_recovery_code(carla, code)
    assert second_factor.remaining_recovery_codes(carla) == 9
    assert RecoveryCode.objects.get(used_at__isnull=False).used_at is not None


def test_a_used_recovery_code_is_refused_at_sign_in(client, carla):
    confirmed_device(carla)
    code = second_factor.create_recovery_codes(carla)[0]
    second_factor.use_recovery_code(carla, code)
    password_step(client, carla)

    response = verify(client, code)

    assert response.status_code == 200
    assert "it has been used already" in response.content.decode()
    assert not verified(client)


def test_a_code_is_typed_as_written_down(client, carla):
    confirmed_device(carla)
    code = second_factor.create_recovery_codes(carla)[0]
    password_step(client, carla)
    typed = " " + second_factor.format_recovery_code(code).upper() + " "
    assert verify(client, typed).status_code == 302
    assert verified(client)


def test_one_users_code_does_not_work_for_another(carla, olaf):
    code = second_factor.create_recovery_codes(carla)[0]
    second_factor.create_recovery_codes(olaf)
    assert not second_factor.use_recovery_code(olaf, code)
    assert second_factor.use_recovery_code(carla, code)


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_uses_of_one_code_let_only_one_in(carla):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite refuses concurrent writers outright; the race runs on PostgreSQL")
    code = second_factor.create_recovery_codes(carla)[0]
    start = threading.Barrier(2)
    results = []

    def use():
        try:
            start.wait()
            results.append(second_factor.use_recovery_code(carla, code))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=use) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [False, True]
    assert second_factor.remaining_recovery_codes(carla) == 9


def test_wrong_recovery_codes_are_throttled(client, carla, settings):
    settings.KRING_LOGIN_MAX_FAILURES = 3
    device = confirmed_device(carla)
    code = second_factor.create_recovery_codes(carla)[0]
    password_step(client, carla)

    verify(client, "aaaaa-aaaaa")
    verify(client, "bbbbb-bbbbb")
    response = verify(client, "ccccc-ccccc")
    assert "Too many failed attempts. You can try again after" in response.content.decode()

    # While locked even the right code is refused, and it stays unused.
    response = verify(client, code)
    assert "Too many failed attempts. You can try again after" in response.content.decode()
    assert not verified(client)
    assert second_factor.remaining_recovery_codes(carla) == 10
    assert AuditEvent.objects.filter(action="account.recovery_codes_locked", actor=carla).exists()

    # The app is not locked by wrong recovery codes.
    app_code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    assert verify(client, app_code).status_code == 302


def test_recovery_code_lock_ends_after_the_cool_off(client, carla, settings):
    settings.KRING_LOGIN_MAX_FAILURES = 2
    confirmed_device(carla)
    code = second_factor.create_recovery_codes(carla)[0]
    password_step(client, carla)
    verify(client, "aaaaa-aaaaa")
    verify(client, "bbbbb-bbbbb")
    assert not verified(client)

    LoginThrottle.objects.filter(key=f"recovery:{carla.pk}").update(
        locked_until=timezone.now() - timedelta(seconds=1)
    )

    assert verify(client, code).status_code == 302
    assert verified(client)


def test_regenerating_invalidates_every_old_code(carla):
    old = second_factor.create_recovery_codes(carla)
    second_factor.use_recovery_code(carla, old[0])

    new = second_factor.create_recovery_codes(carla)

    assert all(not second_factor.use_recovery_code(carla, code) for code in old)
    assert RecoveryCode.objects.filter(user=carla).count() == 10
    assert second_factor.use_recovery_code(carla, new[0])


def test_admin_reset_removes_the_recovery_codes(carla, admin_user):
    confirmed_device(carla)
    codes = second_factor.create_recovery_codes(carla)

    second_factor.reset_second_factor(carla, by=admin_user)

    assert not RecoveryCode.objects.filter(user=carla).exists()
    assert not second_factor.use_recovery_code(carla, codes[0])


def test_codes_made_before_a_secret_key_rotation_work_while_the_old_key_is_a_fallback(
    carla, settings
):
    code = second_factor.create_recovery_codes(carla)[0]
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"

    settings.SECRET_KEY_FALLBACKS = []
    assert not second_factor.use_recovery_code(carla, code)
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert second_factor.use_recovery_code(carla, code)


def old_static_tokens(user, tokens, *, confirmed=True):
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=confirmed)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=t) for t in tokens)


def test_migration_turns_plain_static_tokens_into_hashed_codes(client, carla, olaf):
    confirmed_device(carla)
    old_static_tokens(carla, ["abcd2345", "efgh6723", "ijkl2345"])
    old_static_tokens(olaf, ["mnop2345"], confirmed=False)  # never finished: dropped

    assert migration.convert_static_tokens(apps) == 3

    assert not StaticDevice.objects.exists()
    assert not StaticToken.objects.exists()
    assert second_factor.remaining_recovery_codes(carla) == 3
    assert second_factor.remaining_recovery_codes(olaf) == 0
    stored = "".join(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert "abcd2345" not in stored
    # Carla signs in with a code from her old sheet, as she wrote it down.
    password_step(client, carla)
    response = verify(client, "ABCD-2345")
    assert response.status_code == 302
    assert verified(client)
    assert second_factor.remaining_recovery_codes(carla) == 2


def test_migration_run_twice_adds_nothing_twice(carla):
    old_static_tokens(carla, ["abcd2345", "abcd2345"])  # a duplicate, too
    assert migration.convert_static_tokens(apps) == 1
    old_static_tokens(carla, ["abcd2345"])
    assert migration.convert_static_tokens(apps) == 0
    assert RecoveryCode.objects.filter(user=carla).count() == 1
