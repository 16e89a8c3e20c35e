"""The summary the figures read (issue 15, point 4; docs/adr/0017-figures-summary.md): the
counts of research.counts per month and team (research.models.Bucket), and per number of
participants present (PresentCount, for the median), so that the figures of a year read a
few thousand bucket rows instead of every request, record, answer and invitation of the year.

A bucket holds exactly what the counts give over its month and team, because it is made by
those counts, grouped by month and team. It stays so because every change that can alter a
count marks what it touches as stale (`Stale`), in the transaction of the change:

- every change of a case writes a timeline line through cases.actions.log_event, whose hook
  (cases.registry.on_case_event) marks the case: its request's bucket, the bucket of the team
  it was summarised under before (CaseBucket) and its conference record's bucket;
- research's own writes mark the bucket of the conference record they touch (a record, its
  invitations, an answer, the import of the history);
- the migration, the generator and tests that write rows directly mark everything (a rebuild).

`refresh()` (at the start of every research.figures.compute, and every hour from
research.tasks) brings the stale buckets up to date from the rows (a rebuild, when everything
is stale, is left to the hourly task and `kring figures --rebuild`: compute() reads the rows
until then): in one transaction, under
one lock (PostgreSQL: an advisory lock; SQLite's IMMEDIATE transactions take the database's
write lock), it reads the marks, recomputes their buckets with the grouped counts, replaces
those bucket rows and deletes exactly the marks it read. A change committed meanwhile leaves
its own mark for the next refresh. It writes no audit row (ADR 0012: no lock after a record).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from kring.cases.models import Case
from kring.core import dates
from kring.research import counts as c
from kring.research.models import (
    NO_TEAM,
    Bucket,
    CaseBucket,
    ConferenceRecord,
    PresentCount,
    Stale,
    bucket_counts,
)

if TYPE_CHECKING:
    from kring.cases.models import CaseEvent
    from kring.research.figures import Counts, Selection

logger = logging.getLogger(__name__)

# PostgreSQL's advisory lock of the refresh (any fixed number; "kring figures").
LOCK = 0x6B72_6667
# Ids per IN (...) list.
CHUNK = 500
# More stale cases than this: rebuild everything instead (one pass over the rows).
REBUILD_FROM = 20_000

Key = tuple[date, int]
# Every case and the team it is summarised under, as one statement (the rebuild).
CASES_AS_SUMMARISED = (
    "INSERT INTO research_casebucket (case_id, team) "
    "SELECT id, COALESCE(team_id, 0) FROM cases_case"
)


# --- marking what changed -----------------------------------------------------------------------


def case_changed(event: CaseEvent) -> None:
    """cases.registry.on_case_event: the case of a new timeline line has changed."""
    Stale.objects.create(case_id=event.case_id)


def record_changed(record: ConferenceRecord) -> None:
    """A conference record, its invitations or its answers changed (research's own writes)."""
    mark_buckets([(record.held_on, record.team_id)])


def mark_buckets(days_and_teams: Iterable[tuple[date, int]]) -> None:
    """Mark the buckets of these (day, team id) pairs stale (the import of the history)."""
    keys = {(day.replace(day=1), team) for day, team in days_and_teams}
    Stale.objects.bulk_create([Stale(month=month, team=team) for month, team in sorted(keys)])


def mark_everything() -> None:
    """Everything is stale: the next refresh rebuilds the summary (rows written directly)."""
    Stale.objects.create()


# --- bringing it up to date ---------------------------------------------------------------------


def refresh(*, rebuild: bool = True) -> int | None:
    """Bring every stale bucket up to date (module docstring). One query when nothing is
    stale. Returns the number of marks handled; None when a rebuild is due and `rebuild` is
    False (a page: a rebuild reads every row, minutes at a million cases, and on SQLite would
    hold the write lock all that time; the hourly task or `kring figures --rebuild` does it,
    and the figures are read from the rows meanwhile)."""
    if not Stale.objects.exists():
        return 0
    with transaction.atomic():
        _lock()
        marks = list(Stale.objects.values_list("pk", "case_id", "month", "team"))
        if not marks:
            return 0  # another refresh handled them while this one waited
        everything = any(case is None and month is None for _pk, case, month, _team in marks)
        cases = {case for _pk, case, _month, _team in marks if case is not None}
        if everything or len(cases) > REBUILD_FROM:
            if not rebuild:
                return None
            _rebuild()
        else:
            keys = {
                (month, team)
                for _pk, case, month, team in marks
                if case is None and month is not None and team is not None
            }
            keys |= _buckets_of_cases(cases)
            _recompute(keys)
        ids = [pk for pk, *_rest in marks]
        for chunk in _chunks(ids):
            Stale.objects.filter(pk__in=chunk).delete()
    return len(marks)


def rebuild() -> None:
    """Make the whole summary again from the rows (`kring figures --rebuild`, the generator)."""
    mark_everything()
    refresh()


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK])


