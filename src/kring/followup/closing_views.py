"""Closing a case (issue 12, point 5; R15): the page `followup:close` and the closing panel on
the case page.

The page is the coordinator's alone (followup.policy.may_close: anyone else who may see the case
gets a 403, anyone who may not a 404). GET shows the outcomes, the closing note, the agreements'
states to help choose, and what closing does (read-only, kept until the retention date; the
questionnaires went out when the plan was signed, research.actions, so closing promises none);
POST closes through followup.closing.close. When closing is not possible now (a report waits for an answer, the case
is closed already) the page says why instead of showing the form. Every read is logged."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from kring.accounts.models import User
from kring.audit.log import record
from kring.cases.access import case_for
from kring.cases.lifecycle import State
from kring.cases.models import Case
from kring.conference.view_helpers import access
from kring.core.forms import posted
from kring.core.policy import Refused, options
from kring.followup import closing, policy, queries
from kring.followup.closing_forms import CloseForm
from kring.followup.models import AgreementState, Closure, Outcome

FORM_METHODS = ["GET", "HEAD", "POST"]
CLOSE_VIEWED = "followup.close_viewed"


def _summary(case: Case) -> dict[str, Any]:
    """The current agreements with their states, and how many there are of each state."""
    rows = list(queries.current(case))
    today = queries.today()
    for row in rows:
        row.overdue = queries.is_overdue(row, today)
    counts = Counter(row.state for row in rows)
    return {
        "agreements": rows,
        "states": [
            (label, counts[value])
            for value, label in AgreementState.choices
            if value != AgreementState.CHANGED and counts[value]
        ],
        "overdue": sum(1 for row in rows if row.overdue),
    }


@require_http_methods(FORM_METHODS)
@login_required
@never_cache
def close(request, pk):
    """The outcome and the closing note; a POST closes the case."""
    case = case_for(request.user, pk)
    refusal = policy.may_close(request.user, case)
    access(refusal)
    form = CloseForm(posted(request))
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            closure = closing.close(
                case,
                by=request.user,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except Refused as refused:
            field = refused.code if refused.code in ("outcome", "note") else None
            form.add_error(field, refused.reason)
        else:
            messages.success(
                request,
                _("The case is closed: %(outcome)s.") % {"outcome": closure.get_outcome_display()},
            )
            return redirect("cases:detail", case.pk)
    record(CLOSE_VIEWED, actor=request.user, case=case, obj=case)
    today = queries.today()
    # Until when the case is kept, per outcome, from today: one date when the periods are equal.
    kept_until = [(label, closing.retention_date(value, today)) for value, label in Outcome.choices]
    dates = {date for _label, date in kept_until}
    return render(
        request,
        "followup/close.html",
        {
            "case": case,
            "form": form,
            "refusal": refusal.message if refusal else "",
            "summary": _summary(case),
            "kept_until": kept_until,
            "kept_same": dates.pop() if len(dates) == 1 else None,
            "may": options(read_tracker=policy.may_read_tracker(request.user, case)),
        },
    )


def case_panel(case: Case, user: User) -> tuple[str, dict[str, Any]] | None:
    """In follow-up: "Close the case" for the coordinator (or why not yet). Once closed: the
    outcome (a code, like a stop reason), the date it was closed and until when it is kept, for
    everyone who sees the case page; the note only for the coordinator and the team's
    manager."""
    if case.state in policy.TRACKING_STATES:
        may_close = policy.may_close(user, case)
        if may_close is not None and may_close.access:
            return None
        return "followup/_closing_panel.html", {"case": case, "may": options(close=may_close)}
    if case.state != State.CLOSED:
        return None
    closure = Closure.objects.filter(case=case).first()
    if closure is None:
        return None
    return "followup/_closing_panel.html", {
        "case": case,
        "closure": closure,
        "full": policy.may_read_tracker(user, case) is None,
    }
