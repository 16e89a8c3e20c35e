"""The systemd units in deploy/: what they must say, and systemd's own check of them."""

import shutil
import signal
import subprocess

import pytest
from django.conf import settings

from tests.deploy.units import DEPLOY, INSTALL_DIR, ROOT, read_unit, service, stop_signal

UNITS = ["kring-web@.service", "kring-worker.service"]
HARDENING = {
    "NoNewPrivileges": "yes",
    "PrivateTmp": "yes",
    "ProtectSystem": "strict",
    "ProtectHome": "yes",
}


@pytest.mark.parametrize("name", UNITS)
def test_every_unit_reads_the_environment_file_runs_as_kring_and_is_hardened(name):
    unit = read_unit(name)
    assert set(unit) == {"Unit", "Service", "Install"}
    assert service(name, "EnvironmentFile") == "/etc/kring/env"
    assert service(name, "User") == "kring"
    assert service(name, "Group") == "kring"
    assert service(name, "WorkingDirectory") == INSTALL_DIR
    assert service(name, "Restart") == "always"
    for key, value in HARDENING.items():
        assert service(name, key) == value, key
    # The embedded shape keeps its SQLite files in var/ (optional: "-", absent at scale).
    assert service(name, "ReadWritePaths") == f"-{INSTALL_DIR}/var"
    assert service(name, "ExecStart").startswith(f"{INSTALL_DIR}/.venv/bin/")


def test_the_web_unit_is_a_template_one_gunicorn_per_port_with_the_shipped_config():
    name = "kring-web@.service"
    command = service(name, "ExecStart").split()
    assert command[0] == f"{INSTALL_DIR}/.venv/bin/gunicorn"
    assert f"--config={INSTALL_DIR}/deploy/gunicorn.conf.py" in command
    assert "--bind=127.0.0.1:%i" in command
    # Each instance its own runtime directory, where gunicorn.conf.py puts its control socket.
    assert "%i" in service(name, "RuntimeDirectory")
    assert stop_signal(name) == signal.SIGTERM  # gunicorn's graceful stop


def test_the_worker_stops_with_the_signal_that_lets_huey_finish_a_send():
    name = "kring-worker.service"
    assert service(name, "ExecStart") == f"{INSTALL_DIR}/.venv/bin/kring run_huey"
    # Huey's consumer: SIGINT finishes running tasks, SIGTERM stops at once
    # (test_worker_stop.py proves it with the real worker).
    assert stop_signal(name) == signal.SIGINT
    # Long enough for a send that takes every step's SMTP timeout a few times over.
    assert int(service(name, "TimeoutStopSec")) >= 4 * settings.EMAIL_TIMEOUT


def test_periodic_work_runs_inside_the_worker_so_no_timer_is_shipped():
    from django.utils.module_loading import autodiscover_modules
    from huey.contrib.djhuey import HUEY

    autodiscover_modules("tasks")  # what `kring run_huey` does before it starts
    periodic = {task.name.rsplit(".", 1)[-1] for task in HUEY._registry.periodic_tasks}
    assert {"sweep_outbox", "purge_rate_limit_windows", "clear_expired_sessions"} <= periodic
    assert not list(DEPLOY.glob("*.timer"))


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not installed")
def test_systemd_accepts_the_units(tmp_path):
    """`systemd-analyze verify`, with the install directory pointed at this checkout (it checks
    that ExecStart's programs exist) and the template instantiated."""
    files = []
    for name in UNITS:
        text = (DEPLOY / name).read_text().replace(INSTALL_DIR, str(ROOT))
        target = tmp_path / name.replace("@.", "@8000.")
        target.write_text(text)
        files.append(str(target))
    done = subprocess.run(
        ["systemd-analyze", "verify", *files], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "kring" not in done.stderr.replace(str(tmp_path), ""), done.stderr
