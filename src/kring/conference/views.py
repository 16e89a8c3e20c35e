"""Conference mode (issue 10, point 1; R10): the coordinator's page for the meeting itself, on a
tablet or laptop on the table. It shows one step at a time: check-in, the start, the
introductions, the rounds in the method's order, the round for whoever wants to put something
right, then the way to the plan. Each step POSTs to one action of conference.actions and comes
back here (POST-redirect-GET); a refusal is shown as a message. What may be done is
conference.policy, which the actions enforce and this page reads: anyone who may not see the
case gets a 404 (cases.access), anyone else a 403."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from kring.audit.log import record
from kring.cases.access import case_for
from kring.cases.models import Case
from kring.circle.models import Participant
from kring.conference import actions, policy
from kring.conference.actions import NOTE_MAX
from kring.conference.inputs import NUL_MESSAGE, nul_refused, whole_number
from kring.conference.models import Conference
from kring.conference.queries import attendance_of, current_conference
from kring.conference.view_helpers import access
from kring.core.policy import Refused, enforce, options
from kring.scheduling.policy import is_taking_part


def mode_url(case: Case, anchor: str = "") -> str:
    return reverse("conference:mode", args=[case.pk]) + (f"#{anchor}" if anchor else "")


@dataclass
class Step:
    key: str
    label: str
    status: str  # "done", "current", "todo"


STEP_KEYS = ("check_in", "introductions", "rounds", "repair", "plan")


def current_step(conference: Conference | None) -> str:
    """Where the conference is now: one step shown at a time."""
    if conference is None or conference.started_at is None:
        return "not_held" if conference is not None and conference.not_held_at else "check_in"
    if conference.introductions_done_at is None:
        return "introductions"
    if conference.rounds_done_at is not None:
        return "plan"
    if policy.next_round(conference) is not None:
        return "rounds"
    return "repair"


def _steps(now: str) -> list[Step]:
    at = STEP_KEYS.index(now) if now in STEP_KEYS else 0
    labels = {
        "check_in": _("Check-in"),
        "introductions": _("Introductions"),
        "rounds": _("The rounds"),
        "repair": _("Putting things right"),
        "plan": _("The plan"),
    }
    return [
        Step(key, labels[key], "done" if i < at else "current" if i == at else "todo")
        for i, key in enumerate(STEP_KEYS)
    ]


def _check_in_rows(case: Case, conference: Conference | None, user) -> tuple[list, list]:
    """Everyone expected (they said yes) or already checked in, and the others of the circle who
    still take part and may have come after all. Two queries, whatever the size of the circle."""
    attendance = attendance_of(conference)
    expected, others = [], []
    for p in case.participants.select_related("supports").order_by("name", "pk"):
        p.case = case
        p.checked = attendance.get(p.pk)
        p.may = options(check_in=policy.may_check_in(user, case, conference, p))
        if is_taking_part(p) or p.checked is not None:
            expected.append(p)
        elif p.takes_part:
            others.append(p)
    return actions.round_order(expected), others


@require_safe
@login_required
@never_cache
def mode(request: HttpRequest, pk: int) -> HttpResponse:
    """Conference mode: the one current step, and what is done."""
    return _mode_page(request, case_for(request.user, pk))


def _mode_page(request: HttpRequest, case: Case, *, feedback: str = "") -> HttpResponse:
    """The page; `feedback`: what the last check-in did, when htmx swaps only the check-in."""
    user = request.user
    refusal = policy.may_run(user, case)
    access(refusal)
    conference = current_conference(case, with_rounds=True)
    step = current_step(conference)
    context: dict[str, Any] = {
        "case": case,
        "conference": conference,
        "step": step,
        "steps": _steps(step),
        "refusal": refusal.message if refusal else "",
        "note_max": NOTE_MAX,
        "feedback": feedback,
    }
    if refusal is None:
        may = {"start": policy.may_start(user, case, conference)}
        if step == "check_in":
            context["expected"], context["others"] = _check_in_rows(case, conference, user)
            may["record_not_held"] = policy.may_record_not_held(user, case, conference)
            context["not_held_url"] = reverse("conference:not_held", args=[case.pk])
        if conference is not None and conference.started_at is not None:
            rounds = list(conference.rounds.all())
            for turn in rounds:
                turn.may = options(mark=policy.may_mark_round(user, turn))
            context["rounds"] = rounds
            context["current"] = policy.next_round(conference)
            context["done_count"] = sum(1 for t in rounds if t.done_at is not None)
            may["mark_introductions"] = policy.may_mark_introductions(user, conference)
            may["mark_repair_round"] = policy.may_mark_repair_round(user, conference)
            may["edit_plan"] = policy.may_edit_plan(user, conference)
            context["plan_url"] = reverse("conference:plan", args=[case.pk])
        may["show_second_screen"] = policy.may_show_second_screen(user, case)
        context["screen_url"] = reverse("conference:screen", args=[case.pk])
        context["may"] = options(**may)
    record("conference.mode_viewed", actor=user, case=case, obj=conference or case)
    return render(request, "conference/mode.html", context)


def _conference(request: HttpRequest, pk: int) -> tuple[Case, Conference | None]:
    case = case_for(request.user, pk)
    access(policy.may_run(request.user, case))
    return case, current_conference(case)


def _refused(request: HttpRequest, refused: Refused) -> None:
    messages.error(request, refused.reason)


@require_POST
@login_required
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one person present ("present" = "yes") or not there ("no"). Check-in begins (the
    conference is made) with the first one."""
    case, conference = _conference(request, pk)
    participant = get_object_or_404(
        Participant.objects.all(),
        pk=whole_number(request.POST.get("participant")) or 0,
        case=case,
    )
    present = request.POST.get("present")
    if present not in ("yes", "no"):
        messages.error(request, _("Choose present or not there."))
        return redirect(mode_url(case))
    feedback = ""
    try:
        if conference is None:
            conference = actions.open_conference(case, by=request.user)
        actions.check_in(conference, participant, present=present == "yes", by=request.user)
    except Refused as refused:
        if not getattr(request, "htmx", False):
            _refused(request, refused)
        feedback = str(refused.reason)
    if getattr(request, "htmx", False):
        # htmx swaps the check-in part of the page in place (kring.js stays out of it); the
        # same page without JavaScript comes back through the redirect.
        done = _("%(name)s: present.") if present == "yes" else _("%(name)s: not there.")
        return _mode_page(request, case, feedback=feedback or done % {"name": participant.name})
    return redirect(mode_url(case, f"person-{participant.pk}"))


