"""The agreement tracker on the case (issue 12, points 1 and 2; R15), for the case's coordinator,
read by the manager of its team: every current agreement of the signed plan with its owner, date,
state and history, the overdue ones standing out; the participants' open reports with the forms
to answer them; the follow-up contact; the agreements changed in a new version below, as history.

Views parse input, call one action (followup.actions) and go back to the tracker. Whoever may not
see the case gets a 404 (cases.access); whoever may never do this here a 403 (followup.policy,
enforced); a rule that refuses now shows its words on the page (status 400), with what was typed
kept: in its form, or read-only when the rule now hides the form (the report was answered
meanwhile, the case was closed). An agreement, report or contact of another case is a 404. Reads
are logged; nothing is cached.

Nothing is due or past its date once the follow-up has ended (`tracking`, policy.TRACKING_STATES):
a closed case's tracker shows no contact to do and no agreement standing out.

The page reads everything in a fixed number of queries, however many agreements there are
(issue 12, point 5): the rows, their history, the reports and the contacts once each, and the
policy asked of objects that already hold their case."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from kring.audit.log import record
from kring.cases.access import case_for
from kring.cases.models import Case
from kring.core.policy import Option, Refusal, Refused, enforce, options
from kring.followup import actions, policy, queries
from kring.followup.forms import AnswerForm, AskBackForm, ConfirmForm, ContactForm, SetStateForm
from kring.followup.models import AgreementChange, AgreementState, Contact, Report, TrackedAgreement
from kring.scheduling import policy as scheduling_policy

VIEWED = "followup.tracker_viewed"

# The key of a bound form on the page: (its kind, the id of its agreement, report or contact).
FormKey = tuple[str, int]


def access(refusal: Refusal | None) -> None:
    """Refuse with a 403 whoever may never do this; a rule refusal is left to the page."""
    enforce(refusal if refusal is not None and refusal.access else None)


@dataclass
class ReportRow:
    report: Report
    may: dict[str, Option]
    answer_form: forms.Form | None = None
    confirm_form: forms.Form | None = None
    ask_back_form: forms.Form | None = None


@dataclass
class AgreementRow:
    tracked: TrackedAgreement
    overdue: bool
    changes: list[AgreementChange]
    reports: list[ReportRow] = field(default_factory=list)
    may: dict[str, Option] = field(default_factory=dict)
    form: forms.Form | None = None

    @property
    def open_reports(self) -> list[ReportRow]:
        return [row for row in self.reports if row.report.answered_at is None]

    @property
    def answered_reports(self) -> list[ReportRow]:
        return [row for row in self.reports if row.report.answered_at is not None]


@dataclass
class ContactRow:
    contact: Contact
    # Its day has come and it is not recorded (only while the follow-up goes on).
    due: bool
    # Its day is still to come (only while the follow-up goes on).
    planned: bool
    may: dict[str, Option]
    form: forms.Form | None = None


def tracking(case: Case) -> bool:
    """The agreements are followed now (policy.TRACKING_STATES): only then is a contact due or
    planned, or an agreement past its date. After closing nothing asks for work any more."""
    return case.state in policy.TRACKING_STATES


def _bound(bound: dict[FormKey, forms.Form], key: FormKey, make):
    # A bound form put in its place is taken out of `bound`: what is left was refused and its
    # form is no longer offered; its text is shown read-only (`kept`).
    return bound.pop(key) if key in bound else make()


# The fields of the tracker's forms that hold typed text.
TYPED = ("text", "note")


def _typed(form: forms.Form) -> list[str]:
    return [str(form.data.get(name, "")) for name in TYPED if str(form.data.get(name, "")).strip()]


def _report_row(user, report: Report, bound: dict[FormKey, forms.Form]) -> ReportRow:
    may = options(
        answer=policy.may_answer(user, report),
        confirm=policy.may_confirm_done(user, report),
        ask_back=policy.may_ask_back(user, report),
    )
    row = ReportRow(report, may)
    if may["answer"]:
        row.answer_form = _bound(bound, ("answer", report.pk), lambda: AnswerForm(report=report))
    if may["confirm"]:
        row.confirm_form = _bound(bound, ("confirm", report.pk), lambda: ConfirmForm(report=report))
    if may["ask_back"]:
        row.ask_back_form = _bound(
            bound, ("ask_back", report.pk), lambda: AskBackForm(report=report)
        )
    return row


def tracker_context(
    request, case: Case, bound: dict[FormKey, forms.Form] | None = None
) -> dict[str, Any]:
    """What the tracker shows, read in a fixed number of queries; `bound` holds a form that
    was sent and refused, shown again in its place with its message and its text."""
    bound = dict(bound or {})
    failed = next(iter(bound.values()), None)
    user = request.user
    today = queries.today()
    followed = tracking(case)
    current = list(queries.current(case))
    changed = list(
        TrackedAgreement.objects.filter(case=case, state=AgreementState.CHANGED)
        .select_related("owner", "replaced_by", "version")
        .order_by("version__number", "number", "pk")
    )
    by_pk: dict[int, TrackedAgreement] = {}
    for tracked in (*current, *changed):
        tracked.case = case  # the policy reads the case: no query per row
        by_pk[tracked.pk] = tracked
    history: dict[int, list[AgreementChange]] = defaultdict(list)
    for change in AgreementChange.objects.filter(tracked__case=case).select_related(
        "by", "by_participant"
    ):
        history[change.tracked_id].append(change)
    reports: dict[int, list[Report]] = defaultdict(list)
    for report in Report.objects.filter(case=case).select_related("participant", "answered_by"):
        report.case = case
        report.tracked = by_pk[report.tracked_id]
        reports[report.tracked_id].append(report)

    rows = []
    for tracked in current:
        may = options(set_state=policy.may_set_state(user, tracked))
        row = AgreementRow(
            tracked=tracked,
            overdue=followed and queries.is_overdue(tracked, today),
            changes=history[tracked.pk],
            reports=[_report_row(user, r, bound) for r in reports[tracked.pk]],
            may=may,
        )
        if may["set_state"]:
            row.form = _bound(
                bound, ("state", tracked.pk), lambda t=tracked: SetStateForm(tracked=t)
            )
        rows.append(row)
    changed_rows = [
        AgreementRow(
            tracked=tracked,
            overdue=False,
            changes=history[tracked.pk],
            reports=[_report_row(user, r, bound) for r in reports[tracked.pk]],
        )
        for tracked in changed
    ]
    contacts = []
    for contact in Contact.objects.filter(case=case).select_related("done_by"):
        if not followed and contact.done_at is None:
            continue  # after closing, a contact never held is no longer to do nor planned
        contact.case = case
        may = options(record=policy.may_record_contact(user, contact))
        waiting = followed and contact.done_at is None
        row = ContactRow(
            contact,
            due=waiting and contact.due_on <= today,
            planned=waiting and contact.due_on > today,
            may=may,
        )
        if may["record"]:
            row.form = _bound(
                bound, ("contact", contact.pk), lambda c=contact: ContactForm(contact=c)
            )
        contacts.append(row)
    return {
        "case": case,
        "rows": rows,
        "changed_rows": changed_rows,
        "contacts": contacts,
        "overdue_count": sum(1 for row in rows if row.overdue),
        "open_reports": sum(len(row.open_reports) for row in rows),
        "failed": failed,
        # The text of a refused form whose form the rule now hides: shown, not lost.
        "kept": _typed(failed) if failed is not None and bound else [],
        "closed": not followed,
        "may": options(
            change_agreements=policy.may_change_agreements(user, case),
            # A follow-up meeting, when the participants want one: scheduling's date poll.
            plan_meeting=scheduling_policy.may_open_poll(user, case),
        ),
    }


def _render(
    request, case: Case, bound: dict[FormKey, forms.Form] | None = None, *, status: int = 200
):
    context = tracker_context(request, case, bound)
    record(VIEWED, actor=request.user, case=case, obj=case)
    return render(request, "followup/tracker.html", context, status=status)


@require_safe
@login_required
@never_cache
def tracker(request, pk):
    """The agreements of the signed plan and what happens with them."""
    case = case_for(request.user, pk)
    refusal = policy.may_read_tracker(request.user, case)
    access(refusal)
    if refusal is not None:
        # Before follow-up there is nothing to track yet: the page says why.
        return render(request, "followup/tracker.html", {"case": case, "not_yet": True})
    return _render(request, case)


def _back(request, case: Case, anchor: str, success: str):
    messages.success(request, success)
    return redirect(reverse("followup:tracker", args=[case.pk]) + f"#{anchor}")


def _act(request, case: Case, key: FormKey, form: forms.Form, act, *, anchor: str, success):
    """Runs `act(cleaned_data)` when the form is valid, and goes back to the tracker with
    `success`; otherwise (bad input, or a rule that refuses now) shows the tracker again with
    the form, its text and the message in its place. `success` is called after the action."""
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except Refused as refused:
            form.add_error(None, refused.reason)
        else:
            return _back(request, case, anchor, success())
    return _render(request, case, {key: form}, status=400)


def _tracked_of(request, pk: int, tracked_id: int) -> tuple[Case, TrackedAgreement]:
    case = case_for(request.user, pk)
    tracked = get_object_or_404(TrackedAgreement, pk=tracked_id, case=case)
    tracked.case = case
    return case, tracked


def _report_of(request, pk: int, report_id: int, kind: str) -> tuple[Case, Report]:
    """The report `report_id` of the case in the URL, of `kind` (an invocation is answered, a
    report of done confirmed or asked back about); any other is not found."""
    case = case_for(request.user, pk)
    report = get_object_or_404(
        Report.objects.select_related("tracked", "participant"),
        pk=report_id,
        case=case,
        tracked__case=case,
        kind=kind,
    )
    report.case = report.tracked.case = case
    return case, report


@require_POST
@login_required
@never_cache
def set_state(request, pk, tracked_id):
    """The coordinator records an agreement's state with a short note."""
    case, tracked = _tracked_of(request, pk, tracked_id)
    access(policy.may_set_state(request.user, tracked))
    form = SetStateForm(request.POST, tracked=tracked)

    def act(data):
        actions.set_state(tracked, data["state"], by=request.user, note=data["note"])

    return _act(
        request,
        case,
        ("state", tracked.pk),
        form,
        act,
        anchor=f"agreement-{tracked.pk}",
        success=lambda: (
            _("Agreement %(number)s: the state is now “%(state)s”.")
            % {"number": tracked.number, "state": AgreementState(form.cleaned_data["state"]).label}
        ),
    )


