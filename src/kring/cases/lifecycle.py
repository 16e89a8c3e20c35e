"""The case lifecycle (DESIGN.md "Case lifecycle"): states and the table of allowed moves.

Each move is done by one action in cases/actions.py; the action calls `check_move`, which runs
the move's guards. A guard returns None when its rule is met, or the reason (shown to the user,
in plain words, citing the rule) when it is not.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    REQUESTED = "requested", _("New request")
    REFERRED = "referred", _("Taken on")
    ASSIGNED = "assigned", _("Coordinator assigned")
    PREPARING = "preparing", _("Preparing")
    SCHEDULED = "scheduled", _("Scheduled")
    CONFERENCE_HELD = "conference_held", _("Conference held")
    FOLLOWING_UP = "following_up", _("Follow-up")
    CLOSED = "closed", _("Closed")
    DECLINED = "declined", _("Declined")
    STOPPED = "stopped", _("Stopped")


ENDS = frozenset({State.CLOSED, State.DECLINED, State.STOPPED})
# Before the conference a case may still be stopped (DESIGN.md).
BEFORE_CONFERENCE = (State.REFERRED, State.ASSIGNED, State.PREPARING, State.SCHEDULED)

Guard = Callable[..., "str | None"]


@dataclass(frozen=True)
class Move:
    name: str
    sources: tuple[str, ...]
    target: str
    event: str  # the timeline event's kind, e.g. "case.taken_on"
    guards: tuple[Guard, ...] = ()


# --- guards -----------------------------------------------------------------------------------


def coordinator_declared_independence(case, *, assignment=None, **_kw):
    """R2: only a coordinator who declared no tie with anyone in the case may take it."""
    if assignment is None or assignment.declared_independent_at is None:
        return _(
            "The coordinator must first declare that they have no tie with anyone in this "
            "case (R2)."
        )
    return None


def coordinator_offered(case, *, assignment=None, **_kw):
    """R2: a case is assigned only to the coordinator it was offered to."""
    if assignment is None or assignment.case_id != case.pk or not assignment.is_open:
        return _("This case has not been offered to this coordinator (R2).")
    return None


def has_team(case, **_kw):
    """A case taken on belongs to a team (DESIGN.md "Roles")."""
    if case.team_id is None:
        return _("A case that is taken on must belong to a team.")
    return None


def _ready():
    from kring.circle.guards import READY_TO_SCHEDULE  # noqa: PLC0415 (circle imports cases)

    return READY_TO_SCHEDULE


# --- the moves --------------------------------------------------------------------------------

MOVES: dict[str, Move] = {
    m.name: m
    for m in (
        Move("take_on", (State.REQUESTED,), State.REFERRED, "case.taken_on", (has_team,)),  # R1
        Move("decline", (State.REQUESTED, State.REFERRED), State.DECLINED, "case.declined"),
        Move(
            "accept_assignment",
            (State.REFERRED,),
            State.ASSIGNED,
            "case.assigned",
            (coordinator_offered, coordinator_declared_independence),  # R2
        ),
        # R2: a new coordinator must accept; the previous one loses access at once.
        Move("reassign", (State.ASSIGNED,), State.REFERRED, "case.reassigned"),
        Move("stop", BEFORE_CONFERENCE, State.STOPPED, "case.stopped"),
        Move("start_preparation", (State.ASSIGNED,), State.PREPARING, "case.preparation_started"),
        # The scheduling issue adds its action; the guards are those of preparation (R3–R9).
        Move("schedule", (State.PREPARING,), State.SCHEDULED, "case.scheduled", _ready()),
    )
}


class MoveRefused(Exception):
    """A move that the lifecycle does not allow now; `reason` is for the user."""

    def __init__(self, reason):
        super().__init__(str(reason))
        self.reason = reason


def refusal(case, move_name: str, **context) -> "str | None":
    """The reason `move_name` is refused for `case` now, or None when it is allowed."""
    move = MOVES[move_name]
    if case.state not in move.sources:
        return _("This step is not possible while the case is “%(state)s”.") % {
            "state": State(case.state).label
        }
    for guard in move.guards:
        reason = guard(case, **context)
        if reason:
            return reason
    return None


def check_move(case, move_name: str, **context) -> str:
    """Raise MoveRefused with the user's reason, or return the target state."""
    reason = refusal(case, move_name, **context)
    if reason:
        raise MoveRefused(reason)
    return MOVES[move_name].target
