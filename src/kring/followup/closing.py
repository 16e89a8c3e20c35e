"""Closing a case after follow-up (issue 12, point 5; R15).

- `close(case, *, by, outcome, note="") -> Closure`: the coordinator closes the case with an
  outcome (models.Outcome) and a short note (at most NOTE_MAX characters). In one transaction
  that locks the case: followup.policy.may_close, the Closure with `retain_until` =
  `retention_date(outcome, today)`, the lifecycle move "close" (following_up -> closed, event
  "case.closed" with the outcome code, never the note), the open Contact rows left as they are.
  After commit, every function added with `add_on_closed` is called with (case, closure): the
  research stage adds the evaluation questionnaires there (R16). A closed case is read-only:
  every follow-up policy refuses in "closed".
- `retention_date(outcome, on) -> date`: `on` plus settings.KRING_RETENTION_YEARS[outcome]
  years (29 February becomes 28 February). docs/data-retention.md lists the periods.
- `add_on_closed(fn)`: what a later stage does once a case is closed (called once per close).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kring.cases.models import Case
    from kring.followup.models import Closure

NOTE_MAX = 1000

OnClosed = Callable[["Case", "Closure"], None]
_on_closed: list[OnClosed] = []


def add_on_closed(fn: OnClosed) -> None:
    if fn not in _on_closed:
        _on_closed.append(fn)


def on_closed_hooks() -> tuple[OnClosed, ...]:
    return tuple(_on_closed)
