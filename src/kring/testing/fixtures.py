"""Fixtures shared by every app's tests (loaded by the root conftest.py): a case at each step
of the lifecycle, made through the real actions, and a signed-in client."""

import importlib

import pytest

from kring.cases import actions
from kring.circle import actions as circle_actions
from kring.testing.auth import force_verified_login
from kring.testing.factories import ReferralFactory


@pytest.fixture
def requested_case(db):
    """A request in the office inbox, with Daan (responsible) and Sanne (harmed) named."""
    return actions.open_case(ReferralFactory())


@pytest.fixture
def referred_case(requested_case, bram):
    return actions.take_on(requested_case, by=bram)


@pytest.fixture
def offered_case(referred_case, bram, carla):
    actions.offer_to_coordinator(referred_case, coordinator=carla, by=bram)
    return referred_case


@pytest.fixture
def carlas_case(offered_case, carla):
    """Assigned to Carla, who declared her independence (R2)."""
    offer = offered_case.assignments.get(coordinator=carla, status="offered")
    return actions.accept_assignment(offer, declares_independence=True, by=carla)


@pytest.fixture
def preparing_case(carlas_case, carla):
    return circle_actions.start_preparation(carlas_case, by=carla)


@pytest.fixture
def as_user(client):
    """`as_user(carla)`: the test client, signed in as that user with the second factor."""

    def login(user):
        force_verified_login(client, user)
        return client

    return login


@pytest.fixture(autouse=True)
def _audit_log_flushable_on_sqlite(request):
    """After a transactional test (live server, `transaction=True`) pytest-django empties every
    table: on PostgreSQL with TRUNCATE, which the audit log's append-only trigger leaves alone;
    on SQLite with DELETE, which the trigger refuses. So empty the audit log first, with the
    trigger briefly off, and leave it in place for the tests that follow."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
        or (marker is not None and marker.kwargs.get("transaction"))
    )
    if not transactional:
        yield
        return
    request.getfixturevalue("transactional_db")  # set up first, so torn down after this
    yield
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    triggers = importlib.import_module("kring.audit.migrations.0002_append_only_triggers")
    with connection.cursor() as cursor:
        for sql in triggers.SQLITE_REVERSE:
            cursor.execute(sql)
        cursor.execute("DELETE FROM audit_auditevent")
        for sql in triggers.SQLITE:
            cursor.execute(sql)
