"""Kring's session engine reads a session in plain SQL and answers as Django's database sessions
do: the same data, and no key for a session that is gone or has expired."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kring.accounts.session_store import SessionStore


def test_kring_uses_it():
    assert settings.SESSION_ENGINE == "kring.accounts.session_store"


def saved(data: dict, *, expires_in: timedelta = timedelta(hours=1)) -> str:
    store = DjangoStore()
    store.update(data)
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() + expires_in
    )
    return store.session_key


def read(store_class, key):
    store = store_class(key)
    return dict(store.items()), store.session_key


@pytest.mark.parametrize(
    "key",
    [
        lambda: saved({"a": 1, "kring_seen_at": 1767225600, "nested": {"x": [1, "twee"]}}),
        lambda: saved({"a": 1}, expires_in=timedelta(seconds=-1)),
        lambda: saved({}),
        lambda: "0123456789abcdefghijklmnopqrstuv",  # a well-formed key of no session
        lambda: "short",  # refused as a key: none
        lambda: None,
    ],
    ids=["kept", "expired", "empty", "unknown", "malformed", "none"],
)
def test_it_reads_what_djangos_database_sessions_read(db, key):
    key = key()
    assert read(SessionStore, key) == read(DjangoStore, key)


def test_a_session_read_is_one_query(db):
    key = saved({"a": 1})
    with CaptureQueriesContext(connection) as queries:
        assert SessionStore(key)["a"] == 1
    assert len(queries) == 1


def test_writing_still_works_as_djangos(db):
    store = SessionStore()
    store["a"] = 1
    store.create()
    store["b"] = 2
    store.save()
    assert read(DjangoStore, store.session_key) == ({"a": 1, "b": 2}, store.session_key)
    store.flush()
    assert not Session.objects.filter(session_key=store.session_key).exists()
