"""The secret key at start-up (issue 14, finding 9): `KRING_DEBUG=1` without `KRING_SECRET_KEY`
used the public demo key without a word, so a developer's (or a careless server's) sessions,
CSRF tokens and recovery codes were signed with a key anyone can read in the source. Only the
demo (`KRING_DEMO_MODE`) may use that key; otherwise Kring refuses to start and says what to set.

Each case imports the real settings module in a fresh Python process with exactly the
environment given: the settings read the environment once, at import."""

import os
import subprocess
import sys

import pytest

DEMO_KEY_PREFIX = "kring-demo-secret-key"
PRINT_KEY = "import kring.settings as s; print(s.SECRET_KEY)"


def _import_settings(tmp_path, **env: str) -> subprocess.CompletedProcess:
    clean = {
        key: value for key, value in os.environ.items() if not key.startswith(("KRING_", "DJANGO_"))
    }
    clean.update(env, KRING_VAR_DIR=str(tmp_path))
    return subprocess.run(
        [sys.executable, "-c", PRINT_KEY],
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("debug", ["1", "true"])
def test_debug_without_a_secret_key_refuses_to_start_and_says_what_to_set(tmp_path, debug):
    done = _import_settings(tmp_path, KRING_DEBUG=debug)
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr
    assert "KRING_SECRET_KEY must be set" in done.stderr
    assert "KRING_DEMO_MODE" in done.stderr  # the way to the demo key, named
    assert DEMO_KEY_PREFIX not in done.stdout


def test_without_debug_or_demo_a_secret_key_is_required(tmp_path):
    done = _import_settings(tmp_path)
    assert done.returncode != 0
    assert "KRING_SECRET_KEY must be set" in done.stderr


@pytest.mark.parametrize("debug", ["0", "1"])
def test_only_the_demo_uses_the_public_demo_key(tmp_path, debug):
    done = _import_settings(tmp_path, KRING_DEMO_MODE="1", KRING_DEBUG=debug)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().startswith(DEMO_KEY_PREFIX)


def test_debug_with_a_secret_key_uses_that_key(tmp_path):
    done = _import_settings(
        tmp_path,
        KRING_DEBUG="1",
        KRING_SECRET_KEY="a-developers-own-key-42",
        # The sealing keys are required too (docs/configuration.md): the test suite's own.
        KRING_FIELD_KEYS=os.environ["KRING_FIELD_KEYS"],
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "a-developers-own-key-42"
