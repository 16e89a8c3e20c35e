"""Reminders of follow-up through the task queue (issue 12, point 3; R15), with the clock moved
forward (`now=`): the owner hears of a date KRING_DUE_REMINDER_DAYS days before it, the
coordinator gets a weekly digest and the four-week contact, each exactly once (the SentReminder
key), none after the case is closed. The real outbox rows (OutgoingMail) are what is asserted:
what the person would receive."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from kring.accounts.models import User
from kring.audit.actors import Actor
from kring.cases.lifecycle import State
from kring.cases.models import Case
from kring.circle import links
from kring.circle.models import Participant, Status
from kring.followup import actions, closing, reminders
from kring.followup.models import (
    AgreementState,
    Closure,
    Contact,
    Outcome,
    Report,
    SentReminder,
    TrackedAgreement,
)
from kring.followup.tasks import send_followup_reminders
from kring.notifications.models import OutgoingMail

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# The bike's date is Wednesday 1 December 2027; three days before is Sunday 28 November.
BIKE_DUE = date(2027, 12, 1)
# Words that belong to the agreements, the reports and the people: never in a reminder.
AGREEMENT_WORDS = ("fiets", "school", "€20", "Joost kijkt")
REPORT_WORDS = "Ik heb nog niets teruggekregen"
NAMES = ("Daan", "Sanne", "Joost", "Ria", "Boer", "Jansen")


def at(year, month, day, hour=9, minute=7) -> datetime:
    """A moment in Amsterdam: where the hourly task would run."""
    return datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


def on(day: date, hour=9, minute=7) -> datetime:
    """`day` at that time in Amsterdam."""
    return at(day.year, day.month, day.day, hour, minute)


def near_and_past(bike: TrackedAgreement) -> tuple[datetime, datetime]:
    """The morning the owner hears of the bike's date (KRING_DUE_REMINDER_DAYS before it), and a
    morning five days after that date (the bike past it, in a later week)."""
    return (
        on(bike.due - timedelta(days=settings.KRING_DUE_REMINDER_DAYS)),
        on(bike.due + timedelta(days=5)),
    )


def contact_due_on(case: Case, day: date) -> Contact:
    """The follow-up contact falls due on `day`: made by the signing four weeks after the
    meeting (an hour ago by the real clock), it is set here so that no test depends on today."""
    Contact.objects.filter(case=case).update(due_on=day)
    return Contact.objects.select_related("case__coordinator", "case__referral").get(case=case)


REMINDER_MAILS = ("followup.due_soon", "followup.digest", "followup.contact_due")


def followup_mails(kind: str | None = None):
    """The reminders in the outbox (not the notices and answers the actions send)."""
    mails = OutgoingMail.objects.filter(kind__in=REMINDER_MAILS).order_by("pk")
    return mails.filter(kind=kind) if kind else mails


def close(case: Case, carla: User) -> None:
    """Carla closes the case with an outcome (followup.closing.close)."""
    closing.close(case, by=carla, outcome=Outcome.PARTLY_KEPT, note="Bijna alles gelukt.")


def reopen(case: Case) -> None:
    """Only to prove that a closed case is what stopped a reminder: the same case back in
    follow-up gets it."""
    Closure.objects.filter(case=case).delete()
    Case.objects.filter(pk=case.pk).update(state=State.FOLLOWING_UP)


def report(tracked: TrackedAgreement, participant: Participant) -> Report:
    """`participant` reports from their personal page that `tracked` is not kept."""
    return actions.invoke(
        tracked, by=Actor.in_portal(participant), participant=participant, text=REPORT_WORDS
    )


def assert_without_content(mail: OutgoingMail, *, names=True) -> None:
    for part in (mail.subject, mail.body_text, mail.body_html):
        for word in AGREEMENT_WORDS:
            assert word not in part
        assert REPORT_WORDS not in part
        if names:
            for name in NAMES:
                assert name not in part


# --- to the owner: a date is near -----------------------------------------------------------------


def test_the_owner_hears_of_a_date_three_days_before_it_and_once(following_up, bike, daan):
    assert reminders.due_soon(at(2027, 11, 27, 23)) == 0  # four days before: not yet
    assert reminders.due_soon(at(2027, 11, 28, 7)) == 0  # the day, before the morning
    assert not followup_mails().exists()

    assert reminders.due_soon(at(2027, 11, 28, 8)) == 1
    (mail,) = followup_mails()
    assert mail.kind == "followup.due_soon" and mail.to == daan.email and mail.language == "nl"
    assert mail.subject == "De datum van een van je afspraken komt eraan"
    assert "Beste Daan," in mail.body_text
    assert "De datum van een van je afspraken komt eraan: 1 december 2027." in mail.body_text
    assert "Op je persoonlijke pagina zie je om welke afspraak het gaat." in mail.body_text
    assert links.code_url() in mail.body_text  # where the personal page is opened
    # Without the agreement's text, and without the other side's names.
    assert_without_content(mail, names=False)
    assert "Sanne" not in mail.body_text + mail.body_html
    # The personal link is the participant's own: not in this mail.
    assert mail.secret == ""
    assert SentReminder.objects.get(kind="due_soon").mail == mail

    # Not again: later that day, the next day, on the date itself.
    for moment in (at(2027, 11, 28, 9), at(2027, 11, 29), at(2027, 12, 1)):
        assert reminders.due_soon(moment) == 0
    assert followup_mails().count() == 1


def test_a_new_date_is_reminded_once_again(following_up, bike, carla, final_version):
    """A change by mutual consent (R14) that moves the date: the new row's date is reminded."""
    from kring.conference import editing, versions

    from .conftest import sign_everyone

    assert reminders.due_soon(at(2027, 11, 28)) == 1
    agreement = bike.agreement
    editing.save_agreement(
        agreement, revision=agreement.revision, by=carla, by_when=date(2028, 1, 15)
    )
    sign_everyone(versions.finalise(final_version.plan, by=carla), carla)
    new = TrackedAgreement.objects.get(case=following_up, agreement=agreement, state="open")
    assert new.due == date(2028, 1, 15)

    assert reminders.due_soon(at(2028, 1, 11)) == 0  # four days before
    assert reminders.due_soon(at(2028, 1, 12)) == 1
    assert reminders.due_soon(at(2028, 1, 13)) == 0
    assert followup_mails("followup.due_soon").count() == 2


