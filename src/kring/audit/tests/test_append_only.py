"""The audit log cannot be changed: the database refuses UPDATE and DELETE (issue 2, point 8)."""

import pytest
from django.db import DatabaseError, connection, transaction

from kring.audit.log import record
from kring.audit.models import AuditEvent


@pytest.fixture
def event(db, carla):
    return record("case.viewed", actor=carla)


def test_an_audit_row_cannot_be_updated(event):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="nothing.happened")
    event.refresh_from_db()
    assert event.action == "case.viewed"


def test_an_audit_row_cannot_be_deleted(event):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_raw_sql_cannot_change_the_log_either(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET ip = '10.0.0.1'")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.count() == 1


def test_a_row_records_who_what_which_case_and_team(event, carla):
    assert event.actor == carla
    assert event.actor_role == "coordinator"
    assert event.team_id == carla.team_id
    assert event.at is not None


def test_the_address_comes_from_the_request(client, bram, db):
    from django.urls import reverse

    from kring.testing.auth import force_verified_login

    force_verified_login(client, bram)
    client.get(reverse("cases:inbox"), REMOTE_ADDR="192.0.2.7")
    assert AuditEvent.objects.filter(
        actor=bram, action="case.inbox_viewed", ip="192.0.2.7"
    ).exists()
