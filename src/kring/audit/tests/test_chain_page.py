"""The manager's access log says whether the audit log's chain verifies, from the latest check
the hourly task stored; the page never walks the chain itself (issue 14 point 1)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kring.audit import chain
from kring.audit.log import record
from kring.audit.models import ChainCheck

LOG = reverse("audit:log")

pytestmark = pytest.mark.django_db


def _page(client) -> str:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "nl"
    return client.get(LOG).content.decode()


def _check(at, **values):
    return ChainCheck.objects.create(at=at, **{"ok": True, "verified_up_to_seq": 1, **values})


def test_the_log_says_it_is_not_checked_yet(as_user, mira):
    assert "Het logboek is nog niet gecontroleerd" in _page(as_user(mira))


def test_the_log_says_when_it_was_last_found_complete(as_user, mira, carla):
    record("case.viewed", actor=carla)
    check = chain.check(full=True)
    ChainCheck.objects.filter(pk=check.pk).update(at=timezone.now() - timedelta(minutes=20))
    html = _page(as_user(mira))
    assert "Het logboek is compleet en niet veranderd" in html
    assert "Let op" not in html


def test_the_log_warns_when_the_chain_is_broken(as_user, mira):
    _check(timezone.now() - timedelta(minutes=5), ok=False, first_broken_seq=3, reason="changed")
    html = _page(as_user(mira))
    assert "Let op: er is met het logboek geknoeid" in html
    assert "Meld dit meteen bij de beheerder" in html


def test_the_log_warns_when_the_hourly_check_stopped(as_user, mira):
    _check(timezone.now() - timedelta(hours=5))
    html = _page(as_user(mira))
    assert "De laatste controle van het logboek is van" in html
    assert "Het logboek is compleet" not in html


def test_the_page_reads_the_stored_check_and_never_walks_the_chain(as_user, mira, carla):
    for n in range(30):
        record("case.viewed", actor=carla, data={"n": n})
    _check(timezone.now())
    client = as_user(mira)
    with CaptureQueriesContext(connection) as queries:
        client.get(LOG)
    # A walk reads the rows in order of seq, from the first (chain.verify); the page reads
    # them newest first, and the head (seq, descending) to write its own row.
    walks = [q["sql"] for q in queries if '"seq" ASC' in q["sql"]]
    assert walks == []
    assert ChainCheck.objects.count() == 1
