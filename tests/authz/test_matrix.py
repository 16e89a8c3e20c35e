"""Who may see what: every URL of Kring, requested as every role and as an anonymous visitor,
against the table below (issue 2, "How it is checked"; docs/rules.md "Roles and what each may see").

The URLs come from Django's resolver, not from the table: a URL the table does not declare
fails, and so does a table entry whose URL is gone. The roles are played by the named people
of conftest.py: office Bram, coordinator Carla (the case's own coordinator), her colleague Olaf
("other_coordinator": a coordinator without access to Carla's case), manager Mira, researcher
Ruud, the administrator, a visitor who is not signed in, and a participant (Daan, in Carla's
case in preparation) who opened his personal link and so has a portal session, no account.

What each role gets:
- an allowed role gets the page (2xx), or the redirect declared for it;
- a refused visitor who is not signed in is sent to the login page;
- a refused signed-in role gets 403 or 404, never the page and never a redirect to content;
- GET on a view that only takes POST answers 405, and a refused role's POST is refused too and
  changes nothing; the same POST by a role that is allowed does change something, so that the
  refusal is proven to refuse something real;
- no refused role ever sees the free-text description of a case (the factory's "Daan heeft de
  fiets ..."), and some pages never show it to anyone.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern, RoutePattern

from kring.accounts.models import LoginThrottle, Team, User
from kring.audit.models import AuditEvent
from kring.core.models import RateLimitHit
from kring.testing.auth import force_verified_login
from kring.testing.factories import PASSWORD

ROLES = (
    "anonymous",
    "office",
    "coordinator",
    "other_coordinator",
    "manager",
    "researcher",
    "administrator",
    "participant",
)
EVERYONE = frozenset(ROLES)
NOT_SIGNED_IN = frozenset({"anonymous", "participant"})  # no staff account in the session
STAFF = EVERYONE - NOT_SIGNED_IN
NOBODY: frozenset[str] = frozenset()
ADMINISTRATOR = frozenset({"administrator"})
MARKER = "Daan heeft de fiets"  # the description of every ReferralFactory request

# Where a signed-in person lands (kring.accounts.nav): also where the public pages send them.
START_PAGE = {
    "office": "cases:inbox",
    "coordinator": "cases:my_cases",
    "other_coordinator": "cases:my_cases",
    "manager": "cases:team_cases",
    "researcher": "research:home",
    "administrator": "admin:index",
}


@dataclass(frozen=True)
class Row:
    """What one URL answers to each role.

    allowed: the roles that get the page; everyone else is refused.
    obj: the world object (tests/authz/conftest.py) that fills `<int:pk>` / `<object_id>`.
    participant: the world object that fills `<int:participant_id>`.
    post_only: the view takes only POST: GET answers 405 to those allowed.
    method, data: how an allowed role asks for it (set_language takes a POST).
    redirect: where an allowed role is sent instead of getting a page: a URL name for every
        allowed role, or per role; "admin:*" means "a page, or a redirect within the admin".
    refused_post: the data a refused role POSTs; it must be refused and change nothing, and
        the same POST by a role that is allowed must change something (so it is a real one).
    sees_description: the roles whose page may show a case's free text (default: allowed).
    refusal: how a refused visitor who is not signed in is turned away: "login" (sent to the
        login page) or "denied" (403 or 404 like everyone else: the participant portal, where
        a staff login does not help).
    portal: the world object holding the personal link the participant role opens.
    code: the world object holding a used one-time signing code put in the participant's
        session (remote signing, issue 11): the row's page is reached after typing it.
    """

    allowed: frozenset[str]
    obj: str | None = None
    participant: str = "participant"
    post_only: bool = False
    method: str = "GET"
    data: Callable[..., dict] | None = None
    redirect: str | Mapping[str, str] | None = None
    refused_post: Callable[..., dict] | None = None
    sees_description: frozenset[str] | None = None
    refusal: str = "login"
    portal: str = "portal_token"
    code: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "allowed", frozenset(self.allowed))
        if self.sees_description is not None:
            object.__setattr__(self, "sees_description", frozenset(self.sees_description))

    def redirect_for(self, role: str) -> str | None:
        if isinstance(self.redirect, Mapping):
            return self.redirect.get(role)
        return self.redirect

    def may_see_description(self, role: str) -> bool:
        seers = self.allowed if self.sees_description is None else self.sees_description
        return role in seers


def _shown(world) -> str:
    """The hash of the version the signing page showed: the version to sign now."""
    from kring.signing import queries  # noqa: PLC0415 (issue 11)

    return queries.version_to_sign(world.obj("signing_open")).content_hash


def _history_file(world) -> dict:
    """One conference of Team Utrecht from before Kring (issue 13, point 3)."""
    from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: PLC0415

    content = (
        b"conference_ref,held_on,team,participants_present,role,satisfied,"
        b"situation_restored,said_well,good_agreements\n"
        b"UT-OLD-1,2021-03-04,Team Utrecht,8,responsible,5,,,\n"
    )
    return {"file": SimpleUploadedFile("geschiedenis.csv", content, content_type="text/csv")}


def _questionnaire_answer(world) -> dict:
    """A filled-in first questionnaire (issue 13, point 1)."""
    return {"satisfied": "5", "relations_restored": "yes"}


def _sign_in_person(world) -> dict:
    return {"agreed": "on", "typed_name": "Daan de Vries", "shown_hash": _shown(world)}


def _decline_to_sign(world) -> dict:
    return {"reason": "Ik wil er eerst nog een nacht over slapen.", "shown_hash": _shown(world)}


def _sanne_slot(world) -> str:
    return f"{world.obj('signing_open_harmed').pk}-own"


def _sign_in_portal(world) -> dict:
    slot = _sanne_slot(world)
    return {
        "slot": slot,
        f"{slot}-agreed": "on",
        f"{slot}-typed_name": "Sanne Jansen",
        f"{slot}-shown_hash": _shown(world),
    }


def _decline_in_portal(world) -> dict:
    return {
        "slot": _sanne_slot(world),
        "reason": "Ik wil er eerst nog een nacht over slapen.",
        "shown_hash": _shown(world),
    }


def _send_signing_code(world) -> dict:
    return {"send": "1"}


def _nothing(world) -> dict:
    return {}


def _corrected_name(world) -> dict:
    return {"name": "Daan de Vries-Bakker"}


def _confirm_erasure(world) -> dict:
    return {"confirm": "on"}


def _hold_reference(world) -> dict:
    return {"reference": "C/16/123456"}


def _agreement_done(world) -> dict:
    return {"state": "done", "note": "Gezien bij het huisbezoek."}


def _answer_report(world) -> dict:
    return {"text": "Dank je. Ik bel je deze week."}


def _contact_made(world) -> dict:
    return {"note": "Iedereen gebeld."}


def _close(world) -> dict:
    return {"outcome": "all_kept", "note": "Alle afspraken zijn gedaan."}


def _reported_done(world) -> dict:
    return {f"done-{world.obj('followup_tracked').pk}-text": "Ik fiets er niet meer langs."}


def _invoked(world) -> dict:
    return {f"not_kept-{world.obj('followup_tracked').pk}-text": "Het gebeurt nog steeds."}


def _decline(world) -> dict:
    return {"reason": "not_suitable"}


def _carla(world) -> dict:
    return {"coordinator": world.users["coordinator"].pk}


def _olaf(world) -> dict:
    return {"coordinator": world.users["other_coordinator"].pk}


def _accept(world) -> dict:
    return {"accept": "1", "declares_independence": "on"}


def _stop(world) -> dict:
    return {"reason": "other"}


def _hand_back(world) -> dict:
    return {"reason": "capacity"}


def _new_password(world) -> dict:
    return {
        "old_password": PASSWORD,
        "new_password1": "ander-wachtwoord-42",
        "new_password2": "ander-wachtwoord-42",
    }


def _work_phone(world) -> dict:
    return {"work_phone": "030 123 45 67", "work_email": "werk@example.org"}


def _make_carla_administrator(world) -> dict:
    carla = world.users["coordinator"]
    return {
        "username": carla.username,
        "first_name": carla.first_name,
        "email": carla.email,
        "language": "nl",
        "role": "administrator",
        "team": "",
        "is_active": "on",
        "is_superuser": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
    }


def _add_intruder(world) -> dict:
    return {
        "username": "intruder",
        "role": "administrator",
        "language": "nl",
        "usable_password": "true",
        "password1": "ander-wachtwoord-42",
        "password2": "ander-wachtwoord-42",
    }


def _set_password(world) -> dict:
    return {
        "usable_password": "true",
        "password1": "ander-wachtwoord-42",
        "password2": "ander-wachtwoord-42",
    }


def _poll_date(world) -> dict:
    """A date for the poll: two weeks ahead, at the team's venue (issue 9, point 2)."""
    from datetime import timedelta  # noqa: PLC0415

    from django.utils import timezone  # noqa: PLC0415

    day = timezone.localdate() + timedelta(days=14)
    return {
        "day": day.isoformat(),
        "starts": "10:00",
        "ends": "12:00",
        "venue": world.obj("venue").pk,
    }