def test_a_date_set_closer_than_three_days_is_reminded_at_once(following_up, bike):
    TrackedAgreement.objects.filter(pk=bike.pk).update(due=date(2027, 3, 2))
    assert reminders.due_soon(at(2027, 3, 1)) == 1


def test_no_reminder_for_an_agreement_done_or_changed(following_up, bike, carla):
    for state in (AgreementState.DONE, AgreementState.NOT_KEPT, AgreementState.CHANGED):
        TrackedAgreement.objects.filter(pk=bike.pk).update(state=state)
        assert reminders.due_soon(at(2027, 11, 28)) == 0, state
    # Partly done still waits to be kept: the owner hears of its date.
    TrackedAgreement.objects.filter(pk=bike.pk).update(state=AgreementState.PARTLY_DONE)
    assert reminders.due_soon(at(2027, 11, 28)) == 1


def test_no_reminder_after_the_date(following_up, bike):
    assert reminders.due_soon(at(2027, 12, 2)) == 0
    assert not followup_mails().exists()


def test_no_reminder_to_an_owner_without_an_address_or_who_stopped(following_up, bike, daan):
    Participant.objects.filter(pk=daan.pk).update(email="")
    assert reminders.due_soon(at(2027, 11, 28)) == 0
    Participant.objects.filter(pk=daan.pk).update(email="daan@example.org")
    Participant.objects.filter(pk=daan.pk).update(status=Status.WITHDRAWN)
    assert reminders.due_soon(at(2027, 11, 28)) == 0
    assert not SentReminder.objects.exists()  # nothing claimed: it was not sent
    # Taking part again, with an address: the reminder that was not sent goes out.
    Participant.objects.filter(pk=daan.pk).update(status=Status.ACCEPTED)
    assert reminders.due_soon(at(2027, 11, 29)) == 1


def test_the_owner_reads_it_in_their_own_language(following_up, bike, daan):
    Participant.objects.filter(pk=daan.pk).update(language="en")
    reminders.due_soon(at(2027, 11, 28))
    (mail,) = followup_mails()
    assert mail.language == "en"
    assert "The date of one of your agreements is coming soon: 1 December 2027." in (mail.body_text)


