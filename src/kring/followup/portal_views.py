"""The agreements on the participant's personal page (R15, issue 12 point 2).

A participant in the plan (followup.policy.may_read_agreements_in_portal: present at the
conference, or the owner of an agreement) reads the agreements of the signed plan with their
state, in plain and neutral words; the owner of an agreement reports it done, anyone else in the
plan reports that it is not kept ("invokes" it), each in their own words. The act is theirs
(Actor.in_portal, kring.portal.decorators.portal_page: the participant of this browser's session,
never anyone else). They read their own reports with the coordinator's answer; opening the page
marks the answers they see as read (`Report.answer_read_at`), which is no change of the case.

A report on an agreement of another case is "not found" and stores nothing. A refused report
changes nothing: the page says why, in plain words, and keeps what they typed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.forms import Form
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kring.audit.actors import Actor
from kring.audit.log import record
from kring.core.policy import NotAllowed, Refusal, Refused, options
from kring.followup import actions, policy, queries
from kring.followup.models import AgreementState, Report, TrackedAgreement
from kring.followup.portal_forms import DoneForm, NotKeptForm
from kring.portal.decorators import portal_page
from kring.portal.views import see_other

if TYPE_CHECKING:
    from kring.circle.models import Participant

VIEWED = "followup.portal_viewed"
DONE = "done"
NOT_KEPT = "not_kept"
# A report waits for the coordinator's answer: the one refusal worth saying next to the agreement
# (the others are said by its state, or by the page: a closed case).
WAITING = "report_waiting"


def _prefix(kind: str, tracked_id: int) -> str:
    return f"{kind}-{tracked_id}"


def _owner_name(tracked: TrackedAgreement) -> str:
    return tracked.owner.name if tracked.owner_id else tracked.owner_other


# --- the panel on the participant's page ------------------------------------------------------


def home_panel(participant: Participant):
    """The panel on the participant's page (portal.registry): the agreements of the signed plan,
    how many, and whether the coordinator answered something they have not read yet."""
    me = Actor.in_portal(participant)
    if policy.may_read_agreements_in_portal(me, participant) is not None:
        return None
    return (
        "followup/portal/_home_panel.html",
        {
            "count": queries.current(participant.case).count(),
            "unread": Report.objects.filter(
                participant=participant,
                answered_at__isnull=False,
                answer_read_at__isnull=True,
            ).count(),
            "closed": _ended(participant.case),
            "may": options(read=None),
        },
    )


def _ended(case) -> bool:
    """The follow-up has ended: the agreements are read, nothing is sent any more (a closed case
    is read-only; followup.policy)."""
    return case.state not in policy.TRACKING_STATES


# --- the page -----------------------------------------------------------------------------------


def _row(participant, me, tracked, reports, bound: dict[str, Form], facts: policy.Facts) -> dict:
    done = policy.may_report_done(me, participant, tracked, facts)
    invoke = policy.may_invoke(me, participant, tracked, facts)
    waiting = next(
        (str(r.message) for r in (done, invoke) if r is not None and r.code == WAITING), ""
    )
    forms: dict[str, Form | None] = {DONE: None, NOT_KEPT: None}
    kept = ""
    for kind, refusal, form_class in ((DONE, done, DoneForm), (NOT_KEPT, invoke, NotKeptForm)):
        form = bound.get(_prefix(kind, tracked.pk))
        if refusal is None:
            forms[kind] = form or form_class(prefix=_prefix(kind, tracked.pk))
        elif form is not None:
            # Refused now: the form is gone, what they typed is shown so that it is not lost.
            kept = form.data.get(f"{form.prefix}-text", "")
    return {
        "tracked": tracked,
        "mine": tracked.owner_id == participant.pk,
        "who": _owner_name(tracked),
        "reports": reports,
        "done_form": forms[DONE],
        "not_kept_form": forms[NOT_KEPT],
        "waiting": waiting,
        "kept": kept,
        "may": options(report_done=done, invoke=invoke),
    }


def _page(request, participant, *, bound: dict[str, Form] | None = None, status: int = 200):
    me = Actor.in_portal(participant)
    case = participant.case
    bound = bound or {}
    mine = list(Report.objects.filter(participant=participant, case=case).order_by("made_at", "pk"))
    by_agreement: dict[int, list[Report]] = {}
    for report in mine:
        by_agreement.setdefault(report.tracked_id, []).append(report)
    # Answers not read before this page: marked "new" here, and read from now on.
    new = {r.pk for r in mine if r.answered_at is not None and r.answer_read_at is None}
    # What the rules read about this participant, once for every agreement (a fixed number of
    # queries, however many agreements there are).
    facts = policy.facts_of(participant)
    rows = []
    for tracked in queries.current(case):
        tracked.case = case
        rows.append(_row(participant, me, tracked, by_agreement.get(tracked.pk, []), bound, facts))
    # Agreements changed in a newer version of the plan, where this participant reported
    # something: their report and its answer stay readable.
    earlier = list(
        TrackedAgreement.objects.filter(
            case=case, state=AgreementState.CHANGED, pk__in=list(by_agreement)
        ).select_related("owner")
    )
    shown = {
        form.prefix
        for row in rows
        for form in (row["done_form"], row["not_kept_form"])
        if form is not None
    }
    failed = next((form for form in bound.values() if form.errors), None)
    kept_elsewhere = ""
    if failed is not None and failed.prefix not in shown and not any(row["kept"] for row in rows):
        kept_elsewhere = failed.data.get(f"{failed.prefix}-text", "")
    # Every showing of the case's agreements is a read (also a refused report's page, 400).
    record(VIEWED, actor=me, case=case, obj=participant)
    if request.method == "GET" and new:
        Report.objects.filter(pk__in=new, answer_read_at__isnull=True).update(
            answer_read_at=timezone.now()
        )
    return render(
        request,
        "followup/portal/agreements.html",
        {
            "participant": participant,
            "rows": rows,
            "earlier": [
                {"tracked": t, "who": _owner_name(t), "reports": by_agreement[t.pk]}
                for t in earlier
            ],
            "closed": _ended(case),
            "owns_any": any(row["mine"] for row in rows),
            "new": new,
            "form": failed,  # the error summary
            "kept_elsewhere": kept_elsewhere,
        },
        status=status,
    )


@portal_page
@require_safe
def agreements(request, participant):
    """The agreements of the signed plan, their state, one's own reports and their answers;
    a form per agreement where the participant may report."""
    me = Actor.in_portal(participant)
    if policy.may_read_agreements_in_portal(me, participant) is not None:
        return see_other("portal:home")
    return _page(request, participant)


# --- reporting ----------------------------------------------------------------------------------


def _report(request, participant, tracked_id: int, kind: str):
    me = Actor.in_portal(participant)
    tracked = get_object_or_404(
        TrackedAgreement.objects.select_related("case", "owner"),
        pk=tracked_id,
        case_id=participant.case_id,
    )
    if kind == DONE:
        refusal: Refusal | None = policy.may_report_done(me, participant, tracked)
        form: Form = DoneForm(request.POST, prefix=_prefix(kind, tracked.pk))
    else:
        refusal = policy.may_invoke(me, participant, tracked)
        form = NotKeptForm(request.POST, prefix=_prefix(kind, tracked.pk))
    if refusal is not None and refusal.access:
        raise NotAllowed(refusal)
    if refusal is not None:
        # Not possible now (answered meanwhile, the case closed): say why, not what to type.
        form.is_valid()
        form.errors.clear()
        form.add_error(None, refusal.message)
    elif form.is_valid():
        act = actions.report_done if kind == DONE else actions.invoke
        try:
            act(tracked, by=me, participant=participant, text=form.cleaned_data["text"])
        except Refused as refused:
            form.add_error(None, refused.reason)
        else:
            messages.success(request, _("Your coordinator has received your message."))
            return see_other("followup:portal")
    return _page(request, participant, bound={form.prefix: form}, status=400)


@portal_page
@require_POST
def report_done(request, participant, tracked_id: int):
    """The owner: "I have done this", with a few words."""
    return _report(request, participant, tracked_id, DONE)


@portal_page
@require_POST
def invoke(request, participant, tracked_id: int):
    """Anyone else in the plan: "this does not happen as agreed", in their own words."""
    return _report(request, participant, tracked_id, NOT_KEPT)
