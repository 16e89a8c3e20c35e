"""What follow-up reads, each in a fixed number of queries however many agreements there are
(issue 12: the tracker and the team's overdue list are tested at 10 and 1,000 agreements).

- `current(case)`: the case's agreements of the latest signed version (not "changed"), in order,
  with their owners.
- `in_the_plan(participant)`: everyone present at the conference, and every owner of a current
  agreement.
- `today()`: the date in Amsterdam; `is_overdue(tracked, today)`: past its date and still open
  or partly done (one row); `overdue_q(today)`: the same rule as a filter on TrackedAgreement,
  for every query that counts or lists overdue agreements.
- `overdue_for_team(team, today)`: a queryset of the team's overdue agreements in follow-up,
  oldest date first (paginated by the page).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone

from kring.cases.lifecycle import State
from kring.conference.queries import current_conference, present_participants
from kring.followup.models import STILL_OPEN, AgreementState, TrackedAgreement

if TYPE_CHECKING:
    from kring.accounts.models import Team
    from kring.cases.models import Case
    from kring.circle.models import Participant


def today() -> date:
    return timezone.localdate()


def current(case: Case) -> QuerySet[TrackedAgreement]:
    return (
        TrackedAgreement.objects.filter(case=case)
        .exclude(state=AgreementState.CHANGED)
        .select_related("owner")
        .order_by("number", "pk")
    )


def is_overdue(tracked: TrackedAgreement, on: date) -> bool:
    """One agreement past its date on `on` while it still waits to be kept (the rule of
    `overdue_q`, for a row already read)."""
    return tracked.due is not None and tracked.due < on and tracked.state in STILL_OPEN


def overdue_q(on: date) -> Q:
    """The agreements past their date on `on` while they still wait to be kept (open or partly
    done; one without a date never is): a filter on TrackedAgreement."""
    return Q(due__lt=on, state__in=STILL_OPEN)


def overdue_for_team(team: Team, on: date) -> QuerySet[TrackedAgreement]:
    return (
        TrackedAgreement.objects.filter(
            overdue_q(on),
            case__team=team,
            case__state=State.FOLLOWING_UP,
        )
        .select_related("case", "case__coordinator", "owner")
        .order_by("due", "case_id", "number")
    )


def in_the_plan(participant: Participant) -> bool:
    if (
        TrackedAgreement.objects.filter(case_id=participant.case_id, owner=participant)
        .exclude(state=AgreementState.CHANGED)
        .exists()
    ):
        return True
    conference = current_conference(participant.case)
    return (
        conference is not None
        and present_participants(conference).filter(pk=participant.pk).exists()
    )
