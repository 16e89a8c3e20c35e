"""What /health/ checks (docs/deployment.md, "Health check").

Kring's core checks that the database answers a query and that the task queue's storage
(Huey's SQLite file or Redis) can be read. Apps above the core add their own checks with
`register` (the outbox backlog: kring.notifications.health), since the core imports no other
app. A check returns the numbers it may show (nothing sensitive: no names, hosts or versions),
raises `Unhealthy` when what it checks is reachable but not well, or raises anything else when
it cannot reach it. Any failure makes /health/ answer 503.

/health/ is answered by `HealthCheckMiddleware` (first in settings.MIDDLEWARE), before the
redirect to https and before the Host header is checked against ALLOWED_HOSTS, so that a probe
on the machine itself (`curl http://127.0.0.1:8000/health/`) reaches it.
"""

import json
import logging
from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

logger = logging.getLogger(__name__)

PATH = "/health/"  # core:health; the middleware compares request.path_info with it

Check = Callable[[], dict[str, int] | None]


class Unhealthy(Exception):  # noqa: N818 - a state, not an error in the code
    """What a check raises when it reaches what it checks but finds it not well (a backlog)."""

    def __init__(self, reason: str, **details: int) -> None:
        super().__init__(reason)
        self.details = details


def database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def queue() -> None:
    """Huey's storage answers: the length of the queue is read (and not shown)."""
    from huey.contrib import djhuey  # type: ignore[import-untyped]

    djhuey.HUEY.pending_count()


CHECKS: dict[str, Check] = {"database": database, "queue": queue}


def register(name: str, check: Check) -> None:
    """Add a check (from an app's AppConfig.ready); a name is registered once."""
    CHECKS[name] = check


def run() -> tuple[bool, dict[str, dict[str, object]]]:
    """Every check, each on its own: (all well, {name: {"status": "ok" | "fail", ...}})."""
    results: dict[str, dict[str, object]] = {}
    for name, check in CHECKS.items():
        try:
            details = check() or {}
        except Unhealthy as problem:
            logger.warning("health check %s: %s %s", name, problem, problem.details)
            results[name] = {"status": "fail", **problem.details}
        except Exception as error:  # noqa: BLE001 - any failure is an answer, not a crash
            logger.warning("health check %s failed: %s: %s", name, type(error).__name__, error)
            results[name] = {"status": "fail"}
        else:
            results[name] = {"status": "ok", **details}
    return all(r["status"] == "ok" for r in results.values()), results


def response(request: HttpRequest) -> HttpResponse:
    """200 with each check's status when all are well, 503 when any failed."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    healthy, results = run()
    body = {"status": "ok" if healthy else "fail", "checks": results}
    answer = HttpResponse(
        json.dumps(body), content_type="application/json", status=200 if healthy else 503
    )
    answer["Cache-Control"] = "no-store"
    answer["X-Content-Type-Options"] = "nosniff"
    return answer
