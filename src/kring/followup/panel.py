"""Follow-up on the case page and in "Mijn zaken" (issue 12, point 3; R15), registered with
kring.cases.registry in followup.registration:

- the case panel, in follow-up and after closing, for the case's coordinator and the team's
  manager: how many agreements are open, done, partly done, not kept and past their date (past
  their date only while the agreements are followed, policy.TRACKING_STATES; the flag
  `tracking` says so), how many reports wait for an answer, the follow-up contact, and the link
  to the tracker. From the
  contact's day on (and until it is recorded) it stands out as a task to do now: the four-week
  contact appears on the coordinator's task list by itself. Nobody else sees the panel.
- `waiting`: a follow-up contact whose day has come and that is not recorded counts one in
  "Mijn zaken" for the case's coordinator (the reports count there as notices of the circle).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db.models import Count, Q

from kring.accounts.models import User
from kring.cases.lifecycle import State
from kring.cases.models import Case
from kring.core.policy import options
from kring.followup import policy, queries
from kring.followup.models import AgreementState, Contact, Report, TrackedAgreement


def case_panel(case: Case, user: User) -> tuple[str, dict[str, Any]] | None:
    if case.state not in policy.READABLE_STATES:
        return None
    read = policy.may_read_tracker(user, case)
    if read is not None:
        return None
    today = queries.today()
    tracking = case.state in policy.TRACKING_STATES
    counts = TrackedAgreement.objects.filter(case=case).aggregate(
        total=Count("pk", filter=~Q(state=AgreementState.CHANGED)),
        open=Count("pk", filter=Q(state=AgreementState.OPEN)),
        done=Count("pk", filter=Q(state=AgreementState.DONE)),
        partly_done=Count("pk", filter=Q(state=AgreementState.PARTLY_DONE)),
        not_kept=Count("pk", filter=Q(state=AgreementState.NOT_KEPT)),
        overdue=Count("pk", filter=queries.overdue_q(today)),
    )
    if not tracking:
        counts["overdue"] = 0  # after closing nothing is past its date any more
    contact = None
    if tracking:
        contact = (
            Contact.objects.filter(case=case, done_at__isnull=True).order_by("due_on", "pk").first()
        )
    return "followup/_case_panel.html", {
        "case": case,
        "tracking": tracking,
        "counts": counts,
        "open_reports": Report.objects.filter(case=case, answered_at__isnull=True).count(),
        "contact": contact,
        "contact_due": contact is not None and contact.due_on <= today,
        "may": options(read=read),
    }


def waiting(user: User, case_ids: Collection[int]) -> dict[int, int]:
    """For "Mijn zaken": the follow-up contacts whose day has come, per case, for its coordinator."""
    rows = (
        Contact.objects.filter(
            case_id__in=case_ids,
            case__coordinator=user,
            case__state=State.FOLLOWING_UP,
            done_at__isnull=True,
            due_on__lte=queries.today(),
        )
        .values("case_id")
        .annotate(n=Count("pk"))
    )
    return {row["case_id"]: row["n"] for row in rows}
