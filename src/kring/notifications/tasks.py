from datetime import timedelta
from email.mime.text import MIMEText

from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.utils import timezone
from django.utils.html import escape
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from kring.notifications import attachments, secrets
from kring.notifications.models import OutgoingMail

MAX_ATTEMPTS = 8
CLAIM_SECONDS = 120


def _attachment(attachment: dict) -> MIMEText:
    """A stored text attachment as a MIME part; parameters of its type (e.g. `method=REQUEST`
    of a calendar file) are kept on the part's Content-Type."""
    main, *params = [part.strip() for part in attachment["content_type"].split(";")]
    maintype, subtype = main.split("/", 1)
    part = MIMEText(attachment["content"], subtype, "utf-8")
    for param in params:
        key, _, value = param.partition("=")
        part.set_param(key.strip(), value.strip())
    part.add_header("Content-Disposition", "attachment", filename=attachment["filename"])
    return part


def _attach(message: EmailMultiAlternatives, attachment: dict) -> None:
    """A stored attachment onto the message: a text file as stored, a file with a "source"
    fetched now from its loader (kring.notifications.attachments; raises Unavailable)."""
    source = attachment.get("source")
    if source:
        data = attachments.load(source[0], source[1])
        message.attach(attachment["filename"], data, attachment["content_type"])
        return
    message.attach(_attachment(attachment))


class MailNotSent(Exception):
    """Raised so that Huey retries the task later."""


def _claimable():
    stale = timezone.now() - timedelta(seconds=CLAIM_SECONDS)
    return OutgoingMail.objects.filter(status=OutgoingMail.Status.PENDING).filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale)
    )


@db_task(retries=MAX_ATTEMPTS, retry_delay=60)
def send_mail(mail_id: int) -> None:
    """Send one stored mail (the payload is its id only); no transaction is held while sending."""
    claimed = (
        _claimable()
        .filter(pk=mail_id)
        .update(claimed_at=timezone.now(), attempts=F("attempts") + 1)
    )
    if not claimed:
        return  # sent already, given up, or another worker has it
    mail = OutgoingMail.objects.get(pk=mail_id)
    body_text, body_html = mail.body_text, mail.body_html
    if mail.secret:
        link = secrets.unseal(mail.secret)
        if link is None:  # SECRET_KEY changed: the link cannot be recovered; a new one is needed
            OutgoingMail.objects.filter(pk=mail_id).update(
                status=OutgoingMail.Status.FAILED, secret="", last_error="secret unreadable"
            )
            return
        body_text = body_text.replace(secrets.PLACEHOLDER, link)
        body_html = body_html.replace(secrets.PLACEHOLDER, escape(link))
    message = EmailMultiAlternatives(mail.subject, body_text, to=[mail.to])
    if body_html:
        message.attach_alternative(body_html, "text/html")
    try:
        for attachment in mail.attachments:
            _attach(message, attachment)
        message.send()
    except Exception as exc:
        status = OutgoingMail.Status.FAILED if mail.attempts >= MAX_ATTEMPTS else mail.status
        gave_up = status == OutgoingMail.Status.FAILED
        OutgoingMail.objects.filter(pk=mail_id).update(
            claimed_at=None,
            status=status,
            last_error=type(exc).__name__[:300],
            **({"secret": ""} if gave_up else {}),
        )
        if status == OutgoingMail.Status.FAILED:
            return
        raise MailNotSent(f"mail {mail_id}: {type(exc).__name__}") from exc
    OutgoingMail.objects.filter(pk=mail_id).update(
        status=OutgoingMail.Status.SENT, sent_at=timezone.now(), last_error="", secret=""
    )


@db_periodic_task(crontab(minute="*"))
def sweep_outbox() -> None:
    """Re-queue mail that a stopped or crashed worker left pending."""
    stale = timezone.now() - timedelta(minutes=5)
    ids = list(_claimable().filter(created_at__lt=stale).values_list("pk", flat=True)[:500])
    for mail_id in ids:
        send_mail(mail_id)