@require_POST
@login_required
def start(request: HttpRequest, pk: int) -> HttpResponse:
    """The conference begins: the case is "conference held", the rounds are made."""
    case, conference = _conference(request, pk)
    try:
        if conference is None:
            # Nobody is checked in yet: the policy says why it cannot begin.
            enforce(policy.may_start(request.user, case, None))
            return redirect(mode_url(case))
        actions.start(conference, by=request.user)
    except Refused as refused:
        _refused(request, refused)
    else:
        messages.success(request, _("The conference has begun. Introduce everyone by name."))
    return redirect(mode_url(case))


def _mark(request: HttpRequest, pk: int, action, done: str = "") -> HttpResponse:
    """One step of the whole conference (`action(conference, by=…)`), then back to the page,
    saying `done` if it went."""
    case, conference = _conference(request, pk)
    if conference is None:
        return redirect(mode_url(case))
    try:
        action(conference, by=request.user)
    except Refused as refused:
        _refused(request, refused)
    else:
        if done:
            messages.success(request, done)
    return redirect(mode_url(case))


@require_POST
@login_required
def introductions(request: HttpRequest, pk: int) -> HttpResponse:
    return _mark(request, pk, actions.mark_introductions)


@require_POST
@login_required
def round_done(request: HttpRequest, pk: int, round_id: int) -> HttpResponse:
    """One person's round is done, with a short note if the coordinator wishes."""
    case, conference = _conference(request, pk)
    if conference is None:
        raise Http404
    turn = get_object_or_404(conference.rounds.select_related("participant"), pk=round_id)
    turn.conference = conference
    note = request.POST.get("note", "")
    if nul_refused(note):
        # PostgreSQL cannot store it: the round stays open, the message says why.
        messages.error(request, NUL_MESSAGE)
        return redirect(mode_url(case, "current-round"))
    try:
        actions.mark_round_done(turn, note=note, by=request.user)
    except Refused as refused:
        _refused(request, refused)
    else:
        messages.success(
            request, _("The round of %(name)s is done.") % {"name": turn.participant.name}
        )
    return redirect(mode_url(case, "current-round"))


@require_POST
@login_required
def repair_round(request: HttpRequest, pk: int) -> HttpResponse:
    """The round for whoever wants to put something right is done: the plan may begin."""
    return _mark(
        request,
        pk,
        actions.mark_repair_round,
        _("Every round is done. Now make the plan together."),
    )