# --- to the coordinator: the weekly digest --------------------------------------------------------


def test_the_digest_counts_per_case_once_a_week(following_up, bike, school, sanne, ria, carla):
    # Monday 6 December 2027: the bike is past its date; two reports wait for an answer.
    report(bike, sanne)
    report(school, ria)
    assert reminders.digest(at(2027, 12, 6)) == 1
    (mail,) = followup_mails()
    assert mail.kind == "followup.digest" and mail.to == carla.email
    assert mail.subject == "Deze week in de nazorg"
    reference = following_up.reference
    tracker = settings.SITE_URL + reverse("followup:tracker", args=[following_up.pk])
    assert f"Zaak {reference}" in mail.body_text
    assert "afspraken over de datum: 1" in mail.body_text
    assert "berichten om te beantwoorden: 2" in mail.body_text
    assert tracker in mail.body_text and f'href="{tracker}"' in mail.body_html
    assert_without_content(mail)
    assert SentReminder.objects.get(kind="digest").key == f"digest:{carla.pk}:2027-W49"

    # Not again this week, also when more comes in; once again next week.
    report(bike, ria)
    for moment in (at(2027, 12, 6, 10), at(2027, 12, 8), at(2027, 12, 12, 23)):
        assert reminders.digest(moment) == 0
    assert reminders.digest(at(2027, 12, 13)) == 1
    assert "berichten om te beantwoorden: 3" in followup_mails().last().body_text
    assert followup_mails("followup.digest").count() == 2


def test_an_answered_report_or_a_kept_agreement_is_not_in_the_digest(
    following_up, bike, sanne, carla
):
    actions.answer(report(bike, sanne), by=carla, text="Ik bel Daan.")
    actions.set_state(bike, AgreementState.DONE, by=carla, note="Terugbetaald.")
    assert reminders.digest(at(2027, 12, 6)) == 0
    # The same week, the bike again open: now there is something to say.
    actions.set_state(bike, AgreementState.OPEN, by=carla, note="Toch nog niet.")
    assert reminders.digest(at(2027, 12, 7)) == 1
    body = followup_mails().get().body_text
    assert "afspraken over de datum: 1" in body
    assert "berichten om te beantwoorden" not in body


def test_nothing_overdue_or_waiting_no_digest(following_up, bike, school):
    assert reminders.digest(at(2027, 11, 29)) == 0  # the bike's date has not passed
    assert not followup_mails().exists() and not SentReminder.objects.exists()


def test_the_digest_only_for_an_active_coordinator_with_an_address(following_up, bike, carla):
    User.objects.filter(pk=carla.pk).update(is_active=False)
    assert reminders.digest(at(2027, 12, 6)) == 0
    User.objects.filter(pk=carla.pk).update(is_active=True, email="")
    assert reminders.digest(at(2027, 12, 6)) == 0
    User.objects.filter(pk=carla.pk).update(email="carla@example.org")
    assert reminders.digest(at(2027, 12, 7)) == 1


# --- to the coordinator: the follow-up contact ----------------------------------------------------


def test_the_contact_is_reminded_on_its_day_once(following_up, carla):
    contact = Contact.objects.get(case=following_up)
    day = contact.due_on
    assert reminders.contact_due(at(day.year, day.month, day.day) - timedelta(days=1)) == 0
    assert not followup_mails().exists()

    assert reminders.contact_due(at(day.year, day.month, day.day)) == 1
    (mail,) = followup_mails()
    assert mail.kind == "followup.contact_due" and mail.to == carla.email
    assert mail.subject == "Tijd voor het nazorgcontact"
    assert f"zaak {following_up.reference}" in mail.body_text
    tracker = settings.SITE_URL + reverse("followup:tracker", args=[following_up.pk])
    assert tracker in mail.body_text
    assert_without_content(mail)

    for later in (1, 2, 7):
        moment = at(day.year, day.month, day.day) + timedelta(days=later)
        assert reminders.contact_due(moment) == 0
    assert followup_mails().count() == 1


