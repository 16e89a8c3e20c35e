"""The actions of the meeting (issue 9, points 5 and 7): confirm, move, cancel. Stub: the
real work follows."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from kring.scheduling.models import Meeting, PollOption, Venue


def confirm(meeting: Meeting, option: PollOption, *, by) -> Meeting:
    raise NotImplementedError


def move(meeting: Meeting, *, starts_at: datetime, ends_at: datetime, venue: Venue, by) -> Meeting:
    raise NotImplementedError


def cancel(meeting: Meeting, *, then: Literal["prepare", "stop"], reason: str, by) -> Meeting:
    raise NotImplementedError
