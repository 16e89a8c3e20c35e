"""Office, coordinator and manager pages for cases. Views parse input, call one action from
cases.actions, and redirect. Which cases a user sees is cases.access; what they may do there is
cases.policy, which the actions enforce and the pages read (a button shows only when allowed).
A permission failure is a 403 or 404 (core.policy.NotAllowed), never a form error."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case as SqlCase
from django.db.models import Count, IntegerField, Value, When
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kring.accounts.models import Role, User
from kring.audit.log import record
from kring.cases import actions, policy, presentation, registry
from kring.cases.access import case_for, open_offer_for, visible_cases
from kring.cases.forms import AcceptForm, AssignForm, DeclineForm, HandBackForm, StopForm
from kring.cases.lifecycle import ENDS, State
from kring.cases.models import Assignment
from kring.core.forms import posted
from kring.core.pages import render_page
from kring.core.pagination import paginate
from kring.core.policy import Refused, enforce, options


def _refused(form, exc: Refused):
    form.add_error(None, exc.reason)


@require_safe
@login_required
def inbox(request):
    """The inbox: new requests, oldest first. The office sees its team's and the central
    inbox (requests from no known area); the manager sees the team's (cases.access)."""
    enforce(policy.may_open_inbox(request.user))
    cases = (
        visible_cases(request.user)
        .filter(state=State.REQUESTED)
        .select_related("referral", "team")
        .annotate(people_count=Count("referral__people"))
        .order_by("created_at", "pk")
    )
    page = paginate(request, cases)
    record("case.inbox_viewed", actor=request.user)
    return render(request, "cases/inbox.html", {"page": page})


@require_safe
@login_required
def request_detail(request, pk):
    """A request as it was sent, for triage: take it on or decline it."""
    case = case_for(request.user, pk)
    enforce(policy.may_read_request(request.user, case))
    people = list(case.referral.people.all())
    record("referral.viewed", actor=request.user, case=case, obj=case.referral)
    return render(
        request,
        "cases/request_detail.html",
        {
            "case": case,
            "referral": case.referral,
            "people": people,
            "may": options(
                take_on=policy.may_take_on(request.user, case),
                decline=policy.may_decline(request.user, case),
            ),
        },
    )


