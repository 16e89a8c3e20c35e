"""The venues of a team (issue 9, point 1): one function per change, each in one transaction
with the actor, the policy (scheduling.policy) and an audit row. A venue is never deleted: it is
retired, and keeps its meetings and bookings; a retired venue is not offered for new options.

The audit rows carry ids and the names of the fields that changed, never the text written."""

from django.db import transaction
from django.utils import timezone

from kring.audit.log import record
from kring.core.policy import enforce
from kring.scheduling import policy
from kring.scheduling.models import Venue

FIELDS = (
    "name",
    "address",
    "capacity",
    "step_free",
    "hearing_loop",
    "quiet_room",
    "parking",
    "public_transport",
    "route",
    "notes",
)


def in_use(team):
    """The venues of `team` that may be offered for a new option: not retired."""
    return Venue.objects.filter(team=team, retired_at__isnull=True)


def _lock(venue: Venue) -> Venue:
    return Venue.objects.select_for_update(no_key=True).get(pk=venue.pk)


@transaction.atomic
def add_venue(team, *, by, **fields) -> Venue:
    """A new venue of `team`, in use."""
    enforce(policy.may_manage_venues(by, team))
    venue = Venue.objects.create(team=team, **{f: fields[f] for f in FIELDS if f in fields})
    record("venue.added", actor=by, obj=venue, team_id=team.pk)
    return venue


@transaction.atomic
def update_venue(venue: Venue, *, by, **fields) -> Venue:
    """Change a venue's details; meetings already confirmed there keep it."""
    venue = _lock(venue)
    enforce(policy.may_edit_venue(by, venue))
    changed = [f for f in FIELDS if f in fields and getattr(venue, f) != fields[f]]
    for f in changed:
        setattr(venue, f, fields[f])
    if changed:
        venue.save(update_fields=changed)
        record(
            "venue.changed", actor=by, obj=venue, team_id=venue.team_id, data={"fields": changed}
        )
    return venue


@transaction.atomic
def retire_venue(venue: Venue, *, by) -> Venue:
    """Take a venue out of use: no new options there; its history stays."""
    venue = _lock(venue)
    enforce(policy.may_retire_venue(by, venue))
    venue.retired_at = timezone.now()
    venue.save(update_fields=["retired_at"])
    record("venue.retired", actor=by, obj=venue, team_id=venue.team_id)
    return venue


@transaction.atomic
def reinstate_venue(venue: Venue, *, by) -> Venue:
    """Put a retired venue back in use."""
    venue = _lock(venue)
    enforce(policy.may_reinstate_venue(by, venue))
    venue.retired_at = None
    venue.save(update_fields=["retired_at"])
    record("venue.reinstated", actor=by, obj=venue, team_id=venue.team_id)
    return venue
