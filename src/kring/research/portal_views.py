"""The questionnaires on the participant's personal page (issue 13, point 1; R16).

`research:questionnaire` (GET and POST) shows the questionnaire of one round to the participant
of this browser's portal session (kring.portal.decorators.portal_page) and stores it through
research.actions.answer as their own act (Actor.in_portal). After storing, the same page thanks
them. A questionnaire answered already is never stored twice: the page says so (400 on a second
POST). Someone who stopped taking part is told they can no longer fill it in. Every showing is
logged (the read), and so is every refused POST.

The panel on the personal page ("A short questionnaire waits for you") shows while an invitation
waits and the participant still takes part."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kring.audit.actors import Actor
from kring.audit.log import record
from kring.core.forms import posted
from kring.core.policy import NotAllowed, Refused, enforce, options
from kring.portal.decorators import portal_page
from kring.research import policy
from kring.research.actions import answer
from kring.research.forms import QuestionnaireForm
from kring.research.models import Invitation, Round
from kring.research.questionnaire import CHANGES_INTRO

if TYPE_CHECKING:
    from kring.circle.models import Participant

VIEWED = "research.questionnaire_viewed"
REFUSED = "research.answer_refused"
FORM_METHODS = ["GET", "HEAD", "POST"]


def _waiting(participant: Participant) -> Invitation | None:
    """The questionnaire waiting for `participant`: the newest unanswered invitation."""
    return (
        Invitation.objects.filter(participant=participant, answered_at__isnull=True)
        .order_by("-round", "-pk")
        .first()
    )


def home_panel(participant: Participant):
    """The panel on the personal page (portal.registry): a questionnaire waits."""
    invitation = _waiting(participant)
    if invitation is None:
        return None
    invitation.participant = participant
    may_answer = policy.may_answer(Actor.in_portal(participant), invitation)
    if may_answer is not None:
        return None  # stopped taking part: nothing waits for them
    return (
        "research/portal/_home_panel.html",
        {
            "round": invitation.round,
            "second": invitation.round == Round.SECOND,
            "may": options(answer=may_answer),
        },
    )


def _page(request, participant, invitation, form, refusal, *, status: int = 200):
    return render(
        request,
        "research/portal/questionnaire.html",
        {
            "participant": participant,
            "invitation": invitation,
            "second": invitation.round == Round.SECOND,
            "form": form,
            "changes_intro": CHANGES_INTRO,
            "answered": refusal is not None and refusal.code == "answered",
            "refusal": refusal,
            "may": options(answer=refusal),
        },
        status=status,
    )


@portal_page
@require_http_methods(FORM_METHODS)
def questionnaire(request, participant, round: int):  # noqa: A002 (the URL's word)
    """One round's questionnaire: the form, or why it cannot be filled in (answered already:
    thank you; stopped taking part)."""
    me = Actor.in_portal(participant)
    enforce(policy.may_read_questionnaires(me, participant))
    invitation = (
        Invitation.objects.select_related("record", "participant__case")
        .filter(participant=participant, round=round)
        .first()
    )
    if invitation is None:
        raise Http404
    case = participant.case
    refusal = policy.may_answer(me, invitation)
    if refusal is not None and refusal.access:
        raise NotAllowed(refusal)
    form = QuestionnaireForm(posted(request), role=invitation.role)
    status = 200
    if request.method == "POST":
        if refusal is None and form.is_valid():
            try:
                answer(invitation, form.answers(), by=me)
            except Refused as refused:
                form.add_error(None, refused.reason)
                refusal_code = refused.code
            else:
                messages.success(request, _("Thank you for filling in the questionnaire."))
                return _see_other("research:questionnaire", round)
        else:
            refusal_code = refusal.code if refusal is not None else "invalid"
        status = 400
        record(
            REFUSED,
            actor=me,
            case=case,
            obj=participant,
            data={"round": round, "code": refusal_code},
        )
        invitation.refresh_from_db()
        refusal = policy.may_answer(me, invitation)
    record(VIEWED, actor=me, case=case, obj=participant, data={"round": round})
    return _page(request, participant, invitation, form, refusal, status=status)


def _see_other(name: str, *args):
    """303: after a POST the browser fetches the page again with GET."""
    response = redirect(name, *args)
    response.status_code = 303
    return response
