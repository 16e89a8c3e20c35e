"""Who may do what in the circle of a case, now (ADR 0005). One function per action of
circle/actions.py: None when allowed, or a Refusal (core.policy). The actions enforce these;
the coordinator's pages, the portal and later the API read them.

The actor is a staff user (the case's coordinator; an answer told by phone) or a participant
acting in the portal (audit.actors.Actor.in_portal), for themselves or, as parent or guardian,
for a minor.
"""

from collections.abc import Collection

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kring.accounts.models import Role
from kring.audit.actors import By, actor_of
from kring.cases import lifecycle
from kring.cases.lifecycle import State
from kring.cases.models import Case
from kring.cases.policy import of_the_team, staff_role, the_coordinator
from kring.circle import guards, information
from kring.circle.models import (
    HAS_LEFT,
    Nomination,
    Notice,
    Participant,
    Question,
    RiskFlag,
    Side,
    Status,
)
from kring.circle.recorded import any_recorded, recorded
from kring.core.policy import Refusal, deny, first, rule
from kring.referrals.models import ReferralPerson

# --- the rules, each defined once ---------------------------------------------------------------

# The circle is prepared (people added, spoken with, invited; answers, consent, nominations).
PREPARING = (State.PREPARING,)
# R9: a participant may withdraw at any moment until the plan is signed.
WITHDRAWABLE = (State.PREPARING, State.SCHEDULED)
# A personal link can be renewed while the participant still needs the portal: to prepare and
# answer, and after the conference to sign the plan remotely and download their copy (R14).
LINKS_IN_USE = (State.PREPARING, State.SCHEDULED, State.CONFERENCE_HELD, State.FOLLOWING_UP)
# R7: the safety check stays open until the meeting.
SAFETY_CHECK = (State.PREPARING, State.SCHEDULED)
# An invitation can be answered (and the answer changed) while it stands.
ANSWERABLE = (Status.INVITED, Status.ACCEPTED, Status.DECLINED)


def participant_erased(participant: Participant) -> bool:
    """The participant's details were erased at their request or with the case
    (kring.privacy; circle.erasure sets `erased_at`). Asks nothing of the database."""
    return getattr(participant, "erased_at", None) is not None


def not_erased(participant: Participant) -> Refusal | None:
    """An erased participant stays erased: nothing is added, changed or reissued for them (no
    details typed back in, no link or letter code, no invitation, conversation, answer, consent,
    nomination, question or withdrawal). What they did before stays readable; their name reads
    as the erased name. The one rule: the privacy app reads it too."""
    if participant_erased(participant):
        return rule("erased", _("The details of this person have been erased."))
    return None


def _preparing(case: Case) -> Refusal | None:
    if case.state in PREPARING:
        return None
    return rule("not_preparing", _("This is possible only while the case is being prepared."))


def _in(case: Case, states: Collection[str], message: str | Promise) -> Refusal | None:
    return None if case.state in states else rule("state", message)


# --- who ------------------------------------------------------------------------------------------


def _portal_participant(actor: By) -> Participant | None:
    """The participant acting in the portal, or None for anyone else."""
    actor = actor_of(actor)
    return actor.participant if actor.is_participant else None


def coordinator_or_self(actor: By, participant: Participant) -> Refusal | None:
    """The case's coordinator (by phone, on paper), or the participant in their own portal."""
    acting = _portal_participant(actor)
    if acting is not None:
        if acting.pk == participant.pk:
            return None
        return deny("not_self", _("You can only do this for yourself."))
    return the_coordinator(actor, participant.case)


def coordinator_self_or_guardian(actor: By, participant: Participant) -> Refusal | None:
    """As coordinator_or_self, and a minor's parent or guardian for the minor (R9)."""
    acting = _portal_participant(actor)
    if acting is not None and is_guardian_of(acting, participant):
        return None
    return coordinator_or_self(actor, participant)


def is_guardian_of(person: Participant, minor: Participant) -> bool:
    """`person` is the recorded parent or guardian of `minor`, and may be (R9): an adult on the
    minor's own side. A guardian recorded before that rule was enforced does not count."""
    return (
        minor.is_minor
        and minor.guardian_id == person.pk
        and guards.guardian_refusal(minor, person) is None
    )


