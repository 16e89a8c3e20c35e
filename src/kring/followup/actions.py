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
  line; timeline event "followup.state_set" with the agreement's number, its version's number
  (a later version may renumber it) and the state code; every event about one agreement names
  it so (`_which`).
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

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.accounts import contact as contact_details
from kring.audit.actors import SYSTEM, actor_of
from kring.cases.actions import lock_case, log_event
from kring.cases.models import CaseEvent
from kring.circle import links, notices
from kring.circle.models import HAS_LEFT, Participant
from kring.core.policy import Refusal, Refused, enforce, rule
from kring.followup import policy, texts
from kring.followup.models import (
    AgreementChange,
    AgreementState,
    ChangeKind,
    Contact,
    Report,
    TrackedAgreement,
)
from kring.notifications.mail import queue_mail

if TYPE_CHECKING:
    from kring.accounts.models import User
    from kring.audit.actors import By
    from kring.cases.models import Case
    from kring.conference.models import Agreement, PlanVersion

NOTE_MAX = 500
TEXT_MAX = 2000

# The notices for the coordinator (circle.notices.add_kinds in registration).
REPORTED_DONE = "followup.reported_done"
INVOKED = "followup.invoked"
# Which notice a report leaves, by its kind.
NOTICE_OF = {"done": REPORTED_DONE, "not_kept": INVOKED}
# A report sent again with the same words within this time is a retry (a double tap, a lost answer).
RETRY_WINDOW = timedelta(minutes=1)
# The participant's mail without content: an answer waits on their personal page.
ANSWER_MAIL = "followup.answered"

# --- the tracker follows the signed plan ---------------------------------------------------------

STARTED = "followup.started"
AGREEMENTS_CHANGED = "followup.agreements_changed"
SYNC_EVENTS = (STARTED, AGREEMENTS_CHANGED)

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
        rows = list(TrackedAgreement.objects.filter(case=case).order_by("pk"))
        current = [r for r in rows if r.state != AgreementState.CHANGED]
        if _synced_up_to(case) >= version.number:
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
            log_event(case, STARTED, by=SYSTEM, version=version.number, count=len(kept))
        else:
            log_event(
                case,
                AGREEMENTS_CHANGED,
                by=SYSTEM,
                version=version.number,
                changed=changed,
                added=added,
                dropped=dropped,
            )
    return kept


def _synced_up_to(case: Case) -> int:
    """The number of the latest version the tracker took (0: none yet), from the timeline (a
    version that dropped every agreement leaves no current row to tell)."""
    synced = CaseEvent.objects.filter(case=case, kind__in=SYNC_EVENTS).values_list(
        "data", flat=True
    )
    return max((d.get("version", 0) for d in synced if isinstance(d, dict)), default=0)


def _mark_changed(old: TrackedAgreement, now: datetime) -> None:
    """A row of an older version whose agreement was changed or dropped in the new one (R14)."""
    from_state = old.state
    old.state = AgreementState.CHANGED
    old.state_changed_at = now
    old.save(update_fields=["state", "state_changed_at"])
    _version_line(old, now, from_state=from_state, to_state=AgreementState.CHANGED)


def _version_line(
    tracked: TrackedAgreement, now: datetime, *, from_state: str, to_state: str
) -> None:
    AgreementChange.objects.create(
        tracked=tracked,
        kind=ChangeKind.VERSION,
        at=now,
        from_state=from_state,
        to_state=to_state,
    )


# --- what is typed ------------------------------------------------------------------------------


def _typed(text: str | None, *, limit: int, required: Refusal | None = None) -> str:
    """The text as stored: stripped, at most `limit` characters, no NUL; `required` is the
    refusal for an empty text (None: may be empty)."""
    value = (text or "").strip()
    if "\x00" in value:
        raise Refused(rule("bad_character", texts.INVISIBLE))
    if not value and required is not None:
        raise Refused(required)
    if len(value) > limit:
        raise Refused(
            rule(
                "too_long",
                texts.TOO_LONG % {"limit_value": limit},
            )
        )
    return value


def _note(note: str | None) -> str:
    return _typed(note, limit=NOTE_MAX)


REPORT_REQUIRED = rule("text_required", _("Write in a few words what happened."))
# The same words as the forms say at the field (followup.texts).
ANSWER_REQUIRED = rule("answer_required", texts.ANSWER_REQUIRED)
ASK_BACK_REQUIRED = rule("question_required", texts.ASK_BACK_REQUIRED)


# --- under the case's lock ----------------------------------------------------------------------


def _which(tracked: TrackedAgreement) -> dict:
    """Which agreement a timeline event is about: its number in its version of the plan, that
    version's number (a newer version may number it otherwise) and the row."""
    return {"agreement": tracked.number, "version": tracked.version.number, "tracked": tracked.pk}


