"""Signing, one function per state change (docs/architecture.md "Actions"): a transaction, the
actor (a participant, never the hosting coordinator), the policy, the audit event and the side
effects after commit.

- `sign(version, participant_id, role, *, by, typed_name, agreed, consent_text,
  shown_hash=None, drawing="", host=None, code_verified=False, address=None, user_agent="")
  -> tuple[Signature, bool]`:
  `by` is Actor.in_person(signer, for_participant=minor) with `host` the coordinator's User,
  or Actor.in_portal(...) with the browser's `address` and `user_agent`, and `code_verified`
  (the browser typed the one-time code: signing.codes.verified). Locks the case; checks
  may_host_signing(host, case) when hosted and may_sign(by, slot, version, code_verified=...);
  refuses ("changed") when `shown_hash`, the content hash of the version the page showed, is not
  that of the version to sign now (the plan changed and was made final again after the page
  was shown: the consent sentence and the plan read were another version's; every page passes
  its form's field, "" when missing, which is refused; None, no check, is only for callers that
  showed no page: the demo and tests); refuses when
  `agreed` is False or `typed_name` is empty (a Refused with the user's words). Stores the
  version's hash and the consent text shown. Idempotent: a retried request for a slot the same
  signer already signed returns (that signature, False) and writes nothing. When it was the
  last slot: the case moves "follow_up" (if it is "conference_held") and
  documents.start(version) makes the SignedDocument, whose PDF the task queue makes after
  commit. Timeline event "signing.signed" with the version number, actor = the participant.
- `decline(version, participant_id, role, *, by, reason, shown_hash=None, host=None,
  code_verified=False) -> Declination`: as `sign`; the reason is stored on the row only (never
  in the event's data). Timeline event "signing.declined". Declined remotely, the coordinator
  gets a notice (circle.notices, kind DECLINED_TO_SIGN: "Wacht op jou" on the case page and a
  mail without content); in person the coordinator was there.

What is typed is checked here, once, for every page that signs (the tablet, the portal):
- the typed name: required (not empty once stripped), at most `NAME_MAX` characters; it need
  not match the recorded name (people sign as they call themselves), the page shows whose turn
  it is;
- the drawing: optional SVG path data (`DRAWING_CHARACTERS` only, at most `DRAWING_MAX`
  characters), never required; one that cannot be used is left out (`usable_drawing`, also
  the forms' cleaning), never a reason to refuse the signature given by the tick and the name;
- the reason for declining: required, at most `REASON_MAX` characters;
- no NUL character anywhere (PostgreSQL cannot store it).
The typed name and the reason never go into the timeline, the audit log or an e-mail.

The actor of every row and timeline line is the participant (via "in person" on the tablet, or
via the personal page); a guardian's act names the minor they sign for (`for_participant`). The
hosting coordinator is on the row (`hosted_by`) and in the event's data (`host`, a user id).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kring.audit.actors import SYSTEM, Actor, Via, actor_of
from kring.cases.actions import lock_case, log_event, make_move
from kring.cases.lifecycle import State
from kring.circle import notices
from kring.conference.models import PlanVersion
from kring.core.policy import NotAllowed, Refused, deny, enforce, rule
from kring.signing import documents, policy, queries
from kring.signing.models import Declination, Method, Role, Signature, SignedDocument

if TYPE_CHECKING:
    from kring.accounts.models import User
    from kring.audit.actors import By
    from kring.cases.models import Case
    from kring.signing.queries import Slot

__all__ = [
    "DECLINED_TO_SIGN",
    "DRAWING_MAX",
    "NAME_MAX",
    "REASON_MAX",
    "decline",
    "fully_signed",
    "on_fully_signed",
    "sign",
    "usable_drawing",
]

NAME_MAX = 200  # Signature.typed_name
REASON_MAX = 1000  # Declination.reason
DRAWING_MAX = 20_000  # characters of path data; sign.js stops adding points before it
USER_AGENT_MAX = 400  # Signature.user_agent
# SVG path data: commands, numbers, separators. Nothing else (no tags, no quotes, no script).
DRAWING_CHARACTERS = re.compile(r"[MmLlHhVvCcSsQqTtAaZz0-9 .,\-]*")
# The notice a remote declination leaves for the coordinator (words: signing.registration).
DECLINED_TO_SIGN = "signing.declined"
# What a slot's signer made: their signature or their declination.
_Row = TypeVar("_Row", Signature, Declination)


# --- the guard of the `follow_up` move ----------------------------------------------------------


def fully_signed(case: Case, **_kw: Any) -> str | Promise | None:
    """R14: the case goes into follow-up once every slot of the version to sign is signed (the
    `follow_up` move's guard, registered by signing.registration), so no other path moves it
    early."""
    version = queries.version_to_sign(case)
    if version is None:
        return _("There is no final plan to sign yet.")
    if not queries.is_fully_signed(version):
        return _("Not everyone present has signed the plan yet.")
    return None


# --- what is typed ------------------------------------------------------------------------------


def _no_nul(*texts: str) -> None:
    if any("\x00" in text for text in texts):
        raise Refused(rule("bad_character", _("Remove the invisible character from the text.")))


def _typed_name(typed_name: str) -> str:
    name = (typed_name or "").strip()
    if not name:
        raise Refused(rule("no_name", _("Type your name to sign.")))
    if len(name) > NAME_MAX:
        raise Refused(
            rule(
                "name_too_long",
                _("Your name is too long: at most %(max)s characters.") % {"max": NAME_MAX},
            )
        )
    return name


def usable_drawing(drawing: str) -> str:
    """The drawing as stored (runs of white space made one space), or "" when it cannot be
    used: too long, or anything but path data. Never a refusal: the drawing is optional."""
    drawing = " ".join(str(drawing or "").split())
    if len(drawing) > DRAWING_MAX or not DRAWING_CHARACTERS.fullmatch(drawing):
        return ""
    return drawing


def _shown(version: PlanVersion, shown_hash: str | None) -> None:
    """The page showed the version to sign now: a plan changed and made final again after the
    page was shown is refused, never signed with words its signer did not read."""
    if shown_hash is not None and shown_hash != version.content_hash:
        raise Refused(policy.plan_changed())


def _address(address: str | None) -> str | None:
    """The browser's address as Kring got it, or None when it is not an IP address (the
    database's `inet` on PostgreSQL refuses anything else)."""
    if not address:
        return None
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


# --- who acts -----------------------------------------------------------------------------------


def _acting(by: By, slot: Slot, host: User | None) -> By:
    """The participant's actor for this slot: a guardian acts for the minor whose slot it is
    (R9: the timeline says so), their own slot for themselves. The way it reached Kring follows
    the host: hosted on the coordinator's tablet is in person, else through the personal page;
    an actor that says otherwise is a programming error."""
    actor = actor_of(by)
    if not actor.is_participant:
        return by  # the policy refuses it
    if (host is not None) != (actor.via == Via.IN_PERSON):
        raise ValueError("signing in person needs its host, and remote signing none")
    return Actor(
        actor.kind, participant=actor.participant, for_participant=slot.for_minor, via=actor.via
    )


def _locked(version: PlanVersion, participant_id: int, role: str) -> tuple[Case, PlanVersion, Slot]:
    """The case locked, the version read again under the lock, and the slot (NotAllowed when
    there is no such place to sign: someone not present, not a minor, of another case)."""
    case = lock_case(version.plan.case)
    version = PlanVersion.objects.select_related("plan").get(pk=version.pk)
    version.plan.case = case
    slot = queries.slot_of(version, participant_id, role) if role in Role.values else None
    if slot is None:
        raise NotAllowed(deny("no_slot", policy.NOT_THE_SIGNER))
    return case, version, slot


def _event_data(version: PlanVersion, slot: Slot, host: User | None) -> dict[str, Any]:
    """What a timeline line of signing says: which version and place, and the host's user id
    when in person. Never the typed name, the drawing or the reason."""
    data: dict[str, Any] = {
        "version": version.number,
        "participant": slot.participant.pk,
        "role": slot.role,
    }
    if host is not None:
        data["host"] = host.pk
    return data


# --- signing ------------------------------------------------------------------------------------


def sign(
    version: PlanVersion,
    participant_id: int,
    role: str,
    *,
    by: By,
    typed_name: str,
    agreed: bool,
    consent_text: str,
    shown_hash: str | None = None,
    drawing: str = "",
    host: User | None = None,
    code_verified: bool = False,
    address: str | None = None,
    user_agent: str = "",
) -> tuple[Signature, bool]:
    """R14: `by` signs the slot (`participant_id`, `role`) of `version`. Returns the signature
    and whether it was made now (False: this signer had signed it already, a retry)."""
    if not consent_text:
        raise ValueError("a signature records the consent text shown")
    with transaction.atomic():
        case, version, slot = _locked(version, participant_id, role)
        actor = _acting(by, slot, host)
        existing = _own(slot.signature, actor)
        if existing is not None:
            return existing, False
        if host is not None:
            enforce(policy.may_host_signing(host, case))
        enforce(policy.may_sign(actor, slot, version, code_verified=code_verified))
        _shown(version, shown_hash)
        if not agreed:
            raise Refused(rule("not_agreed", _("Tick that you agree with this plan to sign it.")))
        name = _typed_name(typed_name)
        drawn = usable_drawing(drawing)
        _no_nul(name, consent_text)
        signer = slot.signer
        assert signer is not None  # the policy refuses a slot without a signer
        remote = host is None
        try:
            with transaction.atomic():
                signature = Signature.objects.create(
                    version=version,
                    participant=slot.participant,
                    role=slot.role,
                    signed_by=signer,
                    content_hash=version.content_hash,
                    consent_text=consent_text,
                    typed_name=name,
                    drawing=drawn,
                    signed_at=timezone.now(),
                    method=Method.REMOTE if remote else Method.IN_PERSON,
                    hosted_by=host,
                    remote_address=_address(address) if remote else None,
                    user_agent=(user_agent or "")[:USER_AGENT_MAX] if remote else "",
                )
        except IntegrityError:
            # A second line of defence: another app server signed this slot between our read
            # and our insert (the case lock makes that rare; the constraint makes it harmless).
            raced = Signature.objects.filter(
                version=version, participant_id=participant_id, role=slot.role
            ).first()
            existing = _own(raced, actor)
            if existing is not None:
                return existing, False
            raise Refused(rule("signed", _("This has been signed already."))) from None
        log_event(case, "signing.signed", by=actor, **_event_data(version, slot, host))
        _complete(case, version)
    return signature, True


def _own(row: _Row | None, actor: By) -> _Row | None:
    """`row` (a signature or a declination) when `actor` is the participant who made it (a
    retry), else None."""
    if row is None or not isinstance(actor, Actor) or not actor.is_participant:
        return None
    made_by = row.signed_by_id if isinstance(row, Signature) else row.declined_by_id
    return row if made_by == actor.participant_id else None


def _complete(case: Case, version: PlanVersion) -> None:
    """The last slot was signed (R14): the case goes into follow-up (Kring moves it, once
    everyone signed; the last signer's own act is the line just before) and the signed PDF is
    begun. A version signed again after a change, in follow-up already, gets its own PDF."""
    if not queries.is_fully_signed(version):
        return
    if case.state == State.CONFERENCE_HELD:
        make_move(case, "follow_up", by=SYSTEM, version=version.number)
    if not SignedDocument.objects.filter(version=version).exists():
        documents.start(version)
    for fn in _on_fully_signed:
        fn(case, version)


# What a later stage does when a version is fully signed, in the signing transaction (the
# follow-up stage takes the version's agreements into its tracker).
OnFullySigned = Callable[["Case", PlanVersion], object]  # what it returns is not used
_on_fully_signed: list[OnFullySigned] = []


def on_fully_signed(fn: OnFullySigned) -> None:
    """`fn(case, version)`: called once the last slot of `version` is signed, after the case
    moved into follow-up, inside the signing transaction (registered from a later stage's
    AppConfig.ready())."""
    if fn not in _on_fully_signed:
        _on_fully_signed.append(fn)


# --- declining ----------------------------------------------------------------------------------


def decline(
    version: PlanVersion,
    participant_id: int,
    role: str,
    *,
    by: By,
    reason: str,
    shown_hash: str | None = None,
    host: User | None = None,
    code_verified: bool = False,
) -> Declination:
    """R14: `by` declines to sign the slot, with a reason the coordinator sees. A retry returns
    the declination already recorded. A later signature of the slot still counts."""
    with transaction.atomic():
        case, version, slot = _locked(version, participant_id, role)
        actor = _acting(by, slot, host)
        existing = _own(slot.declination, actor)
        if existing is not None and slot.signature is None:
            return existing
        if host is not None:
            enforce(policy.may_host_signing(host, case))
        enforce(policy.may_decline(actor, slot, version, code_verified=code_verified))
        _shown(version, shown_hash)
        why = (reason or "").strip()
        if not why:
            raise Refused(rule("no_reason", _("Say why you do not sign.")))
        if len(why) > REASON_MAX:
            raise Refused(
                rule(
                    "reason_too_long",
                    _("Make it shorter: at most %(max)s characters.") % {"max": REASON_MAX},
                )
            )
        _no_nul(why)
        signer = slot.signer
        assert signer is not None  # the policy refuses a slot without a signer
        try:
            with transaction.atomic():
                declination = Declination.objects.create(
                    version=version,
                    participant=slot.participant,
                    role=slot.role,
                    declined_by=signer,
                    reason=why,
                    declined_at=timezone.now(),
                    method=Method.REMOTE if host is None else Method.IN_PERSON,
                    hosted_by=host,
                )
        except IntegrityError:
            raced = Declination.objects.filter(
                version=version, participant_id=participant_id, role=slot.role
            ).first()
            existing = _own(raced, actor)
            if existing is not None:
                return existing
            raise Refused(
                rule("declined", _("Declining to sign has been recorded already."))
            ) from None
        log_event(case, "signing.declined", by=actor, **_event_data(version, slot, host))
        if host is None:
            # "Your coordinator reads this and will get in touch": they hear of it at once.
            notices.notify(case, DECLINED_TO_SIGN, participant=signer)
    return declination
