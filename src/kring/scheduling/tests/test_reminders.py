"""Reminders (issue 9, point 6), with the clock moved forward (`now=`): one per participant two
days before, the coordinator's the day before, none to who withdrew, each sent exactly once,
also when a worker stops between claiming a reminder and committing its mail."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction

from kring.circle.models import Participant, Status
from kring.notifications.models import OutgoingMail
from kring.scheduling import reminders
from kring.scheduling.models import Reminder
from kring.scheduling.tests.meeting_fixtures import local

UTC = ZoneInfo("UTC")
# The summer meeting is on Thursday 15 July 2027 at 19:00.
TUESDAY_0959 = local(2027, 7, 13, 9, 59)
TUESDAY_1000 = local(2027, 7, 13, 10, 0)
WEDNESDAY_1000 = local(2027, 7, 14, 10, 0)


@pytest.fixture
def planned(summer_meeting):
    reminders.plan(summer_meeting)
    return summer_meeting


def _run(now, capture) -> int:
    with capture(execute=True):
        return reminders.send_due(now=now)


def test_plan_stores_one_reminder_per_participant_and_one_for_the_coordinator(planned):
    rows = list(Reminder.objects.filter(meeting=planned).order_by("kind", "participant__name"))
    kinds = [(r.kind, r.participant.name if r.participant else None) for r in rows]
    assert kinds == [
        ("coordinator", None),
        ("participant", "Daan de Boer"),
        ("participant", "Joost de Boer"),
        ("participant", "Ria Jansen"),
        ("participant", "Sanne Jansen"),
    ]
    participant_due = {r.due_at for r in rows if r.kind == "participant"}
    assert participant_due == {TUESDAY_1000.astimezone(UTC)}
    assert rows[0].due_at == WEDNESDAY_1000.astimezone(UTC)
    # Planning again adds nothing.
    reminders.plan(planned)
    assert Reminder.objects.filter(meeting=planned).count() == 5


def test_each_reminder_is_sent_once_when_due_and_never_to_who_withdrew(
    planned, everyone_said_yes, carla, mailoutbox, django_capture_on_commit_callbacks
):
    carla.email = "carla@kring.test"
    carla.save()
    joost = everyone_said_yes["joost"]
    Participant.objects.filter(pk=joost.pk).update(status=Status.WITHDRAWN)

    assert _run(TUESDAY_0959, django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []

    assert _run(TUESDAY_1000, django_capture_on_commit_callbacks) == 2
    # Daan and Sanne; Ria has no e-mail address, Joost withdrew: neither gets a mail.
    assert sorted(sent.to[0] for sent in mailoutbox) == ["daan@example.org", "sanne@example.org"]
    daan = next(sent for sent in mailoutbox if sent.to[0] == "daan@example.org")
    assert daan.subject == "Herinnering: je Eigen Kracht-conferentie"
    assert "donderdag 15 juli 2027" in daan.body and "19:00" in daan.body
    joost_reminder = Reminder.objects.get(participant=joost)
    assert joost_reminder.sent_at is None and joost_reminder.cancelled_at is not None

    # A second run at the same moment sends nothing more.
    assert _run(TUESDAY_1000 + timedelta(minutes=5), django_capture_on_commit_callbacks) == 0
    assert len(mailoutbox) == 2

    # The coordinator, the day before: no content, a link to the case.
    assert _run(WEDNESDAY_1000, django_capture_on_commit_callbacks) == 1
    coordinator = mailoutbox[-1]
    assert coordinator.to == ["carla@kring.test"]
    assert coordinator.subject == "Herinnering: morgen een conferentie"
    assert f"/zaken/{planned.case.pk}/" in coordinator.body
    for name in ("Daan", "Sanne", planned.case.reference, "Linde"):
        assert name not in coordinator.body
    assert _run(WEDNESDAY_1000 + timedelta(days=1), django_capture_on_commit_callbacks) == 0
    assert OutgoingMail.objects.filter(kind__startswith="scheduling.").count() == 3


class WorkerStopped(Exception):
    pass


def _stop_when_the_mail_is_written(execute, sql, params, many, context):
    if sql.lstrip().upper().startswith("INSERT") and "notifications_outgoingmail" in sql:
        raise WorkerStopped
    return execute(sql, params, many, context)


def test_a_worker_stopped_after_claiming_leaves_the_reminder_for_the_next_run(
    planned, mailoutbox, django_capture_on_commit_callbacks
):
    daans = Reminder.objects.get(participant__name="Daan de Boer")
    # The claim (an UPDATE) succeeds, then the worker stops before the mail is written: the
    # transaction rolls back, and with it the claim.
    with (
        connection.execute_wrapper(_stop_when_the_mail_is_written),
        pytest.raises(WorkerStopped),
    ):
        reminders.send_one(daans.pk, now=TUESDAY_1000)
    daans.refresh_from_db()
    assert daans.sent_at is None and daans.cancelled_at is None
    assert mailoutbox == [] and not OutgoingMail.objects.filter(kind="scheduling.reminder").exists()

    # The next run sends it, once.
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.send_one(daans.pk, now=TUESDAY_1000) is True
        assert reminders.send_one(daans.pk, now=TUESDAY_1000) is False
    assert [sent.to[0] for sent in mailoutbox] == ["daan@example.org"]
    daans.refresh_from_db()
    assert daans.sent_at is not None


def test_a_reminder_claimed_by_another_worker_is_not_sent_again(planned, mailoutbox):
    daans = Reminder.objects.get(participant__name="Daan de Boer")
    Reminder.objects.filter(pk=daans.pk).update(sent_at=TUESDAY_1000)  # the other worker's claim
    with transaction.atomic():
        assert reminders.send_one(daans.pk, now=TUESDAY_1000) is False
    assert not OutgoingMail.objects.filter(kind="scheduling.reminder").exists()


def test_a_moved_meeting_cancels_the_old_reminders_and_plans_new_ones(
    planned, mailoutbox, django_capture_on_commit_callbacks
):
    planned.sequence += 1
    planned.starts_at = local(2027, 7, 22, 19, 0)
    planned.ends_at = local(2027, 7, 22, 21, 0)
    planned.save()
    reminders.plan(planned)
    old = Reminder.objects.filter(meeting=planned, sequence=0)
    assert old.count() == 5 and all(r.cancelled_at for r in old)
    new_due = {
        r.due_at for r in Reminder.objects.filter(meeting=planned, sequence=1, kind="participant")
    }
    assert new_due == {local(2027, 7, 20, 10, 0).astimezone(UTC)}
    # At the old time nothing goes out.
    assert _run(TUESDAY_1000, django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []


def test_cancel_stops_every_unsent_reminder(
    planned, mailoutbox, django_capture_on_commit_callbacks
):
    assert reminders.cancel(planned) == 5
    assert _run(WEDNESDAY_1000, django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []


def test_the_periodic_task_queues_a_task_per_due_reminder_by_id(
    planned, carla, mailoutbox, django_capture_on_commit_callbacks
):
    carla.email = "carla@kring.test"
    carla.save()
    from kring.scheduling import tasks

    # The task finds reminders due now: move them into the past instead of the clock forward.
    Reminder.objects.filter(meeting=planned).update(due_at=datetime.now(UTC) - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_due_reminders.call_local()
    assert sorted(sent.to[0] for sent in mailoutbox) == [
        "carla@kring.test",
        "daan@example.org",
        "joost@example.org",
        "sanne@example.org",
    ]