@require_POST
@login_required
def take_on(request, pk):
    case = case_for(request.user, pk)
    try:
        actions.take_on(case, by=request.user)
    except Refused as exc:
        messages.error(request, exc.reason)
        return redirect("cases:request_detail", pk=case.pk)
    messages.success(request, _("The request is taken on. Now offer it to a coordinator."))
    return redirect("cases:assign", pk=case.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def decline(request, pk):
    case = case_for(request.user, pk)
    refusal = policy.may_decline(request.user, case)
    enforce(refusal if refusal is not None and refusal.access else None)
    form = DeclineForm(posted(request), case=case)
    if request.method == "POST" and form.is_valid():
        try:
            actions.decline(
                case,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except Refused as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("The request is declined; the requester is informed."))
            return redirect(
                "cases:inbox" if request.user.role == Role.OFFICE else "cases:team_cases"
            )
    return render(request, "cases/decline.html", {"case": case, "form": form})


@require_safe
@login_required
def team_cases(request):
    """Every case of the team (office: status, people, dates; manager: the same, and more)."""
    enforce(policy.may_list_team_cases(request.user))
    cases = (
        visible_cases(request.user)
        .exclude(state=State.REQUESTED)
        .select_related("referral", "coordinator")
        .order_by("-state_changed_at", "-pk")
    )
    state = request.GET.get("state", "")
    if state in State.values:
        cases = cases.filter(state=state)
    else:
        state = ""
    page = paginate(request, cases)
    record("case.list_viewed", actor=request.user)
    return render(
        request,
        "cases/team_cases.html",
        {
            "page": page,
            "state": state,
            "states": [s for s in State if s != State.REQUESTED],
            "query": f"state={state}" if state else "",
        },
    )


@require_safe
@login_required
def my_cases(request):
    """Mijn zaken: the coordinator's own cases and the offers waiting for an answer."""
    enforce(policy.may_list_my_cases(request.user))
    offers = (
        Assignment.objects.filter(coordinator=request.user, status=Assignment.Status.OFFERED)
        .select_related("case__referral")
        .order_by("offered_at")
    )
    cases = (
        visible_cases(request.user)
        .select_related("referral")
        .annotate(
            ended=SqlCase(
                When(state__in=list(ENDS), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("ended", "-state_changed_at", "-pk")
    )
    page = paginate(request, cases)
    waiting = registry.waiting(request.user, [case.pk for case in page])
    for case in page:
        case.next_step = presentation.next_step(case)
        case.waiting = waiting.get(case.pk, 0)
    record("case.list_viewed", actor=request.user)
    return render_page(request, "cases/my_cases.html", {"page": page, "offers": list(offers)})


@require_safe
@login_required
def case_detail(request, pk):
    """The case page: the task list of the whole process and the timeline."""
    case = case_for(request.user, pk)
    enforce(policy.may_read_case(request.user, case))
    if case.state == State.REQUESTED:
        return redirect("cases:request_detail", pk=case.pk)
    events = list(case.events.select_related("actor"))
    case.timeline = events
    users = User.objects.in_bulk(presentation.referenced_ids(events, "coordinator"))
    people = registry.people(case, presentation.people_ids(events))
    is_coordinator = case.coordinator_id == request.user.pk
    referral_people = list(case.referral.people.all())
    record("case.viewed", actor=request.user, case=case, obj=case)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "referral": case.referral,
            "people": referral_people,
            "steps": presentation.task_list(case),
            "timeline": presentation.timeline(events, users, people, full=is_coordinator),
            "is_coordinator": is_coordinator,
            "panels": registry.case_panels(case, request.user),
            "next_step": presentation.next_step(case),
            "needs_coordinator": policy.needs_coordinator(case),
            "may": options(
                assign=policy.may_assign(request.user, case),
                stop=policy.may_stop(request.user, case),
                decline=policy.may_decline(request.user, case),
                hand_back=policy.may_hand_back(request.user, case),
                read_account=policy.may_read_account(request.user, case),
            ),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def assign(request, pk):
    """Offer the case to a coordinator (or reassign it): R2."""
    case = case_for(request.user, pk)
    enforce(policy.may_assign(request.user, case))
    form = AssignForm(posted(request), team=case.team)
    if request.method == "POST" and form.is_valid():
        coordinator = form.cleaned_data["coordinator"]
        try:
            actions.offer_to_coordinator(case, coordinator=coordinator, by=request.user)
        except Refused as exc:
            _refused(form, exc)
        else:
            messages.success(
                request,
                _("The case is offered to %(name)s, who is notified and must accept it.")
                % {"name": coordinator},
            )
            return redirect("cases:detail", pk=case.pk)
    assignments = list(case.assignments.select_related("coordinator"))
    record("case.viewed", actor=request.user, case=case, obj=case)
    return render(
        request, "cases/assign.html", {"case": case, "form": form, "assignments": assignments}
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def offer(request, pk):
    """The coordinator answers an offer: accept with the declaration of independence, or hand
    the case back with a reason (R2)."""
    assignment = open_offer_for(request.user, pk)
    case = assignment.case
    accept_form = AcceptForm(request.POST if "accept" in request.POST else None)
    hand_back_form = HandBackForm(request.POST if "hand_back" in request.POST else None)
    if request.method == "POST" and "accept" in request.POST and accept_form.is_valid():
        try:
            actions.accept_assignment(
                assignment,
                declares_independence=accept_form.cleaned_data["declares_independence"],
                by=request.user,
            )
        except Refused as exc:
            accept_form.add_error("declares_independence", exc.reason)
        else:
            messages.success(request, _("You have accepted the case."))
            return redirect("cases:detail", pk=case.pk)
    if request.method == "POST" and "hand_back" in request.POST and hand_back_form.is_valid():
        try:
            actions.hand_back(
                assignment, reason=hand_back_form.cleaned_data["reason"], by=request.user
            )
        except Refused as exc:
            _refused(hand_back_form, exc)
        else:
            messages.success(request, _("You have handed the case back to the office."))
            return redirect("cases:my_cases")
    people = list(case.referral.people.all())
    record("case.offer_viewed", actor=request.user, case=case, obj=assignment)
    return render(
        request,
        "cases/offer.html",
        {
            "case": case,
            "assignment": assignment,
            "people": people,
            "accept_form": accept_form,
            "hand_back_form": hand_back_form,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def stop(request, pk):
    case = case_for(request.user, pk)
    return _reason_page(
        request,
        case,
        refusal=policy.may_stop(request.user, case),
        form=StopForm(posted(request)),
        act=lambda reason: actions.stop(case, reason=reason, by=request.user),
        template="cases/stop.html",
        done=_("The case is stopped."),
        to=("cases:detail", case.pk),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def hand_back_case(request, pk):
    """R2: the coordinator hands back a case they accepted; they lose access at once."""
    case = case_for(request.user, pk)
    return _reason_page(
        request,
        case,
        refusal=policy.may_hand_back(request.user, case),
        form=HandBackForm(posted(request)),
        act=lambda reason: actions.hand_back_case(case, reason=reason, by=request.user),
        template="cases/hand_back.html",
        done=_("You have handed the case back. The office finds another coordinator."),
        to=("cases:my_cases",),
    )


def _reason_page(request, case, *, refusal, form, act, template, done, to):
    """A page that asks for a reason and does one action. Not allowed: 403; not possible now:
    the page says why, without the form."""
    enforce(refusal if refusal is not None and refusal.access else None)
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            act(form.cleaned_data["reason"])
        except Refused as exc:
            _refused(form, exc)
        else:
            messages.success(request, done)
            return redirect(*to)
    record("case.viewed", actor=request.user, case=case, obj=case)
    return render(
        request,
        template,
        {"case": case, "form": form, "refusal": refusal.message if refusal else ""},
    )
