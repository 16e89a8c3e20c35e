"""The legal hold of a case (issue 14, point 7; docs/data-retention.md, "Legal hold").

- `place_hold(case, *, by, reference="") -> LegalHold`: the team's manager stops the erasure of
  the case (privacy.policy.may_place_hold). `reference`: optional, at most 100 characters, the
  reference of the procedure (a court's case number); never words about what happened, so it is
  shown on the case page only, not on the timeline, in the audit log or a mail.
- `lift_hold(case, *, by) -> LegalHold`: the manager lifts it (may_lift_hold); retention then
  erases the case when its time has passed (at once, if it has).

Each is one transaction that locks the case, checks the policy, writes the hold and a line on
the timeline with its audit row (kinds HOLD_PLACED, HOLD_LIFTED). Retention re-checks the hold
under the same lock (privacy.retention.erase), so a hold placed while the job runs is kept.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.audit.actors import By, staff_user
from kring.cases.actions import lock_case, log_event
from kring.cases.models import Case
from kring.core.policy import Refused, enforce, rule
from kring.privacy import policy
from kring.privacy.models import REFERENCE_MAX, LegalHold

HOLD_PLACED = "case.hold_placed"
HOLD_LIFTED = "case.hold_lifted"


def reference_refusal(reference: str) -> Refused | None:
    """A short reference on one line, or nothing."""
    if len(reference) > REFERENCE_MAX:
        return Refused(
            rule(
                "reference",
                _("Write at most %(limit)d characters (now %(count)d).")
                % {"limit": REFERENCE_MAX, "count": len(reference)},
            )
        )
    if any(ord(c) < 32 or ord(c) == 127 for c in reference):
        return Refused(rule("reference", _("Write the reference on one line.")))
    return None


def place_hold(case: Case, *, by: By, reference: str = "") -> LegalHold:
    """Keep `case` from erasure (module docstring). Refused, nothing changed: what
    may_place_hold refuses, a reference too long or not on one line."""
    reference = (reference or "").strip()
    with transaction.atomic():
        case = lock_case(case)
        enforce(policy.may_place_hold(by, case))
        refused = reference_refusal(reference)
        if refused is not None:
            raise refused
        user = staff_user(by)
        assert user is not None  # the policy lets only the team's manager place a hold
        hold = LegalHold.objects.create(
            case=case, placed_at=timezone.now(), placed_by=user, reference=reference
        )
        log_event(case, HOLD_PLACED, by=by, hold=hold.pk)
    return hold


def lift_hold(case: Case, *, by: By) -> LegalHold:
    """Lift the case's active hold (module docstring). Refused, nothing changed: what
    may_lift_hold refuses."""
    with transaction.atomic():
        case = lock_case(case)
        enforce(policy.may_lift_hold(by, case))
        hold = policy.active_hold(case)
        assert hold is not None  # may_lift_hold refuses a case without one
        user = staff_user(by)
        hold.lifted_at = timezone.now()
        hold.lifted_by = user
        hold.save(update_fields=["lifted_at", "lifted_by"])
        log_event(case, HOLD_LIFTED, by=by, hold=hold.pk)
    return hold