def _poll_answers(world) -> dict:
    """Yes to every date of the poll. Read from the database, never built here: a refused
    role's request must not be the one that makes the poll."""
    from kring.scheduling.models import PollOption  # noqa: PLC0415 (issue 9)

    return {f"option_{pk}": "yes" for pk in PollOption.objects.values_list("pk", flat=True)}


def _move_meeting(world) -> dict:
    """The scheduled meeting to a week later, same hours and venue (issue 9, point 7)."""
    from datetime import timedelta  # noqa: PLC0415

    from django.utils import timezone  # noqa: PLC0415

    meeting = world.obj("scheduled_meeting")
    starts = timezone.localtime(meeting.starts_at) + timedelta(days=7)
    ends = timezone.localtime(meeting.ends_at) + timedelta(days=7)
    return {
        "day": starts.date().isoformat(),
        "starts": starts.strftime("%H:%M"),
        "ends": ends.strftime("%H:%M"),
        "venue": meeting.venue_id,
    }


def _cancel_meeting(world) -> dict:
    return {"then": "prepare"}


def _sanne_not_there(world) -> dict:
    """Check-in: Sanne, checked in as present, is marked as not there (issue 10, point 1)."""
    return {"participant": world.obj("conference_checking_in_harmed").pk, "present": "no"}


def _plan_fields(world) -> dict:
    return {"revision": "1", "if_not_kept": "We bellen elkaar en komen opnieuw bij elkaar."}


def _new_text(world) -> dict:
    return {"text": "Daan helpt een middag bij de fietsenmaker."}


def _other_text(world) -> dict:
    return {"revision": "1", "text": "Daan en Sanne maken samen de fiets."}


def _first_revision(world) -> dict:
    return {"revision": "1"}


def _new_agreement(world) -> dict:
    return {"what": "Daan schrijft Sanne een brief."}


def _other_agreement(world) -> dict:
    return {"revision": "1", "what": "Daan betaalt het slot en de bel."}


def _move_up(world) -> dict:
    return {"direction": "up"}


def _not_held(world) -> dict:
    return {"reason": "other", "then": "prepare"}


def _confirm_delete(world) -> dict:
    return {"post": "yes"}


def _reset_carlas_second_factor(world) -> dict:
    return {
        "action": "reset_second_factor",
        "_selected_action": [str(world.users["coordinator"].pk)],
        "index": "0",
    }


def _rename_team(world) -> dict:
    # With the team's areas (an inline on the same page): none added, none changed.
    return {"name": "Team Overgenomen", "areas-TOTAL_FORMS": "0", "areas-INITIAL_FORMS": "0"}


def _add_participant(world) -> dict:
    return {
        "name": "Indringer",
        "side": "harmed",
        "email": "indringer@example.org",
        "language": "nl",
    }


def _edit_participant(world) -> dict:
    # No side: a side is chosen once, when the person is added (the form has no such field).
    return {"name": "Daan Overschreven", "email": "x@example.org", "language": "nl"}


def _conversation(world) -> dict:
    return {"held_at": "2026-01-05T10:00", "mode": "phone", "notes": "Ingevoegd"}


def _acknowledgment(world) -> dict:
    return {"acknowledges": "no", "given_at": "2026-01-05T10:00", "mode": "phone"}


def _answer(world) -> dict:
    return {"accepts": "no", "answer": "decline", "mode": "phone"}


def _consent_by_phone(world) -> dict:
    """Daan's own consent, recorded by the coordinator (circle.forms.ConsentForm)."""
    return {
        "given_by": world.obj("participant").pk,
        "mode": "phone",
        "informed": "on",
        "legal_advice": "no",
        "interpreter": "no",
        "support_person": "later",
    }


def _consent_in_the_portal(world) -> dict:
    """Daan's consent in the portal (portal.forms.ConsentForm: no wards, so no `person`)."""
    return {"legal_advice": "no", "interpreter": "no", "support_person": "later", "agree": "on"}


def _nominate(world) -> dict:
    return {"name": "Indringer", "relation": "buurman", "via": "phone"}


def _decide_nomination(world) -> dict:
    return {"invite": "no", "reason": "Niet nodig"}


def _flag_risk(world) -> dict:
    return {"kind": "stalking", "level": "high", "assessment": "Ingevoegd"}


def _resolve_risk(world) -> dict:
    return {"resolution": "Opgelost door een indringer"}


def _invite_by_letter(world) -> dict:
    return {"channel": "letter"}


def _withdraw_by_phone(world) -> dict:
    return {"confirm": "on"}


