"""Reminders of a meeting (issue 9, point 6; R8): stored intents, sent exactly once by a
periodic task that carries ids only."""

from __future__ import annotations


def plan(meeting) -> None:
    """Store the reminders for the meeting's current sequence (stub: filled in by P4)."""
    return None


def cancel(meeting) -> None:
    """Cancel the reminders of the meeting not sent yet (stub: filled in by P4)."""
    return None