# --- the coordinator's preparation ----------------------------------------------------------------


def may_view_circle(actor: By, case: Case) -> Refusal | None:
    """The circle page: the coordinator in full, the office and the manager names and states
    only (R18). Which cases they see at all is cases.access."""
    return staff_role(actor, Role.COORDINATOR, Role.OFFICE, Role.MANAGER)


def sees_safety_summary(actor: By, case: Case) -> bool:
    """The case's coordinator and the team's manager see on the case page whether a high risk
    is open (its level, never what it is about); the office does not (R7, R18)."""
    return the_coordinator(actor, case) is None or (
        staff_role(actor, Role.MANAGER) is None and of_the_team(actor, case) is None
    )


def sees_everything(actor: By, case: Case) -> bool:
    """Only the case's own coordinator sees notes, assessments and contact details (R18)."""
    return the_coordinator(actor, case) is None


def may_start_preparation(actor: By, case: Case) -> Refusal | None:
    return first(
        lambda: the_coordinator(actor, case),
        lambda: lifecycle.refusal(case, "start_preparation"),
    )


def may_prepare(actor: By, case: Case) -> Refusal | None:
    """The case's coordinator works on the circle while the case is being prepared: add and
    change people, record conversations, risks and nominations."""
    return first(lambda: the_coordinator(actor, case), lambda: _preparing(case))


def may_add_participant(actor: By, case: Case) -> Refusal | None:
    return may_prepare(actor, case)


def may_update_participant(actor: By, participant: Participant) -> Refusal | None:
    return first(lambda: may_prepare(actor, participant.case), lambda: not_erased(participant))


def may_record_conversation(actor: By, participant: Participant) -> Refusal | None:
    """R7: a preparatory conversation with someone in the circle; the harmed side only once
    someone responsible has acknowledged (R4)."""
    return first(
        lambda: may_prepare(actor, participant.case),
        lambda: not_erased(participant),
        lambda: _approachable(participant),
    )


def may_record_acknowledgment(actor: By, participant: Participant) -> Refusal | None:
    """R3: only a person responsible acknowledges their part."""
    return first(
        lambda: may_prepare(actor, participant.case),
        lambda: not_erased(participant),
        lambda: (
            None
            if participant.side == Side.RESPONSIBLE
            else rule("not_responsible", _("Only a person responsible acknowledges their part."))
        ),
    )


def may_invite(actor: By, participant: Participant) -> Refusal | None:
    """The order of the method (R3, R4, R5, R9: circle.guards.may_be_invited). Someone who has
    accepted needs no new invitation; a new personal link is another action."""
    return first(
        lambda: may_prepare(actor, participant.case),
        lambda: not_erased(participant),
        lambda: _may_be_invited(participant),
        lambda: (
            rule(
                "accepted",
                _("%(name)s has accepted the invitation already.") % {"name": participant.name},
            )
            if participant.status == Status.ACCEPTED
            else None
        ),
    )


def _approachable(participant: Participant) -> Refusal | None:
    reason = guards.may_be_approached(participant)
    return rule("order_of_the_method", reason) if reason else None


def _may_be_invited(participant: Participant) -> Refusal | None:
    reason = guards.may_be_invited(participant)
    return rule("order_of_the_method", reason) if reason else None


def may_reissue_link(actor: By, participant: Participant) -> Refusal | None:
    """A new personal link for someone who was invited, while they may still be invited: the
    same order of the method as the invitation itself (R4: never for the harmed side before an
    acknowledgment)."""
    return first(
        lambda: the_coordinator(actor, participant.case),
        lambda: _in(
            participant.case,
            LINKS_IN_USE,
            _("A new personal link is possible only while the case is under way."),
        ),
        lambda: not_erased(participant),
        lambda: (
            None
            if participant.status in (Status.INVITED, Status.ACCEPTED)
            else rule(
                "not_invited",
                _("%(name)s has not been invited: invite them first.") % {"name": participant.name},
            )
        ),
        lambda: _may_be_invited(participant),
    )


