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
- `on_coordinator_accepted(fn)`: what follows when a (new) coordinator accepts the case.

The registry holds functions only, filled once at start-up; nothing here changes at run time.
"""

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

_guards: dict[str, list[Callable]] = defaultdict(list)
_event_labels: dict[str, Any] = {}
_next_steps: dict[str, Any] = {}
_timeline_details: list[Callable] = []
_people: list[Callable] = []
_case_panels: list[Callable] = []
_coordinator_accepted: list[Callable] = []


def _add_once(items: list, item) -> None:
    # ready() may run more than once in tests; a registration counts once.
    if item not in items:
        items.append(item)


def add_guards(move: str, *guards: Callable) -> None:
    for guard in guards:
        _add_once(_guards[move], guard)


def guards_for(move: str) -> tuple[Callable, ...]:
    return tuple(_guards.get(move, ()))


def add_event_labels(labels: Mapping[str, Any]) -> None:
    _event_labels.update(labels)


def event_label(kind: str):
    return _event_labels.get(kind, kind)


def provide_step(state: str, *, next_step) -> None:
    """The stage that does the work of `state` makes that task-list step available."""
    _next_steps[state] = next_step


def available_steps() -> frozenset[str]:
    return frozenset(_next_steps)


def next_step_for(state: str):
    return _next_steps.get(state)


def add_timeline_details(fn: Callable) -> None:
    """`fn(event, full=bool) -> str | None`: more words on a timeline line; `full` for the
    case's coordinator only."""
    _add_once(_timeline_details, fn)


def timeline_details(event, *, full: bool) -> list[str]:
    return [d for fn in _timeline_details if (d := fn(event, full=full))]


@dataclass(frozen=True)
class Person:
    """A person in a case as the timeline names them."""

    name: str
    guardian_id: int | None = None


def set_people(fn: Callable) -> None:
    """`fn(case, ids) -> {id: Person}`: the people of a case that events point at."""
    _add_once(_people, fn)


def people(case, ids) -> dict[int, Person]:
    found: dict[int, Person] = {}
    if ids:
        for fn in _people:
            found.update(fn(case, ids))
    return found


def add_case_panel(fn: Callable) -> None:
    """`fn(case, user) -> (template, context) | None`: a panel on the case page."""
    _add_once(_case_panels, fn)


def case_panels(case, user) -> list[tuple[str, dict]]:
    return [panel for fn in _case_panels if (panel := fn(case, user)) is not None]


def on_coordinator_accepted(fn: Callable) -> None:
    """`fn(case, coordinator)`: called in the accepting transaction (for example, to tell the
    people already invited the name of their new coordinator)."""
    _add_once(_coordinator_accepted, fn)


def coordinator_accepted(case, coordinator) -> None:
    for fn in _coordinator_accepted:
        fn(case, coordinator)
