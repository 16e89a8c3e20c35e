"""The legal hold on the case page (issue 14, point 7): the panel, placing a hold (POST only,
from the panel's form) and lifting it (a page that asks to confirm; POST lifts).

Only the team's manager places or lifts a hold (privacy.policy): anyone else who may see the
case gets a 403, anyone who may not a 404 (cases.access.case_for). The confirm page shows the
case's reference and the hold, and its read is logged."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from kring.accounts.models import User
from kring.audit.log import record
from kring.cases.access import case_for
from kring.cases.models import Case
from kring.core.policy import Refused, enforce, options
from kring.privacy import holds, policy, retention
from kring.privacy.models import REFERENCE_MAX, CaseErasure

LIFT_VIEWED = "privacy.lift_hold_viewed"


def _access(refusal) -> None:
    """A 403 for the actor who may never do this; a rule is left to the page."""
    enforce(refusal if refusal is not None and refusal.access else None)


@require_POST
@login_required
@never_cache
def place_hold(request, pk):
    """Place a hold with an optional reference (the panel's form)."""
    case = case_for(request.user, pk)
    _access(policy.may_place_hold(request.user, case))
    try:
        holds.place_hold(case, by=request.user, reference=request.POST.get("reference", ""))
    except Refused as refused:
        messages.error(request, str(refused.reason))
    else:
        messages.success(
            request, _("The case is kept: it will not be erased until the hold is lifted.")
        )
    return redirect("cases:detail", case.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@never_cache
def lift_hold(request, pk):
    """What lifting does, and a button to confirm; POST lifts the hold."""
    case = case_for(request.user, pk)
    refusal = policy.may_lift_hold(request.user, case)
    _access(refusal)
    if request.method == "POST" and refusal is None:
        try:
            holds.lift_hold(case, by=request.user)
        except Refused as refused:
            messages.error(request, str(refused.reason))
        else:
            messages.success(request, _("The hold is lifted."))
        return redirect("cases:detail", case.pk)
    record(LIFT_VIEWED, actor=request.user, case=case, obj=case)
    return render(
        request,
        "privacy/hold_lift.html",
        {
            "case": case,
            "hold": policy.active_hold(case),
            "kept_until": retention.kept_until(case),
            "refusal": refusal.message if refusal else "",
        },
    )


def case_panel(case: Case, user: User) -> tuple[str, dict[str, Any]] | None:
    """Until when the case is kept, whether a hold keeps it, whether it was erased; for everyone
    who sees the case page once the case has ended or is held, and for the team's manager (who
    places a hold) always. The buttons only when the policy allows them."""
    may_place = policy.may_place_hold(user, case)
    may_lift = policy.may_lift_hold(user, case)
    hold = policy.active_hold(case)
    erasure = CaseErasure.objects.filter(case=case).first()
    kept_until = retention.kept_until(case) if erasure is None else None
    manager = may_place is None or not may_place.access
    if not (manager or hold or erasure or kept_until):
        return None
    return "privacy/hold_panel.html", {
        "case": case,
        "hold": hold,
        "erasure": erasure,
        "kept_until": kept_until,
        "reference_max": REFERENCE_MAX,
        "may": options(place_hold=may_place, lift_hold=may_lift),
    }