def may_remove_participant(actor: By, participant: Participant) -> Refusal | None:
    """Take out a person added by mistake, only while nothing has happened with them yet:
    once invited, spoken with or consenting, their history stays (R9)."""
    return first(
        lambda: may_prepare(actor, participant.case),
        lambda: not_erased(participant),
        lambda: _untouched(participant),
    )


def _untouched(participant: Participant) -> Refusal | None:
    if participant.status != Status.TO_INVITE or any_recorded(participant, "invitations"):
        return rule(
            "invited",
            _("%(name)s has been invited: record a withdrawal instead of removing them.")
            % {"name": participant.name},
        )
    if (
        any_recorded(participant, "conversations")
        or any_recorded(participant, "acknowledgments")
        or any_recorded(participant, "consents")
    ):
        return rule(
            "has_history",
            _("%(name)s has a conversation, acknowledgment or consent on record, which stays.")
            % {"name": participant.name},
        )
    dependants = getattr(participant, "has_dependants", None)  # set by queries.load_circle
    if dependants is None:
        dependants = participant.circle.exists() or participant.wards.exists()
    if dependants:
        return rule(
            "has_dependants",
            _(
                "Others stand in the circle of %(name)s or have them as guardian: change those first."
            )
            % {"name": participant.name},
        )
    return None


def may_decide_nomination(actor: By, nomination: Nomination) -> Refusal | None:
    """R6: the coordinator adds a nominee to the circle or records why not, once."""
    return first(
        lambda: may_prepare(actor, nomination.case),
        lambda: not_erased(nomination.nominated_by),  # their nominations' names are erased too
        lambda: (
            None
            if nomination.decision == Nomination.Decision.PENDING
            else rule("decided", _("This nomination has been decided already."))
        ),
    )


def may_flag_risk(actor: By, case: Case) -> Refusal | None:
    """R7: a risk in the safety check, until the meeting."""
    return first(
        lambda: the_coordinator(actor, case),
        lambda: _in(case, SAFETY_CHECK, _("The safety check is done before the meeting.")),
    )


def may_resolve_risk(actor: By, flag: RiskFlag) -> Refusal | None:
    return first(
        lambda: may_flag_risk(actor, flag.case),
        lambda: (
            None
            if flag.resolved_at is None
            else rule("resolved", _("This risk is resolved already."))
        ),
    )


# --- what a participant does (in the portal, or told to the coordinator) -----------------------


def may_respond(actor: By, participant: Participant) -> Refusal | None:
    """R9: accept or decline the invitation (and change one's mind) during the preparation."""
    return first(
        lambda: coordinator_or_self(actor, participant),
        lambda: _preparing(participant.case),
        lambda: not_erased(participant),
        lambda: (
            None
            if participant.status in ANSWERABLE
            else rule("no_invitation", _("There is no open invitation to answer."))
        ),
    )


def may_consent(actor: By, participant: Participant) -> Refusal | None:
    """R9, R17: informed consent, by the participant (or the coordinator who obtained it), and
    for a minor also by the parent or guardian. Not asked of the harmed side before an
    acknowledgment (R4)."""
    return first(
        lambda: coordinator_self_or_guardian(actor, participant),
        lambda: _preparing(participant.case),
        lambda: not_erased(participant),
        lambda: _takes_part(participant),
        lambda: _approachable(participant),
        lambda: _consent_given(actor, participant),
    )


def _consent_given(actor: By, participant: Participant) -> Refusal | None:
    """R9: a consent that counts (not superseded by a return) to the current information is not
    asked again; a new version of the information asks anew. In the portal it is the one acting
    whose consent counts (a guardian may still consent for a ward who has none); the coordinator
    records for whoever still has to: the participant, and a minor's guardian (issue 8, point 6)."""
    acting = _portal_participant(actor)
    if acting is not None:
        givers = {acting.pk}
    else:
        givers = {participant.pk}
        if participant.is_minor and participant.guardian_id:
            givers.add(participant.guardian_id)
    current = {
        c.given_by_id
        for c in recorded(participant, "consents")
        if c.information_version == information.CURRENT_VERSION
    }
    if not givers <= current:
        return None
    if acting is not None and acting.pk == participant.pk:
        return rule("consented", _("You have given your consent already."))
    return rule(
        "consented",
        _("The consent for %(name)s has been given already.") % {"name": participant.name},
    )