@require_POST
@login_required
@never_cache
def answer(request, pk, report_id):
    """The coordinator answers a report that an agreement is not kept (and may set its state)."""
    case, report = _report_of(request, pk, report_id, Report.Kind.NOT_KEPT)
    access(policy.may_answer(request.user, report))
    form = AnswerForm(request.POST, report=report)

    def act(data):
        actions.answer(report, by=request.user, text=data["text"], state=form.cleaned_state())

    return _act(
        request,
        case,
        ("answer", report.pk),
        form,
        act,
        anchor=f"agreement-{report.tracked_id}",
        success=lambda: (
            _("Your answer is saved. %(name)s reads it on their personal page.")
            % {"name": report.participant.name}
        ),
    )


@require_POST
@login_required
@never_cache
def confirm(request, pk, report_id):
    """The coordinator confirms a report of done: the agreement is done."""
    case, report = _report_of(request, pk, report_id, Report.Kind.DONE)
    access(policy.may_confirm_done(request.user, report))
    form = ConfirmForm(request.POST, report=report)

    def act(data):
        actions.confirm_done(report, by=request.user, note=data["note"])

    return _act(
        request,
        case,
        ("confirm", report.pk),
        form,
        act,
        anchor=f"agreement-{report.tracked_id}",
        success=lambda: (
            _("Confirmed: agreement %(number)s is done.") % {"number": report.tracked.number}
        ),
    )


