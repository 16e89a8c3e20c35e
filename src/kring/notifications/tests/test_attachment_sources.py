"""A mail may carry a file fetched when it is sent (issue 11, point 4: the sealed PDF): the
outbox row keeps the loader's name and the id, never the bytes; a file that cannot be had keeps
the mail waiting for a retry, never sends it without."""

from email import message_from_bytes, policy

import pytest

from kring.notifications import attachments
from kring.notifications.mail import Attachment, queue_mail
from kring.notifications.models import OutgoingMail
from kring.notifications.tasks import MailNotSent, send_mail

PDF = b"%PDF-1.7\n\x00\x01\x02 binary \xff\n%%EOF\n"
FILES = {7: PDF}


@pytest.fixture(autouse=True)
def test_source():
    attachments.add_source("test.file", FILES.get)


def _queue(capture, key):
    with capture(execute=False):
        return queue_mail(
            "signing.code",
            to="bram@kring.test",
            language="nl",
            context={"minutes": 15},
            secret_link="123456",
            attachments=[Attachment("plan.pdf", "", "application/pdf", source=("test.file", key))],
        )


def test_the_bytes_are_fetched_when_sending_and_never_stored(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    mail = _queue(django_capture_on_commit_callbacks, 7)
    mail.refresh_from_db()
    assert mail.attachments == [
        {
            "filename": "plan.pdf",
            "content": "",
            "content_type": "application/pdf",
            "source": ["test.file", 7],
        }
    ]
    send_mail.call_local(mail.pk)
    mail.refresh_from_db()
    assert mail.status == OutgoingMail.Status.SENT
    [sent] = mailoutbox
    message = message_from_bytes(sent.message().as_bytes(), policy=policy.default)
    [part] = list(message.iter_attachments())
    assert part.get_content_type() == "application/pdf"
    assert part.get_filename() == "plan.pdf"
    assert part.get_content() == PDF


def test_a_file_that_cannot_be_had_leaves_the_mail_waiting(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    mail = _queue(django_capture_on_commit_callbacks, 8)
    with pytest.raises(MailNotSent):
        send_mail.call_local(mail.pk)
    mail.refresh_from_db()
    assert mail.status == OutgoingMail.Status.PENDING
    assert mail.last_error == "Unavailable"
    assert mailoutbox == []
