"""A participant's rights (GDPR articles 15-17; issue 14, point 8; docs/data-retention.md "A
person's rights"): correcting a participant's details, erasing one participant who asks for it
while the case is open, and noting the request when something still needs their name. One function each, in the house pattern:
one transaction, the case locked, the policy (privacy.policy), the change, a timeline event and
an audit row with ids and counts only (never what was erased).

The export is a read (privacy.export, audited by its views). A correction here is the
coordinator's or the office's (privacy.policy.may_correct_participant); the coordinator's own
page for a person's details (circle:edit, circle.actions.update_participant) stays as it is."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kring.audit.actors import By
from kring.cases import registry
from kring.cases.actions import lock_case, log_event
from kring.cases.models import Case
from kring.circle.models import Participant
from kring.core.policy import enforce
from kring.notifications import outbox
from kring.notifications.models import OutgoingMail
from kring.privacy import policy

ERASED = "privacy.participant_erased"
CORRECTED = "privacy.participant_corrected"
REQUEST_NOTED = "privacy.erasure_requested"

# The timeline's words (registered in privacy/apps.py).
EVENT_LABELS = {
    ERASED: _("A participant's details were erased at their request"),
    REQUEST_NOTED: _("A participant asked to be erased; their name stays until the case's end"),
    CORRECTED: _("A participant's details were corrected"),
}
# How the access log names the reads of a person's data (registered in privacy/apps.py).
AUDIT_LABELS = {
    "privacy.export_viewed": _("Read what Kring holds about a participant"),
    "privacy.exported": _("Downloaded what Kring holds about a participant"),
    "privacy.erasure_viewed": _("Read the erasure page of a participant"),
    "privacy.correction_viewed": _("Read the correction page of a participant"),
}
# What a correction may change: the details that can be wrong (privacy.rights_forms).
CORRECTABLE = ("name", "email", "phone", "address", "language")


def _locked(participant: Participant) -> Participant:
    case = lock_case(participant.case)
    participant = Participant.objects.select_for_update(no_key=True).get(pk=participant.pk)
    participant.case = case
    return participant


def _event(case: Case, kind: str, *, by: By, participant: Participant, **data: Any) -> None:
    """The timeline line (who acted, which participant by number) and the audit row about the
    participant: the last write of the transaction (ADR 0012, "Deadlocks")."""
    log_event(
        case,
        kind,
        by=by,
        about=participant,
        audit_data=data or None,
        participant=participant.pk,
        **data,
    )


def _withdraw_mails(address: str, participant: Participant) -> int:
    """The outbox's mails to the erased participant's address (any case, any letters' case):
    those still waiting are never sent, the others emptied (notifications.outbox). Only when no
    other participant who is not erased, and no staff user, has that address: a parent with two
    children in Kring keeps the mails of the other (docs/data-retention.md, "One participant").
    """
    if not address:
        return 0
    shared = (
        Participant.objects.filter(email__iexact=address, erased_at__isnull=True)
        .exclude(pk=participant.pk)
        .exists()
        or get_user_model().objects.filter(email__iexact=address).exists()
    )
    if shared:
        return 0
    return outbox.withdraw(OutgoingMail.objects.filter(to__iexact=address))


def erase_participant(participant: Participant, *, by: By) -> Participant:
    """Erase one participant who asked for it (GDPR article 17): every app's personal data of
    them (registry.erase_participant_data: name, contact details, what they wrote or said, the
    notes of conversations with them; their personal link stops working), keeping the anonymous
    rows the figures count; their mails in the outbox are withdrawn or emptied
    (_withdraw_mails). Refused once the case has ended (retention erases it then), while a legal
    hold keeps the case, and while a signed plan names them (registry.erasure_blockers)."""
    with transaction.atomic():
        participant = _locked(participant)
        case = participant.case
        enforce(policy.may_erase_participant(by, participant))
        address = participant.email  # as stored: the circle's eraser empties it
        rows = registry.erase_participant_data(participant)
        rows += _withdraw_mails(address, participant)
        _event(case, ERASED, by=by, participant=participant, rows=rows)
    participant.refresh_from_db()
    return participant


def note_erasure_request(participant: Participant, *, by: By) -> None:
    """The participant asked to be erased, and something still needs their name (a signed
    plan): the request is on the timeline and in the audit log, so that it is not lost. Their
    name is erased with the case when its retention ends. No free text."""
    with transaction.atomic():
        participant = _locked(participant)
        enforce(policy.may_note_erasure_request(by, participant))
        _event(participant.case, REQUEST_NOTED, by=by, participant=participant)


def correct_participant(participant: Participant, *, by: By, **changes: Any) -> list[str]:
    """Correct a participant's details (GDPR article 16): only the fields in CORRECTABLE, only
    what differs, checked against the model's bounds. The timeline and the audit row name the
    fields changed, never their values. Nothing changed: nothing saved, nothing logged. Returns
    the names of the fields changed."""
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise TypeError(f"not correctable: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        participant = _locked(participant)
        enforce(policy.may_correct_participant(by, participant))
        changed = [k for k in CORRECTABLE if k in changes and getattr(participant, k) != changes[k]]
        if not changed:
            return []
        for key in changed:
            setattr(participant, key, changes[key])
        # The bounds of the model (lengths, an e-mail address): a ValidationError, nothing saved.
        participant.clean_fields(
            exclude=[f.name for f in Participant._meta.fields if f.name not in changed]
        )
        participant.save(update_fields=changed)
        _event(participant.case, CORRECTED, by=by, participant=participant, fields=changed)
    return changed
