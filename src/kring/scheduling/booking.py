"""Booking a venue and a coordinator for a confirmed meeting (issue 9, point 4). Stub: the
real work follows."""

from __future__ import annotations

from kring.scheduling.models import Booking, Meeting, PollOption


def book(meeting: Meeting, *, option: PollOption, by) -> list[Booking]:
    """Book `option`'s venue and the case's coordinator for its time. Raises
    `kring.core.policy.Refused` naming the meeting that holds the room or the coordinator."""
    raise NotImplementedError


def release(meeting: Meeting) -> int:
    """Release the meeting's live bookings; returns how many."""
    raise NotImplementedError