def _chunks(items: Iterable[Any]) -> Iterable[list[Any]]:
    items = list(items)
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _month_of(moment: datetime) -> date:
    return timezone.localtime(moment, timezone.get_default_timezone()).date().replace(day=1)


def _buckets_of_cases(case_ids: Iterable[int]) -> set[Key]:
    """The buckets stale cases touch: their request's (month, current team), the team they
    were summarised under before, and their conference record's. Records who summarised each
    case under which team."""
    keys: set[Key] = set()
    for chunk in _chunks(sorted(case_ids)):
        now: dict[int, Key] = {}
        for pk, team, submitted in Case.objects.filter(pk__in=chunk).values_list(
            "pk", "team_id", "referral__submitted_at"
        ):
            now[pk] = (_month_of(submitted), team or NO_TEAM)
        keys |= set(now.values())
        for pk, team in CaseBucket.objects.filter(case_id__in=chunk).values_list("case_id", "team"):
            if pk in now:
                keys.add((now[pk][0], team))
        for held_on, team in ConferenceRecord.objects.filter(case_id__in=chunk).values_list(
            "held_on", "team_id"
        ):
            keys.add((held_on.replace(day=1), team))
        CaseBucket.objects.bulk_create(
            [CaseBucket(case_id=pk, team=team) for pk, (_month, team) in now.items()],
            update_conflicts=True,
            unique_fields=["case_id"],
            update_fields=["team"],
        )
    return keys


def _recompute(keys: set[Key]) -> None:
    """Replace the bucket rows of `keys` by the counts over their rows (grouped queries over
    the months and teams of the keys, a superset; only the keys are written)."""
    if not keys:
        return
    months = sorted({month for month, _team in keys})
    teams = {team for _month, team in keys}
    start, end = months[0], _last_day(months[-1])
    team_ids = tuple(sorted(team for team in teams if team != NO_TEAM))
    buckets, present = _grouped(start, end, team_ids, no_team=NO_TEAM in teams)
    for month in months:
        of_month = [team for m, team in keys if m == month]
        Bucket.objects.filter(month=month, team__in=of_month).delete()
        PresentCount.objects.filter(month=month, team__in=of_month).delete()
    _write(
        {key: value for key, value in buckets.items() if key in keys},
        {key: value for key, value in present.items() if key[:2] in keys},
    )


def _rebuild() -> None:
    Bucket.objects.all().delete()
    PresentCount.objects.all().delete()
    CaseBucket.objects.all().delete()
    # Every case as it is summarised: one statement in the database, and before the counts.
    # On PostgreSQL (READ COMMITTED) each statement sees what was committed when it began: a
    # case that changes team in between is then recorded under its old team and counted under
    # the new one, and its mark (left for the next refresh) recomputes both buckets. The other
    # way round, the old bucket would keep counting it with nothing left to say so.
    with connection.cursor() as cursor:
        cursor.execute(CASES_AS_SUMMARISED)
    # Every day a selection can name (research.figures.Selection): nothing outside is read.
    _write(*_grouped(dates.FIRST_DAY, dates.LAST_DAY, None, no_team=True))