def _add_from_request(world) -> dict:
    return {"choice": "add"}


def _record_return(world) -> dict:
    return {"returned_at": "2026-01-05T10:00", "mode": "phone"}


def _answer_question(world) -> dict:
    return {"answer": "Een antwoord van een indringer"}


def _question(world) -> dict:
    return {"text": "Een vraag van een indringer"}


def _venue_details(world) -> dict:
    return {"name": "Zaal van een indringer", "address": "Indringerstraat 1", "capacity": "10"}


# fmt: off
TABLE: dict[str, Row | tuple[Row, ...]] = {
    # --- public (docs/rules.md "anyone"; R1) -----------------------------------------------------
    "core:home": Row(EVERYONE, redirect=START_PAGE, sees_description=NOBODY),
    "core:health": Row(EVERYONE, sees_description=NOBODY),
    "referrals:new": Row(EVERYONE, sees_description=NOBODY),
    # Nothing was sent in this session: back to the form.
    "referrals:sent": Row(EVERYONE, redirect="referrals:new", sees_description=NOBODY),
    "referrals:privacy": Row(EVERYONE, sees_description=NOBODY),
    "set_language": Row(
        EVERYONE, method="POST", data=lambda w: {"language": "en", "next": "/privacy/"},
        redirect="referrals:privacy", sees_description=NOBODY,
    ),
    # --- signing in and one's own account ------------------------------------------------------
    "accounts:login": Row(EVERYONE, redirect=START_PAGE, sees_description=NOBODY),
    # Already signed in with both factors: nothing to set up or verify.
    "accounts:setup": Row(STAFF, redirect="accounts:account"),
    "accounts:verify": Row(STAFF, redirect=START_PAGE),
    "accounts:logout": Row(EVERYONE, post_only=True),
    "accounts:account": Row(STAFF, sees_description=NOBODY),
    # For an account without a role (issue 7); every role here has a start page to go on to.
    "accounts:no_role": Row(STAFF, redirect=START_PAGE, sees_description=NOBODY),
    "accounts:recovery_codes": Row(STAFF, sees_description=NOBODY),
    "accounts:recovery_codes_regenerate": Row(STAFF, post_only=True, refused_post=_nothing),
    "accounts:password_change": Row(STAFF, refused_post=_new_password, sees_description=NOBODY),
    "accounts:contact_details": Row(STAFF, refused_post=_work_phone, sees_description=NOBODY),
    # --- the office, coordinators and managers (cases.access) ----------------------------------
    # The office's inbox (its team's and the central one); the manager sees the team's.
    "cases:inbox": Row({"office", "manager"}),
    "cases:team_cases": Row({"office", "manager"}),
    # Olaf has his own (empty) list; Carla's cases never show up in it.
    "cases:my_cases": Row({"coordinator", "other_coordinator"}, sees_description={"coordinator"}),
    "cases:request_detail": (
        Row({"office"}, obj="requested_case"),  # not yet a team's: the manager does not see it
        Row({"office", "manager"}, obj="routed_case"),  # sent to the team: its manager too
        Row({"office", "manager"}, obj="referred_case"),
    ),
    "cases:detail": (
        Row({"office", "coordinator", "manager"}, obj="carlas_case"),
        # Offered, not yet accepted: Carla answers the offer first (cases:offer).
        Row({"office", "manager"}, obj="offered_case"),
        Row({"office"}, obj="requested_case", redirect="cases:request_detail"),
    ),
    "cases:take_on": (
        Row({"office"}, obj="requested_case", post_only=True, refused_post=_nothing),
        Row({"office"}, obj="routed_case", post_only=True, refused_post=_nothing),
    ),
    "cases:decline": (
        Row({"office"}, obj="requested_case", refused_post=_decline),
        Row({"office", "manager"}, obj="routed_case", refused_post=_decline),
        Row({"office", "manager"}, obj="referred_case", refused_post=_decline),
    ),
    "cases:assign": (
        Row({"office", "manager"}, obj="referred_case", refused_post=_carla),
        # Reassignment, away from the coordinator who has the case: the manager's.
        Row({"manager"}, obj="carlas_case", refused_post=_olaf),
    ),
    "cases:offer": Row({"coordinator"}, obj="offered_case", refused_post=_accept),
    "cases:stop": Row({"coordinator", "manager"}, obj="carlas_case", refused_post=_stop),
    # R2: only the case's own coordinator hands it back.
    "cases:hand_back": Row({"coordinator"}, obj="carlas_case", refused_post=_hand_back),
    # The access log never shows what happened, to anyone (docs/rules.md: never in logs).
    "audit:log": Row({"manager"}, sees_description=NOBODY),
    # --- preparation (issue 3): only the case's own coordinator works on the circle; the
    # office and the manager see who is in it and their states, never notes or assessments.
    "circle:start": Row(
        {"coordinator"}, obj="carlas_case", post_only=True, refused_post=_nothing
    ),
    "circle:overview": Row({"office", "coordinator", "manager"}, obj="preparing_case"),
    "circle:add": Row({"coordinator"}, obj="preparing_case", refused_post=_add_participant),
    "circle:edit": Row({"coordinator"}, obj="preparing_case", refused_post=_edit_participant),
    "circle:conversation": Row({"coordinator"}, obj="preparing_case", refused_post=_conversation),
    "circle:acknowledgment": Row(
        {"coordinator"}, obj="preparing_case", refused_post=_acknowledgment
    ),
    # Daan has accepted already: his brother Joost is the one who can still be invited.
    "circle:invite": Row(
        {"coordinator"}, obj="preparing_case", participant="newcomer",
        refused_post=_invite_by_letter,
    ),
    "circle:reissue": Row({"coordinator"}, obj="preparing_case", refused_post=_nothing),
    "circle:respond": Row({"coordinator"}, obj="preparing_case", refused_post=_answer),
    "circle:consent": Row({"coordinator"}, obj="preparing_case", refused_post=_consent_by_phone),
    "circle:nominate": Row({"coordinator"}, obj="preparing_case", refused_post=_nominate),
    "circle:withdraw": Row({"coordinator"}, obj="preparing_case", refused_post=_withdraw_by_phone),
    # Only a person with whom nothing has happened yet can be taken out: Joost, not Daan.
    "circle:remove": Row(
        {"coordinator"}, obj="preparing_case", participant="newcomer", refused_post=_nothing
    ),
    # The first person named in the request (Daan), added to the circle with one click.
    "circle:add_from_request": Row(
        {"coordinator"}, obj="preparing_case", post_only=True, refused_post=_add_from_request
    ),
    "circle:nomination": Row(
        {"coordinator"}, obj="preparing_case", refused_post=_decide_nomination
    ),
    "circle:risk_add": Row({"coordinator"}, obj="preparing_case", refused_post=_flag_risk),
    "circle:risk_resolve": Row({"coordinator"}, obj="preparing_case", refused_post=_resolve_risk),
    # Issue 8: a return after leaving (Kees withdrew), a question answered, a notice handled.
    "circle:record_return": Row(
        {"coordinator"}, obj="preparing_case", participant="leaver", refused_post=_record_return
    ),
    "circle:answer": Row({"coordinator"}, obj="preparing_case", refused_post=_answer_question),
    "circle:handle_notice": Row(
        {"coordinator"}, obj="preparing_case", post_only=True, refused_post=_nothing
    ),
    # --- the participant portal (issue 3): a personal link is the only way in ------------------
    # A live link works for whoever holds it: on into the portal. What happened is never shown
    # there: the portal shows the participant their own part, not the requester's words.
    "portal:enter": Row(
        EVERYONE, redirect="portal:home", refusal="denied", sees_description=NOBODY
    ),
    # The short address on a letter: a form anyone may open; only a live code (posted, never in
    # the address) opens a portal, as a live link does (issue 8, point 4).
    "portal:code": Row(EVERYONE, sees_description=NOBODY),
    # Without a portal session nobody gets in, signed-in staff included.
    "portal:home": Row({"participant"}, refusal="denied", sees_description=NOBODY),
    "portal:respond": Row(
        {"participant"}, post_only=True, refusal="denied", refused_post=_answer,
        sees_description=NOBODY,
    ),
    "portal:consent": Row(
        {"participant"}, refusal="denied", refused_post=_consent_in_the_portal,
        sees_description=NOBODY,
    ),
    "portal:nominate": Row(
        {"participant"}, refusal="denied", refused_post=_nominate, sees_description=NOBODY
    ),
    "portal:withdraw": Row(
        {"participant"}, refusal="denied", refused_post=_nothing, sees_description=NOBODY
    ),
    # A question to the coordinator: the participant's own.
    "portal:question": Row(
        {"participant"}, refusal="denied", refused_post=_question, sees_description=NOBODY
    ),
    # Leaving ends a portal session, if there is one; it is nobody's page.
    "portal:leave": Row(EVERYONE, post_only=True, sees_description=NOBODY),
    # --- signing (issue 11): the case's coordinator hosts signing on the tablet; the team's
    # manager reads who signed and the copies; the office sees counts on the case page only. A
    # participant signs and downloads in their own portal session, after the one-time code. ---
    "signing:overview": Row(
        {"coordinator", "manager"}, obj="signing_open", sees_description=NOBODY
    ),
    "signing:sign_in_person": Row(
        {"coordinator"}, obj="signing_open", participant="signing_open_responsible",
        refused_post=_sign_in_person, sees_description=NOBODY,
    ),
    "signing:decline_in_person": Row(
        {"coordinator"}, obj="signing_open", participant="signing_open_responsible",
        refused_post=_decline_to_sign, sees_description=NOBODY,
    ),
    "signing:copies": Row({"coordinator", "manager"}, obj="signing_done", sees_description=NOBODY),
    "signing:document_pdf": Row(
        {"coordinator", "manager"}, obj="signing_done", sees_description=NOBODY
    ),
    "signing:cover_letter": Row(
        {"coordinator"}, obj="signing_done", participant="signing_done_responsible",
        sees_description=NOBODY,
    ),
    "signing:mark_printed": Row(
        {"coordinator"}, obj="signing_done", participant="signing_done_responsible",
        post_only=True, refused_post=_nothing,
    ),
    "signing:resend": Row(
        {"coordinator"}, obj="signing_done", participant="signing_done_responsible",
        post_only=True, refused_post=_nothing,
    ),
    "signing:portal_sign": Row(
        {"participant"}, refusal="denied", portal="signing_open_token", code="signing_open_code",
        refused_post=_sign_in_portal, sees_description=NOBODY,
    ),
    "signing:portal_code": Row(
        {"participant"}, refusal="denied", portal="signing_open_token", post_only=True,
        refused_post=_send_signing_code, redirect="signing:portal_sign", sees_description=NOBODY,
    ),
    "signing:portal_decline": Row(
        {"participant"}, refusal="denied", portal="signing_open_token", code="signing_open_code",
        refused_post=_decline_in_portal, redirect="signing:portal_sign", sees_description=NOBODY,
    ),
    "signing:portal_document": Row(
        {"participant"}, refusal="denied", portal="signing_done_token", sees_description=NOBODY
    ),
    # The public check of a signed plan: anyone, signed in or not; it names no one.
    "signing:verify": Row(EVERYONE, sees_description=NOBODY),
    # --- follow-up (issue 12): the case's coordinator keeps the tracker, answers reports,
    # records the contact and closes the case; the team's manager reads the tracker and the
    # team's overdue list; a participant reports from their own portal session. ---
    "followup:tracker": Row({"coordinator", "manager"}, obj="followup", sees_description=NOBODY),
    "followup:set_state": Row(
        {"coordinator"}, obj="followup", post_only=True, refused_post=_agreement_done
    ),
    "followup:answer": Row(
        {"coordinator"}, obj="followup", post_only=True, refused_post=_answer_report
    ),
    "followup:confirm": Row({"coordinator"}, obj="followup", post_only=True, refused_post=_nothing),
    "followup:ask_back": Row(
        {"coordinator"}, obj="followup", post_only=True, refused_post=_answer_report
    ),
    "followup:contact": Row(
        {"coordinator"}, obj="followup", post_only=True, refused_post=_contact_made
    ),
    "followup:overdue": Row({"manager"}, sees_description=NOBODY),
    "followup:close": Row(
        {"coordinator"}, obj="followup_quiet", refused_post=_close, sees_description=NOBODY
    ),
    "followup:portal": Row(
        {"participant"}, refusal="denied", portal="followup_token", sees_description=NOBODY
    ),
    "followup:portal_report_done": Row(
        {"participant"}, refusal="denied", portal="followup_responsible_token", post_only=True,
        refused_post=_reported_done, sees_description=NOBODY,
    ),
    "followup:portal_invoke": Row(
        {"participant"}, refusal="denied", portal="followup_token", post_only=True,
        refused_post=_invoked, sees_description=NOBODY,
    ),
    # --- scheduling: venues and the office's calendar (issue 9, points 1 and 8) -----------------
    # The office and the manager of the venue's team; nobody else (the administrator neither:
    # docs/architecture.md, "Scheduling"). The calendar shows references and coordinators only.
    "scheduling:venues": Row({"office", "manager"}, sees_description=NOBODY),
    "scheduling:venue_add": Row(
        {"office", "manager"}, refused_post=_venue_details, sees_description=NOBODY
    ),
    "scheduling:venue_edit": Row(
        {"office", "manager"}, obj="venue", refused_post=_venue_details, sees_description=NOBODY
    ),
    "scheduling:venue_retire": Row(
        {"office", "manager"}, obj="venue", post_only=True, refused_post=_nothing,
        redirect="scheduling:venues",
    ),
    "scheduling:venue_reinstate": Row(
        {"office", "manager"}, obj="retired_venue", post_only=True, refused_post=_nothing,
        redirect="scheduling:venues",
    ),
    "scheduling:calendar": Row({"office", "manager"}, sees_description=NOBODY),
    # --- scheduling: invitations (issue 9, point 5) ----------------------------------------------
    # The letter with the date and place: the case's coordinator, for someone who takes part.
    "scheduling:meeting_letter": Row(
        {"coordinator"}, obj="confirmed_meeting", sees_description=NOBODY
    ),
    # The calendar file: only a participant of the meeting's case, in their portal session.
    "scheduling:calendar_file": Row(
        {"participant"}, obj="confirmed_meeting", refusal="denied", sees_description=NOBODY
    ),
    # --- scheduling: the date poll (issue 9, point 2) -------------------------------------------
    # Only the case's coordinator runs the poll and reads everyone's answers; a participant who
    # said yes answers in their own portal session.
    "scheduling:poll": Row(
        {"coordinator"}, obj="poll_case", refused_post=_poll_date, sees_description=NOBODY
    ),
    "scheduling:remove_option": Row(
        {"coordinator"}, obj="poll_case", post_only=True, refused_post=_nothing
    ),
    "scheduling:enter_answers": Row(
        {"coordinator"}, obj="poll_case", refused_post=_poll_answers, sees_description=NOBODY
    ),
    "scheduling:remind": Row(
        {"coordinator"}, obj="poll_case", post_only=True, refused_post=_nothing
    ),
    "scheduling:answer_poll": Row(
        {"participant"}, refusal="denied", refused_post=_poll_answers, sees_description=NOBODY
    ),
    # --- scheduling: confirming, moving and cancelling (issue 9, points 5 and 7) ----------------
    # The case's coordinator only. The confirm page of a case not ready yet still opens, and
    # says why it cannot be confirmed (a refused POST: scheduling/tests/test_views.py).
    "scheduling:confirm": Row({"coordinator"}, obj="poll_meeting", sees_description=NOBODY),
    "scheduling:move": Row(
        {"coordinator"}, obj="scheduled_meeting", refused_post=_move_meeting,
        sees_description=NOBODY,
    ),
    "scheduling:cancel": Row(
        {"coordinator"}, obj="scheduled_meeting", refused_post=_cancel_meeting,
        sees_description=NOBODY,
    ),
    # --- the conference (issue 10): the case's coordinator runs it; the team's manager reads
    # the plan, its versions and its printout; nobody else. Each page opens Carla's case at the
    # stage where its action would change something (tests/authz/conftest.py, _conference).
    "conference:mode": Row({"coordinator"}, obj="conference_checking_in", sees_description=NOBODY),
    "conference:check_in": Row(
        {"coordinator"}, obj="conference_checking_in", post_only=True,
        refused_post=_sanne_not_there, sees_description=NOBODY,
    ),
    "conference:start": Row(
        {"coordinator"}, obj="conference_checking_in", post_only=True, refused_post=_nothing,
    ),
    "conference:introductions": Row(
        {"coordinator"}, obj="conference_started", post_only=True, refused_post=_nothing,
    ),
    "conference:round_done": Row(
        {"coordinator"}, obj="conference_rounds", post_only=True, refused_post=_nothing,
    ),
    "conference:repair_round": Row(
        {"coordinator"}, obj="conference_last_round", post_only=True, refused_post=_nothing,
    ),
    "conference:plan": Row({"coordinator"}, obj="conference_plan", sees_description=NOBODY),
    "conference:plan_begin": Row(
        {"coordinator"}, obj="conference_rounds_done", post_only=True, refused_post=_nothing,
    ),
    "conference:plan_save": Row(
        {"coordinator"}, obj="conference_plan", post_only=True, refused_post=_plan_fields,
    ),
    "conference:idea_add": Row(
        {"coordinator"}, obj="conference_plan", post_only=True, refused_post=_new_text,
    ),
    "conference:idea_save": Row(
        {"coordinator"}, obj="conference_plan", post_only=True, refused_post=_other_text,
    ),
    "conference:idea_remove": Row(
        {"coordinator"}, obj="conference_plan", post_only=True, refused_post=_first_revision,
    ),
    "conference:agreement_add": Row(
        {"coordinator"}, obj="conference_plan", post_only=True, refused_post=_new_agreement,
    ),
    "conference:agreement_save": Row(
        {"coordinator"}, obj="conference_plan", post_only=True, refused_post=_other_agreement,
    ),
    "conference:agreement_remove": Row(
        {"coordinator"}, obj="conference_plan", post_only=True, refused_post=_first_revision,
    ),
    "conference:agreement_move": Row(
        {"coordinator"}, obj="conference_plan", post_only=True, refused_post=_move_up,
    ),
    "conference:finalise": Row(
        {"coordinator"}, obj="conference_plan", refused_post=_nothing, sees_description=NOBODY,
    ),
    "conference:versions": Row(
        {"coordinator", "manager"}, obj="conference_plan", sees_description=NOBODY,
    ),
    "conference:version": Row(
        {"coordinator", "manager"}, obj="conference_plan", sees_description=NOBODY,
    ),
    "conference:informal": Row(
        {"coordinator"}, obj="conference_plan", post_only=True, refused_post=_nothing,
    ),
    "conference:not_held": Row(
        {"coordinator"}, obj="conference_checking_in", refused_post=_not_held,
        sees_description=NOBODY,
    ),
    "conference:screen": Row({"coordinator"}, obj="conference_plan", sees_description=NOBODY),
    "conference:screen_content": Row(
        {"coordinator"}, obj="conference_plan", sees_description=NOBODY,
    ),
    "conference:print": Row(
        {"coordinator", "manager"}, obj="conference_plan", sees_description=NOBODY,
    ),
    "conference:paper_form": Row(
        {"coordinator"}, obj="conference_plan", sees_description=NOBODY,
    ),
    "conference:on_paper": Row(
        {"coordinator"}, obj="conference_plan", post_only=True, refused_post=_nothing,
    ),
    # --- research: anonymised figures only ----------------------------------------------------
    "research:home": Row({"researcher", "manager"}, sees_description=NOBODY),
    "research:export": Row({"researcher", "manager"}, sees_description=NOBODY),
    "research:remarks": Row({"manager"}, sees_description=NOBODY),
    "research:import": Row(
        {"manager", "administrator"}, refused_post=_history_file, sees_description=NOBODY
    ),
    "research:questionnaire": Row(
        {"participant"},
        refusal="denied",
        portal="research_token",
        refused_post=_questionnaire_answer,
        sees_description=NOBODY,
    ),
    "research:on_paper": Row(
        {"coordinator"},
        obj="followup",
        refused_post=_questionnaire_answer,
        sees_description=NOBODY,
    ),
    "research:print": Row({"coordinator", "other_coordinator", "manager"}, sees_description=NOBODY),
    # --- personal data (issue 14, points 7 and 8): a person's rights, the legal hold ----------
    # Daan's export and correction: his coordinator, or the office of his team.
    "privacy:export": Row({"coordinator", "office"}, obj="preparing_case"),
    "privacy:export_download": Row({"coordinator", "office"}, obj="preparing_case"),
    "privacy:correct": Row(
        {"coordinator", "office"}, obj="preparing_case", refused_post=_corrected_name
    ),
    # Daan asked to be erased: nothing of his is signed yet, so he can be.
    "privacy:erase": Row(
        {"coordinator", "office"}, obj="preparing_case", refused_post=_confirm_erasure
    ),
    # Daan in follow-up signed the plan: his request to be erased can only be noted.
    "privacy:note_request": Row(
        {"coordinator", "office"},
        obj="followup",
        participant="signing_fu_reports_responsible",
        post_only=True,
        refused_post=_nothing,
    ),
    "privacy:place_hold": Row(
        {"manager"}, obj="carlas_case", post_only=True, refused_post=_hold_reference
    ),
    "privacy:lift_hold": Row({"manager"}, obj="held_case", refused_post=_nothing),
    # --- administration (Django admin under /beheer/, accounts.admin) -------------------------
    # Every admin URL not named below: the administrator only. No case data is registered.
    "admin:*": Row(ADMINISTRATOR, redirect="admin:*", sees_description=NOBODY),
    # The admin's own login form would bypass lockout and the second factor: nobody gets it.
    "admin:login": Row(NOBODY),
    "admin:logout": Row(ADMINISTRATOR, post_only=True),
    # No admin has autocomplete fields, so even the administrator is refused.
    "admin:autocomplete": Row(NOBODY),
    # No registered model has a public page of its own.
    "admin:view_on_site": Row(NOBODY),
    # An admin page that does not exist.
    "admin:[beheer/(?P<url>.*)$]": Row(NOBODY),
    "admin:accounts_user_changelist": Row(
        ADMINISTRATOR, refused_post=_reset_carlas_second_factor, sees_description=NOBODY
    ),
    "admin:accounts_user_add": Row(ADMINISTRATOR, refused_post=_add_intruder),
    "admin:accounts_user_change": Row(
        ADMINISTRATOR, obj="user", refused_post=_make_carla_administrator
    ),
    # Carla and Team Utrecht cannot be deleted by anyone (their cases protect them): the
    # delete pages open Ruud, who has no cases, and Team Zwolle, which has no one.
    "admin:accounts_user_delete": Row(
        ADMINISTRATOR, obj="user_without_cases", refused_post=_confirm_delete
    ),
    "admin:auth_user_password_change": Row(ADMINISTRATOR, obj="user", refused_post=_set_password),
    "admin:accounts_team_change": Row(ADMINISTRATOR, obj="team", refused_post=_rename_team),
    "admin:accounts_team_delete": Row(
        ADMINISTRATOR, obj="empty_team", refused_post=_confirm_delete
    ),
}
# fmt: on

