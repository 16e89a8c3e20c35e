"""The office's week calendar (issue 9, point 8): for one team, a row per venue and a column
per day, Monday to Sunday in Europe/Amsterdam, with every confirmed meeting in it.

A meeting shows its time, the case reference and the coordinator: no participant, nothing of
what happened. Two queries whatever the number of meetings (the venues, the meetings)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from kring.core.dates import known_day
from kring.scheduling.models import Meeting, Venue


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def week_of(value: str | None) -> dt.date:
    """The Monday of the week holding `value` (YYYY-MM-DD); this week when it is missing, no
    real date, or outside Kring's days (9999-12-31 has no Sunday: issue 14, finding 3)."""
    try:
        day = dt.date.fromisoformat(value or "")
    except ValueError:
        day = timezone.localdate()
    if not known_day(day):
        day = timezone.localdate()
    return day - dt.timedelta(days=day.weekday())


def _start_of(day: dt.date) -> dt.datetime:
    # Midnight in Amsterdam, each day on its own: a week with the change of clocks has 167 or
    # 169 hours.
    return dt.datetime.combine(day, dt.time.min, tzinfo=_zone())


@dataclass
class Entry:
    meeting: Meeting
    starts: dt.datetime  # local
    ends: dt.datetime  # local

    @property
    def reference(self) -> str:
        return self.meeting.case.referral.reference

    @property
    def coordinator(self):
        return self.meeting.case.coordinator


@dataclass
class Row:
    venue: Venue
    days: list[list[Entry]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(self.days)


@dataclass
class Week:
    monday: dt.date
    days: list[dt.date]
    rows: list[Row]

    @property
    def sunday(self) -> dt.date:
        return self.days[-1]

    @property
    def previous(self) -> dt.date:
        return self.monday - dt.timedelta(days=7)

    @property
    def next(self) -> dt.date:
        return self.monday + dt.timedelta(days=7)

    @property
    def meeting_count(self) -> int:
        return sum(len(entries) for row in self.rows for entries in row.days)


def meetings_in(team, start: dt.datetime, end: dt.datetime):
    """The confirmed meetings of the team's cases, or in the team's venues, that start from
    `start` until `end` (a meeting belongs to the day and week it starts in)."""
    return (
        Meeting.objects.filter(
            Q(case__team=team) | Q(venue__team=team),
            # A follow-up meeting marked held stays in the calendar's past weeks.
            status__in=(Meeting.Status.CONFIRMED, Meeting.Status.HELD),
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .select_related("venue", "case__referral", "case__coordinator")
        .order_by("starts_at", "pk")
    )


def week_grid(team, monday: dt.date) -> Week:
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    start, end = _start_of(days[0]), _start_of(monday + dt.timedelta(days=7))
    meetings = list(meetings_in(team, start, end))
    used = {m.venue_id for m in meetings}
    venues = Venue.objects.filter(Q(team=team, retired_at__isnull=True) | Q(pk__in=used)).order_by(
        "name", "pk"
    )
    rows = {venue.pk: Row(venue, [[] for _ in days]) for venue in venues}
    zone = _zone()
    for meeting in meetings:
        if meeting.venue_id not in rows:  # a confirmed meeting always has a venue
            continue
        starts = meeting.starts_at.astimezone(zone)
        index = (starts.date() - monday).days
        rows[meeting.venue_id].days[index].append(
            Entry(meeting, starts, meeting.ends_at.astimezone(zone))
        )
    return Week(monday, days, list(rows.values()))
