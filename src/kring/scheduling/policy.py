"""Who may do what in scheduling, now (ADR 0005): one function per action, None when allowed or
a Refusal (kring.core.policy). The actions enforce these; views and templates read them through
`options(...)`, so that a button shows only when its action is allowed. One section per part of
the app (venues and the calendar, the date poll, booking and confirming, invitations)."""

from django.utils.translation import gettext_lazy as _

from kring.accounts.models import Role
from kring.audit.actors import By, staff_user
from kring.core.policy import Refusal, deny, first, rule

NOT_ALLOWED = _("You are not allowed to do this.")


# --- venues and the office's calendar (issue 9, points 1 and 8) ---------------------------------
# The office and the manager of a team keep its venues and read its calendar; nobody else. The
# administrator sets up users and teams but keeps no team's rooms (docs/architecture.md,
# "Scheduling"): deny by default. A coordinator sees the venues of their case's team only as the
# choices of the date poll.


def _office_or_manager_of(actor: By, team_id: int | None) -> Refusal | None:
    user = staff_user(actor)
    if (
        user is None
        or not user.is_active
        or user.role not in (Role.OFFICE, Role.MANAGER)
        or team_id is None
        or user.team_id != team_id
    ):
        return deny("team", NOT_ALLOWED)
    return None


def may_manage_venues(actor: By, team) -> Refusal | None:
    """List the team's venues and add one: its office and manager."""
    return _office_or_manager_of(actor, getattr(team, "pk", None))


def may_edit_venue(actor: By, venue) -> Refusal | None:
    """Change a venue's details: the office and manager of the venue's team."""
    return _office_or_manager_of(actor, venue.team_id)


def may_retire_venue(actor: By, venue) -> Refusal | None:
    """Take a venue out of use (never delete it: its meetings keep it)."""
    return first(
        lambda: may_edit_venue(actor, venue),
        lambda: (
            rule("retired", _("This venue is already out of use."))
            if venue.retired_at is not None
            else None
        ),
    )


def may_reinstate_venue(actor: By, venue) -> Refusal | None:
    """Put a retired venue back in use."""
    return first(
        lambda: may_edit_venue(actor, venue),
        lambda: rule("in_use", _("This venue is in use.")) if venue.retired_at is None else None,
    )


def may_view_calendar(actor: By, team) -> Refusal | None:
    """The team's week calendar of meetings: its office and manager."""
    return _office_or_manager_of(actor, getattr(team, "pk", None))