ADMIN_WILDCARD = "admin:*"
# Which world object an admin page of a model opens, when its row does not say.
OBJECT_FOR_MODEL = {User: "user", Team: "team"}


# --- the URLs, from the resolver ------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    key: str  # "cases:detail"; an unnamed pattern: "admin:[beheer/accounts/user/<path:object_id>/]"
    namespace: str
    parts: tuple  # the URLResolvers and the URLPattern, from the root down
    route: str

    @property
    def leaf(self) -> URLPattern:
        return self.parts[-1]


def _walk(resolver, parts=(), namespaces=()):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from _walk(entry, (*parts, entry), ns)
        else:
            chain = (*parts, entry)
            route = "".join(str(p.pattern) for p in chain)
            name = entry.name or f"[{route}]"
            yield Pattern(":".join((*namespaces, name)), ":".join(namespaces), chain, route)


def all_patterns() -> list[Pattern]:
    return list(_walk(get_resolver()))


def rows_for(pattern: Pattern) -> tuple[Row, ...]:
    row = TABLE.get(pattern.key)
    if row is None and pattern.namespace == "admin":
        row = TABLE[ADMIN_WILDCARD]
    if row is None:
        return ()
    return row if isinstance(row, tuple) else (row,)


def _model_in(route: str):
    """The model of an admin page, from its route: beheer/<app_label>/<model_name>/..."""
    match = re.search(r"beheer/(\w+)/(\w+)/<", route)
    if match:
        try:
            return apps.get_model(match.group(1), match.group(2))
        except LookupError:
            return None
    if "<content_type_id>" in route or "<path:content_type_id>" in route:
        return User
    return None


