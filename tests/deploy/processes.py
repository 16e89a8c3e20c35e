"""Real Kring processes for the deployment tests: a scratch database, the production settings
(kring.settings, not the test settings), and waiting for conditions with a deadline."""

import contextlib
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

STARTUP_SECONDS = 60


def wait_until(condition: Callable[[], object], *, timeout: float, what: str) -> object:
    """Poll `condition` until it returns something true; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        time.sleep(0.05)


@contextlib.contextmanager
def scratch_database(tmp_path: Path) -> Iterator[str]:
    """A KRING_DATABASE_URL for an empty database of the suite's kind: a new database next to
    the suite's on PostgreSQL (make test-postgres), a SQLite file otherwise."""
    url = os.environ.get("KRING_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / 'kring.sqlite3'}"
        return
    import psycopg  # only on PostgreSQL

    name = f"kring_deploy_{secrets.token_hex(4)}"
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def production_env(tmp_path: Path, database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a server process: kring.settings, no KRING_* from the suite's
    environment except what is given here, everything kept under tmp_path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KRING_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="kring.settings",
        PYTHONUNBUFFERED="1",
        HOME=str(tmp_path / "home"),  # gunicorn's default control socket would go here
        KRING_SECRET_KEY="deploy-test-" + "k" * 50,
        KRING_FIELD_KEYS="ZGVwbG95LXRlc3QtZmllbGQta2V5LTAxMjM0NTY3ODk=",  # 32 bytes, base64
        KRING_SECURE="false",
        KRING_DATABASE_URL=database_url,
        KRING_VAR_DIR=str(tmp_path / "var"),
        KRING_TASKS_BACKEND="sqlite",
        KRING_TASKS_SQLITE_PATH=str(tmp_path / "var" / "tasks.sqlite3"),
        **extra,
    )
    (tmp_path / "home").mkdir(exist_ok=True)
    return env


def kring(*args: str, env: dict[str, str], timeout: float = 120) -> str:
    """Run `kring ARGS...` to its end; its standard output."""
    done = subprocess.run(
        [sys.executable, "-m", "kring", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, f"kring {' '.join(args)}: {done.stderr}"
    return done.stdout


def stop(process: subprocess.Popen, timeout: float = 30) -> None:
    """Make sure `process` is gone (the tests' clean-up, not their subject)."""
    if process.poll() is None:
        process.kill()
    process.wait(timeout)
