"""The changes research makes (issue 13, point 1), one function each: transaction, actor,
policy, audit event, side effects after commit (docs/architecture.md, "Actions").

- `record_conference(case, version)`: registered with signing.actions.on_fully_signed (through
  `record_after_signing`, so a failure here never undoes a signature) and with
  followup.closing.add_on_closed, for safety; the hourly task records whatever they missed
  (`record_missing`). The first time a plan of the case is fully
  signed, the conference is recorded for the figures (`ConferenceRecord`, source live: the
  case's team, the day it was held in Amsterdam, how many were present, coordinator not
  counted: conference.queries.present_participants) and everyone present who still takes part
  is invited to the first questionnaire (`Invitation`, role = their side). Each invited
  participant with an e-mail address gets a mail without content after commit ("a short
  questionnaire waits on your personal page"). Running it again changes nothing.
- `invite_second_round(today=None)`: the hourly task's work: for every live record not handled
  yet (`second_round_at` NULL) held between two months before and the day
  settings.KRING_EVALUATION_SECOND_MONTHS months ago (0: never), invites to the second,
  optional questionnaire everyone invited to the first who still takes part, and marks the
  record handled (even when nobody was left); a mail as above. Runs under the case's lock;
  running it twice changes nothing, and older records (switching the setting on later) are
  never mailed.
- `answer(invitation, data, *, by)`: stores one questionnaire: an `Answer` (the record, the
  invitation's role and round, today's date, the numbers and yes/no answers; the harmed-only
  questions only for the harmed role; no day, which would match `answered_at`), the free text
  if any as a `Remark` (case, team, role, round, the first day of the month), and `invitation.answered_at` (and `on_paper` when `by` is staff). Policy:
  research.policy.may_answer for a participant, may_answer_on_paper for staff; under the case's
  lock, so a double submit stores one answer. Audit event "research.answered" (participant id,
  round, on paper; never an answer). Timeline: "filled in the questionnaire" (no content).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.accounts import contact
from kring.audit.actors import SYSTEM, staff_user
from kring.cases.actions import lock_case, log_event
from kring.cases.lifecycle import State
from kring.cases.models import Case
from kring.circle import links
from kring.circle.models import HAS_LEFT
from kring.conference.models import Conference
from kring.conference.queries import present_participants
from kring.core.dates import add_months
from kring.core.policy import Refused, enforce, rule
from kring.notifications.mail import queue_mail
from kring.research import policy, summary
from kring.research.models import (
    Answer,
    AnswerRole,
    ConferenceRecord,
    Invitation,
    Remark,
    Round,
    Source,
    YesNo,
)
from kring.research.questionnaire import CHANGE_FIELDS, HARMED_ONLY, SCALE, SCALE_FIELDS

if TYPE_CHECKING:
    from kring.audit.actors import By
    from kring.circle.models import Participant
    from kring.conference.models import PlanVersion

# Timeline events (each also an audit row, cases.actions.log_event). Neither carries an answer.
INVITED = "research.invited"
ANSWERED = "research.answered"
MAIL = "research.invitation"
# The second round looks at records held in this many months before its cutoff (the hourly task
# runs every hour, so a record is handled long before it leaves the window).
SECOND_ROUND_WINDOW_MONTHS = 2
# A conference recorded late (record_missing) gets invitations only when this recent: nobody is
# asked about a conference of long ago.
INVITE_WITHIN_DAYS = 60

logger = logging.getLogger(__name__)
REMARK_MAX = 2000

EMPTY = _("Fill in at least one question before you send the questionnaire.")
BAD_SCALE = _("Choose a number from 1 to 5.")
BAD_CHOICE = _("Choose yes, no or not applicable.")
TOO_LONG = _("Write at most 2000 characters.")


def _amsterdam_day(moment: datetime) -> date:
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


def _held_conference(case: Case, version: PlanVersion | None) -> Conference | None:
    """The conference whose plan was signed: the version's, or (closing's hook) the case's last
    conference that began and has a plan."""
    if version is not None:
        return version.plan.conference
    return (
        Conference.objects.filter(case=case, started_at__isnull=False, plan__isnull=False)
        .order_by("-started_at", "-pk")
        .first()
    )


def _mail(participant: Participant, round_: int) -> None:
    """The mail without content: a questionnaire waits on the personal page (never a question,
    never an answer, never the case's story). The personal link is the participant's own and is
    stored only as a hash: the mail points at the code page, as follow-up's reminders do."""
    if not participant.email:
        return
    queue_mail(
        MAIL,
        to=participant.email,
        language=participant.language,
        context={
            "participant_first_name": participant.name.split()[0] if participant.name else "",
            "second": round_ == Round.SECOND,
            "code_url": links.code_url(),
            "contact": contact.for_case(participant.case),
        },
    )


def _invite(
    case: Case, record: ConferenceRecord, people: Iterable[Participant], round_: int
) -> list[Invitation]:
    invitations = Invitation.objects.bulk_create(
        [
            Invitation(record=record, participant=p, round=round_, role=p.side)
            for p in people
            if p.status not in HAS_LEFT and p.erased_at is None  # an erased person stays erased
        ]
    )
    if invitations:
        summary.record_changed(record)
        log_event(case, INVITED, by=SYSTEM, round=round_, invited=len(invitations))
        for invitation in invitations:
            _mail(invitation.participant, round_)
    return invitations


def record_conference(
    case: Case, version: PlanVersion | None = None, *, invite: bool = True
) -> ConferenceRecord | None:
    """Record the conference of `case` for the figures and invite everyone present who still
    takes part to the first questionnaire (module docstring; `invite` False: record only).
    Registered with signing's on_fully_signed through `record_after_signing` (`version`: the
    version just signed) and, through `on_closed`, with follow-up's closing. Nothing changes
    when the case has a record already, or no conference that began."""
    with transaction.atomic():
        case = lock_case(case)
        existing = ConferenceRecord.objects.filter(case=case).first()
        if existing is not None:
            return existing
        conference = _held_conference(case, version)
        if conference is None or conference.started_at is None:
            return None
        present = list(present_participants(conference).select_related("case__coordinator"))
        if len(present) < 2:
            return None  # a conference needs both sides (R10); nothing to count
        assert case.team_id is not None  # a case that held a conference belongs to a team
        record = ConferenceRecord.objects.create(
            source=Source.LIVE,
            case=case,
            team_id=case.team_id,
            held_on=_amsterdam_day(conference.started_at),
            participants_present=len(present),
        )
        summary.record_changed(record)
        if invite:
            _invite(case, record, present, Round.FIRST)
    return record


def record_after_signing(case: Case, version: PlanVersion) -> ConferenceRecord | None:
    """Signing's hook (signing.actions.on_fully_signed), which runs inside the signing
    transaction: record the conference in a savepoint, so that a failure here undoes only the
    recording, never the last signature or the move into follow-up. The failure is logged with
    ids only; the hourly task records the case later (`record_missing`)."""
    try:
        with transaction.atomic():
            return record_conference(case, version)
    except Exception as error:  # noqa: BLE001 (signing must complete whatever research does)
        logger.error(
            "research: recording the conference of case %s (plan version %s) failed: %s",
            case.pk,
            version.pk,
            type(error).__name__,
        )
        return None


def record_missing(today: date | None = None) -> int:
    """The hourly task's safety net: record every case in follow-up or closed that has a
    conference that began and a plan but no record (signing's hook failed, or the case was
    signed before this stage). Invitations go out only for a conference held in the last
    INVITE_WITHIN_DAYS days. Returns how many were recorded; a second run records nothing."""
    today = today or timezone.localdate()
    missing = (
        Case.objects.filter(
            state__in=(State.FOLLOWING_UP, State.CLOSED),
            research_record__isnull=True,
            conferences__started_at__isnull=False,
            conferences__plan__isnull=False,
        )
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")
    )
    recorded = 0
    for case_id in missing:
        case = Case.objects.get(pk=case_id)
        conference = _held_conference(case, None)
        recent = (
            conference is not None
            and conference.started_at is not None
            and (today - _amsterdam_day(conference.started_at)).days <= INVITE_WITHIN_DAYS
        )
        try:
            with transaction.atomic():
                made = record_conference(case, invite=recent)
        except Exception as error:  # noqa: BLE001 (one case's failure does not stop the others)
            logger.error(
                "research: recording the conference of case %s failed: %s",
                case_id,
                type(error).__name__,
            )
            continue
        if made is not None:
            recorded += 1
    return recorded


def on_closed(case: Case, closure: Any) -> None:
    """Follow-up's closing hook (after commit): record the conference if signing did not."""
    if ConferenceRecord.objects.filter(case=case).exists():
        return
    try:
        record_conference(case)
    except Exception as error:  # noqa: BLE001 (the close is done; the hourly task tries again)
        logger.error(
            "research: recording the conference of case %s at its close failed: %s",
            case.pk,
            type(error).__name__,
        )


def months_before(day: date, months: int) -> date:
    """`day` minus `months` calendar months; a day past the month's end becomes its last day."""
    return add_months(day, -months)


def invite_second_round(today: date | None = None) -> int:
    """Invite to the second, optional questionnaire everyone invited to the first who still
    takes part, for every live record not handled yet and held in the SECOND_ROUND_WINDOW_MONTHS
    months up to KRING_EVALUATION_SECOND_MONTHS months before `today` (0: never); each record
    is marked handled (`second_round_at`), even when nobody was left to invite. Returns how many
    were invited; a second run invites nobody, and reads no handled record."""
    months = settings.KRING_EVALUATION_SECOND_MONTHS
    if months <= 0:
        return 0
    today = today or timezone.localdate()
    cutoff = months_before(today, months)
    records = ConferenceRecord.objects.filter(
        source=Source.LIVE,
        case__isnull=False,
        second_round_at__isnull=True,
        held_on__gt=months_before(cutoff, SECOND_ROUND_WINDOW_MONTHS),
        held_on__lte=cutoff,
    )
    invited = 0
    for record_id, case_id in records.values_list("pk", "case_id").order_by("pk"):
        with transaction.atomic():
            case = lock_case(Case(pk=case_id))
            record = ConferenceRecord.objects.select_for_update(no_key=True).get(pk=record_id)
            if record.second_round_at is not None:
                continue  # another run was first
            first = (
                Invitation.objects.filter(record=record, round=Round.FIRST)
                .exclude(participant__questionnaires__round=Round.SECOND)
                .select_related("participant__case__coordinator")
                .order_by("pk")
            )
            invited += len(_invite(case, record, (i.participant for i in first), Round.SECOND))
            record.second_round_at = timezone.now()
            record.save(update_fields=["second_round_at"])
    return invited


# --- answering ------------------------------------------------------------------------------------


def _clean(invitation: Invitation, data: Mapping[str, Any]) -> dict[str, Any]:
    """The answers as the research tables keep them, checked again here (the form checks them
    first): numbers 1 to 5, yes/no/not applicable, the harmed-only questions only for the harmed
    role (others' are dropped, never stored). Refused: a bad value, a text too long, nothing
    answered at all."""
    values: dict[str, Any] = {}
    for field in SCALE_FIELDS:
        if field in HARMED_ONLY and invitation.role != AnswerRole.HARMED:
            continue
        value = data.get(field)
        if value in (None, ""):
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise Refused(rule("bad_scale", BAD_SCALE)) from None
        if number not in SCALE:
            raise Refused(rule("bad_scale", BAD_SCALE))
        values[field] = number
    for field in CHANGE_FIELDS:
        value = data.get(field) or ""
        if value and value not in YesNo.values:
            raise Refused(rule("bad_choice", BAD_CHOICE))
        if value:
            values[field] = value
    remark = str(data.get("remark") or "").strip()
    if len(remark) > REMARK_MAX:
        raise Refused(rule("too_long", TOO_LONG))
    if "\x00" in remark:
        remark = remark.replace("\x00", "")
    if not values and not remark:
        raise Refused(rule("empty", EMPTY))
    values["remark"] = remark
    return values


def answer(invitation: Invitation, data: Mapping[str, Any], *, by: By) -> Answer:
    """Store one filled-in questionnaire (module docstring): the answer without the person, the
    free text as a Remark when there is one, the invitation marked answered. A participant acts
    on their own page (may_answer); staff type one in from paper (may_answer_on_paper). Under
    the case's lock, so a second submit is refused and stores nothing."""
    with transaction.atomic():
        case = lock_case(invitation.participant.case)
        invitation = (
            Invitation.objects.select_for_update(no_key=True)
            .select_related("record", "participant__case")
            .get(pk=invitation.pk)
        )
        on_paper = staff_user(by) is not None
        if on_paper:
            enforce(policy.may_answer_on_paper(by, invitation))
        else:
            enforce(policy.may_answer(by, invitation))
        values = _clean(invitation, data)
        remark = values.pop("remark")
        stored = Answer.objects.create(
            record=invitation.record, role=invitation.role, round=invitation.round, **values
        )
        if remark:
            assert case.team_id is not None
            Remark.objects.create(
                case=case,
                team_id=case.team_id,
                role=invitation.role,
                round=invitation.round,
                text=remark,
                # The month only: the day would match the invitation's answered_at.
                created_on=timezone.localdate().replace(day=1),
            )
        invitation.answered_at = timezone.now()
        invitation.on_paper = on_paper
        invitation.save(update_fields=["answered_at", "on_paper"])
        summary.record_changed(invitation.record)
        log_event(
            case,
            ANSWERED,
            by=by,
            participant=invitation.participant_id,
            round=invitation.round,
            on_paper=on_paper,
        )
    return stored