def _object(world, row: Row, pattern: Pattern):
    name = row.obj
    if name is None:
        model = _model_in(pattern.route)
        name = OBJECT_FOR_MODEL.get(model)
        assert name, f"{pattern.key}: declare which object it opens (Row(obj=...))"
    return world.obj(name)


# URL arguments that name an object within a case: which world object fills them.
ARGUMENT_OBJECTS = {
    "nomination_id": "nomination",
    "risk_id": "risk",
    "question_id": "question",
    "notice_id": "notice",
    "option_id": "poll_option",  # a date of the poll (issue 9, point 2)
    "round_id": "round",  # a round of the conference (issue 10, point 1)
    "tracked_id": "followup_tracked",  # an agreement in follow-up (issue 12, point 1)
    "contact_id": "followup_contact",  # the follow-up contact (issue 12, point 3)
    "invitation": "research_invitation",  # a questionnaire to type in (issue 13, point 1)
}


def _argument(name: str, group: str, world, row: Row, pattern: Pattern) -> str:
    if name in {"pk", "object_id", "id"}:
        return str(_object(world, row, pattern).pk)
    if name == "participant_id":
        return str(world.obj(row.participant).pk)
    if name == "report_id":  # a report on an agreement (issue 12, point 2): an invocation is
        # answered, a report of done confirmed or asked back about
        kind = "invocation" if pattern.key == "followup:answer" else "report"
        return str(world.obj(f"followup_{kind}").pk)
    if name in ARGUMENT_OBJECTS:
        return str(world.obj(ARGUMENT_OBJECTS[name]).pk)
    if name == "row_id":  # an idea or an agreement of the plan (issue 10, point 2)
        return str(world.obj("idea" if ":idea_" in pattern.key else "agreement").pk)
    if name == "role":  # a place to sign: the participant's own (issue 11, point 1); the blank
        # questionnaire of one role (issue 13, point 1)
        return "harmed" if pattern.key == "research:print" else "own"
    if name == "fmt":  # the figures' export (issue 13, point 2), a person's (issue 14, point 8)
        return "pdf" if pattern.key == "privacy:export_download" else "csv"
    if name == "round":  # the first questionnaire (issue 13, point 1)
        return "1"
    if name == "number":  # a version of the plan (issue 10, point 5)
        return str(world.obj("plan_version").number)
    if name == "person_id":  # a person named in the case's request (issue 8, point 8)
        return str(_object(world, row, pattern).referral.people.order_by("pk").first().pk)
    if name == "token":
        return world.obj("portal_token")
    if name == "content_type_id":
        return str(ContentType.objects.get_for_model(_model_in(pattern.route)).pk)
    if name == "app_label":
        return group.split("|")[0]  # (?P<app_label>accounts|...)
    if name == "url":
        return "bestaat-niet/"  # the admin's catch-all: a page that does not exist
    raise AssertionError(f"{pattern.key}: no value for the URL argument <{name}>")


