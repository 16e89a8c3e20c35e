"""What the circle holds about one participant, for their export (GDPR article 15; issue 14,
point 8; docs/data-retention.md "A person's rights"). Registered with kring.cases.registry from
circle/apps.py.

Only what is about this participant or came from them: their own row, the coordinator's notes
of the conversations with THEM, their acknowledgment, the consents given by or for them, the
nominations they made, their invitations, their personal links (when issued and until when,
never a token or a code), their questions and the answers, the notices about them, and what the
request said about them. Never what another participant said or wrote, another participant's
contact details, or the safety check (`RiskFlag`: the coordinator's assessment, which may rest
on what others said; R7, R18)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.cases.registry import ExportItem, ExportSection
from kring.circle import notices
from kring.circle.models import (
    Acknowledgment,
    Consent,
    Conversation,
    FromRequest,
    Invitation,
    Nomination,
    Notice,
    Participant,
    PersonalLink,
    Question,
)


def _yes_no(value: bool) -> str:
    return str(_("yes")) if value else str(_("no"))


def participant_export(participant: Participant) -> list[ExportSection]:
    return [
        section
        for section in (
            _details(participant),
            _from_request(participant),
            _conversations(participant),
            _acknowledgments(participant),
            _consents(participant),
            _nominations(participant),
            _invitations(participant),
            _links(participant),
            _questions(participant),
            _notices(participant),
        )
        if section.items
    ]


def _details(p: Participant) -> ExportSection:
    items = [
        ExportItem("participant.name", _("name"), p.name),
        ExportItem("participant.side", _("side"), str(p.get_side_display())),
        ExportItem(
            "participant.status", _("status"), str(p.get_status_display()), p.status_changed_at
        ),
        ExportItem("participant.language", _("preferred language"), str(p.get_language_display())),
        ExportItem("participant.minor", _("minor"), _yes_no(p.is_minor)),
        ExportItem(
            "participant.interpreter_needed",
            _("needs an interpreter"),
            _yes_no(p.interpreter_needed),
        ),
        ExportItem("participant.added", _("added to the circle"), "", p.added_at),
    ]
    optional = [
        ("participant.relation", _("relation to the others"), p.relation),
        ("participant.email", _("e-mail address"), p.email),
        ("participant.phone", _("telephone number"), p.phone),
        ("participant.address", _("postal address"), p.address),
        ("participant.interpreter_language", _("interpreter for"), p.interpreter_language),
        ("participant.accessibility_needs", _("accessibility needs"), p.accessibility_needs),
        ("participant.wishes", _("wishes about who comes"), p.wishes),
        ("participant.supports", _("in the circle of"), p.supports.name if p.supports else ""),
        ("participant.guardian", _("parent or guardian"), p.guardian.name if p.guardian else ""),
    ]
    items += [ExportItem(key, label, value) for key, label, value in optional if value]
    items += [
        ExportItem("participant.ward", _("parent or guardian of"), ward.name)
        for ward in Participant.objects.filter(guardian=p)
    ]
    return ExportSection("participant", _("Your details"), tuple(items))


def _from_request(p: Participant) -> ExportSection:
    """What the request said about them: their name, their role in what happened and the
    contact details given, not the requester's account of what happened (the requester's own)."""
    choice = FromRequest.objects.filter(participant=p).select_related("person").first()
    if choice is None:
        return ExportSection("request", _("In the request"))
    person = choice.person
    items = [
        ExportItem("request.name", _("name"), person.name),
        ExportItem("request.side", _("role in what happened"), str(person.get_side_display())),
    ]
    if person.contact:
        items.append(ExportItem("request.contact", _("contact details, if known"), person.contact))
    return ExportSection("request", _("In the request"), tuple(items))


def _conversations(p: Participant) -> ExportSection:
    items = []
    for c in Conversation.objects.filter(participant=p):
        items.append(
            ExportItem("conversation.mode", _("how"), str(c.get_mode_display()), c.held_at)
        )
        if c.notes:
            items.append(ExportItem("conversation.notes", _("short notes"), c.notes, c.held_at))
    return ExportSection("conversations", _("Preparatory conversations"), tuple(items))


def _acknowledgments(p: Participant) -> ExportSection:
    items = [
        ExportItem(
            "acknowledgment",
            _("acknowledges their part"),
            f"{_yes_no(a.acknowledges)} ({a.get_mode_display()})",
            a.given_at,
        )
        for a in Acknowledgment.objects.filter(participant=p)
    ]
    return ExportSection("acknowledgment", _("Acknowledgment"), tuple(items))


def _consents(p: Participant) -> ExportSection:
    items = []
    rows = Consent.all_objects.filter(participant=p) | Consent.all_objects.filter(given_by=p)
    for c in rows.select_related("participant", "given_by").distinct().order_by("given_at", "pk"):
        about = c.participant.name if c.participant_id != p.pk else ""
        by = c.given_by.name if c.given_by_id != p.pk else ""
        value = str(_("to the information of version %(version)s, %(how)s")) % {
            "version": c.information_version,
            "how": c.get_mode_display(),
        }
        if about:
            value += " · " + str(_("for %(name)s")) % {"name": about}
        if by:
            value += " · " + str(_("given by %(name)s")) % {"name": by}
        if c.superseded_at:
            value += " · " + str(_("no longer counts"))
        items.append(ExportItem("consent", _("consent"), value, c.given_at))
        for key, label, answer in (
            ("consent.legal_advice", _("legal advice"), c.get_legal_advice_display()),
            ("consent.interpreter", _("an interpreter"), c.get_interpreter_display()),
            ("consent.support_person", _("a support person"), c.get_support_person_display()),
        ):
            items.append(ExportItem(key, label, str(answer), c.given_at))
    return ExportSection("consents", _("Consent and rights"), tuple(items))


def _nominations(p: Participant) -> ExportSection:
    items = []
    for n in Nomination.objects.filter(nominated_by=p):
        value = n.name + (f" ({n.relation})" if n.relation else "")
        value += " · " + str(n.get_decision_display())
        items.append(ExportItem("nomination.made", _("named by you"), value, n.created_at))
    named = Nomination.objects.filter(participant=p).first()
    if named is not None:
        items.append(
            ExportItem(
                "nomination.about", _("named by someone in the circle"), "", named.created_at
            )
        )
    return ExportSection("nominations", _("Who else should be there"), tuple(items))


def _invitations(p: Participant) -> ExportSection:
    items = [
        ExportItem("invitation", _("invitation"), str(i.get_channel_display()), i.sent_at)
        for i in Invitation.objects.filter(participant=p)
    ]
    return ExportSection("invitations", _("Invitations"), tuple(items))


def _links(p: Participant) -> ExportSection:
    """When each personal link was issued and until when it was valid: never its token or code."""
    items = []
    for link in PersonalLink.objects.filter(participant=p).order_by("issued_at", "pk"):
        end = link.revoked_at or link.expires_at
        items.append(
            ExportItem(
                "personal_link",
                _("personal link"),
                str(_("valid until %(date)s"))
                % {"date": timezone.localtime(end).date().isoformat()},
                link.issued_at,
            )
        )
    return ExportSection("links", _("Personal links"), tuple(items))


def _questions(p: Participant) -> ExportSection:
    items = []
    for q in Question.objects.filter(participant=p):
        items.append(ExportItem("question.text", _("your question"), q.text, q.asked_at))
        if q.answer:
            items.append(ExportItem("question.answer", _("answer"), q.answer, q.answered_at))
        elif q.answered_at:
            items.append(
                ExportItem(
                    "question.answered",
                    _("answer"),
                    str(q.get_answered_how_display()),
                    q.answered_at,
                )
            )
    return ExportSection("questions", _("Questions to the coordinator"), tuple(items))


def _notices(p: Participant) -> ExportSection:
    items = [
        ExportItem(
            "notice", _("notice for the coordinator"), str(notices.label(n.kind)), n.created_at
        )
        for n in Notice.objects.filter(participant=p)
    ]
    return ExportSection("notices", _("Notices for the coordinator"), tuple(items))
