"""The coordinator's pages to confirm a date of the poll, move the meeting and cancel it (issue
9, points 5 and 7). Each shows what will happen and, on POST, calls one action of
scheduling.actions. What may be done is scheduling.policy, which the actions enforce and these
pages read: anyone who may not see the case gets a 404 (cases.access), anyone else who may see
it but may not act a 403; an action not possible now shows its reason instead of the form."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from kring.audit.log import record
from kring.cases.access import case_for
from kring.circle.guards import readiness
from kring.core.forms import posted
from kring.core.policy import Refusal, Refused, enforce
from kring.scheduling import actions, fit, policy
from kring.scheduling.forms import CancelForm, MoveForm
from kring.scheduling.models import Meeting, PollOption

FORM_METHODS = ["GET", "HEAD", "POST"]


def _meeting(request, pk) -> Meeting:
    """The meeting `pk`, if the user may read its case (404 otherwise)."""
    case_id = get_object_or_404(Meeting.objects.only("case_id"), pk=pk).case_id
    case = case_for(request.user, case_id)
    meeting = Meeting.objects.select_related("venue").get(pk=pk)
    meeting.case = case
    return meeting


def _access(refusal: Refusal | None) -> None:
    """Refuse with a 403 the actor who may never do this; a rule refusal is shown."""
    enforce(refusal if refusal is not None and refusal.access else None)


def _render(request, template, meeting, **context):
    record("scheduling.meeting_viewed", actor=request.user, case=meeting.case, obj=meeting)
    return render(request, template, {"meeting": meeting, "case": meeting.case, **context})


@require_http_methods(FORM_METHODS)
@login_required
@never_cache
def confirm(request, pk, option_id):
    """The date chosen from the poll: what fits and what not (scheduling.fit), what confirming
    does, and the button. A POST confirms: books, sets the date, schedules the case and sends
    the invitations."""
    meeting = _meeting(request, pk)
    # An option of another meeting is not found here at all.
    option = get_object_or_404(
        PollOption.objects.select_related("venue"), pk=option_id, meeting=meeting
    )
    refusal = policy.may_confirm(request.user, meeting, option)
    _access(refusal)
    error = ""
    if request.method == "POST" and refusal is None:
        try:
            actions.confirm(meeting, option, by=request.user)
        except Refused as refused:
            error = str(refused.reason)
        else:
            messages.success(
                request, _("The date is set. Everyone who takes part gets an invitation.")
            )
            return redirect("cases:detail", meeting.case_id)
    warnings = fit.warnings_for(
        option.venue, case=meeting.case, starts_at=option.starts_at, ends_at=option.ends_at
    )
    return _render(
        request,
        "scheduling/confirm.html",
        meeting,
        option=option,
        warnings=warnings,
        refusal=refusal.message if refusal else "",
        # Each reason the case is not ready yet, so the coordinator sees them all at once.
        not_ready=readiness(meeting.case)
        if refusal is not None and not meeting.is_follow_up
        else [],
        error=error,
    )


@require_http_methods(FORM_METHODS)
@login_required
@never_cache
def move(request, pk):
    """Another time or venue for a confirmed meeting."""
    meeting = _meeting(request, pk)
    refusal = policy.may_move(request.user, meeting)
    _access(refusal)
    form = MoveForm(posted(request), meeting=meeting)
    if request.method == "POST" and refusal is None and form.is_valid():
        starts_at, ends_at, venue = form.moment()
        try:
            actions.move(
                meeting, starts_at=starts_at, ends_at=ends_at, venue=venue, by=request.user
            )
        except Refused as refused:
            form.add_error(None, refused.reason)
        else:
            messages.success(
                request,
                _("The follow-up meeting is moved. Everyone who takes part is told.")
                if meeting.is_follow_up
                else _("The meeting is moved. Everyone who takes part is told."),
            )
            return redirect("cases:detail", meeting.case_id)
    return _render(
        request,
        "scheduling/move.html",
        meeting,
        form=form,
        refusal=refusal.message if refusal else "",
    )


@require_http_methods(FORM_METHODS)
@login_required
@never_cache
def cancel(request, pk):
    """Cancel a confirmed meeting: the case goes back to preparation, or stops; a follow-up
    meeting is cancelled with nothing to choose (the case stays in follow-up), and while its
    date poll is open, this stops the poll."""
    meeting = _meeting(request, pk)
    stopping = meeting.is_follow_up and meeting.status == Meeting.Status.POLLING
    refusal = policy.may_cancel(request.user, meeting)
    _access(refusal)
    form = forms.Form(posted(request)) if meeting.is_follow_up else CancelForm(posted(request))
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            actions.cancel(
                meeting,
                then=form.cleaned_data.get("then"),
                reason=form.cleaned_data.get("reason") or "",
                by=request.user,
            )
        except Refused as refused:
            form.add_error(None, refused.reason)
        else:
            messages.success(
                request,
                _("The date poll is stopped.")
                if stopping
                else _("The follow-up meeting is cancelled. Everyone who takes part is told.")
                if meeting.is_follow_up
                else _("The meeting is cancelled. Everyone who takes part is told."),
            )
            return redirect("cases:detail", meeting.case_id)
    return _render(
        request,
        "scheduling/cancel.html",
        meeting,
        form=form,
        stopping=stopping,
        refusal=refusal.message if refusal else "",
    )
