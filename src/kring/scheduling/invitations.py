"""Invitations to a confirmed meeting (issue 9, point 5; R8): an e-mail with a calendar file to
every participant who takes part and has an e-mail address, a letter for those without one,
and a panel on their own page. Called by scheduling.actions inside their transaction; the
mails go out after commit (kring.notifications.mail.queue_mail)."""

from __future__ import annotations

from typing import Literal

Change = Literal["new", "moved", "cancelled"]


def send(meeting, *, change: Change) -> None:
    """Tell everyone who takes part about the meeting (stub: filled in by P4)."""
    return None
