"""Emptying mails in the outbox, written once (docs/data-retention.md, "The outbox"): the
retention run empties the mails sent or given up long ago (privacy.retention.purge_outbox);
an erasure empties the mails of what it erases and withdraws those still waiting, so that they
are never sent (a signed plan's copies, a participant's invitations and reminders)."""

from __future__ import annotations

from django.db.models import QuerySet

from kring.notifications.models import OutgoingMail

# What emptying a mail blanks: the address, the words, the sealed link, the attachments (a
# file's source points at its loader, which answers nothing for erased data), the error.
EMPTIED = {
    "to": "",
    "subject": "",
    "body_text": "",
    "body_html": "",
    "secret": "",
    "attachments": [],
    "last_error": "",
}
WITHDRAWN = "withdrawn"  # last_error of a mail given up because its data were erased


def empty(mails: QuerySet[OutgoingMail]) -> int:
    """Empty the mails of `mails` that are no longer waiting to be sent; returns how many."""
    return mails.exclude(status=OutgoingMail.Status.PENDING).update(**EMPTIED)


def withdraw(mails: QuerySet[OutgoingMail]) -> int:
    """The mails of `mails` still waiting are given up (failed, so that neither the sender nor
    the sweep picks them up) and emptied; the others are emptied. Returns how many changed."""
    waiting = mails.filter(status=OutgoingMail.Status.PENDING).update(
        status=OutgoingMail.Status.FAILED, claimed_at=None, **{**EMPTIED, "last_error": WITHDRAWN}
    )
    return waiting + empty(mails)
