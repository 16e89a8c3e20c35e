"""Two web processes from the shipped deploy/gunicorn.conf.py, as kring-web@.service starts
them: both answer, each has its own control socket (or, outside systemd, none), and the access
log shows the request with the personal-link token redacted (issue 7, findings 7 and 8)."""

import http.client
import secrets
import socket
import subprocess
import sys

from gunicorn.ctl.client import ControlClient

from tests.deploy.processes import (
    STARTUP_SECONDS,
    kring,
    production_env,
    scratch_database,
    stop,
    wait_until,
)
from tests.deploy.units import DEPLOY

CONFIG = DEPLOY / "gunicorn.conf.py"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port: int, path: str) -> int | None:
    """The status of GET path, or None while nothing answers."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    except OSError:
        return None
    finally:
        conn.close()


class Instance:
    """`gunicorn --config=deploy/gunicorn.conf.py --bind=127.0.0.1:PORT`, as the unit runs it;
    with `runtime_directory`, as systemd's RuntimeDirectory= gives it one."""

    def __init__(self, tmp_path, env, runtime_directory=None):
        self.port = _free_port()
        self.log = tmp_path / f"web-{self.port}.log"
        env = {**env, "KRING_WEB_WORKERS": "1", "KRING_WEB_THREADS": "2"}
        if runtime_directory is not None:
            runtime_directory.mkdir(mode=0o700)
            env["RUNTIME_DIRECTORY"] = str(runtime_directory)
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    f"--config={CONFIG}",
                    f"--bind=127.0.0.1:{self.port}",
                ],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def wait_serving(self) -> None:
        wait_until(
            lambda: self.process.poll() is not None or _get(self.port, "/") is not None,
            timeout=STARTUP_SECONDS,
            what=f"gunicorn answering on port {self.port}",
        )
        assert self.process.poll() is None, self.log.read_text()

    def stop(self) -> None:
        stop(self.process)


def test_two_instances_answer_each_with_its_own_control_socket_and_a_redacted_access_log(
    tmp_path,
):
    token = secrets.token_urlsafe(32)
    with scratch_database(tmp_path) as database_url:
        env = production_env(tmp_path, database_url)
        kring("migrate", "--no-input", env=env)
        kring("collectstatic", "--no-input", env=env)  # as the guide does before starting
        instances = [Instance(tmp_path, env, tmp_path / f"run-{n}") for n in (1, 2)]
        try:
            for instance in instances:
                instance.wait_serving()
            for instance in instances:
                status = _get(instance.port, f"/p/{token}/")
                assert status is not None and status < 500, status
            for n, instance in enumerate(instances, 1):
                socket_path = tmp_path / f"run-{n}" / "gunicorn.ctl"
                assert socket_path.is_socket()
                with ControlClient(str(socket_path), timeout=10) as client:
                    listeners = client.send_command("show listeners")["listeners"]
                # The socket belongs to this instance, not to the other one.
                assert [item["address"] for item in listeners] == [
                    f"http://127.0.0.1:{instance.port}"
                ]
                wait_until(
                    lambda instance=instance: "GET /p/[redacted]/" in instance.log.read_text(),
                    timeout=30,
                    what=f"the access log line of port {instance.port}",
                )
        finally:
            for instance in instances:
                instance.stop()
        for instance in instances:
            assert token not in instance.log.read_text()
        assert not (tmp_path / "home" / ".gunicorn").exists()


def test_outside_systemd_an_instance_has_no_control_socket(tmp_path):
    with scratch_database(tmp_path) as database_url:
        env = production_env(tmp_path, database_url)
        env.pop("XDG_RUNTIME_DIR", None)
        instance = Instance(tmp_path, env)
        try:
            instance.wait_serving()
        finally:
            instance.stop()
        assert not (tmp_path / "home" / ".gunicorn").exists()
        assert "control socket" not in instance.log.read_text().lower()
