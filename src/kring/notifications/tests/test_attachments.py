"""A mail may carry text attachments (a calendar file, issue 9 point 5): stored with the mail in
the outbox and sent with it, with the parameters of their type."""

from email import message_from_bytes, policy

from kring.notifications.mail import Attachment, queue_mail
from kring.notifications.models import OutgoingMail

ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"


def test_an_attachment_is_stored_in_the_outbox_and_sent_with_the_mail(
    db, carla, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mail = queue_mail(
            "case.accepted",
            to="bram@kring.test",
            language="nl",
            context={"user": carla, "case": None, "coordinator": carla, "link": "/"},
            attachments=[Attachment("afspraak.ics", ICS, "text/calendar; method=REQUEST")],
        )
    mail.refresh_from_db()
    assert mail.status == OutgoingMail.Status.SENT
    assert mail.attachments == [
        {
            "filename": "afspraak.ics",
            "content": ICS,
            "content_type": "text/calendar; method=REQUEST",
        }
    ]
    [sent] = mailoutbox
    message = message_from_bytes(sent.message().as_bytes(), policy=policy.default)
    [part] = list(message.iter_attachments())
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "REQUEST"
    assert part.get_filename() == "afspraak.ics"
    assert part.get_content() == ICS
    # The text and HTML bodies are still there beside it.
    assert message.get_body(preferencelist=("plain",)) is not None


def test_a_mail_without_attachments_has_none(
    db, carla, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mail = queue_mail(
            "case.accepted",
            to="bram@kring.test",
            language="nl",
            context={"user": carla, "case": None, "coordinator": carla, "link": "/"},
        )
    mail.refresh_from_db()
    assert mail.attachments == []
    assert mailoutbox[0].attachments == []