@require_POST
@login_required
@never_cache
def ask_back(request, pk, report_id):
    """The coordinator asks back about a report of done: the agreement keeps its state."""
    case, report = _report_of(request, pk, report_id, Report.Kind.DONE)
    access(policy.may_ask_back(request.user, report))
    form = AskBackForm(request.POST, report=report)

    def act(data):
        actions.ask_back(report, by=request.user, text=data["text"])

    return _act(
        request,
        case,
        ("ask_back", report.pk),
        form,
        act,
        anchor=f"agreement-{report.tracked_id}",
        success=lambda: (
            _("Your question is saved. %(name)s reads it on their personal page.")
            % {"name": report.participant.name}
        ),
    )


@require_POST
@login_required
@never_cache
def contact(request, pk, contact_id):
    """The coordinator records that the follow-up contact took place."""
    case = case_for(request.user, pk)
    found = get_object_or_404(Contact, pk=contact_id, case=case)
    found.case = case
    access(policy.may_record_contact(request.user, found))
    form = ContactForm(request.POST, contact=found)

    def act(data):
        actions.record_contact(found, by=request.user, note=data["note"])

    return _act(
        request,
        case,
        ("contact", found.pk),
        form,
        act,
        anchor=f"contact-{found.pk}",
        success=lambda: _("The follow-up contact is recorded."),
    )
