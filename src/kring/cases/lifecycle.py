"""The case lifecycle (docs/rules.md "Case lifecycle"): states and the table of allowed moves.

Each move is done by one action (cases/actions.py, or the action of the stage that owns it);
the action calls `check_move`, which runs the move's guards. A guard returns None when its rule
is met, or the reason (shown to the user, in plain words) when it is not. The guards of a move
that belongs to a later stage's rules are registered by that stage (cases/registry.py): the
`schedule` move's come from the circle, so that this module imports no later app.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Concatenate

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kring.cases import registry
from kring.core.policy import Refusal, Refused, rule

if TYPE_CHECKING:
    # kring.cases.models imports this module (State).
    from kring.cases.models import Assignment, Case


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
# Before the conference a case may still be stopped, and get another coordinator (R2).
BEFORE_CONFERENCE = (State.REFERRED, State.ASSIGNED, State.PREPARING, State.SCHEDULED)
# A coordinator has accepted the case and works on it (R2), or a new one is being found.
WITH_COORDINATOR = (State.ASSIGNED, State.PREPARING, State.SCHEDULED)
# When the coordinator goes (reassigned, handed back), a case in which nothing was prepared
# yet goes back to "taken on"; a case in preparation keeps its state, its circle, links and
# consents, and waits for the new coordinator (R2).
WITHOUT_COORDINATOR: Mapping[str, str] = {State.ASSIGNED: State.REFERRED}

# A guard: called with the case and the move's context; None, or the reason for the user.
Guard = Callable[Concatenate["Case", ...], "str | Promise | None"]


@dataclass(frozen=True)
class Move:
    """A move from one of `sources` to `target`. A mapping as target gives the target per
    source; a source not in it keeps its state (the move is an event on the timeline)."""

    name: str
    sources: tuple[str, ...]
    target: str | Mapping[str, str]
    event: str  # the timeline event's kind, e.g. "case.taken_on"
    guards: tuple[Guard, ...] = ()

    def target_from(self, source: str) -> str:
        if isinstance(self.target, Mapping):
            return self.target.get(source, source)
        return self.target

    def targets(self) -> frozenset[str]:
        """Every state this move can lead to."""
        if isinstance(self.target, Mapping):
            return frozenset(self.target.values())
        return frozenset({self.target})

    def all_guards(self) -> tuple[Guard, ...]:
        """The move's own guards, then those registered by later stages."""
        return self.guards + registry.guards_for(self.name)


# --- guards -----------------------------------------------------------------------------------


def coordinator_declared_independence(
    case: Case, *, assignment: Assignment | None = None, **_kw: Any
) -> str | Promise | None:
    """R2: only a coordinator who declared no tie with anyone in the case may take it."""
    if assignment is None or assignment.declared_independent_at is None:
        return _(
            "The coordinator must first declare that they have no tie with anyone in this case."
        )
    return None


def coordinator_offered(
    case: Case, *, assignment: Assignment | None = None, **_kw: Any
) -> str | Promise | None:
    """R2: a case is assigned only to the coordinator it was offered to."""
    if assignment is None or assignment.case_id != case.pk or not assignment.is_open:
        return _("This case has not been offered to this coordinator.")
    return None


def has_team(case: Case, **_kw: Any) -> str | Promise | None:
    """A case taken on belongs to a team (docs/rules.md "Roles")."""
    if case.team_id is None:
        return _("A case that is taken on must belong to a team.")
    return None


# --- the moves --------------------------------------------------------------------------------

MOVES: dict[str, Move] = {
    m.name: m
    for m in (
        Move("take_on", (State.REQUESTED,), State.REFERRED, "case.taken_on", (has_team,)),  # R1
        Move("decline", (State.REQUESTED, State.REFERRED), State.DECLINED, "case.declined"),
        # R2: accepted with the declaration of independence; a case whose coordinator changed
        # during preparation keeps its state.
        Move(
            "accept_assignment",
            (State.REFERRED, State.PREPARING, State.SCHEDULED),
            {State.REFERRED: State.ASSIGNED},
            "case.assigned",
            (coordinator_offered, coordinator_declared_independence),
        ),
        # R2: another coordinator is offered the case; the current one loses access at once.
        Move("reassign", WITH_COORDINATOR, WITHOUT_COORDINATOR, "case.reassigned"),
        # R2: the coordinator hands an accepted case back (a tie found later, illness).
        Move("hand_back", WITH_COORDINATOR, WITHOUT_COORDINATOR, "case.handed_back"),
        Move("stop", BEFORE_CONFERENCE, State.STOPPED, "case.stopped"),
        Move("start_preparation", (State.ASSIGNED,), State.PREPARING, "case.preparation_started"),
        # The scheduling stage adds its action; the guards are registered by preparation
        # (R3–R9, circle/apps.py).
        Move("schedule", (State.PREPARING,), State.SCHEDULED, "case.scheduled"),
        # R8: the meeting is cancelled and the case goes on: back to preparation for a new
        # date (scheduling.actions.cancel; the other way is "stop").
        Move("unschedule", (State.SCHEDULED,), State.PREPARING, "case.unscheduled"),
        # R10: the conference opens after check-in (conference.actions.start); its guards are
        # registered by the conference stage (someone of each side is present).
        Move("hold", (State.SCHEDULED,), State.CONFERENCE_HELD, "case.conference_held"),
        # R14: the last required signature of the final plan (signing.actions.sign); the case
        # goes into follow-up. Its guards are registered by the signing stage.
        Move("follow_up", (State.CONFERENCE_HELD,), State.FOLLOWING_UP, "case.plan_signed"),
        # R15: the coordinator closes the case with an outcome (followup.closing.close); the
        # follow-up stage registers its guards.
        Move("close", (State.FOLLOWING_UP,), State.CLOSED, "case.closed"),
    )
}


class MoveRefused(Refused):
    """A move that the lifecycle does not allow now; `reason` is for the user."""


def state_refusal(case: Case, states: Collection[str]) -> Refusal | None:
    """The refusal for an action that is possible only in `states`."""
    if case.state in states:
        return None
    return rule(
        "state",
        _("This step is not possible while the case is “%(state)s”.")
        % {"state": State(case.state).label},
    )


def refusal(case: Case, move_name: str, **context: Any) -> Refusal | None:
    """Why `move_name` is refused for `case` now (a rule refusal), or None when allowed."""
    move = MOVES[move_name]
    refused = state_refusal(case, move.sources)
    if refused is not None:
        return refused
    for guard in move.all_guards():
        reason = guard(case, **context)
        if reason:
            return rule(f"{move_name}.{guard.__name__}", reason)
    return None


def check_move(case: Case, move_name: str, **context: Any) -> str:
    """Raise MoveRefused with the user's reason, or return the target state."""
    refused = refusal(case, move_name, **context)
    if refused is not None:
        raise MoveRefused(refused)
    return MOVES[move_name].target_from(case.state)
