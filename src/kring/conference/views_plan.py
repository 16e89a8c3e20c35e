"""The plan editor (issue 10, points 2 and 4; R11, R12): the coordinator writes the plan on a
tablet while the participants make it. The page works without script: each part is a form with
a Save button, a new idea and a new agreement each a form at the bottom. With script
(static/conference/plan.js) each field is saved while typing, kept on the device while the
connection is down, and a conflict with another device is shown with both texts.

Every endpoint takes a POST for one action of conference.editing and answers the page (a
redirect, or the page again with the errors) or, asked for JSON, the row's new revision (200),
the errors at the fields (400), the conflict with the other text, who and when (409), or the
reason a rule refuses (422). Anyone who may not see the case gets a 404 (cases.access), anyone
else who may not write the plan a 403 (conference.policy.may_edit_plan)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from kring.audit.log import record
from kring.cases.access import case_for
from kring.circle.models import Participant, shown_name
from kring.conference import content, editing, policy, queries, versions, view_helpers
from kring.conference.inputs import nul_refused, whole_number
from kring.conference.models import Agreement, Conference, Idea, Plan
from kring.conference.view_helpers import access
from kring.core.policy import Refused, options

# --- reading the request ------------------------------------------------------------------------


def _conference(request: HttpRequest, pk: int) -> Conference:
    """The case's current conference (conference.queries), if the user may see the case."""
    return view_helpers.conference_or_404(case_for(request.user, pk))


def _plan(request: HttpRequest, pk: int) -> Plan:
    conference = _conference(request, pk)
    access(policy.may_edit_plan(request.user, conference))
    return view_helpers.plan_or_404(conference.case, conference)


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _participant(plan: Plan, raw: str, name: str, errors: dict) -> Participant | None:
    if not raw:
        return None
    person = Participant.objects.filter(case_id=plan.case_id, pk=whole_number(raw) or 0).first()
    if person is None:
        errors[name] = _("Choose someone who is present.")
    return person


def _date(raw: str, name: str, errors: dict) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[name] = _("Enter a date as day, month and year, for example 1-9-2027.")
        return None


def _flag(request: HttpRequest, name: str) -> bool:
    # The form sends a hidden "0" before the checkbox's "1": the last value counts.
    return request.POST.getlist(name)[-1] in ("1", "on", "true")


def _changes(request: HttpRequest, plan: Plan, names: tuple[str, ...]) -> dict[str, Any]:
    """The fields sent (a page saving while typing sends one at a time), read into values;
    a value that cannot be read is an error at its field."""
    errors: dict = {}
    out: dict[str, Any] = {}
    for name in names:
        if name not in request.POST:
            continue
        raw = request.POST.get(name, "")
        if name in ("good_outcome_by", "brought_in_by", "who"):
            out[name] = _participant(plan, raw, name, errors)
        elif name in ("evaluation_date", "by_when"):
            out[name] = _date(raw, name, errors)
        elif name == "prevents_repeat":
            out[name] = _flag(request, name)
        else:
            out[name] = raw
    if errors:
        raise ValidationError(errors)
    return out


def _revision(request: HttpRequest) -> int:
    revision = whole_number(request.POST.get("revision"))
    if revision is None:
        raise ValidationError({"revision": _("Reload the page and try again.")})
    return revision


# --- answers ------------------------------------------------------------------------------------


def _display(plan: Plan, values: dict[str, Any]) -> dict[str, str]:
    """How the other device's values read, for the conflict shown beside one's own."""
    names = {
        pk: shown_name(name)
        for pk, name in Participant.objects.filter(case_id=plan.case_id).values_list("pk", "name")
    }
    out = {}
    for name, value in values.items():
        if name in ("good_outcome_by", "brought_in_by", "who"):
            out[name] = names.get(value, "")
        elif name in ("evaluation_date", "by_when"):
            out[name] = formats.date_format(date.fromisoformat(value)) if value else ""
        elif name == "prevents_repeat":
            out[name] = _("Prevents a repeat") if value else _("Does not prevent a repeat")
        else:
            out[name] = value
    return out