def test_a_contact_done_is_not_reminded(following_up, carla):
    contact = Contact.objects.get(case=following_up)
    actions.record_contact(contact, by=carla, note="Iedereen gebeld.")
    day = contact.due_on
    assert reminders.contact_due(at(day.year, day.month, day.day)) == 0


# --- a closed case, and exactly once --------------------------------------------------------------


def test_nothing_is_sent_for_a_closed_case(following_up, bike, carla):
    # The bike's date near and the contact due; five days after it the bike past its date.
    near, week_later = near_and_past(bike)
    contact_due_on(following_up, near.date() - timedelta(days=1))
    close(following_up, carla)
    following_up.refresh_from_db()
    assert following_up.state == State.CLOSED
    for moment in (near, week_later):
        assert reminders.send_all(moment) == {"due_soon": 0, "digest": 0, "contact": 0}
    assert not followup_mails().exists() and not SentReminder.objects.exists()

    # What the closing stopped: the same case in follow-up gets each of them.
    reopen(following_up)
    assert reminders.send_all(near) == {"due_soon": 1, "digest": 0, "contact": 1}
    assert reminders.send_all(week_later) == {"due_soon": 0, "digest": 1, "contact": 0}


def test_run_twice_or_by_two_workers_each_reminder_goes_once(following_up, bike, sanne):
    report(bike, sanne)
    moment, _ = near_and_past(bike)
    contact_due_on(following_up, moment.date())
    assert reminders.send_all(moment) == {"due_soon": 1, "digest": 1, "contact": 1}
    mails = list(followup_mails().values_list("pk", flat=True))
    # A second worker at the same hour, and a run after a restart an hour later.
    assert reminders.send_all(moment) == {"due_soon": 0, "digest": 0, "contact": 0}
    assert reminders.send_all(moment + timedelta(hours=1)) == {
        "due_soon": 0,
        "digest": 0,
        "contact": 0,
    }
    assert list(followup_mails().values_list("pk", flat=True)) == mails
    assert SentReminder.objects.count() == 3
    assert all(sent.mail_id in mails for sent in SentReminder.objects.all())


def test_a_key_claimed_by_another_worker_sends_nothing(following_up, bike):
    """Two workers that both saw the reminder unsent: the second insert of the key fails in
    its savepoint and queues no mail."""
    key = reminders.due_key(bike)
    SentReminder.objects.create(key=key, kind="due_soon", case=following_up, sent_at=timezone.now())
    queued = []

    def queue():
        queued.append(1)
        return OutgoingMail.objects.create(kind="followup.due_soon", to="x@example.org")

    assert reminders._send_once(key, "due_soon", following_up, timezone.now(), queue) is False
    assert queued == [] and not followup_mails().exists()
    assert SentReminder.objects.filter(key=key).count() == 1


def test_a_worker_stopped_before_the_commit_leaves_the_reminder_for_the_next_run(
    following_up, bike
):
    """The claim and the mail commit together: when writing the mail fails, no key is left
    behind, and the next run sends the reminder."""

    def broken():
        raise RuntimeError("the worker stopped")

    with pytest.raises(RuntimeError):
        reminders._send_once(
            reminders.due_key(bike), "due_soon", following_up, at(2027, 11, 28), broken
        )
    assert not SentReminder.objects.exists()
    assert reminders.due_soon(at(2027, 11, 28, 10)) == 1


def test_the_hourly_task_sends_what_is_due(following_up, monkeypatch):
    """The periodic task carries no data and sends through send_all at the clock's hour: the
    clock fixed at 09:07 in Amsterdam, the day before the follow-up contact and on its day."""
    contact = Contact.objects.get(case=following_up)
    monkeypatch.setattr(timezone, "now", lambda: on(contact.due_on - timedelta(days=1)))
    send_followup_reminders.call_local()
    assert not followup_mails("followup.contact_due").exists()

    monkeypatch.setattr(timezone, "now", lambda: on(contact.due_on))
    send_followup_reminders.call_local()
    (mail,) = followup_mails("followup.contact_due")
    assert mail.to == following_up.coordinator.email
    sent = followup_mails().count()
    # The next run (or a second worker at the same hour) sends nothing again.
    send_followup_reminders.call_local()
    assert followup_mails().count() == sent


