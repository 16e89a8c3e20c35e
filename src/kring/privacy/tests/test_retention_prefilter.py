"""The nightly retention filters closed cases in SQL (issue 15, point 3): the apps' retention
dates come as SQL expressions (registry.add_retention_date), so a run no longer asks for each
closed case's date one query at a time, and finds exactly what the per-case rule finds."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kring.cases.lifecycle import State
from kring.cases.models import Case, CaseEvent
from kring.followup.models import Closure, Outcome
from kring.privacy import holds, retention
from kring.privacy.models import CaseErasure, ErasureReason
from kring.privacy.tests import test_retention
from kring.testing.factories import CaseFactory, ReferralFactory

pytestmark = pytest.mark.django_db

# The retention test's fixtures: every kind of case, and the clock moved to the run.
clock = test_retention.clock
world = test_retention.world


def _closed(team, carla, *, closed_at: datetime, retain_until: date | None) -> Case:
    """A closed case; with a closure keeping it until `retain_until`, or without one (a case
    closed before follow-up kept its date: the stopped period counts)."""
    case = CaseFactory(referral=ReferralFactory(), state=State.CLOSED, team=team, coordinator=carla)
    CaseEvent.objects.create(
        case=case, at=closed_at, kind="case.closed", actor_kind="staff", to_state=State.CLOSED
    )
    if retain_until is not None:
        Closure.objects.create(
            case=case,
            outcome=Outcome.OTHER,
            note="",
            closed_at=closed_at,
            closed_by=carla,
            retain_until=retain_until,
        )
    return case


def _per_case(today: date) -> set[int]:
    """The rule case by case (retention.kept_until), as the run asked it before."""
    held = set(retention.active_holds().values_list("case_id", flat=True))
    erased = set(CaseErasure.objects.values_list("case_id", flat=True))
    return {
        case.pk
        for case in Case.objects.filter(state__in=list(retention.REASONS))
        if case.pk not in held | erased
        and (until := retention.kept_until(case)) is not None
        and until < today
    }


def _mix(team, carla, mira, n: int = 1) -> None:
    today = timezone.localdate()
    long_ago = timezone.now() - timedelta(days=8 * 365)
    for _ in range(n):
        _closed(team, carla, closed_at=long_ago, retain_until=today - timedelta(days=1))  # due
        _closed(team, carla, closed_at=long_ago, retain_until=today)  # its last day: kept
        _closed(team, carla, closed_at=long_ago, retain_until=today + timedelta(days=30))
        _closed(team, carla, closed_at=long_ago, retain_until=None)  # the stopped period: due
        _closed(team, carla, closed_at=timezone.now(), retain_until=None)  # kept
    held = _closed(team, carla, closed_at=long_ago, retain_until=today - timedelta(days=9))
    holds.place_hold(held, by=mira, reference="C/03/318822")


def test_the_due_cases_are_those_the_per_case_rule_finds(world, team, carla, mira):
    _mix(team, carla, mira)
    today = timezone.localdate()
    found = {due.case_id for due in retention.due_cases()}
    assert found == _per_case(today)
    closed = {d.case_id for d in retention.due_cases() if d.reason == ErasureReason.CLOSED}
    assert len(closed) == 3  # the world's closed case, and two of the mix


def test_a_run_asks_as_many_queries_for_many_closed_cases_as_for_a_few(world, team, carla, mira):
    _mix(team, carla, mira)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            list(retention.due_cases())
        return len(ctx.captured_queries)

    few = queries()
    today = timezone.localdate()
    for _ in range(20):  # kept: closed today, or their date still ahead
        _closed(team, carla, closed_at=timezone.now(), retain_until=None)
        _closed(team, carla, closed_at=timezone.now(), retain_until=today + timedelta(days=9))
    assert queries() == few