def _conflict_json(plan: Plan, conflict: editing.Conflict) -> dict[str, Any]:
    when = timezone.localtime(conflict.changed_at) if conflict.changed_at else None
    return {
        "conflict": True,
        "id": conflict.pk,
        "revision": conflict.revision,
        "values": conflict.values,
        "display": _display(plan, conflict.values),
        "changed_by": conflict.changed_by,
        "changed_at": formats.date_format(when, "H:i") if when else "",
        "message": _("Saved on another device in the meantime: choose which text to keep."),
    }


def _row_json(kind: str, plan: Plan, row) -> dict[str, Any]:
    data: dict[str, Any] = {"saved": True, "id": row.pk, "revision": row.revision}
    if kind != "plan":
        data["client_id"] = row.client_id
        data["urls"] = _row_urls(kind, plan, row)
    return data


def _row_urls(kind: str, plan: Plan, row) -> dict[str, str]:
    args = [plan.case_id, row.pk]
    urls = {
        "save": reverse(f"conference:{kind}_save", args=args),
        "remove": reverse(f"conference:{kind}_remove", args=args),
    }
    if kind == "agreement":
        urls["move"] = reverse("conference:agreement_move", args=args)
    return urls


def _answer(request: HttpRequest, plan: Plan, kind: str, run, anchor: str) -> HttpResponse:
    """Run one action and answer the page or the script."""
    try:
        row = run()
    except editing.Conflict as conflict:
        if _wants_json(request):
            return JsonResponse(_conflict_json(plan, conflict), status=409)
        return _editor(request, plan, conflict=(kind, conflict), status=409)
    except ValidationError as error:
        if _wants_json(request):
            return JsonResponse({"errors": _messages(error)}, status=400)
        # The plan's own card is keyed by the plan's id; a row's by its id in the address.
        row_id = str(plan.pk) if kind == "plan" else _row_id(request)
        return _editor(request, plan, errors=(kind, row_id, _messages(error)), status=400)
    except Refused as refused:
        if _wants_json(request):
            return JsonResponse({"refused": str(refused.reason)}, status=422)
        messages.error(request, str(refused.reason))
        return redirect("conference:plan", plan.case_id)
    except (Idea.DoesNotExist, Agreement.DoesNotExist):
        if _wants_json(request):
            return JsonResponse({"gone": True}, status=404)
        messages.error(request, _("This was removed in the meantime."))
        return redirect("conference:plan", plan.case_id)
    if _wants_json(request):
        return JsonResponse(_row_json(kind, plan, row) if row is not None else {"saved": True})
    messages.success(request, _("Saved."))
    return redirect(reverse("conference:plan", args=[plan.case_id]) + f"#{anchor}")


def _messages(error: ValidationError) -> dict[str, str]:
    return {name: " ".join(str(m) for m in items) for name, items in error.message_dict.items()}


def _row_id(request: HttpRequest) -> str:
    return request.resolver_match.kwargs.get("row_id", "new") if request.resolver_match else ""


# --- the page -----------------------------------------------------------------------------------