def _locked_tracked(tracked: TrackedAgreement) -> TrackedAgreement:
    """The case locked and the agreement read again under the lock (its state may have changed
    since the page was shown)."""
    case = lock_case(tracked.case)
    fresh = TrackedAgreement.objects.select_related("owner", "version").get(pk=tracked.pk)
    fresh.case = case
    return fresh


def _locked_report(report: Report) -> Report:
    case = lock_case(report.case)
    fresh = Report.objects.select_related("participant", "tracked__owner", "tracked__version").get(
        pk=report.pk
    )
    fresh.case = case
    fresh.tracked.case = case
    return fresh


def _line(
    tracked: TrackedAgreement,
    kind: str,
    *,
    by: By,
    at: datetime,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
) -> AgreementChange:
    actor = actor_of(by)
    return AgreementChange.objects.create(
        tracked=tracked,
        kind=kind,
        at=at,
        by=actor.user if actor.is_staff else None,
        by_participant=actor.participant if actor.is_participant else None,
        from_state=from_state,
        to_state=to_state,
        note=note,
    )


def _set(tracked: TrackedAgreement, state: str, *, by: User, at: datetime, note: str) -> None:
    """Give the agreement `state`: its row, the STATE line and the timeline event."""
    from_state = tracked.state
    tracked.state = state
    tracked.state_changed_at = at
    tracked.save(update_fields=["state", "state_changed_at"])
    _line(
        tracked,
        ChangeKind.STATE,
        by=by,
        at=at,
        from_state=from_state,
        to_state=state,
        note=note,
    )
    log_event(
        tracked.case,
        "followup.state_set",
        by=by,
        **_which(tracked),
        state=state,
    )


# --- the coordinator sets a state (issue 12, point 1) --------------------------------------------


def set_state(
    tracked: TrackedAgreement, state: str, *, by: User, note: str = ""
) -> TrackedAgreement:
    """The coordinator records that an agreement is open, done, partly done or not kept, with a
    short note (R15: the state describes the agreement, never the person)."""
    with transaction.atomic():
        tracked = _locked_tracked(tracked)
        enforce(policy.may_set_state(by, tracked, state))
        _set(tracked, state, by=by, at=timezone.now(), note=_note(note))
    return tracked


# --- the participant reports (issue 12, point 2) -------------------------------------------------


def report_done(
    tracked: TrackedAgreement, *, by: By, participant: Participant, text: str
) -> Report:
    """The owner reports from their personal page that they did what the agreement says; the
    coordinator confirms or asks back."""
    return _report(
        tracked,
        Report.Kind.DONE,
        policy.may_report_done,
        ChangeKind.REPORTED_DONE,
        "followup.reported_done",
        by=by,
        participant=participant,
        text=text,
    )


def invoke(tracked: TrackedAgreement, *, by: By, participant: Participant, text: str) -> Report:
    """R15: someone in the plan reports, in their own words, that an agreement is not kept."""
    return _report(
        tracked,
        Report.Kind.NOT_KEPT,
        policy.may_invoke,
        ChangeKind.INVOKED,
        "followup.invoked",
        by=by,
        participant=participant,
        text=text,
    )


def _report(
    tracked: TrackedAgreement,
    kind: str,
    may: Callable[[By, Participant, TrackedAgreement], Refusal | None],
    change: str,
    event: str,
    *,
    by: By,
    participant: Participant,
    text: str,
) -> Report:
    with transaction.atomic():
        tracked = _locked_tracked(tracked)
        participant = Participant.objects.get(pk=participant.pk)
        refusal = may(by, participant, tracked)
        if refusal is not None and refusal.code == "report_waiting":
            retried = _retry(tracked, participant, kind, text)
            if retried is not None:
                return retried
        enforce(refusal)
        words = _typed(text, limit=TEXT_MAX, required=REPORT_REQUIRED)
        now = timezone.now()
        report = Report.objects.create(
            case=tracked.case,
            tracked=tracked,
            participant=participant,
            kind=kind,
            text=words,
            made_at=now,
        )
        _line(tracked, change, by=by, at=now)
        notices.notify(tracked.case, NOTICE_OF[kind], participant=participant)
        log_event(
            tracked.case,
            event,
            by=by,
            **_which(tracked),
            report=report.pk,
        )
    return report


def _retry(
    tracked: TrackedAgreement, participant: Participant, kind: str, text: str
) -> Report | None:
    """The unanswered report this participant sent with the same words a moment ago, if any."""
    return Report.objects.filter(
        tracked=tracked,
        participant=participant,
        kind=kind,
        answered_at__isnull=True,
        text=(text or "").strip(),
        made_at__gte=timezone.now() - RETRY_WINDOW,
    ).first()


# --- the coordinator answers (issue 12, point 2) -------------------------------------------------


