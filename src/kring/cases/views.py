"""Office, coordinator and manager pages for cases. Views parse input, call one action from
cases.actions, and redirect; who may see what is decided in cases.access."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Case as SqlCase
from django.db.models import Count, Exists, IntegerField, OuterRef, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kring.accounts.models import Role, User
from kring.audit.log import record
from kring.cases import actions, presentation
from kring.cases.access import (
    can_assign,
    can_stop,
    can_triage,
    case_for,
    open_offer_for,
    visible_cases,
)
from kring.cases.forms import AcceptForm, AssignForm, DeclineForm, HandBackForm, StopForm
from kring.cases.lifecycle import ENDS, MoveRefused, State
from kring.cases.models import Assignment
from kring.circle.drawing import circle_drawing
from kring.circle.models import Conversation, Participant
from kring.core.forms import posted
from kring.core.pagination import paginate


def _role(request, *roles):
    if request.user.role not in roles:
        raise PermissionDenied


def _refused(request, form, exc: MoveRefused):
    form.add_error(None, exc.reason)


@require_safe
@login_required
def inbox(request):
    """The office inbox: new requests, oldest first."""
    _role(request, Role.OFFICE)
    cases = (
        visible_cases(request.user)
        .filter(state=State.REQUESTED)
        .select_related("referral")
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
    _role(request, Role.OFFICE, Role.MANAGER)
    case = case_for(request.user, pk)
    people = list(case.referral.people.all())
    record("referral.viewed", actor=request.user, case=case, obj=case.referral)
    return render(
        request,
        "cases/request_detail.html",
        {
            "case": case,
            "referral": case.referral,
            "people": people,
            "can_triage": can_triage(request.user) and case.state == State.REQUESTED,
        },
    )


@require_POST
@login_required
def take_on(request, pk):
    _role(request, Role.OFFICE)
    case = case_for(request.user, pk)
    try:
        actions.take_on(case, by=request.user)
    except MoveRefused as exc:
        messages.error(request, exc.reason)
        return redirect("cases:request_detail", pk=case.pk)
    messages.success(request, _("The request is taken on. Now offer it to a coordinator."))
    return redirect("cases:assign", pk=case.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def decline(request, pk):
    _role(request, Role.OFFICE, Role.MANAGER)
    case = case_for(request.user, pk)
    form = DeclineForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.decline(case, reason=form.cleaned_data["reason"], by=request.user)
        except MoveRefused as exc:
            _refused(request, form, exc)
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
    _role(request, Role.OFFICE, Role.MANAGER)
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
    _role(request, Role.COORDINATOR)
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
    for case in page:
        case.next_step = presentation.next_step(case)
    record("case.list_viewed", actor=request.user)
    return render(request, "cases/my_cases.html", {"page": page, "offers": list(offers)})


@require_safe
@login_required
def case_detail(request, pk):
    """The case page: the task list of the whole process and the timeline."""
    _role(request, Role.OFFICE, Role.MANAGER, Role.COORDINATOR)
    case = case_for(request.user, pk)
    if case.state == State.REQUESTED:
        return redirect("cases:request_detail", pk=case.pk)
    events = list(case.events.select_related("actor"))
    case.timeline = events
    users = User.objects.in_bulk(presentation.referenced_ids(events, "coordinator"))
    names = dict(
        Participant.objects.filter(
            case=case, pk__in=presentation.referenced_ids(events, "participant")
        ).values_list("pk", "name")
    )
    is_coordinator = case.coordinator_id == request.user.pk
    circle = _circle_summary(case)
    assignments = list(case.assignments.select_related("coordinator"))
    people = list(case.referral.people.all())
    record("case.viewed", actor=request.user, case=case, obj=case)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "referral": case.referral,
            "people": people,
            "steps": presentation.task_list(case),
            "timeline": presentation.timeline(events, users, names, full=is_coordinator),
            "is_coordinator": is_coordinator,
            "circle": circle,
            "can_start_preparation": is_coordinator and case.state == State.ASSIGNED,
            "has_circle": case.state not in (State.REQUESTED, State.REFERRED, State.ASSIGNED)
            and case.state != State.DECLINED,
            "assignments": assignments,
            "next_step": presentation.next_step(case),
            "can_assign": can_assign(request.user, case)
            and case.state in (State.REFERRED, State.ASSIGNED),
            "can_stop": can_stop(request.user, case) and case.state not in ENDS,
            "can_decline": request.user.role in (Role.OFFICE, Role.MANAGER)
            and case.state == State.REFERRED,
        },
    )


def _circle_summary(case):
    """The circle on the case page: the picture, and who has had a preparatory conversation
    (R7). Names and states only, which every role that sees the case may see."""
    if not case.participants.exists():
        return None
    spoken = Conversation.objects.filter(participant=OuterRef("pk"))
    people = list(
        case.participants.annotate(spoken=Exists(spoken)).only(
            "pk", "name", "side", "supports_id", "status", "case_id"
        )
    )
    taking_part = [p for p in people if p.takes_part]
    return {
        "drawing": circle_drawing(people)["drawing"],
        "spoken": sum(1 for p in taking_part if p.spoken),
        "taking_part": len(taking_part),
        "not_spoken": [p.name for p in taking_part if not p.spoken],
    }


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def assign(request, pk):
    """Offer the case to a coordinator (or reassign it): R2."""
    _role(request, Role.OFFICE, Role.MANAGER)
    case = case_for(request.user, pk)
    if not can_assign(request.user, case):
        raise PermissionDenied
    form = AssignForm(posted(request), team=case.team)
    if request.method == "POST" and form.is_valid():
        coordinator = form.cleaned_data["coordinator"]
        try:
            actions.offer_to_coordinator(case, coordinator=coordinator, by=request.user)
        except MoveRefused as exc:
            _refused(request, form, exc)
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
    _role(request, Role.COORDINATOR)
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
        except MoveRefused as exc:
            accept_form.add_error("declares_independence", exc.reason)
        else:
            messages.success(request, _("You have accepted the case."))
            return redirect("cases:detail", pk=case.pk)
    if request.method == "POST" and "hand_back" in request.POST and hand_back_form.is_valid():
        try:
            actions.hand_back(
                assignment, reason=hand_back_form.cleaned_data["reason"], by=request.user
            )
        except MoveRefused as exc:
            _refused(request, hand_back_form, exc)
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
    _role(request, Role.COORDINATOR, Role.MANAGER)
    case = case_for(request.user, pk)
    if not can_stop(request.user, case):
        raise Http404
    form = StopForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.stop(case, reason=form.cleaned_data["reason"], by=request.user)
        except MoveRefused as exc:
            _refused(request, form, exc)
        else:
            messages.success(request, _("The case is stopped."))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/stop.html", {"case": case, "form": form})
