"""Fit (issue 9, point 3): does a venue at a time suit the people of a case?

`warnings_for(venue, case=..., starts_at=..., ends_at=...)` returns plain sentences for the
coordinator; an empty list means nothing to warn about. It decides nothing: the poll's grid
shows the warnings per option, the confirm page before confirming. Three checks:

- capacity: the participants who may come (`may_come`: all of the circle but who declined or
  stopped, so invited people who may still say yes too) plus the coordinator;
- accessibility: a participant's recorded needs (free text) are read for keywords, in Dutch
  and English, and compared with the venue's features; a need that matches no feature gets a
  gentle "check it yourself" naming the need;
- the coordinator's other meetings: a live booking of the coordinator, or a confirmed meeting
  of another case of theirs, that overlaps the time.

The warnings name participants and their needs: they are shown only to staff who may see the
case, never put in a URL, log or e-mail.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kring.scheduling.models import Booking, Meeting, Venue


@dataclass(frozen=True)
class Feature:
    field: str  # the Venue field
    label: Promise  # what the venue lacks, for the warning
    keywords: tuple[str, ...]  # word beginnings, lower case


FEATURES: tuple[Feature, ...] = (
    Feature(
        "step_free",
        _("access without steps"),
        (
            "rolstoel",
            "rollator",
            "drempel",
            "lift",
            "traplift",
            "trap",
            "wheelchair",
            "step-free",
            "stepfree",
            "walker",
            "stairs",
            "mobiliteit",
            "mobility",
        ),
    ),
    Feature(
        "hearing_loop",
        _("a hearing loop"),
        (
            "slechthorend",
            "gehoor",
            "ringleiding",
            "hoortoestel",
            "hoorapparaat",
            "doof",
            "hearing",
            "deaf",
        ),
    ),
    Feature(
        "quiet_room",
        _("a room for a quiet break"),
        (
            "rust",
            "prikkel",
            "angst",
            "pauze",
            "paniek",
            "quiet",
            "anxiety",
            "anxious",
            "break",
            "overprikkel",
        ),
    ),
    Feature(
        "parking",
        _("parking nearby"),
        ("parkeer", "parkeren", "parkeerplaats", "auto", "invalidenparkeer", "parking", "car"),
    ),
    Feature(
        "public_transport",
        _("public transport nearby"),
        ("ov", "bus", "trein", "tram", "metro", "openbaar", "train", "public"),
    ),
)

# Keywords of two or three letters must be a whole word ("ov" is not "over").
_WORD = re.compile(r"[\w-]+", re.UNICODE)


def features_asked(need: str) -> list[Feature]:
    """The venue features a free-text need asks for, in the order of FEATURES."""
    words = [w.lower() for w in _WORD.findall(need or "")]
    found = []
    for feature in FEATURES:
        for keyword in feature.keywords:
            if any(w == keyword or (len(keyword) > 3 and w.startswith(keyword)) for w in words):
                found.append(feature)
                break
    return found


def may_come(case) -> list:
    """The participants of the case who may come: everyone in the circle who has not declined
    or stopped (the circle's `Participant.takes_part`), so also who is invited and may still say
    yes: the room must hold them. Wider than who takes part in the meeting (said yes:
    scheduling.policy.taking_part), which decides who is invited and reminded."""
    from kring.circle.models import Participant
    from kring.circle.policy import HAS_LEFT

    return list(
        Participant.objects.filter(case=case)
        .exclude(status__in=HAS_LEFT)
        .only("pk", "name", "erased_at", "accessibility_needs", "status")
    )


def _local(dt) -> str:
    return date_format(timezone.localtime(dt), "DATETIME_FORMAT")


def capacity_warning(venue: Venue, people: int) -> str | None:
    if venue.capacity < people:
        return gettext(
            "%(venue)s holds %(capacity)s people; %(people)s take part, the coordinator included."
        ) % {"venue": venue.name, "capacity": venue.capacity, "people": people}
    return None


def accessibility_warnings(venue: Venue, participants: Iterable) -> list[str]:
    warnings = []
    for participant in participants:
        need = (participant.accessibility_needs or "").strip()
        if not need:
            continue
        asked = features_asked(need)
        if not asked:
            warnings.append(
                gettext("Check yourself whether %(venue)s suits %(name)s: “%(need)s”.")
                % {"venue": venue.name, "name": participant.name, "need": need}
            )
            continue
        for feature in asked:
            if not getattr(venue, feature.field):
                warnings.append(
                    gettext("%(venue)s has no %(feature)s; %(name)s needs it: “%(need)s”.")
                    % {
                        "venue": venue.name,
                        "feature": feature.label,
                        "name": participant.name,
                        "need": need,
                    }
                )
    return warnings


def coordinator_clashes(coordinator, *, case, starts_at, ends_at) -> list[Meeting]:
    """The coordinator's other meetings (of other cases) overlapping the time: held by a live
    booking, or confirmed."""
    return clashes_each(coordinator, case=case, times={None: (starts_at, ends_at)})[None]


def clashes_each(coordinator, *, case, times: dict) -> dict:
    """coordinator_clashes for each of `times` ({key: (starts_at, ends_at)}, a poll's dates):
    two queries over the span of them all, then per time the meetings that overlap it (issue
    15: not two queries per date)."""
    if coordinator is None or not times:
        return {key: [] for key in times}
    first_start = min(start for start, _end in times.values())
    last_end = max(end for _start, end in times.values())
    bookings = list(
        Booking.objects.filter(
            coordinator=coordinator,
            released_at__isnull=True,
            starts_at__lt=last_end,
            ends_at__gt=first_start,
        ).values_list("meeting_id", "starts_at", "ends_at")
    )
    confirmed = Q(
        status=Meeting.Status.CONFIRMED,
        case__coordinator=coordinator,
        starts_at__lt=last_end,
        ends_at__gt=first_start,
    )
    meetings = list(
        Meeting.objects.filter(confirmed | Q(pk__in=[m for m, _s, _e in bookings]))
        .exclude(case=case)
        .select_related("case__referral")
        .order_by("starts_at", "pk")
    )

    def overlaps(meeting, starts_at, ends_at) -> bool:
        if (
            meeting.status == Meeting.Status.CONFIRMED
            and meeting.case.coordinator_id == coordinator.pk
            and meeting.starts_at is not None
            and meeting.ends_at is not None
            and meeting.starts_at < ends_at
            and meeting.ends_at > starts_at
        ):
            return True
        return any(m == meeting.pk and s < ends_at and e > starts_at for m, s, e in bookings)

    return {
        key: [m for m in meetings if overlaps(m, starts_at, ends_at)]
        for key, (starts_at, ends_at) in times.items()
    }


def warnings_for(
    venue: Venue, *, case, starts_at, ends_at, participants=None, clashes=None
) -> list[str]:
    """Everything that does not fit about holding the case's meeting in `venue` from
    `starts_at` to `ends_at`. `participants` (those who may come) and `clashes` (the
    coordinator's other meetings at that time, clashes_each) may be passed in by a caller that
    shows many options, to ask the database once."""
    if participants is None:
        participants = may_come(case)
    if clashes is None:
        clashes = coordinator_clashes(
            case.coordinator if case.coordinator_id else None,
            case=case,
            starts_at=starts_at,
            ends_at=ends_at,
        )
    warnings: list[str] = []
    people = len(participants) + (1 if case.coordinator_id else 0)
    too_small = capacity_warning(venue, people)
    if too_small:
        warnings.append(too_small)
    warnings.extend(accessibility_warnings(venue, participants))
    for meeting in clashes:
        warnings.append(
            gettext(
                "The coordinator already has the meeting of case %(reference)s at that time "
                "(%(start)s)."
            )
            % {"reference": meeting.case.reference, "start": _local(meeting.starts_at)}
        )
    return warnings
