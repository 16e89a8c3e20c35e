"""The outbox's part of /health/: mail pending longer than LATE_AFTER makes it fail."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from kring.notifications.health import LATE_AFTER
from kring.notifications.models import OutgoingMail

pytestmark = pytest.mark.django_db


def mail(age: timedelta, status=OutgoingMail.Status.PENDING) -> OutgoingMail:
    stored = OutgoingMail.objects.create(
        kind="test",
        to="someone@example.org",
        language="nl",
        subject="s",
        body_text="b",
        status=status,
    )
    OutgoingMail.objects.filter(pk=stored.pk).update(created_at=timezone.now() - age)
    return stored


def outbox(client):
    response = client.get("/health/")
    return response.status_code, json.loads(response.content)["checks"]["outbox"]


def test_no_backlog(client):
    mail(timedelta(minutes=2))  # being sent: not late
    mail(LATE_AFTER * 2, status=OutgoingMail.Status.SENT)
    mail(LATE_AFTER * 2, status=OutgoingMail.Status.FAILED)  # given up: not waiting
    assert outbox(client) == (200, {"status": "ok", "backlog": 0})


def test_mail_waiting_too_long_fails_with_its_number_only(client):
    mail(LATE_AFTER + timedelta(minutes=1))
    mail(LATE_AFTER * 4)
    assert outbox(client) == (503, {"status": "fail", "backlog": 2})
    assert b"someone@example.org" not in client.get("/health/").content
