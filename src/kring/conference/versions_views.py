"""The pages of the plan's versions, the informal part and a meeting that did not take place
(issue 10, points 5 and 6). Each reads its policy (conference.policy) and calls one action
(conference.versions, conference.not_held). Anyone who may not see the case gets a 404
(cases.access), anyone else who may see it but may never do this a 403; an action not possible
now shows its reason. Every page with case data logs the read and is never cached."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kring.audit.log import record
from kring.cases.access import case_for
from kring.conference import content, not_held, policy, queries, versions
from kring.conference.not_held_forms import NotHeldForm
from kring.conference.view_helpers import access, plan_or_404
from kring.core.forms import posted
from kring.core.policy import Refused, enforce, options
from kring.scheduling import policy as scheduling_policy

FORM_METHODS = ["GET", "HEAD", "POST"]


@require_http_methods(FORM_METHODS)
@login_required
@never_cache
def finalise(request, pk):
    """The plan as it will be made final, what changed since the last version, and the button;
    a POST makes it the next version. A plan not complete yet shows what it still needs."""
    case = case_for(request.user, pk)
    plan = plan_or_404(case)
    refusal = policy.may_finalise(request.user, plan)
    access(refusal)
    error = ""
    if request.method == "POST":
        try:
            version = versions.finalise(plan, by=request.user)
        except Refused as refused:
            error = str(refused.reason)
        else:
            messages.success(
                request,
                _("Version %(number)s of the plan is final.") % {"number": version.number},
            )
            return redirect("conference:versions", case.pk)
    latest = versions.latest_version(plan)
    now = content.canonical(plan)
    record("conference.finalise_viewed", actor=request.user, case=case, obj=plan)
    return render(
        request,
        "conference/finalise.html",
        {
            "case": case,
            "plan": plan,
            "content": now,
            "latest": latest,
            "changed": versions.changes(latest.content, now) if latest else None,
            "missing": versions.missing(plan),
            "may": options(
                finalise=refusal,
                edit_plan=policy.may_edit_plan(request.user, plan.conference),
            ),
            "error": error,
        },
    )


@require_safe
@login_required
@never_cache
def version_list(request, pk):
    """Every version of the plan: when, by whom, its hash, and what changed since the one
    before; whether the plan is final now or a draft of the next version."""
    case = case_for(request.user, pk)
    enforce(policy.may_read_plan(request.user, case))
    plan = plan_or_404(case)
    found = list(plan.versions.select_related("finalised_by").order_by("number"))
    latest = found[-1] if found else None
    record("conference.versions_viewed", actor=request.user, case=case, obj=plan)
    return render(
        request,
        "conference/versions.html",
        {
            "case": case,
            "plan": plan,
            "conference": plan.conference,
            "versions": list(reversed(versions.with_changes(found))),
            "latest": latest,
            "final": versions.is_final(plan, latest),
            "missing": versions.missing(plan),
            "may": options(
                finalise=policy.may_finalise(request.user, plan),
                mark_informal=policy.may_mark_informal(request.user, plan.conference),
            ),
        },
    )


@require_safe
@login_required
@never_cache
def version_detail(request, pk, number):
    """One version as it was made final, read from its stored content, with its hash."""
    case = case_for(request.user, pk)
    enforce(policy.may_read_plan(request.user, case))
    plan = plan_or_404(case)
    version = plan.versions.select_related("finalised_by").filter(number=number).first()
    if version is None:
        raise Http404
    record("conference.version_viewed", actor=request.user, case=case, obj=version)
    return render(
        request,
        "conference/version.html",
        {
            "case": case,
            "plan": plan,
            "version": version,
            "content": version.content,
            "short_hash": versions.short_hash(version),
            "newer": plan.versions.filter(number__gt=number).exists(),
        },
    )


@require_POST
@login_required
@never_cache
def informal(request, pk):
    """R13: the informal part begins, after the plan."""
    case = case_for(request.user, pk)
    plan = plan_or_404(case)
    refusal = policy.may_mark_informal(request.user, plan.conference)
    access(refusal)
    try:
        versions.mark_informal(plan.conference, by=request.user)
    except Refused as refused:
        messages.error(request, str(refused.reason))
    else:
        messages.success(request, _("The informal part has begun."))
    return redirect("conference:versions", case.pk)


@require_http_methods(FORM_METHODS)
@login_required
@never_cache
def record_not_held(request, pk):
    """The meeting did not take place: why, and whether the case goes back to preparation for a
    new date or stops."""
    case = case_for(request.user, pk)
    meeting = queries.confirmed_meeting(case)
    refusal = policy.may_record_not_held(request.user, case, queries.conference_of(meeting))
    access(refusal)
    form = NotHeldForm(posted(request))
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            not_held.record_not_held(
                case,
                reason=form.cleaned_data["reason"],
                then=form.cleaned_data["then"],
                stop_reason=form.cleaned_data.get("stop_reason") or "",
                by=request.user,
            )
        except Refused as refused:
            form.add_error(None, refused.reason)
        else:
            if form.cleaned_data["then"] == "stop":
                messages.success(
                    request, _("Recorded: the conference did not go on. The case is stopped.")
                )
            else:
                messages.success(
                    request,
                    _(
                        "Recorded: the conference did not go on. The case is back in "
                        "preparation: find a new date."
                    ),
                )
            return redirect("cases:detail", case.pk)
    if meeting is not None:
        record("scheduling.meeting_viewed", actor=request.user, case=case, obj=meeting)
    # Before the meeting's day (the policy's refusal), cancelling is what tells everyone.
    before_the_day = refusal is not None and refusal.code == policy.BEFORE_THE_DAY
    return render(
        request,
        "conference/not_held.html",
        {
            "case": case,
            "meeting": meeting,
            "form": form,
            "refusal": refusal.message if refusal else "",
            "may": options(cancel=scheduling_policy.may_cancel(request.user, meeting))
            if before_the_day
            else {},
        },
    )