def _editor(
    request: HttpRequest,
    plan: Plan,
    *,
    conflict: tuple[str, editing.Conflict] | None = None,
    errors: tuple[str, Any, dict] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The editor: a fixed number of queries, however many ideas and agreements."""
    conference = plan.conference
    people = list(queries.present_participants(conference).select_related("supports"))
    harmed = queries.harmed_side(people)
    ideas = list(plan.ideas.select_related("changed_by").order_by("position", "pk"))
    agreements = list(plan.agreements.select_related("changed_by").order_by("position", "pk"))
    latest = versions.latest_version(plan)
    missing = versions.missing(plan)
    case = conference.case
    # What failed (a conflict or errors) is shown at its own card, with what was sent.
    failed_kind, failed_id, failed = "", "", {}
    if errors is not None:
        failed_kind, failed_id, failed = errors
    if conflict is not None:
        failed_kind, failed_id = conflict[0], str(conflict[1].pk)
    sent = {k: request.POST.get(k, "") for k in request.POST} if status != 200 else {}
    if "prevents_repeat" in request.POST:
        sent["prevents_repeat"] = _flag(request, "prevents_repeat")
    for name in ("good_outcome_by", "brought_in_by", "who"):
        if name in sent:
            sent[name] = whole_number(sent[name])

    def card(kind: str, row, row_id: str) -> dict[str, Any]:
        values = editing.values_of(row) if row is not None else {}
        mine = failed_kind == kind and str(failed_id) == row_id
        out: dict[str, Any] = {
            "row": row,
            "id": row_id,
            "v": {**values, **(sent if mine else {})},
            "errors": failed if mine and errors is not None else {},
            "revision": row.revision if row is not None else 0,
            # A new card's own id, so that the form sent twice without script makes one row.
            "client_id": (getattr(row, "client_id", None) or "")
            if row is not None
            else (sent.get("client_id") if mine else "") or str(uuid.uuid4()),
        }
        if mine and conflict is not None:
            other = conflict[1]
            out["conflict"] = _conflict_json(plan, other)
            out["revision"] = other.revision
        return out

    context = {
        "case": case,
        "conference": conference,
        "plan": plan,
        "plan_card": card("plan", plan, str(plan.pk)),
        "people": people,
        "harmed": harmed,
        "ideas": [card("idea", i, str(i.pk)) for i in ideas],
        "new_idea": card("idea", None, "new"),
        "agreements": [card("agreement", a, str(a.pk)) for a in agreements],
        "new_agreement": card("agreement", None, "new"),
        "missing": missing,
        "latest": latest,
        "is_draft_of_next": latest is not None and not versions.is_final(plan, latest),
        "next_number": (latest.number + 1) if latest is not None else 1,
        "has_errors": errors is not None or conflict is not None,
        "meeting_day": editing.meeting_day(conference).isoformat(),
        "may": options(
            edit_plan=policy.may_edit_plan(request.user, conference),
            show_second_screen=policy.may_show_second_screen(request.user, case),
            read_plan=policy.may_read_plan(request.user, case),
            finalise=policy.may_finalise(request.user, plan),
        ),
    }
    if not context["may"]["edit_plan"]:
        # Not to be written now (the case moved on): the plan as it stands, read only.
        context["content"] = content.canonical(plan)
    record("conference.plan_viewed", actor=request.user, case=case, obj=plan)
    return render(request, "conference/plan.html", context, status=status)


@require_safe
@login_required
@never_cache
def plan_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The editor; before the plan is begun, why not yet or the button to begin it."""
    conference = _conference(request, pk)
    refusal = policy.may_edit_plan(request.user, conference)
    access(refusal)
    plan = queries.plan_of(conference)
    if plan is None:
        record("conference.plan_viewed", actor=request.user, case=conference.case)
        return render(
            request,
            "conference/plan_begin.html",
            {
                "case": conference.case,
                "conference": conference,
                "may": options(edit_plan=refusal),
            },
        )
    plan.conference = conference
    plan.case = conference.case
    return _editor(request, plan)


@require_POST
@login_required
@never_cache
def plan_begin(request: HttpRequest, pk: int) -> HttpResponse:
    """Begin the plan (conference.editing.begin_plan), then the editor."""
    conference = _conference(request, pk)
    access(policy.may_edit_plan(request.user, conference))
    try:
        editing.begin_plan(conference, by=request.user)
    except Refused as refused:
        messages.error(request, str(refused.reason))
    return redirect("conference:plan", pk)


# --- the endpoints ------------------------------------------------------------------------------


def _post(view):
    return require_POST(login_required(never_cache(view)))


@_post
def plan_save(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's own fields: the good outcome and in whose words, the evaluation date, what
    happens when an agreement is not kept."""
    plan = _plan(request, pk)

    def run():
        changes = _changes(request, plan, editing.PLAN_FIELDS)
        return editing.save_plan_fields(
            plan, revision=_revision(request), by=request.user, **changes
        )

    return _answer(request, plan, "plan", run, "plan-fields")


@_post
def idea_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)

    def run():
        changes = _changes(request, plan, editing.IDEA_FIELDS)
        return editing.add_idea(
            plan,
            text=changes.get("text", ""),
            brought_in_by=changes.get("brought_in_by"),
            client_id=_client_id(request),
            by=request.user,
        )

    return _answer(request, plan, "idea", run, "ideas")


def _client_id(request: HttpRequest) -> str | None:
    """The id the editor's page gave a new row (a UUID), so that one sent again is not made
    twice; None from a page without script."""
    raw = request.POST.get("client_id", "")[:36]
    return None if nul_refused(raw) else raw or None


def _row(model, plan: Plan, row_id: int):
    row = model.objects.filter(plan=plan, pk=row_id).first()
    if row is None:
        raise model.DoesNotExist
    return row


def _save(
    request: HttpRequest, pk: int, row_id: int, model, fields: tuple[str, ...], save, kind: str
) -> HttpResponse:
    """Save the fields sent of an idea or agreement on top of the revision sent."""
    plan = _plan(request, pk)

    def run():
        changes = _changes(request, plan, fields)
        row = _row(model, plan, row_id)
        return save(row, revision=_revision(request), by=request.user, **changes)

    return _answer(request, plan, kind, run, f"{kind}-{row_id}")


@_post
def idea_save(request: HttpRequest, pk: int, row_id: int) -> HttpResponse:
    return _save(request, pk, row_id, Idea, editing.IDEA_FIELDS, editing.save_idea, "idea")


def _remove(request: HttpRequest, pk: int, row_id: int, model, remove, kind: str) -> HttpResponse:
    """Remove an idea or agreement; one removed in the meantime is gone already."""
    plan = _plan(request, pk)

    def run():
        row = model.objects.filter(plan=plan, pk=row_id).first()
        if row is not None:
            remove(row, revision=_revision(request), by=request.user)

    return _answer(request, plan, kind, run, f"{kind}s")


@_post
def idea_remove(request: HttpRequest, pk: int, row_id: int) -> HttpResponse:
    return _remove(request, pk, row_id, Idea, editing.remove_idea, "idea")


@_post
def agreement_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)

    def run():
        changes = _changes(request, plan, editing.AGREEMENT_FIELDS)
        changes.setdefault("what", "")
        return editing.add_agreement(
            plan,
            client_id=_client_id(request),
            by=request.user,
            **changes,
        )

    return _answer(request, plan, "agreement", run, "agreements")


@_post
def agreement_save(request: HttpRequest, pk: int, row_id: int) -> HttpResponse:
    return _save(
        request,
        pk,
        row_id,
        Agreement,
        editing.AGREEMENT_FIELDS,
        editing.save_agreement,
        "agreement",
    )


@_post
def agreement_remove(request: HttpRequest, pk: int, row_id: int) -> HttpResponse:
    return _remove(request, pk, row_id, Agreement, editing.remove_agreement, "agreement")


@_post
def agreement_move(request: HttpRequest, pk: int, row_id: int) -> HttpResponse:
    plan = _plan(request, pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        # Only a tampered form sends anything else: nothing moves.
        message = _("Choose up or down.")
        if _wants_json(request):
            return JsonResponse({"errors": {"direction": message}}, status=400)
        messages.error(request, message)
        return redirect(reverse("conference:plan", args=[plan.case_id]) + f"#agreement-{row_id}")
    up = direction == "up"

    def run():
        editing.move_agreement(_row(Agreement, plan, row_id), up=up, by=request.user)

    return _answer(request, plan, "agreement", run, f"agreement-{row_id}")
