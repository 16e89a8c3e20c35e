"""What every page of the conference does first (issue 10), defined once for views.py,
views_plan.py, views_print.py, views_screen.py and versions_views.py: refuse the actor who may
never do this, and find the case's current conference and its plan (conference.queries), or
answer 404."""

from __future__ import annotations

from django.http import Http404

from kring.cases.models import Case
from kring.conference import queries
from kring.conference.models import Conference, Plan
from kring.core.policy import Refusal, enforce


def access(refusal: Refusal | None) -> None:
    """Refuse with a 403 the actor who may never do this; a rule refusal (not possible now) is
    left to the page to show in words."""
    enforce(refusal if refusal is not None and refusal.access else None)


def conference_or_404(case: Case) -> Conference:
    """The case's current conference (conference.queries.current_conference), or 404 before
    check-in began."""
    conference = queries.current_conference(case)
    if conference is None:
        raise Http404
    return conference


def plan_or_404(case: Case, conference: Conference | None = None) -> Plan:
    """The plan of the case's current conference (or of `conference`, read already), or 404
    before it was begun."""
    if conference is None:
        conference = conference_or_404(case)
    plan = queries.plan_of(conference)
    if plan is None:
        raise Http404
    plan.case = conference.case = case
    return plan
