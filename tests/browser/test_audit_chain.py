"""Mira's access log on a phone says whether the audit log is complete and unchanged (issue 14,
point 1): after the hourly check it is; after someone changes a row in the database and the
night's full check runs, the page warns her, in words and as an alert. Axe on both."""

import pytest
from django.db import connection
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from kring.audit import chain, tasks
from kring.audit.log import record
from kring.audit.models import ChainCheck
from tests.browser.conftest import PHONE
from tests.browser.ui import log_in, nl

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMPLETE = "The log is complete and unchanged: checked on %(when)s."
DROP = {
    "sqlite": ["DROP TRIGGER IF EXISTS audit_event_no_update"],
    "postgresql": ["DROP TRIGGER IF EXISTS audit_event_no_change ON audit_auditevent"],
}


def _when() -> str:
    """The latest check's time as the page writes it, in Dutch."""
    with translation.override("nl"):
        at = ChainCheck.objects.latest().at
        return date_format(timezone.localtime(at), "j F Y, H:i")


def test_the_manager_sees_whether_the_log_is_complete(
    new_context, live_server, axe, authenticator, carla, mira
):
    for n in range(3):
        record("case.viewed", actor=carla, data={"n": n})
    tasks.check_and_anchor_chain.call_local()

    page = axe.watch(new_context(viewport=PHONE).new_page())
    log_in(page, mira, authenticator(mira), axe)
    page.get_by_role("link", name=nl("Access log")).click()
    expect(page.get_by_text(nl(COMPLETE, when=_when()))).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)
    axe.check(page)

    # Someone with the database changes a row, around the triggers; the next check finds it.
    with connection.cursor() as cursor:
        for sql in DROP[connection.vendor]:
            cursor.execute(sql)
        cursor.execute("UPDATE audit_auditevent SET ip = '203.0.113.9' WHERE seq = 2")
    # The hourly check reads only the rows after the last one it found sound; the night's
    # check reads them all.
    chain.check(full=False)
    page.reload()
    expect(page.get_by_role("alert")).to_have_count(0)
    chain.check(full=True)

    page.reload()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(nl("Warning: someone has tampered with the log."))
    expect(alert).to_contain_text("meteen bij de beheerder")
    expect(alert).to_contain_text(_when())
    expect(page.get_by_text(nl(COMPLETE, when=_when()))).to_have_count(0)
    axe.check(page)
    axe.assert_no_violations()
