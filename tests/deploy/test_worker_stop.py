"""Stopping the worker with its unit's stop signal during a burst of mail leaves no mail
waiting for the five-minute sweep (issue 7, finding 2).

Real parts only: the real worker (`kring run_huey`, the production settings, Huey's SQLite
queue in a temporary directory), a real SMTP server (aiosmtpd), mail queued through
`queue_mail` in a committed transaction by another process, and the signal systemd sends,
read from deploy/kring-worker.service. The SMTP server holds every message until the worker
has seen the signal, so a send is certainly in flight when it arrives: no timing involved.
The sweep is off in the worker (--no-periodic), so that it cannot hide a lost mail. Runs on
SQLite and, in make test-postgres, on a scratch PostgreSQL database.
"""

import asyncio
import collections
import json
import subprocess
import sys
import threading

from aiosmtpd.controller import Controller

from tests.browser.smtp import SmtpServer, _Inbox
from tests.deploy.processes import (
    STARTUP_SECONDS,
    kring,
    production_env,
    scratch_database,
    stop,
    wait_until,
)
from tests.deploy.units import stop_signal

BURST = 20
WORKER_THREADS = 2

QUEUE_BURST = """
import datetime, types
from django.db import transaction
from kring.notifications.mail import queue_mail
with transaction.atomic():
    for i in range({burst}):
        referral = types.SimpleNamespace(
            reference=f"K-{{i}}", submitted_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
        )
        queue_mail("referral.received", to=f"person{{i}}@example.org", language="nl",
                   context={{"referral": referral}})
"""

STATE = """
import json
from django.utils.module_loading import autodiscover_modules
autodiscover_modules("tasks")
from huey.contrib.djhuey import HUEY
from kring.notifications.models import OutgoingMail
rows = {
    m.pk: {"to": m.to, "status": m.status, "claimed": m.claimed_at is not None,
           "attempts": m.attempts}
    for m in OutgoingMail.objects.all()
}
tasks = [("queued", t) for t in HUEY.pending()] + [("scheduled", t) for t in HUEY.scheduled()]
print(json.dumps({
    "rows": rows,
    "queued": [t.args[0] for where, t in tasks if where == "queued" and "send_mail" in t.name],
    "scheduled": [t.args[0] for where, t in tasks if where == "scheduled"],
}))
"""


class _HoldingInbox(_Inbox):
    """Keeps each message's DATA unanswered until the gate opens: the sender stays mid-send."""

    def __init__(self):
        super().__init__()
        self.gate = threading.Event()
        self.held = 0

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's name
        if not self.gate.is_set():
            with self.arrived:
                self.held += 1
                self.arrived.notify_all()
            await asyncio.get_running_loop().run_in_executor(None, self.gate.wait, 300)
        return await super().handle_DATA(server, session, envelope)


class HoldingSmtpServer(SmtpServer):
    def __init__(self):
        super().__init__()
        self._inbox = _HoldingInbox()
        self._controller = Controller(self._inbox, hostname=self.host, port=self.port)

    @property
    def held(self) -> int:
        with self._inbox.arrived:
            return self._inbox.held

    def open_gate(self) -> None:
        self._inbox.gate.set()

    def recipients(self) -> collections.Counter:
        return collections.Counter(to for mail in self.messages for to in mail.envelope_to)


def _start_worker(env, log):
    return subprocess.Popen(
        [sys.executable, "-m", "kring", "run_huey", "--no-periodic"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _state(env) -> dict:
    state = json.loads(kring("shell", "-c", STATE, env=env).strip().splitlines()[-1])
    state["rows"] = {int(pk): row for pk, row in state["rows"].items()}
    return state


def test_the_units_stop_signal_lets_mail_in_flight_go_out_and_leaves_the_rest_queued(tmp_path):
    signum = stop_signal("kring-worker.service")
    log_path = tmp_path / "worker.log"
    with HoldingSmtpServer() as smtp, scratch_database(tmp_path) as database_url:
        env = production_env(
            tmp_path,
            database_url,
            KRING_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            KRING_EMAIL_HOST=smtp.host,
            KRING_EMAIL_PORT=str(smtp.port),
            KRING_EMAIL_TIMEOUT="300",  # the held send must not time out on its own
            KRING_TASKS_WORKERS=str(WORKER_THREADS),
        )
        kring("migrate", "--no-input", env=env)
        kring("shell", "-c", QUEUE_BURST.format(burst=BURST), env=env)
        assert len(_state(env)["queued"]) == BURST

        with log_path.open("wb") as log:
            worker = _start_worker(env, log)
            try:
                wait_until(
                    lambda: smtp.held or worker.poll() is not None,
                    timeout=STARTUP_SECONDS,
                    what="a send in flight",
                )
                assert worker.poll() is None, log_path.read_text()
                worker.send_signal(signum)
                wait_until(
                    lambda: f"Received {signum.name}" in log_path.read_text(),
                    timeout=30,
                    what=f"the worker noticing {signum.name}",
                )
                smtp.open_gate()
                worker.wait(timeout=60)
            finally:
                stop(worker)

        state = _state(env)
        rows, queued = state["rows"], state["queued"]
        arrived = smtp.recipients()
        sent = {pk for pk, row in rows.items() if row["status"] == "sent"}
        waiting = {
            pk
            for pk, row in rows.items()
            if row["status"] == "pending" and not row["claimed"] and pk in queued
        }
        for_the_sweep = {pk: rows[pk] for pk in rows.keys() - sent - waiting}
        assert not for_the_sweep, f"left for the sweep: {for_the_sweep}\n{log_path.read_text()}"
        assert all(arrived[rows[pk]["to"]] == 1 for pk in sent)
        # The stop came mid-burst: what was in flight went out, the rest is still queued.
        assert 1 <= len(sent) <= WORKER_THREADS
        assert len(waiting) == BURST - len(sent)
        assert not state["scheduled"]

        with log_path.open("ab") as log:
            worker = _start_worker(env, log)
            try:
                wait_until(
                    lambda: sum(smtp.recipients().values()) >= BURST,
                    timeout=STARTUP_SECONDS,
                    what=f"{BURST} mails at the SMTP server",
                )
                worker.send_signal(signum)
                worker.wait(timeout=60)
            finally:
                stop(worker)

        state = _state(env)
        assert {row["status"] for row in state["rows"].values()} == {"sent"}
        assert smtp.recipients() == {f"person{i}@example.org": 1 for i in range(BURST)}
        assert not state["queued"]
