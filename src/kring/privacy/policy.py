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
from kring.cases import lifecycle, registry
from kring.cases.models import Case
from kring.cases.policy import of_the_team, staff_role, the_coordinator
from kring.circle.models import Participant
from kring.circle.policy import not_erased
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


# --- a person's rights: export, correction, erasure (issue 14, point 8; docs/data-retention.md) -
#
# Who (docs/rules.md "Roles"): the case's coordinator or the office of the case's team; the
# manager does none of it (casework, not supervision).
#
# The export holds the coordinator's notes of the conversations and the participant's contact
# details, which elsewhere only the case's coordinator sees (R18; the office sees the people and
# their states only). It is still the office's too, in any state of the case: answering a
# subject-access request is the organisation's duty (GDPR article 15, within a month) and must
# not depend on one coordinator, who may be away or have left (a closed case whose coordinator
# has gone could otherwise be exported by no one). So the export is the one place where the
# office reads the notes and the contact details, and every preview and download is in the
# access log under the reader's name (privacy.rights_views).
#
# A correction (article 16) by the office is write-only for the contact details: its page shows
# them masked and an empty field leaves a detail as it is (privacy.rights_views.correct). Erasing
# someone, and noting that they asked, shows nothing of the case but the person's name and state.


def _coordinator_or_office(actor: By, case: Case) -> Refusal | None:
    if the_coordinator(actor, case) is None:
        return None
    return first(lambda: staff_role(actor, Role.OFFICE), lambda: of_the_team(actor, case))


def _case_open(case: Case) -> Refusal | None:
    """While the case is open; after it ends, retention erases everyone at its date."""
    if case.state in lifecycle.ENDS:
        return rule(
            "case_ended",
            _("The case has ended: its data are erased when the time to keep them is over."),
        )
    return None


def _erasure_blocked(participant: Participant) -> Refusal | None:
    reasons = registry.erasure_blockers(participant)
    return rule("blocked", reasons[0]) if reasons else None


def may_export_participant(actor: By, participant: Participant) -> Refusal | None:
    """GDPR article 15: the case's coordinator or the office of its team exports what Kring
    holds about one participant, at any state of the case, until the person is erased. Asks
    nothing of the database (the case page's panel reads it for every participant)."""
    return first(
        lambda: _coordinator_or_office(actor, participant.case),
        lambda: not_erased(participant),
    )


def may_correct_participant(actor: By, participant: Participant) -> Refusal | None:
    """GDPR article 16: the case's coordinator or the office of its team corrects a
    participant's name, contact details and language while the case is open and the person is
    not erased; after the case ends, retention erases them. Asks nothing of the database."""
    return first(
        lambda: _coordinator_or_office(actor, participant.case),
        lambda: _case_open(participant.case),
        lambda: not_erased(participant),
    )


def may_handle_erasure_request(actor: By, participant: Participant) -> Refusal | None:
    """GDPR article 17: the case's coordinator or the office of its team takes up a
    participant's request to be erased while the case is open: the erasure page, which then
    erases (may_erase_participant) or notes the request (may_note_erasure_request). Asks
    nothing of the database, so the case page's panel reads it for every participant."""
    return first(
        lambda: _coordinator_or_office(actor, participant.case),
        lambda: _case_open(participant.case),
        lambda: not_erased(participant),
    )


def _kept_for_a_procedure(case: Case) -> Refusal | None:
    """A legal hold keeps the whole case, its people too (GDPR article 17(3)(e)): nobody in it
    is erased while a court, the police or a complaint needs it."""
    if active_hold(case) is not None:
        return rule(
            "held",
            _(
                "This case is kept for a legal procedure: nothing in it can be erased until "
                "the team's manager lifts the hold."
            ),
        )
    return None


def may_erase_participant(actor: By, participant: Participant) -> Refusal | None:
    """GDPR article 17: erase a participant who asks for it, unless the case is kept for a
    legal procedure (a legal hold) or something needs the name (a signed plan:
    registry.erasure_blockers)."""
    return first(
        lambda: may_handle_erasure_request(actor, participant),
        lambda: _kept_for_a_procedure(participant.case),
        lambda: _erasure_blocked(participant),
    )


def may_note_erasure_request(actor: By, participant: Participant) -> Refusal | None:
    """When the erasure cannot be done now (a legal hold keeps the case, or a signed plan names
    the person), the request is noted so that it is not lost; the name is erased when the
    case's retention ends."""
    return first(
        lambda: may_handle_erasure_request(actor, participant),
        lambda: (
            None
            if active_hold(participant.case) is not None or registry.erasure_blockers(participant)
            else rule("erasable", _("This person can be erased now: there is nothing to note."))
        ),
    )
