"""Sealing secrets that Kring must read back (issue 14, point 2; docs/adr/0014-sealed-secrets.md):
keys from KRING_FIELD_KEYS, apart from SECRET_KEY; the first seals, every key opens."""

import base64
import json
import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from kring.core import sealing

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()


def test_a_sealed_value_opens_and_does_not_show_the_secret(settings):
    settings.KRING_FIELD_KEYS = [KEY_A]
    token = sealing.seal("3132333435363738393031323334353637383930")

    assert "3132333435" not in token
    assert sealing.open_sealed(token) == b"3132333435363738393031323334353637383930"
    assert sealing.open_sealed(sealing.seal(b"\x00\xff")) == b"\x00\xff"


def test_the_first_key_seals_and_every_key_opens(settings):
    settings.KRING_FIELD_KEYS = [KEY_B]
    old = sealing.seal("secret")
    settings.KRING_FIELD_KEYS = [KEY_A, KEY_B]

    assert sealing.open_sealed(old) == b"secret"
    assert not sealing.under_first_key(old)
    assert sealing.under_first_key(sealing.seal("secret"))


def test_a_value_sealed_with_a_key_that_is_gone_does_not_open(settings):
    settings.KRING_FIELD_KEYS = [KEY_B]
    token = sealing.seal("secret")
    settings.KRING_FIELD_KEYS = [KEY_A]

    with pytest.raises(sealing.Unreadable):
        sealing.open_sealed(token)
    with pytest.raises(sealing.Unreadable):
        sealing.open_sealed("not a token")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("short", "KRING_FIELD_KEYS: key 1 is not a key"),
        (f"{KEY_A},{KEY_A}", "KRING_FIELD_KEYS: key 2 is the same as key 1"),
        (f"{KEY_A},{KEY_B[:-2]}", "KRING_FIELD_KEYS: key 2 is not a key"),
    ],
)
def test_a_bad_key_is_refused_with_a_clear_message(value, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        sealing.parse_keys([v for v in value.split(",") if v])


def test_a_key_is_refused_when_it_is_the_secret_key():
    with pytest.raises(ImproperlyConfigured, match="apart from KRING_SECRET_KEY"):
        sealing.parse_keys([KEY_A], secret_key=KEY_A)


def test_one_key_in_both_base64_alphabets_is_the_same_key():
    raw = bytes([0xFB, 0xFF, 0xBF]) * 10 + b"ab"  # "+" and "/" in standard base64
    url_safe, standard = base64.urlsafe_b64encode(raw).decode(), base64.b64encode(raw).decode()
    assert url_safe != standard

    with pytest.raises(ImproperlyConfigured, match="key 2 is the same as key 1"):
        sealing.parse_keys([url_safe, standard])


def test_a_key_is_refused_when_it_is_an_old_secret_key():
    with pytest.raises(ImproperlyConfigured, match="apart from KRING_SECRET_KEY"):
        sealing.parse_keys([KEY_B, KEY_A], secret_key="current", secret_key_fallbacks=["x", KEY_A])


def settings_in_a_new_process(env: dict[str, str], expression: str) -> subprocess.CompletedProcess:
    """Import kring.settings as a server would, with only `env` set."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("KRING_", "DJANGO_"))}
    code = f"import json, kring.settings as s; print(json.dumps({expression}))"
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


PRODUCTION = {"KRING_SECRET_KEY": "production-secret-" + "s" * 40}


def test_a_server_without_field_keys_refuses_to_start():
    done = settings_in_a_new_process(PRODUCTION, "s.KRING_FIELD_KEYS")

    assert done.returncode != 0
    assert "KRING_FIELD_KEYS must be set" in done.stderr


def test_a_server_with_a_bad_field_key_refuses_to_start():
    done = settings_in_a_new_process({**PRODUCTION, "KRING_FIELD_KEYS": "abc"}, "1")

    assert done.returncode != 0
    assert "KRING_FIELD_KEYS: key 1 is not a key" in done.stderr


def test_a_server_reads_its_field_keys_in_order():
    done = settings_in_a_new_process(
        {**PRODUCTION, "KRING_FIELD_KEYS": f"{KEY_A}, {KEY_B}"}, "s.KRING_FIELD_KEYS"
    )

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [KEY_A, KEY_B]


def test_the_demo_seals_with_a_fixed_public_key():
    done = settings_in_a_new_process({"KRING_DEMO_MODE": "1"}, "s.KRING_FIELD_KEYS")

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [sealing.DEMO_KEY]


def test_the_secret_key_fallbacks_come_from_the_environment():
    done = settings_in_a_new_process(
        {**PRODUCTION, "KRING_FIELD_KEYS": KEY_A, "KRING_SECRET_KEY_FALLBACKS": "old-1, old-2"},
        "s.SECRET_KEY_FALLBACKS",
    )

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == ["old-1", "old-2"]


def test_a_server_refuses_a_field_key_that_is_an_old_secret_key():
    done = settings_in_a_new_process(
        {**PRODUCTION, "KRING_FIELD_KEYS": KEY_A, "KRING_SECRET_KEY_FALLBACKS": f"old-1, {KEY_A}"},
        "1",
    )

    assert done.returncode != 0
    assert "apart from KRING_SECRET_KEY" in done.stderr


def test_a_server_refuses_the_public_demo_key():
    done = settings_in_a_new_process({**PRODUCTION, "KRING_FIELD_KEYS": sealing.DEMO_KEY}, "1")

    assert done.returncode != 0
    assert "KRING_FIELD_KEYS: key 1 is the public demo key" in done.stderr
