"""Who may do what in the privacy app, now (ADR 0005): one function per action, None when
allowed, or a Refusal. The actions enforce these; the case panel reads them.

The legal hold is the team's manager's (docs/rules.md "Roles"; docs/data-retention.md, "Legal
hold"): keeping a case past what the privacy statement promises is a decision of the
organisation, taken by the person who leads the team, who answers for its cases. The office
sees a case as state, people and dates only, and the coordinator works one case: neither places
or lifts a hold.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kring.accounts.models import Role
from kring.audit.actors import By
from kring.cases.models import Case
from kring.cases.policy import of_the_team, staff_role
from kring.core.policy import Refusal, first, rule
from kring.privacy.models import CaseErasure, LegalHold


def active_hold(case: Case) -> LegalHold | None:
    """The case's active legal hold, read once per case object."""
    if not hasattr(case, "_active_hold"):
        case._active_hold = LegalHold.objects.filter(  # type: ignore[attr-defined]
            case=case, lifted_at__isnull=True
        ).first()
    hold: LegalHold | None = case._active_hold  # type: ignore[attr-defined]
    return hold


def is_erased(case: Case) -> bool:
    return CaseErasure.objects.filter(case=case).exists()


def _not_erased(case: Case) -> Refusal | None:
    if is_erased(case):
        return rule("erased", _("This case's personal data has already been erased."))
    return None


def _not_held(case: Case) -> Refusal | None:
    if active_hold(case) is not None:
        return rule("held", _("This case is already kept for a legal procedure."))
    return None


def _held(case: Case) -> Refusal | None:
    if active_hold(case) is None:
        return rule("not_held", _("This case is not kept for a legal procedure."))
    return None


def may_place_hold(actor: By, case: Case) -> Refusal | None:
    """The team's manager keeps a case that is not erased yet from erasure (a court, the police
    or a complaint asks the organisation to keep it), once at a time."""
    return first(
        lambda: staff_role(actor, Role.MANAGER),
        lambda: of_the_team(actor, case),
        lambda: _not_erased(case),
        lambda: _not_held(case),
    )


def may_lift_hold(actor: By, case: Case) -> Refusal | None:
    """The team's manager lifts the case's active hold; retention then erases the case when
    its time has passed."""
    return first(
        lambda: staff_role(actor, Role.MANAGER),
        lambda: of_the_team(actor, case),
        lambda: _held(case),
    )
