"""Queueing e-mail. Each message has three templates in notifications/templates/mail/:
<kind>.subject.txt, <kind>.txt and <kind>.html, rendered in the recipient's language.
Subjects never carry a name, a case detail or free text (docs/rules.md, "Roles")."""

from collections.abc import Sequence
from typing import Any, NamedTuple

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from kring.notifications import secrets
from kring.notifications.models import OutgoingMail


class Attachment(NamedTuple):
    """A file sent with a mail. A text file, e.g. `Attachment("afspraak.ics", ics_text,
    "text/calendar; method=REQUEST")`, is stored in clear with the mail: never a secret. A file
    fetched when the mail is sent names its loader and id instead (kring.notifications.
    attachments), e.g. `Attachment("plan.pdf", "", "application/pdf", source=("signed-document",
    12))`: the outbox row holds the name and the id, never the bytes."""

    filename: str
    content: str
    content_type: str
    source: tuple[str, int] | None = None


def _stored(attachment: Attachment) -> dict[str, Any]:
    """An attachment as the outbox row keeps it (a text file's dict has no "source")."""
    stored = attachment._asdict()
    source = stored.pop("source")
    if source is not None:
        stored["source"] = [source[0], source[1]]
    return stored


def queue_mail(
    kind: str,
    *,
    to: str,
    language: str,
    context: dict[str, Any],
    secret_link: str = "",
    attachments: Sequence[Attachment] = (),
) -> OutgoingMail:
    """Render and store a mail inside the caller's transaction; send it after commit.

    `secret_link` (a personal link) is stored encrypted and put in the body only when sending;
    templates show it as {{ personal_link }}. `attachments` are sent with it."""
    ctx = {
        "site_url": settings.SITE_URL,
        "organisation": settings.KRING_ORGANISATION,
        "personal_link": secrets.PLACEHOLDER,
        **context,
    }
    with translation.override(language):
        subject = " ".join(render_to_string(f"mail/{kind}.subject.txt", ctx).split())
        body_text = render_to_string(f"mail/{kind}.txt", ctx)
        body_html = render_to_string(f"mail/{kind}.html", ctx)
    mail = OutgoingMail.objects.create(
        kind=kind,
        to=to,
        language=language,
        subject=subject[:200],
        body_text=body_text,
        body_html=body_html,
        secret=secrets.seal(secret_link) if secret_link else "",
        attachments=[_stored(attachment) for attachment in attachments],
    )
    from kring.notifications.tasks import send_mail  # here: the tasks module imports the models

    transaction.on_commit(lambda: send_mail(mail.pk))
    return mail