def answer(report: Report, *, by: User, text: str, state: str | None = None) -> Report:
    """The coordinator answers a report (the participant reads it on their personal page); with
    `state`, the agreement's state is set too (a state equal to the present one changes
    nothing)."""
    with transaction.atomic():
        report = _locked_report(report)
        retried = _same_answer(report, by, Report.Outcome.ANSWERED, text)
        if retried is not None:
            return retried
        enforce(policy.may_answer(by, report))
        tracked = report.tracked
        if state is not None and state == tracked.state:
            state = None
        if state is not None:
            enforce(policy.may_set_state(by, tracked, state))
        words = _typed(text, limit=TEXT_MAX, required=ANSWER_REQUIRED)
        now = timezone.now()
        if state is not None:
            _set(tracked, state, by=by, at=now, note="")
        _answered(report, Report.Outcome.ANSWERED, ChangeKind.ANSWERED, by=by, at=now, text=words)
    return report


def confirm_done(report: Report, *, by: User, note: str = "") -> Report:
    """The coordinator confirms a report of done: the agreement becomes done. `note` is the
    answer the participant reads (may be empty: their page shows a standard sentence)."""
    with transaction.atomic():
        report = _locked_report(report)
        retried = _same_answer(report, by, Report.Outcome.CONFIRMED, note)
        if retried is not None:
            return retried
        enforce(policy.may_confirm_done(by, report))
        words = _typed(note, limit=TEXT_MAX)
        tracked = report.tracked
        now = timezone.now()
        from_state = tracked.state
        tracked.state = AgreementState.DONE
        tracked.state_changed_at = now
        tracked.save(update_fields=["state", "state_changed_at"])
        _answered(
            report,
            Report.Outcome.CONFIRMED,
            ChangeKind.CONFIRMED,
            by=by,
            at=now,
            text=words,
            from_state=from_state,
            to_state=AgreementState.DONE,
        )
    return report


def ask_back(report: Report, *, by: User, text: str) -> Report:
    """The coordinator asks back about a report of done; the agreement keeps its state."""
    with transaction.atomic():
        report = _locked_report(report)
        retried = _same_answer(report, by, Report.Outcome.ASKED_BACK, text)
        if retried is not None:
            return retried
        enforce(policy.may_ask_back(by, report))
        words = _typed(text, limit=TEXT_MAX, required=ASK_BACK_REQUIRED)
        _answered(
            report,
            Report.Outcome.ASKED_BACK,
            ChangeKind.ASKED_BACK,
            by=by,
            at=timezone.now(),
            text=words,
        )
    return report


def _same_answer(report: Report, by: User, outcome: str, text: str | None) -> Report | None:
    """The report when this coordinator gave this very answer already (a retried request)."""
    if (
        report.answered_at is not None
        and report.outcome == outcome
        and report.answered_by_id == getattr(by, "pk", None)
        and report.answer == (text or "").strip()
    ):
        return report
    return None


def _answered(
    report: Report,
    outcome: str,
    change: str,
    *,
    by: User,
    at: datetime,
    text: str,
    from_state: str = "",
    to_state: str = "",
) -> None:
    """The answer stored, its history line, the notice handled, the timeline event and the
    participant's mail without content."""
    report.outcome = outcome
    report.answer = text
    report.answered_at = at
    report.answered_by = by
    report.save(update_fields=["outcome", "answer", "answered_at", "answered_by"])
    tracked = report.tracked
    _line(tracked, change, by=by, at=at, from_state=from_state, to_state=to_state)
    participant = report.participant
    # One notice per report; another unanswered report of this kind by them keeps theirs open.
    if not Report.objects.filter(
        case=report.case, participant=participant, kind=report.kind, answered_at__isnull=True
    ).exists():
        notices.handle_open(
            report.case, kinds=[NOTICE_OF[report.kind]], participant=participant, by=by
        )
    log_event(
        report.case,
        "followup.answered",
        by=by,
        **_which(tracked),
        report=report.pk,
        outcome=outcome,
        **({"state": to_state} if to_state else {}),
    )
    if participant.email and participant.status not in HAS_LEFT:
        queue_mail(
            ANSWER_MAIL,
            to=participant.email,
            language=participant.language,
            context={
                "participant_first_name": participant.name.split()[0] if participant.name else "",
                "code_url": links.code_url(),
                "contact": contact_details.for_case(report.case),
            },
        )


# --- the follow-up contact (issue 12, point 3) ---------------------------------------------------


def record_contact(contact: Contact, *, by: User, note: str = "") -> Contact:
    """R15: the coordinator had the follow-up contact with the participants."""
    with transaction.atomic():
        case = lock_case(contact.case)
        contact = Contact.objects.get(pk=contact.pk)
        contact.case = case
        enforce(policy.may_record_contact(by, contact))
        words = _note(note)
        contact.done_at = timezone.now()
        contact.done_by = by
        contact.note = words
        contact.save(update_fields=["done_at", "done_by", "note"])
        log_event(case, "followup.contact_recorded", by=by, contact=contact.pk)
    return contact