def may_nominate(actor: By, participant: Participant) -> Refusal | None:
    """R6: someone who takes part names who else should be there (the harmed side once they
    may be approached, R4)."""
    return first(
        lambda: coordinator_or_self(actor, participant),
        lambda: _preparing(participant.case),
        lambda: not_erased(participant),
        lambda: _takes_part(participant),
        lambda: _approachable(participant),
    )


def may_withdraw(actor: By, participant: Participant) -> Refusal | None:
    """R9: withdraw without a reason, with immediate effect, until the plan is signed."""
    return first(
        lambda: coordinator_or_self(actor, participant),
        lambda: _in(
            participant.case, WITHDRAWABLE, _("Withdrawing is possible until the plan is signed.")
        ),
        lambda: not_erased(participant),
        lambda: (
            None
            if participant.status != Status.WITHDRAWN
            else rule(
                "withdrawn", _("%(name)s has withdrawn already.") % {"name": participant.name}
            )
        ),
    )


def _takes_part(participant: Participant) -> Refusal | None:
    if participant.takes_part:
        return None
    return rule("not_taking_part", _("%(name)s does not take part.") % {"name": participant.name})


# --- reaching the coordinator, and coming back (issue 8) -----------------------------------------

# A question can be asked during the preparation; a withdrawn or declined person too: asking to
# come back is a question (R9).
QUESTIONS_OPEN = (State.PREPARING, State.SCHEDULED)
# R9: someone who withdrew or declined may come back, until the plan is signed.
RETURNABLE = WITHDRAWABLE
# Who declined or withdrew: HAS_LEFT, defined with the statuses in circle.models, read from here.


def may_ask_question(actor: By, participant: Participant) -> Refusal | None:
    """A participant asks their coordinator something in their own portal ("Vraag iets aan je
    coördinator"); the coordinator has the telephone."""
    acting = _portal_participant(actor)
    return first(
        lambda: (
            None
            if acting is not None and acting.pk == participant.pk
            else deny("not_self", _("You can only ask a question for yourself."))
        ),
        lambda: _in(
            participant.case,
            QUESTIONS_OPEN,
            _("Asking a question here is possible only during the preparation."),
        ),
        lambda: not_erased(participant),
    )


def may_answer_question(actor: By, question: Question) -> Refusal | None:
    """The case's coordinator answers a question once: in Kring, or records that they did so by
    telephone."""
    return first(
        lambda: the_coordinator(actor, question.participant.case),
        lambda: not_erased(question.participant),
        lambda: (
            None
            if not question.answered
            else rule("answered", _("This question has been answered already."))
        ),
    )


def may_handle_notice(actor: By, notice: Notice) -> Refusal | None:
    """The case's coordinator marks a notice handled, once."""
    return first(
        lambda: the_coordinator(actor, notice.case),
        lambda: (
            None if notice.is_open else rule("handled", _("This notice has been handled already."))
        ),
    )


def may_record_return(actor: By, participant: Participant) -> Refusal | None:
    """R9: taking part is voluntary both ways. Someone who withdrew or declined comes back after
    speaking with the coordinator, who records it; a new consent is then needed."""
    return first(
        lambda: the_coordinator(actor, participant.case),
        lambda: _in(
            participant.case,
            RETURNABLE,
            _("Coming back is possible until the plan is signed."),
        ),
        lambda: not_erased(participant),
        lambda: (
            None
            if participant.status in HAS_LEFT
            else rule("takes_part", _("%(name)s takes part already.") % {"name": participant.name})
        ),
    )


# --- the people named in the request (issue 8, point 8) ------------------------------------------


def may_add_from_request(actor: By, person: ReferralPerson) -> Refusal | None:
    """The case's coordinator adds a person named in the request to the circle, or sets them
    aside, once each, while the circle is prepared; never anyone else, never automatically.
    `person.case` is the case (set by the caller; otherwise read through the request)."""
    case = getattr(person, "case", None) or person.referral.case
    return first(
        lambda: may_prepare(actor, case),
        lambda: (
            rule(
                "decided",
                _("%(name)s from the request has been added or set aside already.")
                % {"name": person.name},
            )
            if hasattr(person, "circle_choice")
            else None
        ),
    )
