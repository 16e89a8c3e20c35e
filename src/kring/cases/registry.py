"""Where each stage of the process plugs into the case (docs/architecture.md "Layers").

`cases` knows the states, the moves and the timeline; it imports no later app. Each later stage
(the circle, scheduling, the conference, ...) registers its part here from its
`AppConfig.ready()`:

- `add_guards(move, *guards)`: guards of a lifecycle move that encode the stage's rules;
- `add_event_labels({kind: label})`: how its timeline events read;
- `provide_step(state, next_step=...)`: the task-list step it makes possible, and what to do next;
- `add_timeline_details(fn)`: extra words on its events' timeline lines;
- `set_people(fn)`: the names of the people its events point at (the circle);
- `add_case_panel(fn)`: a panel on the case page;
- `on_coordinator_accepted(fn)`: what follows when a (new) coordinator accepts the case;
- `add_waiting(fn)`: how many things wait for the user in each case (the circle's notices),
  shown in "Mijn zaken";
- `on_case_stopped(fn)`: what a stage ends when the case is stopped (a meeting, its bookings).

The registry holds functions only, filled once at start-up; nothing here changes at run time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, TypeVar

from django.utils.functional import Promise

if TYPE_CHECKING:
    from kring.accounts.models import User
    from kring.cases.lifecycle import Guard
    from kring.cases.models import Case, CaseEvent

# A label, a next step: text for the user, often translated lazily.
Text: TypeAlias = "str | Promise"


class TimelineDetails(Protocol):
    def __call__(self, event: CaseEvent, /, *, full: bool) -> str | None: ...


People: TypeAlias = "Callable[[Case, Collection[int]], Mapping[int, Person]]"
CasePanel: TypeAlias = "Callable[[Case, User], tuple[str, dict[str, Any]] | None]"
CoordinatorAccepted: TypeAlias = "Callable[[Case, User], None]"
CaseStopped: TypeAlias = "Callable[[Case, User], None]"
Waiting: TypeAlias = "Callable[[User, Collection[int]], Mapping[int, int]]"

_T = TypeVar("_T")

_guards: dict[str, list[Guard]] = defaultdict(list)
_event_labels: dict[str, Text] = {}
_next_steps: dict[str, Text] = {}
_timeline_details: list[TimelineDetails] = []
_people: list[People] = []
_case_panels: list[CasePanel] = []
_coordinator_accepted: list[CoordinatorAccepted] = []
_case_stopped: list[CaseStopped] = []
_waiting: list[Waiting] = []


def _add_once(items: list[_T], item: _T) -> None:
    # ready() may run more than once in tests; a registration counts once.
    if item not in items:
        items.append(item)


def add_guards(move: str, *guards: Guard) -> None:
    for guard in guards:
        _add_once(_guards[move], guard)


def guards_for(move: str) -> tuple[Guard, ...]:
    return tuple(_guards.get(move, ()))


def add_event_labels(labels: Mapping[str, Text]) -> None:
    _event_labels.update(labels)


def event_label(kind: str) -> Text:
    return _event_labels.get(kind, kind)


def provide_step(state: str, *, next_step: Text) -> None:
    """The stage that does the work of `state` makes that task-list step available."""
    _next_steps[state] = next_step


def available_steps() -> frozenset[str]:
    return frozenset(_next_steps)


def next_step_for(state: str) -> Text | None:
    return _next_steps.get(state)


def add_timeline_details(fn: TimelineDetails) -> None:
    """`fn(event, full=bool) -> str | None`: more words on a timeline line; `full` for the
    case's coordinator only."""
    _add_once(_timeline_details, fn)


def timeline_details(event: CaseEvent, *, full: bool) -> list[str]:
    return [d for fn in _timeline_details if (d := fn(event, full=full))]


@dataclass(frozen=True)
class Person:
    """A person in a case as the timeline names them."""

    name: str
    guardian_id: int | None = None


def set_people(fn: People) -> None:
    """`fn(case, ids) -> {id: Person}`: the people of a case that events point at."""
    _add_once(_people, fn)


def people(case: Case, ids: Collection[int]) -> dict[int, Person]:
    found: dict[int, Person] = {}
    if ids:
        for fn in _people:
            found.update(fn(case, ids))
    return found


def add_case_panel(fn: CasePanel) -> None:
    """`fn(case, user) -> (template, context) | None`: a panel on the case page."""
    _add_once(_case_panels, fn)


def case_panels(case: Case, user: User) -> list[tuple[str, dict[str, Any]]]:
    return [panel for fn in _case_panels if (panel := fn(case, user)) is not None]


def on_coordinator_accepted(fn: CoordinatorAccepted) -> None:
    """`fn(case, coordinator)`: called in the accepting transaction (for example, to tell the
    people already invited the name of their new coordinator)."""
    _add_once(_coordinator_accepted, fn)


def coordinator_accepted(case: Case, coordinator: User) -> None:
    for fn in _coordinator_accepted:
        fn(case, coordinator)


def add_waiting(fn: Waiting) -> None:
    """`fn(user, case_ids) -> {case_id: count}`: what waits for `user` in those cases."""
    _add_once(_waiting, fn)


def waiting(user: User, case_ids: Collection[int]) -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    if case_ids:
        for fn in _waiting:
            for case_id, n in fn(user, case_ids).items():
                counts[case_id] += n
    return dict(counts)


def on_case_stopped(fn: CaseStopped) -> None:
    """`fn(case, by)`: called in the stopping transaction, after the move, so that a stage ends
    what it holds for the case (for example, a meeting that will not take place)."""
    _add_once(_case_stopped, fn)


def case_stopped(case: Case, by: User) -> None:
    for fn in _case_stopped:
        fn(case, by)