def url_for(pattern: Pattern, row: Row, world) -> str:
    """The path of `pattern` with real objects in it; it must resolve back to the pattern."""
    path = "/"
    for part in pattern.parts:
        if isinstance(part.pattern, RoutePattern):
            piece = re.sub(
                r"<(?:\w+:)?(\w+)>",
                lambda m: _argument(m.group(1), "", world, row, pattern),
                str(part.pattern),
            )
        elif isinstance(part.pattern, RegexPattern):
            piece = re.sub(
                r"\(\?P<(\w+)>([^)]*)\)",
                lambda m: _argument(m.group(1), m.group(2), world, row, pattern),
                str(part.pattern).lstrip("^").removesuffix("$"),
            )
        else:
            raise AssertionError(f"{pattern.key}: unknown kind of pattern {part.pattern!r}")
        path += piece
    match = resolve(path)
    assert match.func is pattern.leaf.callback, f"{pattern.key}: {path} resolves elsewhere"
    return path


# --- the cases the tests run: one per URL, object and role ---------------------------------


@dataclass(frozen=True)
class Check:
    pattern: Pattern
    row: Row | None
    role: str
    label: str

    def __str__(self) -> str:
        return f"{self.label} as {self.role}"


def _checks() -> list[Check]:
    checks = []
    for pattern in all_patterns():
        rows = rows_for(pattern) or (None,)
        for row in rows:
            label = pattern.key
            if row is not None and len(rows) > 1:
                label += f"[{row.obj}]"
            checks.extend(Check(pattern, row, role, label) for role in ROLES)
    return checks


