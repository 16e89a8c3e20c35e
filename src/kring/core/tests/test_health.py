"""/health/ (issue 7): a local probe reaches it over plain http with any Host header, it touches
the database and the task queue, and it answers 503 when either fails."""

import json
import logging

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from huey import RedisHuey
from huey.contrib import djhuey

from kring.core import health

pytestmark = pytest.mark.django_db


def probe(client, **extra):
    return client.get("/health/", **extra)


def test_the_url_name_and_the_middleware_agree():
    assert reverse("core:health") == health.PATH
    assert settings.MIDDLEWARE[0] == "kring.core.middleware.HealthCheckMiddleware"


def test_healthy_answers_200_with_each_check(client):
    with CaptureQueriesContext(connection) as queries:
        response = probe(client)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    body = json.loads(response.content)
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {"status": "ok"}
    assert body["checks"]["queue"] == {"status": "ok"}
    assert any("SELECT 1" in query["sql"] for query in queries.captured_queries)


@override_settings(ALLOWED_HOSTS=["kring.example.org"])
def test_a_probe_with_an_unknown_host_is_answered_without_an_error_in_the_log(client, caplog):
    with caplog.at_level(logging.INFO), CaptureQueriesContext(connection) as queries:
        response = probe(client, HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    assert queries.captured_queries, "the database was not reached"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    # Every other page still refuses that host.
    with caplog.at_level(logging.CRITICAL, logger="django.security.DisallowedHost"):
        assert client.get("/privacy/", HTTP_HOST="10.0.0.7:8000").status_code == 400


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=None)
def test_a_plain_http_probe_is_not_redirected_to_https(client):
    with CaptureQueriesContext(connection) as queries:
        response = probe(client)
    assert response.status_code == 200
    assert queries.captured_queries
    assert client.get("/privacy/").status_code == 301  # other pages still go to https


def test_a_broken_database_answers_503(client, monkeypatch):
    def broken():
        raise RuntimeError("could not connect to server db.internal")

    monkeypatch.setitem(health.CHECKS, "database", broken)
    response = probe(client)
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "fail"
    assert body["checks"]["database"] == {"status": "fail"}
    assert b"db.internal" not in response.content  # no host names, no error text


def test_an_unreachable_redis_queue_answers_503(client, monkeypatch):
    unreachable = RedisHuey("kring-health-test", url="redis://127.0.0.1:1/0")
    monkeypatch.setattr(djhuey, "HUEY", unreachable)
    response = probe(client)
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["checks"]["queue"] == {"status": "fail"}
    assert body["checks"]["database"] == {"status": "ok"}
    assert b"127.0.0.1" not in response.content


def test_a_check_that_finds_a_backlog_shows_its_number(client, monkeypatch):
    def late():
        raise health.Unhealthy("late", backlog=3)

    monkeypatch.setitem(health.CHECKS, "example", late)
    response = probe(client)
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["example"] == {"status": "fail", "backlog": 3}


def test_only_get_and_head(client):
    assert client.post("/health/").status_code == 405
    assert client.head("/health/").status_code == 200


def test_the_view_answers_the_same_without_the_middleware(client):
    middleware = [m for m in settings.MIDDLEWARE if not m.endswith("HealthCheckMiddleware")]
    with override_settings(MIDDLEWARE=middleware):
        response = probe(client)
    assert response.status_code == 200
    assert json.loads(response.content)["status"] == "ok"