def test_the_digest_reads_a_fixed_number_of_queries(following_up, bike, sanne):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    report(bike, sanne)
    today = date(2027, 12, 6)
    with CaptureQueriesContext(connection) as few:
        lines = reminders.digest_lines(today)
    assert [(line.overdue, line.unanswered) for line in lines[following_up.coordinator_id]] == [
        (1, 1)
    ]
    for number in range(3, 53):  # fifty more agreements past their date
        TrackedAgreement.objects.create(
            case=following_up,
            version=bike.version,
            number=number,
            what=f"Afspraak {number}",
            owner=bike.owner,
            due=date(2027, 11, 1),
        )
    with CaptureQueriesContext(connection) as many:
        lines = reminders.digest_lines(today)
    assert [(line.overdue, line.unanswered) for line in lines[following_up.coordinator_id]] == [
        (51, 1)
    ]
    assert len(many) == len(few)


# --- read without a lock, sent under the case's lock ----------------------------------------------


def test_a_case_closed_between_reading_and_sending_gets_no_reminder(following_up, bike, carla):
    """The hourly run reads what is due without a lock; Carla closes the case before its mails
    are queued. Each mail is sent under the case's lock after reading again that the case is
    still in follow-up: nothing goes out. The same rows, the case back in follow-up, do."""
    near, past = near_and_past(bike)
    contact = contact_due_on(following_up, near.date())
    (tracked,) = reminders._due_soon_candidates(near.date())
    assert tracked.case.state == State.FOLLOWING_UP  # as read before the closing
    assert reminders.digest_lines(past.date())[carla.pk]
    close(following_up, carla)

    assert reminders._remind_owner(tracked, near) is False
    assert reminders._remind_contact(contact, near) is False
    assert reminders._send_digest(carla, past.date(), past) is False
    assert not followup_mails().exists() and not SentReminder.objects.exists()

    reopen(following_up)
    assert reminders._remind_owner(tracked, near) is True
    assert reminders._remind_contact(contact, near) is True
    assert reminders._send_digest(carla, past.date(), past) is True
    assert sorted(followup_mails().values_list("kind", flat=True)) == sorted(REMINDER_MAILS)


def test_an_agreement_kept_or_a_contact_recorded_meanwhile_gets_no_reminder(
    following_up, bike, carla
):
    """Read as due, then kept (or recorded) before the mail: nothing goes out. The bike's date
    moved by hand is a new date: the reminder read for the old date is not sent either."""
    near, _ = near_and_past(bike)
    contact = contact_due_on(following_up, near.date())
    (tracked,) = reminders._due_soon_candidates(near.date())
    actions.set_state(bike, AgreementState.DONE, by=carla, note="Terugbetaald.")
    actions.record_contact(contact, by=carla, note="Iedereen gebeld.")
    assert reminders._remind_owner(tracked, near) is False
    assert reminders._remind_contact(contact, near) is False
    TrackedAgreement.objects.filter(pk=bike.pk).update(
        state=AgreementState.OPEN, due=bike.due + timedelta(days=1)
    )
    assert reminders._remind_owner(tracked, near) is False
    assert not followup_mails().exists() and not SentReminder.objects.exists()
    # Open again on its date: the reminder read goes out.
    TrackedAgreement.objects.filter(pk=bike.pk).update(due=bike.due)
    assert reminders._remind_owner(tracked, near) is True


def test_the_digest_counts_again_when_it_is_sent(following_up, bike, sanne, carla):
    """Read with Sanne's report waiting; Carla answers it before the digest is queued: the mail
    counts what is still waiting then (the bike past its date), not the report."""
    _, past = near_and_past(bike)
    answered = report(bike, sanne)
    (line,) = reminders.digest_lines(past.date())[carla.pk]
    assert (line.overdue, line.unanswered) == (1, 1)
    actions.answer(answered, by=carla, text="Ik bel Daan.")
    assert reminders._send_digest(carla, past.date(), past) is True
    body = followup_mails("followup.digest").get().body_text
    assert "afspraken over de datum: 1" in body
    assert "berichten om te beantwoorden" not in body
    # Kept as well before the next week's digest: nothing is left to say, nothing is sent.
    actions.set_state(bike, AgreementState.DONE, by=carla, note="Terugbetaald.")
    assert reminders._send_digest(carla, past.date() + timedelta(days=7), past) is False
