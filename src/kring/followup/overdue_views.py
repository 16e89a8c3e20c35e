"""The team's overdue agreements (issue 12, point 1; R15), for the team's manager: every agreement
of a case in follow-up whose date has passed while it is still open or partly done, oldest date
first, a page at a time. It is a list of agreements, not of people: the case, its coordinator,
the agreement's number, its date, how many days ago that was, and its state; no name of a
participant and nothing of what was agreed (that is on the case's tracker). The read is logged;
the page is never cached. Two queries for the rows, however many there are (issue 12, point 5)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from kring.audit.log import record
from kring.core.pagination import paginate
from kring.core.policy import enforce
from kring.followup import policy, queries

VIEWED = "followup.overdue_viewed"


@require_safe
@login_required
@never_cache
def overdue(request):
    team = request.user.team
    enforce(policy.may_list_overdue(request.user, team))
    today = queries.today()
    page = paginate(request, queries.overdue_for_team(team, today).select_related("case__referral"))
    for tracked in page:
        tracked.days_over = (today - tracked.due).days
    record(VIEWED, actor=request.user, team_id=team.pk)
    return render(request, "followup/overdue.html", {"page": page, "today": today, "team": team})