CHECKS = _checks()
REFUSED_POSTS = [
    check
    for check in CHECKS
    if check.row is not None and check.row.refused_post and check.role not in check.row.allowed
]


# --- what a response means --------------------------------------------------------------------


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _target(response) -> str | None:
    """The URL name a redirect points to, e.g. "accounts:login"."""
    if response.status_code not in (301, 302, 303, 307, 308):
        return None
    path = urlsplit(response["Location"]).path
    try:
        return resolve(path).view_name
    except Resolver404:
        return f"<unknown {path}>"


def describe(response) -> str:
    target = _target(response)
    if target:
        return f"{response.status_code} to {target} ({response['Location']})"
    return str(response.status_code)


def skip_if_not_built(pattern: Pattern) -> None:
    """A URL whose view is still a placeholder (`_stub`: 404 for everyone) is declared in the
    table but checked only once its view exists."""
    if getattr(pattern.leaf.callback, "__name__", "") == "_stub":
        pytest.skip(f"{pattern.key}: the view is not built yet")


def login_as(client, world, role: str, row: Row | None = None) -> None:
    if role == "participant":
        token = world.obj(row.portal if row is not None else "portal_token")
        response = client.get(reverse("portal:enter", args=[token]))
        assert _target(response) == "portal:home", f"the personal link: {describe(response)}"
        if row is not None and row.code is not None:
            from kring.signing import codes  # noqa: PLC0415 (issue 11)

            session = client.session
            session[codes.SESSION_KEY] = world.obj(row.code)
            session.save()
    elif role != "anonymous":
        force_verified_login(client, world.user(role))


def _send(client, method: str, path: str, data=None):
    if method == "POST":
        return client.post(path, data or {})
    return client.get(path)


def refusal_problem(check: Check, client, response, *, method: str) -> str | None:
    """None when `response` refuses `check.role`; otherwise what is wrong, in words."""
    admin = check.pattern.namespace == "admin"
    if check.row.post_only and method == "GET" and response.status_code == 405:
        return None  # GET on a POST-only view reveals nothing
    if check.role in NOT_SIGNED_IN and check.row.refusal == "login":
        # Sent to Kring's login (the admin's own login page passes it on to Kring's).
        hops = 0
        while _target(response) in ({"admin:login", "admin:index"} if admin else set()):
            response = client.get(response["Location"])
            hops += 1
            if hops > 3:
                break
        if _target(response) == "accounts:login":
            return None
        return f"expected a redirect to the login page, got {describe(response)}"
    if response.status_code in (403, 404):
        return None
    if admin and _target(response) in {"admin:login", "admin:index"}:
        # The admin sends a signed-in outsider to its login page, which refuses them.
        followed = client.get(response["Location"], follow=True)
        if followed.status_code == 403 and MARKER not in _body(followed):
            return None
        return f"expected refusal, got {describe(response)} and then {followed.status_code}"
    return f"expected refusal (403 or 404), got {describe(response)}"


def allowed_problem(check: Check, response, *, method: str) -> str | None:
    """None when `response` gives `check.role` what the table promises; otherwise what is wrong."""
    row = check.row
    if row.post_only and method == "GET":
        if response.status_code == 405:
            return None
        return f"expected 405 (POST only), got {describe(response)}"
    expected = row.redirect_for(check.role)
    target = _target(response)
    if expected is None:
        if 200 <= response.status_code < 300:
            return None
        return f"expected the page (2xx), got {describe(response)}"
    if expected.endswith(":*"):
        namespace = expected.removesuffix("*")
        if 200 <= response.status_code < 300 or (target or "").startswith(namespace):
            return None
        return f"expected the page or a redirect within {namespace}*, got {describe(response)}"
    if target == expected:
        return None
    return f"expected a redirect to {expected}, got {describe(response)}"


# Rows a refused request may write: the audit log records the attempt, throttles count it.
NOT_STATE = {AuditEvent, RateLimitHit, LoginThrottle, Session, ContentType, Permission}


