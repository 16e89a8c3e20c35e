"""The coordinator's pages for what participants bring to them (issue 8): a notice marked
handled, a return recorded (R9), a question answered. Like circle.views: parse, call one
action, redirect; what may be done is circle.policy. Only the case's coordinator (403 for
other staff who see the case, 404 for anyone else, cases.access)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kring.audit.log import record
from kring.cases.access import case_for
from kring.circle import actions, notice_forms, policy
from kring.circle.models import Notice, Question
from kring.circle.views import FORM_METHODS, _allowed, _form_action, _participant, _render_form
from kring.core.forms import posted
from kring.core.policy import Refused


def _to_case(case):
    return redirect("cases:detail", pk=case.pk)


@require_POST
@login_required
def handle_notice(request, pk, notice_id):
    """The coordinator has seen a notice and done what it asked."""
    case = case_for(request.user, pk)
    notice = get_object_or_404(Notice, pk=notice_id, case=case)
    notice.case = case
    _allowed(policy.may_handle_notice(request.user, notice))
    try:
        actions.handle_notice(notice, by=request.user)
    except Refused as exc:
        messages.error(request, exc.reason)
    else:
        messages.success(request, _("The notice is marked as handled."))
    return _to_case(case)


@require_http_methods(FORM_METHODS)
@login_required
def record_return(request, pk, participant_id):
    """R9: someone who withdrew or declined takes part again, after a conversation."""
    case, participant = _participant(request, pk, participant_id)
    refusal = _allowed(policy.may_record_return(request.user, participant))
    form = notice_forms.ReturnForm(posted(request))

    def done(_returned):
        messages.success(
            request,
            _("%(name)s takes part again. Ask them for consent again.")
            % {"name": participant.name},
        )
        return _to_case(case)

    return _form_action(
        request,
        refusal,
        form,
        lambda data: actions.record_return(participant, by=request.user, **data),
        done,
    ) or _render_form(request, "circle/return.html", case, form, participant, refusal=refusal)


@require_http_methods(FORM_METHODS)
@login_required
def answer(request, pk, question_id):
    """The coordinator reads a participant's question and answers it, in Kring or by phone."""
    case = case_for(request.user, pk)
    question = get_object_or_404(
        Question.objects.select_related("participant"), pk=question_id, participant__case=case
    )
    question.participant.case = case
    refusal = _allowed(policy.may_answer_question(request.user, question))
    form = notice_forms.AnswerForm(posted(request))

    def done(_answered):
        messages.success(request, _("Your answer is recorded."))
        return _to_case(case)

    response = _form_action(
        request,
        refusal,
        form,
        lambda data: actions.answer_question(question, by=request.user, **data),
        done,
    )
    if response is not None:
        return response
    if request.method != "POST":
        record("circle.question_read", actor=request.user, case=case, obj=question)
    return render(
        request,
        "circle/answer.html",
        {
            "case": case,
            "question": question,
            "participant": question.participant,
            "form": form,
            "refusal": str(refusal.message) if refusal is not None and not form.is_bound else "",
        },
    )
