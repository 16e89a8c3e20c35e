"""Follow-up, one function per state change (docs/architecture.md "Actions"): a transaction
that locks the case (cases.actions.lock_case), the actor (a staff user, a participant from their
personal page, or Kring itself), the policy (followup.policy, enforced), the audit event and the
timeline line, and the side effects after commit. Typed text (a note, a report, an answer) is
stored on its row only: never in a timeline event, the audit log, a URL or an e-mail.

- `sync(case, version) -> list[TrackedAgreement]`: called by signing when `version` is fully
  signed (signing.actions.on_fully_signed, inside its transaction; actor SYSTEM). The first time:
  a TrackedAgreement per agreement of the version (content copied from the plan's rows, which
  equal the version while the plan is final), the first Contact (due on the meeting's date +
  settings.KRING_FOLLOWUP_CONTACT_DAYS), timeline event "followup.started". A later version
  (a change by mutual consent, R14): an agreement whose content is unchanged keeps its row and
  state (its `version` and `number` follow); a changed one becomes "changed" with `replaced_by`
  its new open row and a VERSION change line on both; a dropped one becomes "changed" with no
  successor; a new one gets an open row. Timeline event "followup.agreements_changed" with the
  version number. Running it twice for one version changes nothing.
- `set_state(tracked, state, *, by, note="") -> TrackedAgreement`: the coordinator records a
  state (followup.policy.SETTABLE) with a short note (at most NOTE_MAX characters). A STATE change
  line; timeline event "followup.state_set" with the agreement's number and the state code.
- `report_done(tracked, *, by, participant, text) -> Report`: the owner, Actor.in_portal;
  `text` required. A Report (kind done), a REPORTED_DONE change line, a notice for the
  coordinator (circle.notices, kind REPORTED_DONE: "Wacht op jou" and the content-free mail),
  timeline event "followup.reported_done". A retried request (the same text within a minute,
  still unanswered) returns the existing report.
- `invoke(tracked, *, by, participant, text) -> Report`: as report_done, kind not_kept, notice
  kind INVOKED, event "followup.invoked".
- `answer(report, *, by, text, state=None) -> Report`: the coordinator answers (text required);
  with `state`, the agreement's state is set too (as set_state). ANSWERED change line; the
  report's notice is handled; the participant is told by a mail without content that an answer
  waits on their personal page (when they have an e-mail address). Event "followup.answered".
- `confirm_done(report, *, by, note="") -> Report`: the agreement becomes done; CONFIRMED line;
  outcome confirmed; as answer otherwise (`note` is the answer the participant reads, may be
  empty: then a standard sentence is shown).
- `ask_back(report, *, by, text) -> Report`: outcome asked_back, text required; ASKED_BACK line.
- `record_contact(contact, *, by, note="") -> Contact`: the follow-up contact took place.
  Event "followup.contact_recorded".

What is typed is checked here, once, for every page (the staff pages, the portal): required where
said, at most NOTE_MAX (a note) or TEXT_MAX (a report, an answer) characters, no NUL character;
a refusal is a Refused with the user's words and changes nothing.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kring.audit.actors import SYSTEM
from kring.cases.actions import lock_case, log_event
from kring.followup.models import (
    AgreementChange,
    AgreementState,
    ChangeKind,
    Contact,
    TrackedAgreement,
)

if TYPE_CHECKING:
    from kring.cases.models import Case
    from kring.conference.models import Agreement, PlanVersion

NOTE_MAX = 500
TEXT_MAX = 2000

# The notices for the coordinator (circle.notices.add_kinds in registration).
REPORTED_DONE = "followup.reported_done"
INVOKED = "followup.invoked"

# --- the tracker follows the signed plan ---------------------------------------------------------

# The fields a tracked agreement copies from the plan's row (tracked field, plan field).
_COPIED = (
    ("what", "what"),
    ("owner_id", "who_id"),
    ("owner_other", "who_other"),
    ("for_whom", "for_whom"),
    ("due", "by_when"),
    ("how_checked", "how_checked"),
    ("prevents_repeat", "prevents_repeat"),
)


def _copy(agreement: Agreement) -> dict:
    return {mine: getattr(agreement, theirs) for mine, theirs in _COPIED}


def _same_content(tracked: TrackedAgreement, agreement: Agreement) -> bool:
    return all(getattr(tracked, mine) == getattr(agreement, theirs) for mine, theirs in _COPIED)


def _meeting_day(version: PlanVersion) -> date:
    meeting = version.plan.conference.meeting
    if meeting.starts_at is not None:
        return timezone.localdate(meeting.starts_at)
    return timezone.localdate()


def sync(case: Case, version: PlanVersion) -> list[TrackedAgreement]:
    """The tracker takes the agreements of the fully signed `version` (module docstring).
    Returns the current rows, in order."""
    with transaction.atomic():
        case = lock_case(case)
        rows = list(
            TrackedAgreement.objects.filter(case=case).select_related("version").order_by("pk")
        )
        current = [r for r in rows if r.state != AgreementState.CHANGED]
        if rows and any(r.version.number >= version.number for r in current):
            # This version (or a newer one) is tracked already: a second call changes nothing.
            return sorted(current, key=lambda r: (r.number, r.pk))
        agreements = list(version.plan.agreements.order_by("position", "pk"))
        now = timezone.now()
        first_time = not rows
        by_agreement = {r.agreement_id: r for r in current if r.agreement_id is not None}
        kept: list[TrackedAgreement] = []
        changed = added = dropped = 0
        for number, agreement in enumerate(agreements, start=1):
            old = by_agreement.pop(agreement.pk, None)
            if old is not None and _same_content(old, agreement):
                old.version = version
                old.number = number
                old.save(update_fields=["version", "number"])
                kept.append(old)
                continue
            if old is not None:
                _mark_changed(old, now)
                changed += 1
            else:
                added += 0 if first_time else 1
            new = TrackedAgreement.objects.create(
                case=case, version=version, agreement=agreement, number=number, **_copy(agreement)
            )
            if old is not None:
                old.replaced_by = new
                old.save(update_fields=["replaced_by"])
                _version_line(new, now, from_state="", to_state=AgreementState.OPEN)
            kept.append(new)
        # What is left of the current rows is no longer in the plan: dropped by mutual consent.
        for old in [*by_agreement.values(), *(r for r in current if r.agreement_id is None)]:
            _mark_changed(old, now)
            dropped += 1
        if first_time:
            Contact.objects.get_or_create(
                case=case,
                due_on=_meeting_day(version) + timedelta(days=settings.KRING_FOLLOWUP_CONTACT_DAYS),
            )
            log_event(case, "followup.started", by=SYSTEM, version=version.number, count=len(kept))
        else:
            log_event(
                case,
                "followup.agreements_changed",
                by=SYSTEM,
                version=version.number,
                changed=changed,
                added=added,
                dropped=dropped,
            )
    return kept


def _mark_changed(old: TrackedAgreement, now) -> None:
    """A row of an older version whose agreement was changed or dropped in the new one (R14)."""
    from_state = old.state
    old.state = AgreementState.CHANGED
    old.state_changed_at = now
    old.save(update_fields=["state", "state_changed_at"])
    _version_line(old, now, from_state=from_state, to_state=AgreementState.CHANGED)


def _version_line(tracked: TrackedAgreement, now, *, from_state: str, to_state: str) -> None:
    AgreementChange.objects.create(
        tracked=tracked,
        kind=ChangeKind.VERSION,
        at=now,
        from_state=from_state,
        to_state=to_state,
    )