def snapshot() -> dict:
    """Every row of every model that holds state (Kring's, the admin's change log, the
    second factor's devices), to compare before and after a refused request."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values_list())
        for model in apps.get_models()
        if model not in NOT_STATE
    }


# --- the tests ----------------------------------------------------------------------------------


def test_every_url_of_the_project_is_in_the_table():
    missing = sorted({p.key for p in all_patterns() if not rows_for(p)})
    assert not missing, f"URLs missing from the authorization table: {', '.join(missing)}"


def test_every_entry_of_the_table_has_a_url():
    keys = {p.key for p in all_patterns()}
    namespaces = {p.namespace for p in all_patterns()}
    stale = sorted(
        key
        for key in TABLE
        if key not in keys and not (key.endswith(":*") and key.removesuffix(":*") in namespaces)
    )
    assert not stale, f"entries in the authorization table without a URL: {', '.join(stale)}"


def test_the_matrix_covers_the_admin_and_its_model_pages():
    keys = {c.pattern.key for c in CHECKS}
    assert {"admin:index", "admin:accounts_user_changelist", "admin:accounts_team_change"} <= keys


@pytest.mark.parametrize("check", CHECKS, ids=str)
def test_access(check, world, client):
    """The page answers each role as the table says, and leaks no free text to the refused."""
    row = check.row
    if row is None:
        pytest.fail(f"{check.pattern.key} is not in the authorization table of {__file__}")
    skip_if_not_built(check.pattern)
    path = url_for(check.pattern, row, world)
    login_as(client, world, check.role, check.row)
    allowed = check.role in row.allowed
    method = row.method if allowed else "GET"
    response = _send(client, method, path, row.data(world) if row.data and allowed else None)
    if allowed:
        problem = allowed_problem(check, response, method=method)
    else:
        problem = refusal_problem(check, client, response, method=method)
    assert problem is None, f"{check}: {problem}"
    if not row.may_see_description(check.role):
        assert MARKER not in _body(response), f"{check}: shows what happened ({MARKER!r}...)"


@pytest.mark.parametrize("check", REFUSED_POSTS, ids=str)
def test_refused_post_changes_nothing(check, world, client):
    """A role without access that POSTs anyway is refused, and no state changes."""
    skip_if_not_built(check.pattern)
    path = url_for(check.pattern, check.row, world)
    login_as(client, world, check.role, check.row)
    data = check.row.refused_post(world)  # made first: the objects it names are not a change
    before = snapshot()
    response = client.post(path, data)
    problem = refusal_problem(check, client, response, method="POST")
    assert problem is None, f"POST {check}: {problem}"
    after = snapshot()
    changed = [what for what in before if before[what] != after[what]]
    assert not changed, f"POST {check} was refused, yet changed: {', '.join(changed)}"
    assert MARKER not in _body(response), f"POST {check}: shows what happened"


# Views that take a POST but change no state even for those allowed, by design: there is no
# payload whose refusal could be proven, so their rows have no refused_post. Each says why.
POST_CHANGES_NOTHING = {
    "accounts:logout": "signing out ends the session, which is not state (NOT_STATE)",
    "admin:logout": "signing out ends the session, which is not state (NOT_STATE)",
    "portal:leave": "leaving ends the portal session, which is not state (NOT_STATE)",
    "set_language": "the language choice is a cookie",
}


def _allowed_role(row: Row) -> str:
    """Who posts a refused payload for real: the first allowed staff role (in the order of
    ROLES), or the participant on the portal, where no staff role is allowed."""
    staff = [role for role in ROLES if role in row.allowed & STAFF]
    if staff:
        return staff[0]
    assert "participant" in row.allowed, f"{row}: nobody may POST it"
    return "participant"


def _proofs() -> list[Check]:
    """One check per table row with a refused payload, played by a role that is allowed."""
    proofs: dict[str, Check] = {}
    for check in REFUSED_POSTS:
        role = _allowed_role(check.row)
        proofs.setdefault(check.label, Check(check.pattern, check.row, role, check.label))
    return list(proofs.values())


PROOFS = _proofs()


def test_every_view_that_takes_a_post_has_a_refused_payload_or_a_reason():
    """A POST-only view is proven to refuse with a payload that works, unless it changes
    nothing by design (POST_CHANGES_NOTHING): none is left out silently."""
    takes_post = {
        key
        for key, rows in TABLE.items()
        for row in (rows if isinstance(rows, tuple) else (rows,))
        if (row.post_only or row.method == "POST") and not row.refused_post
    }
    unexplained = sorted(takes_post - POST_CHANGES_NOTHING.keys())
    assert not unexplained, f"POST without a refused payload or a reason: {unexplained}"
    stale = sorted(POST_CHANGES_NOTHING.keys() - takes_post)
    assert not stale, f"POST_CHANGES_NOTHING names rows that are not POST-only: {stale}"


@pytest.mark.parametrize("check", PROOFS, ids=str)
def test_the_refused_post_would_have_changed_something(check, world, client):
    """The payload a refused role POSTs (test_refused_post_changes_nothing) is one that works:
    posted by a role that is allowed, on a world of its own, it changes state. So that test
    can fail for the right reason: a refusal that let the POST through would change something.
    A payload that the form or the rules turn down for everyone proves nothing."""
    skip_if_not_built(check.pattern)
    path = url_for(check.pattern, check.row, world)
    login_as(client, world, check.role, check.row)
    data = check.row.refused_post(world)  # made first: the objects it names are not a change
    before = snapshot()
    response = client.post(path, data)
    after = snapshot()
    changed = [what for what in before if before[what] != after[what]]
    assert changed, (
        f"POST {check} changed nothing ({describe(response)}): the refused payload is not "
        "one that works, so its refusal proves nothing"
    )
    assert response.status_code < 400, f"POST {check}: {describe(response)}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("asset", ["kring/kring.css", "kring/kring.js", "kring/favicon.svg"])
def test_static_files_are_served_to_everyone(asset, role, world, client):
    login_as(client, world, role)
    response = client.get(settings.STATIC_URL + asset)
    assert response.status_code == 200, f"static {asset} as {role}: got {response.status_code}"


def test_the_description_check_can_fail(world, client):
    """The request page does show the description to the office: the leak check above looks
    for text that really is on the pages."""
    login_as(client, world, "office")
    response = client.get(reverse("cases:request_detail", args=[world.obj("requested_case").pk]))
    assert MARKER in _body(response)


@pytest.mark.parametrize(
    "name", sorted({c.pattern.key for c in CHECKS if "<int:pk>" in c.pattern.route})
)
def test_a_case_that_does_not_exist_is_not_found_for_those_allowed(name, world, client):
    """Refused and non-existent look the same from outside: 404 for an unknown case number."""
    (pattern,) = [p for p in all_patterns() if p.key == name]
    skip_if_not_built(pattern)
    path = reverse(name, kwargs=dict.fromkeys(pattern.leaf.pattern.converters, 999999))
    for row in rows_for(pattern):
        for role in sorted(row.allowed & STAFF):
            login_as(client, world, role)
            response = client.post(path) if row.post_only else client.get(path)
            assert response.status_code == 404, (
                f"{name} #999999 as {role}: got {describe(response)}"
            )
