"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Run with `.venv/bin/pytest tests/browser -q`. The live server runs in a thread of this process,
so the test and the server share settings and (transactional) database.
"""

import os

# Playwright's sync API runs an event loop in this thread; Django refuses database access from
# a thread with a running loop unless told that this is fine (it is: the loop is Playwright's).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import shutil

import pytest

from kring.accounts.models import SealedTOTPDevice

# The conference's browser tests (issue 10) start where the conference app's own tests start:
# Carla's case scheduled at De Linde, check-in begun, the rounds done, the plan begun. A test
# module that defines a fixture of the same name uses its own.
from kring.conference.tests.conftest import (  # noqa: F401  (fixtures: pytest finds them by name)
    checking_in,
    daan,
    everyone_said_yes,
    joost,
    linde,
    meeting_an_hour_ago,
    plan,
    ria,
    rounds_done,
    sanne,
    scheduled_case,
    summer_meeting,
)
from kring.testing.auth import confirmed_device
from tests.browser.audit import AccessibilityAudit
from tests.browser.smtp import SmtpServer


def _one_request_at_a_time_on_sqlite() -> None:
    """On SQLite the test database lives in memory, and pytest-django hands the live server the
    test's own connection: every server thread then shares that one connection. Two requests at
    once (the second screen polling while the editor saves, issue 10) can then collide inside
    it ("database table is locked"), which a real database file (WAL, its own connection per
    thread, a busy timeout) never does. So on SQLite the live server answers one request at a
    time, closing each connection (Django does that when the server does not thread); the
    browser waits its turn, and no test depends on two requests running at once. PostgreSQL
    keeps the threaded server: each thread has its own connection there."""
    from django.conf import settings
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import LiveServerThread

    class OneRequestAtATime(WSGIServer):
        """The live server's thread answers each request itself, with its shared connection."""

        def __init__(self, *args, connections_override=None, **kwargs):
            super().__init__(*args, **kwargs)
            self.connections_override = connections_override

    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        LiveServerThread.server_class = OneRequestAtATime


_one_request_at_a_time_on_sqlite()

CHROMIUM = os.environ.get("KRING_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 1024, "height": 768}  # landscape: conference mode on a table (issue 10)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """The system Chromium (Playwright's own browser download is not available here)."""
    if not shutil.which(CHROMIUM):
        pytest.fail(f"no Chromium at {CHROMIUM}: apt-get install chromium (or set KRING_CHROMIUM)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    """A Dutch visitor in the Netherlands: the interface is Dutch unless they switch."""
    return {
        **browser_context_args,
        "base_url": live_server.url,
        "locale": "nl-NL",
        "timezone_id": "Europe/Amsterdam",
    }


@pytest.fixture
def axe():
    """Collects axe-core's findings on every page a test visits; the test ends with
    `axe.assert_no_violations()`."""
    return AccessibilityAudit()


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1, and Kring configured to deliver its mail there."""
    with SmtpServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = server.host
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        yield server


@pytest.fixture
def authenticator():
    """The authenticator app on a staff member's phone: a confirmed TOTP device per user."""

    def device_for(user) -> SealedTOTPDevice:
        return confirmed_device(user)

    return device_for
