"""E-mail goes through the outbox and the task queue: nothing is lost when sending fails or a
worker stops (issue 2, point 10)."""

from datetime import timedelta

import pytest
from django.core import mail as django_mail
from django.utils import timezone

from kring.notifications.mail import queue_mail
from kring.notifications.models import OutgoingMail
from kring.notifications.tasks import MAX_ATTEMPTS, MailNotSent, send_mail, sweep_outbox


def _queue(django_capture_on_commit_callbacks, carla, *, execute=True):
    with django_capture_on_commit_callbacks(execute=execute):
        return queue_mail(
            "case.accepted",
            to="bram@kring.test",
            language="nl",
            context={
                "user": carla,
                "case": type("C", (), {"reference": "K-TEST-0001"})(),
                "coordinator": carla,
                "link": "/",
            },
        )


def test_a_queued_mail_is_sent_after_commit_and_marked_sent(
    db, carla, mailoutbox, django_capture_on_commit_callbacks
):
    message = _queue(django_capture_on_commit_callbacks, carla)
    assert len(mailoutbox) == 1
    assert "K-TEST-0001" in mailoutbox[0].body
    message.refresh_from_db()
    assert message.status == OutgoingMail.Status.SENT
    assert message.attempts == 1


def test_nothing_is_sent_when_the_transaction_rolls_back(db, carla, mailoutbox):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        queue_mail(
            "case.accepted",
            to="bram@kring.test",
            language="nl",
            context={"user": carla, "case": None, "coordinator": carla, "link": "/"},
        )
        raise RuntimeError
    assert mailoutbox == []
    assert not OutgoingMail.objects.exists()


def test_a_mail_that_a_stopped_worker_left_pending_is_sent_by_the_sweep(
    db, carla, mailoutbox, django_capture_on_commit_callbacks
):
    message = _queue(django_capture_on_commit_callbacks, carla, execute=False)  # worker never ran
    assert mailoutbox == []
    OutgoingMail.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - timedelta(minutes=10)
    )
    sweep_outbox.call_local()
    assert len(mailoutbox) == 1
    message.refresh_from_db()
    assert message.status == OutgoingMail.Status.SENT


def test_a_failing_mail_server_keeps_the_mail_pending_for_a_retry(
    db, carla, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    message = _queue(django_capture_on_commit_callbacks, carla, execute=False)
    with pytest.raises(MailNotSent):
        send_mail.call_local(message.pk)
    message.refresh_from_db()
    assert message.status == OutgoingMail.Status.PENDING
    assert message.attempts == 1
    assert message.claimed_at is None
    assert message.last_error


def test_after_the_last_attempt_the_mail_is_marked_failed(
    db, carla, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    message = _queue(django_capture_on_commit_callbacks, carla, execute=False)
    OutgoingMail.objects.filter(pk=message.pk).update(attempts=MAX_ATTEMPTS - 1)
    send_mail.call_local(message.pk)
    message.refresh_from_db()
    assert message.status == OutgoingMail.Status.FAILED


def test_a_sent_mail_is_never_sent_twice(db, carla, mailoutbox, django_capture_on_commit_callbacks):
    message = _queue(django_capture_on_commit_callbacks, carla)
    send_mail.call_local(message.pk)
    sweep_outbox.call_local()
    assert len(django_mail.outbox) == 1


def test_the_task_payload_is_the_mail_id_only(db, carla, django_capture_on_commit_callbacks):
    message = _queue(django_capture_on_commit_callbacks, carla, execute=False)
    task = send_mail.s(message.pk)
    assert task.args == (message.pk,)
    assert task.kwargs in (None, {})