def _last_day(month: date) -> date:
    import calendar

    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _grouped(
    start: date, end: date, team_ids: tuple[int, ...] | None, *, no_team: bool
) -> tuple[dict[Key, dict[str, int]], dict[tuple[date, int, int], int]]:
    """The counts of research.counts over the rows from `start` to `end` of `team_ids` (None:
    every team; `no_team`: with the requests without a team), per (month, team); and the
    records per (month, team, participants present)."""
    records = c.records(start, end, team_ids)
    requests = c.requests(start, end, None)
    if team_ids is not None:
        requests = requests.filter(
            Q(team_id__in=team_ids) | (Q(team__isnull=True) if no_team else Q(pk__in=[]))
        )
    buckets: dict[Key, dict[str, int]] = defaultdict(dict)

    def add(rows: Iterable[Any]) -> None:
        for found in rows:
            row: dict[str, Any] = dict(found)
            month, team = row.pop("b_month"), row.pop("b_team")
            if isinstance(month, datetime):
                month = _month_of(month)
            buckets[(month, team or NO_TEAM)].update({k: v or 0 for k, v in row.items()})

    held = {"b_month": TruncMonth("held_on"), "b_team": F("team_id")}
    of_record = {"b_month": TruncMonth("record__held_on"), "b_team": F("record__team_id")}
    add(records.order_by().values(**held).annotate(**c.record_counts()))
    answers = c.answers(start, end, team_ids)
    add(answers.order_by().values(**of_record).annotate(**c.answer_counts()))
    add(c.invitations(records).order_by().values(**of_record).annotate(**c.invitation_counts()))
    submitted = TruncMonth("referral__submitted_at", tzinfo=timezone.get_default_timezone())
    add(
        requests.order_by()
        .values(b_month=submitted, b_team=F("team_id"))
        .annotate(**c.funnel_counts())
    )
    present = {
        (month, team, value): many
        for month, team, value, many in records.order_by()
        .values(**held, b_present=F("participants_present"))
        .annotate(many=Count("pk"))
        .values_list("b_month", "b_team", "b_present", "many")
    }
    return buckets, present


def _write(
    buckets: Mapping[Key, Mapping[str, int]], present: Mapping[tuple[date, int, int], int]
) -> None:
    Bucket.objects.bulk_create(
        [
            Bucket(month=month, team=team, **values)
            for (month, team), values in sorted(buckets.items())
            if any(values.values())
        ],
        batch_size=CHUNK,
    )
    PresentCount.objects.bulk_create(
        [
            PresentCount(month=month, team=team, present=value, n=n)
            for (month, team, value), n in sorted(present.items())
        ],
        batch_size=CHUNK,
    )


# --- reading it ---------------------------------------------------------------------------------


def counts(selection: Selection, *, per_team: bool) -> Counts:
    """What research.figures needs of `selection` (figures.Counts), from the buckets: one query
    for the totals, one for the teams' rows (`per_team`), one for the median (from MIN_GROUP
    conferences on)."""
    from kring.research.figures import MIN_GROUP, Counts, median_of, team_count_keys

    buckets = Bucket.objects.filter(month__range=(selection.start, selection.end))
    present = PresentCount.objects.filter(month__range=(selection.start, selection.end))
    if selection.team_ids is not None:
        buckets = buckets.filter(team__in=selection.team_ids)
        present = present.filter(team__in=selection.team_ids)
    totals = {
        key: value or 0
        for key, value in buckets.aggregate(**{key: Sum(key) for key in bucket_counts()}).items()
    }
    teams: dict[int, dict[str, int]] = {}
    if per_team:
        keys = team_count_keys()
        for row in (
            buckets.exclude(team=NO_TEAM)
            .order_by()
            .values("team")
            .annotate(**{f"sum_{key}": Sum(key) for key in keys})
        ):
            sums: dict[str, Any] = dict(row)
            teams[sums["team"]] = {key: sums[f"sum_{key}"] for key in keys}
    n = totals["n"]
    median = None
    if n >= MIN_GROUP:
        histogram = (
            present.order_by("present")
            .values("present")
            .annotate(many=Sum("n"))
            .values_list("present", "many")
        )
        median = median_of(histogram, n)
    return Counts(totals, teams, median)
