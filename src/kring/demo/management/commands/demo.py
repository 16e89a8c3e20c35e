"""`kring demo` (what `make demo` runs): migrate the SQLite database under var/, load the demo
data, then run the web server and the task worker until Ctrl-C.

The web server is gunicorn, as in production (docs/deployment.md), not runserver: the same
WSGI stack and static files through whitenoise, no autoreloader process to chase on exit.
Each child runs in a process group of its own, so the terminal's Ctrl-C reaches only this
supervisor, which stops the children in order (gunicorn with SIGTERM, the Huey worker with
SIGINT: both finish what they are doing) and kills whatever is left after a grace period. On
Linux the children also get SIGTERM if the supervisor itself is killed, so none is orphaned.
`kring demo` switches KRING_DEMO_MODE on before the settings load (kring/__main__.py); not
KRING_DEBUG: the demo runs as a server does, with Kring's own error pages (issue 14).
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.test.utils import override_settings

from kring.demo.management.commands.load_demo import PASSWORD, USERS

GRACE_SECONDS = 10
STARTUP_SECONDS = 30


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM when the supervisor dies (Linux prctl)."""
    if sys.platform.startswith("linux"):
        import ctypes  # only where it is used

        pr_set_pdeathsig = 1
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _parse_bind(bind: str) -> tuple[str, int]:
    host, _, port = bind.rpartition(":")
    try:
        return host or "127.0.0.1", int(port)
    except ValueError:
        raise CommandError(f"--bind must be HOST:PORT, got {bind!r}") from None


def _port_free(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _accepts(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


class Command(BaseCommand):
    help = "Run the demo: migrate, load the demo data, serve Kring with its task worker."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000", help="HOST:PORT to serve on")

    def handle(self, *args, bind, **options):
        if not settings.DEMO_MODE:
            raise CommandError(
                "The demo needs KRING_DEMO_MODE on; `kring demo` switches it on unless "
                "KRING_DEMO_MODE is set to false."
            )
        host, port = _parse_bind(bind)
        if not _port_free(host, port):
            raise CommandError(
                f"{host}:{port} is in use (is Kring already running?). "
                f"Stop that first, or run: .venv/bin/kring demo --bind {host}:{port + 1}"
            )

        Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
        self.stdout.write(f"Database: {settings.DATABASES['default']['NAME']}")
        call_command("migrate", interactive=False, verbosity=0)
        site_url = os.environ.get("KRING_SITE_URL", f"http://{host}:{port}")
        # Mail is rendered when it is queued: its links must point at this server too.
        with override_settings(SITE_URL=site_url):
            call_command("load_demo", stdout=self.stdout, stderr=self.stderr)
        connections.close_all()  # the children open their own

        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "kring.settings"),
            "KRING_DEMO_MODE": "1",
            # Links in the demo's e-mails point at this server.
            "KRING_SITE_URL": site_url,
            "PYTHONUNBUFFERED": "1",
        }
        python = sys.executable
        children = {
            "web server": (
                [
                    python,
                    "-m",
                    "gunicorn",
                    "kring.wsgi:application",
                    f"--bind={host}:{port}",
                    "--workers=2",
                    "--threads=4",
                    "--access-logfile=-",
                    # Personal-link tokens never reach the access log (portal/logging.py).
                    "--logger-class=kring.portal.logging.RedactingGunicornLogger",
                    "--no-control-socket",
                    f"--graceful-timeout={GRACE_SECONDS - 2}",
                ],
                signal.SIGTERM,  # gunicorn: graceful stop
            ),
            "task worker": (
                [python, "-m", "kring", "run_huey"],
                signal.SIGINT,  # huey: graceful stop (SIGTERM would stop at once)
            ),
        }

        stop_requested: list[int] = []

        def request_stop(signum, _frame):
            stop_requested.append(signum)

        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, request_stop)

        procs: dict[str, subprocess.Popen] = {}
        failure = None
        try:
            for name, (command, _stop_signal) in children.items():
                procs[name] = subprocess.Popen(  # our own interpreter
                    command, env=env, process_group=0, preexec_fn=_die_with_parent
                )
            failure = self._wait_until_serving(procs, host, port, stop_requested)
            if failure is None and not stop_requested:
                self._banner(host, port)
                failure = self._supervise(procs, stop_requested)
        finally:
            self._stop(procs, children)
            for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                signal.signal(signum, signal.SIG_DFL)
        if failure:
            raise CommandError(failure)
        self.stdout.write("Kring demo stopped.")

    def _exited(self, procs) -> str | None:
        for name, proc in procs.items():
            if proc.poll() is not None:
                return f"The {name} stopped unexpectedly (exit status {proc.returncode})."
        return None

    def _wait_until_serving(self, procs, host, port, stop_requested) -> str | None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not stop_requested:
            failure = self._exited(procs)
            if failure:
                return failure
            if _accepts(host, port):
                return None
            if time.monotonic() > deadline:
                return f"The web server did not start within {STARTUP_SECONDS} seconds."
            time.sleep(0.2)
        return None

    def _supervise(self, procs, stop_requested) -> str | None:
        while not stop_requested:
            failure = self._exited(procs)
            if failure:
                return failure
            time.sleep(0.2)
        return None

    def _stop(self, procs, children) -> None:
        if not procs:
            return
        self.stdout.write("\nStopping Kring (web server and task worker)...")
        for name, proc in procs.items():
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, children[name][1])
        deadline = time.monotonic() + GRACE_SECONDS
        for proc in procs.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def _banner(self, host, port) -> None:
        width = max(len(u[0]) for u in USERS) + 2
        lines = [
            "",
            "=" * 64,
            f"  Kring demo is running at http://{host}:{port}/",
            "",
            f"  Log in with one of these users; the password is: {PASSWORD}",
        ]
        for username, first, last, role, team in USERS:
            where = f", {team}" if team else ""
            lines.append(f"    {username:<{width}}{first} {last}, {role.label.lower()}{where}")
        lines += [
            "",
            "  E-mail is not sent: the task worker prints it here.",
            "  Press Ctrl-C to stop.",
            "=" * 64,
            "",
        ]
        self.stdout.write("\n".join(lines))
