"""The printout of the plan and the paper form (issue 10, point 7): A4 documents in plain Dutch,
so that a meeting without a working tablet can go on on paper, and the plan typed in afterwards
is marked as such (conference.paper.mark_on_paper).

- `print_plan`: the plan as it stands, or a version (`?versie=<n>`), with the fixed texts and who
  was present; for the coordinator and the team's manager (policy.may_read_plan).
- `paper_form`: the empty form with ruled spaces and the names of everyone present or expected;
  for the coordinator while the meeting is planned or held (policy.may_print_paper_form).
- `on_paper` (POST): mark the conference's plan as made on paper and typed in afterwards.

Each read is logged; anyone who may not see the case gets a 404 (cases.access), anyone else who
may not do this a 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from kring.audit.log import record
from kring.cases.access import case_for
from kring.conference import content, paper, policy, presentation, queries, versions
from kring.conference.inputs import whole_number
from kring.conference.models import Plan, PlanVersion
from kring.conference.view_helpers import access, conference_or_404
from kring.core.policy import Refused, enforce, options


def _version(plan: Plan | None, number: str | None) -> PlanVersion | None:
    """Version `number` of the plan (a 404 for one that does not exist), or None for the plan
    as it stands."""
    if number is None:
        return None
    wanted = whole_number(number)
    if plan is None or wanted is None:
        raise Http404
    version = plan.versions.filter(number=wanted).first()
    if version is None:
        raise Http404
    return version


@require_safe
@login_required
@never_cache
def print_plan(request, pk):
    """The plan on A4: the fixed texts, the plan (conference/_plan.html) and who was present."""
    case = case_for(request.user, pk)
    enforce(policy.may_read_plan(request.user, case))
    conference = queries.current_conference(case)
    plan = queries.plan_of(conference)
    version = _version(plan, request.GET.get("versie"))
    if version is None and plan is not None:
        # The plan as it stands: while it is final, exactly the stored (hashed) text of its
        # latest version; otherwise the live plan, marked as a draft.
        latest = versions.latest_version(plan)
        if latest is not None and versions.is_final(plan, latest):
            version = latest
    if version is not None:
        shown = version.content
    elif plan is not None:
        shown = content.canonical(plan)
    else:
        shown = None
    record(
        "conference.plan_printed",
        actor=request.user,
        case=case,
        obj=version or plan or case,
        data={"version": version.number} if version is not None else {},
    )
    return render(
        request,
        "conference/print.html",
        {
            "case": case,
            "content": shown,
            "version": version,
            "final": version,
            "held_on": presentation.meeting_date(case, conference),
        },
    )


@require_safe
@login_required
@never_cache
def paper_form(request, pk):
    """The empty form for a meeting without a working tablet."""
    case = case_for(request.user, pk)
    refusal = policy.may_print_paper_form(request.user, case)
    access(refusal)
    if refusal is not None:  # not now: the page says why
        return render(
            request, "conference/paper_form.html", {"case": case, "refusal": refusal.message}
        )
    conference = queries.current_conference(case)
    record("conference.paper_form_printed", actor=request.user, case=case, obj=conference or case)
    # Before check-in there is no conference to mark: the step is not shown at all.
    may = (
        options(mark_on_paper=policy.may_mark_on_paper(request.user, conference))
        if conference is not None
        else {}
    )
    return render(
        request,
        "conference/paper_form.html",
        {
            "case": case,
            "conference": conference,
            "names": presentation.expected_names(case, conference),
            "held_on": presentation.meeting_date(case, conference),
            "agreement_numbers": range(1, 6),
            "idea_rows": range(6),
            "may": may,
        },
    )


@require_POST
@login_required
def on_paper(request, pk):
    """Mark the plan as made on paper and typed in afterwards."""
    case = case_for(request.user, pk)
    conference = conference_or_404(case)
    access(policy.may_mark_on_paper(request.user, conference))
    try:
        paper.mark_on_paper(conference, by=request.user)
    except Refused as refused:
        messages.error(request, refused.reason)
        return redirect("conference:paper_form", case.pk)
    messages.success(request, _("The plan is marked as made on paper and typed in afterwards."))
    # Back to the plan's editor, where the plan is typed in.
    return redirect("conference:plan", case.pk)
