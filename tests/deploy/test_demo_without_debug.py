"""`kring demo` (what `make demo` runs) serves Kring without DEBUG (issue 14, finding 4): a wrong
address gets Kring's page, not Django's debug page with the whole URL map, and the static files
are still served (WhiteNoise, from the apps' folders in demo mode)."""

import http.client
import signal
import socket
import subprocess
import sys

from tests.deploy.processes import (
    STARTUP_SECONDS,
    production_env,
    scratch_database,
    stop,
    wait_until,
)

# Migrating and loading the demo data comes before the server answers.
DEMO_STARTUP_SECONDS = STARTUP_SECONDS + 240


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port: int, path: str) -> tuple[int, str] | None:
    """Status and body of GET path (a Dutch visitor's browser), or None while nothing answers."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Accept-Language": "nl"})
        response = conn.getresponse()
        return response.status, response.read().decode()
    except OSError:
        return None
    finally:
        conn.close()


def test_the_demo_answers_a_wrong_address_with_kring_page_not_the_debug_page(tmp_path):
    port = _free_port()
    with scratch_database(tmp_path) as database_url:
        env = production_env(tmp_path, database_url)
        del env["KRING_SECRET_KEY"]  # as `make demo` runs: no key, no KRING_DEBUG, nothing set
        log = tmp_path / "demo.log"
        with log.open("wb") as out:
            demo = subprocess.Popen(
                [sys.executable, "-m", "kring", "demo", f"--bind=127.0.0.1:{port}"],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            wait_until(
                lambda: demo.poll() is not None or _get(port, "/") is not None,
                timeout=DEMO_STARTUP_SECONDS,
                what="the demo answering",
            )
            assert demo.poll() is None, log.read_text()

            status, html = _get(port, "/bestaat-niet/")
            assert status == 404
            assert "<h1>Deze pagina bestaat niet</h1>" in html
            assert 'class="demo-banner"' in html  # Kring's layout, in demo mode
            for internal in ("URLconf", "urlpatterns", "DEBUG", "Traceback", "Page not found"):
                assert internal not in html, internal

            status, css = _get(port, "/static/kring/kring.css")
            assert status == 200 and ".skip-link" in css
        finally:
            demo.send_signal(signal.SIGINT)  # Ctrl-C: the supervisor stops its children
            try:
                demo.wait(30)
            finally:
                stop(demo)
