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
- `on_case_stopped(fn)`: what a stage ends when the case is stopped (a meeting, its bookings);
- `on_case_event(fn)`: told of every new timeline line, in its transaction (research's
  summary of the figures marks the case as changed).

Personal data (issue 14: retention and a person's rights; docs/data-retention.md). Each app
that stores personal data registers what it holds, so that erasure and export never miss a
table and `cases` never learns the later apps' models:

- `add_case_eraser(fn)`: erases the app's personal data of a case whose retention has passed;
- `add_retention_date(fn)`: the date until which a case is kept, when the app decides it
  (the closure's `retain_until`), as an SQL expression, so that the nightly run filters every
  closed case at once;
- `add_participant_export(fn)`: what the app holds about one participant, for their export;
- `add_participant_eraser(fn)`: erases the app's personal data of one participant;
- `add_erasure_blocker(fn)`: why one participant cannot be erased now (a signed plan names
  them), or None.

The registry holds functions only, filled once at start-up; nothing here changes at run time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, TypeVar

from django.utils.functional import Promise

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from kring.accounts.models import User
    from kring.cases.lifecycle import Guard
    from kring.cases.models import Case, CaseEvent

_Cases = TypeVar("_Cases", bound="QuerySet[Any]")
# A label, a next step: text for the user, often translated lazily.
Text: TypeAlias = "str | Promise"


class TimelineDetails(Protocol):
    def __call__(self, event: CaseEvent, /, *, full: bool) -> str | None: ...


People: TypeAlias = "Callable[[Case, Collection[int]], Mapping[int, Person]]"
CasePanel: TypeAlias = "Callable[[Case, User], tuple[str, dict[str, Any]] | None]"
CoordinatorAccepted: TypeAlias = "Callable[[Case, User], None]"
CaseStopped: TypeAlias = "Callable[[Case, User], None]"
CaseEventHook: TypeAlias = "Callable[[CaseEvent], None]"
Waiting: TypeAlias = "Callable[[User, Collection[int]], Mapping[int, int]]"
# The participant is kring.circle's Participant, which `cases` may not import (it sits below).
CaseEraser: TypeAlias = "Callable[[Case], int]"
# An SQL expression (a Subquery) over the case's row, OuterRef("pk"): a date, or NULL.
RetentionDate: TypeAlias = "Callable[[], Any]"
ParticipantExport: TypeAlias = "Callable[[Any], Iterable[ExportSection]]"
ParticipantEraser: TypeAlias = "Callable[[Any], int]"
ErasureBlocker: TypeAlias = "Callable[[Any], Text | None]"

_T = TypeVar("_T")

_guards: dict[str, list[Guard]] = defaultdict(list)
_event_labels: dict[str, Text] = {}
_next_steps: dict[str, Text] = {}
_timeline_details: list[TimelineDetails] = []
_people: list[People] = []
_case_panels: list[CasePanel] = []
_coordinator_accepted: list[CoordinatorAccepted] = []
_case_stopped: list[CaseStopped] = []
_case_event_hooks: list[CaseEventHook] = []
_waiting: list[Waiting] = []
_case_erasers: list[CaseEraser] = []
_retention_dates: list[RetentionDate] = []
_participant_exports: list[ParticipantExport] = []
_participant_erasers: list[ParticipantEraser] = []
_erasure_blockers: list[ErasureBlocker] = []


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


def on_case_event(fn: CaseEventHook) -> None:
    """`fn(event)`: called by cases.actions.log_event for every new timeline line, in the
    transaction of the change and before its audit row (ADR 0012: the record comes last). Every
    change of a case writes a line, so this hears of every change. `fn` must only write new
    rows that wait on nobody (no lock, no unique conflict)."""
    _add_once(_case_event_hooks, fn)


def case_event(event: CaseEvent) -> None:
    for fn in _case_event_hooks:
        fn(event)


# Personal data: erasure, retention and export (issue 14, points 7 and 8).


@dataclass(frozen=True)
class ExportItem:
    """One fact in a participant's export: a label for people, its value as text, and when it
    was recorded, if known. `key` names it in the JSON export (stable, English)."""

    key: str
    label: Text
    value: str
    when: date | datetime | None = None


@dataclass(frozen=True)
class ExportSection:
    """A part of a participant's export, one per kind of record (their conversations, their
    questions, ...). Only what is about this participant or came from them: never what another
    participant said (R18)."""

    key: str
    title: Text
    items: tuple[ExportItem, ...] = field(default_factory=tuple)


def add_case_eraser(fn: CaseEraser) -> None:
    """`fn(case) -> rows`: erase the app's personal data of `case` (names, free text, contact
    details, letters, documents), keeping the anonymous rows that the figures count (states,
    dates, codes, numbers). Called in the erasing transaction; returns how many rows it erased
    or emptied. Must be safe to call twice."""
    _add_once(_case_erasers, fn)


def erase_case(case: Case) -> int:
    return sum(fn(case) for fn in _case_erasers)


def add_retention_date(fn: RetentionDate) -> None:
    """`fn() -> expression`: the date until which the app keeps a case, as an SQL expression
    over the case's row (a Subquery on OuterRef("pk")); NULL when the app has no say. The
    latest date given counts. One expression serves one case (`retention_dates`) and every
    closed case at once (privacy.retention, issue 15)."""
    _add_once(_retention_dates, fn)


def with_retention_dates(cases: _Cases) -> tuple[_Cases, list[str]]:
    """`cases` annotated with each app's retention date (add_retention_date), and the names of
    those annotations: for one case (`retention_dates`) or every closed case at once."""
    expressions = [fn() for fn in _retention_dates]
    names = [f"retained_{i}" for i in range(len(expressions))]
    return cases.annotate(**dict(zip(names, expressions, strict=True))), names


def retention_dates(case: Case) -> list[date]:
    """The apps' retention dates of `case`, in one query."""
    from kring.cases.models import Case

    cases, names = with_retention_dates(Case.objects.filter(pk=case.pk))
    if not names:
        return []
    row = cases.values_list(*names).first()
    return [d for d in row or () if d is not None]


def add_participant_export(fn: ParticipantExport) -> None:
    """`fn(participant) -> sections`: what the app holds about one participant."""
    _add_once(_participant_exports, fn)


def participant_export(participant: Any) -> list[ExportSection]:
    return [section for fn in _participant_exports for section in fn(participant)]


def add_participant_eraser(fn: ParticipantEraser) -> None:
    """`fn(participant) -> rows`: erase the app's personal data of one participant (their
    name, contact details, what they wrote or said), keeping anonymous counts. Called in the
    erasing transaction, before the participant's own row is emptied."""
    _add_once(_participant_erasers, fn)


def erase_participant_data(participant: Any) -> int:
    return sum(fn(participant) for fn in _participant_erasers)


def add_erasure_blocker(fn: ErasureBlocker) -> None:
    """`fn(participant) -> reason | None`: why the participant cannot be erased now."""
    _add_once(_erasure_blockers, fn)


def erasure_blockers(participant: Any) -> list[Text]:
    return [reason for fn in _erasure_blockers if (reason := fn(participant)) is not None]
