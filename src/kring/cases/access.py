"""Who may see which case. Every view, export and (later) the API goes through these helpers.
Deny by default: a role not named here sees nothing (docs/rules.md "Roles and what each may see")."""

from django.db.models import Q, QuerySet
from django.http import Http404

from kring.accounts.models import Role
from kring.cases.lifecycle import State
from kring.cases.models import Assignment, Case


def visible_cases(user) -> QuerySet[Case]:
    """The cases whose data `user` may read."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Case.objects.none()
    if user.role == Role.COORDINATOR:
        # R2: only the cases assigned to them; a reassigned coordinator loses access at once.
        return Case.objects.filter(coordinator=user)
    if user.role == Role.OFFICE:
        # Their team's cases, its new requests included (a request goes to the team that works
        # where it comes from: accounts.areas), and the central inbox: the new requests from
        # no known area, which every office worker sees and may take on for their team.
        central = Q(state=State.REQUESTED, team__isnull=True)
        if user.team_id is None:
            return Case.objects.filter(central)
        return Case.objects.filter(central | Q(team_id=user.team_id))
    if user.role == Role.MANAGER and user.team_id is not None:
        return Case.objects.filter(team_id=user.team_id)
    return Case.objects.none()


def case_for(user, pk) -> Case:
    """The case `pk` if `user` may read it; 404 otherwise (no hint that it exists)."""
    case = (
        visible_cases(user).select_related("referral", "team", "coordinator").filter(pk=pk).first()
    )
    if case is None:
        # A case that exists but is not theirs: logged once per user, case and hour.
        from kring.audit.refusals import record_refused_access

        existing = Case.objects.filter(pk=pk).first()
        if existing is not None:
            record_refused_access(user, existing)
        raise Http404
    return case


def open_offer_for(user, pk) -> Assignment:
    """The open offer of case `pk` to coordinator `user` (R2), or 404."""
    if not getattr(user, "is_authenticated", False) or user.role != Role.COORDINATOR:
        raise Http404
    offer = (
        Assignment.objects.select_related("case", "case__referral", "offered_by")
        .filter(case_id=pk, coordinator=user, status=Assignment.Status.OFFERED)
        .first()
    )
    if offer is None:
        raise Http404
    return offer
