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

The note is optional, except with the outcome "other": the outcomes about the agreements say
what happened, "other" says nothing by itself, so its note says what it was. The note stays on
the Closure row: never in the timeline, the audit log or a mail.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.audit.actors import staff_user
from kring.audit.log import record
from kring.cases.actions import lock_case, make_move
from kring.conference.inputs import NUL_MESSAGE, nul_refused
from kring.core.dates import add_months
from kring.core.policy import Refused, enforce, rule
from kring.followup import policy
from kring.followup.models import Closure, Outcome

if TYPE_CHECKING:
    from kring.audit.actors import By
    from kring.cases.models import Case, CaseEvent

NOTE_MAX = 1000
# The audit row of the closure itself (the move's "case.closed" row names the case).
CLOSURE_MADE = "followup.closure_made"

OnClosed = Callable[["Case", "Closure"], None]
_on_closed: list[OnClosed] = []


def add_on_closed(fn: OnClosed) -> None:
    if fn not in _on_closed:
        _on_closed.append(fn)


def on_closed_hooks() -> tuple[OnClosed, ...]:
    return tuple(_on_closed)


def retention_date(outcome: str, on: date) -> date:
    """`on` plus the years kept for `outcome` (settings.KRING_RETENTION_YEARS)."""
    # 29 February becomes 28 February in a year that has none.
    return add_months(on, 12 * settings.KRING_RETENTION_YEARS[outcome])


def timeline_detail(event: CaseEvent, *, full: bool) -> str | None:
    """The outcome's label on the line "Closed with an outcome" (never the note)."""
    outcome = (event.data or {}).get("outcome")
    if event.kind == "case.closed" and outcome in Outcome.values:
        return str(Outcome(outcome).label)
    return None


def input_refusal(outcome: str, note: str) -> Refused | None:
    """What is wrong with the outcome or the closing note, in the user's words (none: None).
    R15: a case is closed with one of the outcomes."""
    if outcome not in Outcome.values:
        return Refused(rule("outcome", _("Choose the outcome.")))
    if nul_refused(note):
        return Refused(rule("note", NUL_MESSAGE))
    if len(note) > NOTE_MAX:
        return Refused(
            rule(
                "note",
                _("Write at most %(limit)d characters (now %(count)d).")
                % {"limit": NOTE_MAX, "count": len(note)},
            )
        )
    if outcome == Outcome.OTHER and not note:
        return Refused(rule("note", _("With the outcome “Other”, say in the note what it was.")))
    return None


def _calling(fn: OnClosed, case: Case, closure: Closure) -> Callable[[], None]:
    """`fn(case, closure)` to run after commit, named as `fn` (Django's log of a failed robust
    callback names it)."""

    def run() -> None:
        fn(case, closure)

    run.__qualname__ = getattr(fn, "__qualname__", run.__qualname__)
    return run


def close(case: Case, *, by: By, outcome: str, note: str = "") -> Closure:
    """Close `case` with `outcome` and `note` (module docstring). Refused (nothing changed):
    no valid outcome, a note too long, with a NUL character, or missing with "other"; and
    whatever followup.policy.may_close refuses (not in follow-up, the `close` move's guards,
    reports not answered)."""
    note = (note or "").strip()
    with transaction.atomic():
        case = lock_case(case)
        enforce(policy.may_close(by, case))
        refused = input_refusal(outcome, note)
        if refused is not None:
            raise refused
        user = staff_user(by)
        assert user is not None  # the policy lets only the case's coordinator close it
        today = timezone.localdate()
        make_move(case, "close", by=by, outcome=outcome)
        closure = Closure.objects.create(
            case=case,
            outcome=outcome,
            note=note,
            closed_at=timezone.now(),
            closed_by=user,
            retain_until=retention_date(outcome, today),
        )
        record(
            CLOSURE_MADE,
            actor=by,
            case=case,
            obj=closure,
            data={"outcome": outcome, "retain_until": closure.retain_until.isoformat()},
        )
        for fn in on_closed_hooks():
            # robust: a later stage's failure (a questionnaire) never undoes or hides the close.
            transaction.on_commit(_calling(fn, case, closure), robust=True)
    return closure
