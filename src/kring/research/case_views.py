"""The questionnaires for staff (issue 13, point 1; R16).

- `research:on_paper` (GET, POST): the case's coordinator types in a questionnaire a
  participant filled in on paper (research.policy.may_answer_on_paper; anyone else who may see
  the case gets a 403, anyone who may not a 404). When it cannot be typed in now (answered
  already, the person stopped taking part) the page says why instead of showing the form. Every
  showing is logged, a refused POST too.
- `research:print` (GET): the blank questionnaire of one role, to print and hand out: no case,
  no name (research.policy.may_print_questionnaire: coordinators and managers); `?round=2`
  gives the second questionnaire's introduction. An unknown role or round is not found."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from kring.audit.log import record
from kring.cases.access import case_for
from kring.core.forms import posted
from kring.core.policy import Refused, enforce, options
from kring.research import policy
from kring.research.actions import answer
from kring.research.forms import PRINT_ROLES, QuestionnaireForm
from kring.research.models import AnswerRole, Invitation, Round, YesNo
from kring.research.questionnaire import CHANGES, CHANGES_INTRO, REMARK, REMARK_HINT, scales_for

FORM_METHODS = ["GET", "HEAD", "POST"]
ON_PAPER_VIEWED = "research.on_paper_viewed"
ON_PAPER_REFUSED = "research.on_paper_refused"


@require_http_methods(FORM_METHODS)
@login_required
@never_cache
def on_paper(request, pk: int, invitation: int):
    """Type in one participant's questionnaire from paper."""
    case = case_for(request.user, pk)
    found = get_object_or_404(
        Invitation.objects.select_related("record", "participant__case"),
        pk=invitation,
        participant__case=case,
    )
    refusal = policy.may_answer_on_paper(request.user, found)
    if refusal is not None and refusal.access:
        enforce(refusal)
    form = QuestionnaireForm(posted(request), role=found.role)
    status = 200
    if request.method == "POST":
        code = refusal.code if refusal is not None else "invalid"
        if refusal is None and form.is_valid():
            try:
                answer(found, form.answers(), by=request.user)
            except Refused as refused:
                form.add_error(None, refused.reason)
                code = refused.code
            else:
                messages.success(
                    request,
                    _("The questionnaire of %(name)s is typed in.")
                    % {"name": found.participant.name},
                )
                return redirect("cases:detail", case.pk)
        status = 400
        record(
            ON_PAPER_REFUSED,
            actor=request.user,
            case=case,
            obj=found.participant,
            data={"round": found.round, "code": code},
        )
        found.refresh_from_db()
        refusal = policy.may_answer_on_paper(request.user, found)
    record(
        ON_PAPER_VIEWED,
        actor=request.user,
        case=case,
        obj=found.participant,
        data={"round": found.round},
    )
    return render(
        request,
        "research/on_paper.html",
        {
            "case": case,
            "invitation": found,
            "form": form,
            "changes_intro": CHANGES_INTRO,
            "may": options(answer_on_paper=refusal),
        },
        status=status,
    )


@require_safe
@login_required
def print_questionnaire(request, role: str):
    """The blank questionnaire of `role`, for paper: the same questions as the personal page,
    with the introduction of the first questionnaire or, `?round=2`, of the second."""
    enforce(policy.may_print_questionnaire(request.user))
    if role not in PRINT_ROLES:
        raise Http404
    rounds = {
        "": Round.FIRST,
        str(Round.FIRST.value): Round.FIRST,
        str(Round.SECOND.value): Round.SECOND,
    }
    round_ = rounds.get(request.GET.get("round", ""))
    if round_ is None:
        raise Http404
    questions = []
    for question in scales_for(role):
        words = {1: question.low, 5: question.high}
        questions.append(
            {"text": question.text, "answers": [(n, words.get(n, "")) for n in range(1, 6)]}
        )
    return render(
        request,
        "research/print.html",
        {
            "role": AnswerRole(role).label,
            "second": round_ == Round.SECOND,
            "round_label": round_.label,
            "scales": questions,
            "changes_intro": CHANGES_INTRO,
            "changes": [q.text for q in CHANGES],
            "yes_no": [label for _value, label in YesNo.choices],
            "remark": REMARK,
            "remark_hint": REMARK_HINT,
            "line_rows": range(6),
        },
    )
