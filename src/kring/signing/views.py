"""Signing on the coordinator's tablet (issue 11, points 1 and 2): the overview of who signed,
who declined (and why) and who has not yet, and the pages the coordinator hands the tablet to
each person present with: read the whole plan, tick, type the name, optionally draw; or say
why not.

Each page reads signing.policy: anyone who may not see the case gets a 404 (cases.access),
anyone else who may never do this a 403; what is not possible now is said in words. The
signature and the declination are the participant's own acts (Actor.in_person): the
coordinator only hosts them (signing.actions). Every page with case data logs the read and is
never cached."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from kring.audit.actors import Actor
from kring.audit.log import record
from kring.cases.access import case_for
from kring.conference import policy as conference_policy
from kring.conference import versions
from kring.conference.queries import current_conference, plan_of
from kring.core.forms import posted
from kring.core.policy import Refused, enforce, options, rule
from kring.signing import actions, policy, queries
from kring.signing.consent import consent_text
from kring.signing.forms import DeclineForm, SignForm
from kring.signing.models import Role, Signature

FORM_METHODS = ["GET", "HEAD", "POST"]
NO_SIGNER = rule(
    "no_guardian",
    gettext_lazy("No parent or guardian is recorded: add one in the circle first."),
)


def access(refusal) -> None:
    """A 403 for whoever may never do this; a rule refusal is for the page to say."""
    enforce(refusal if refusal is not None and refusal.access else None)


def actor_of_slot(slot: queries.Slot) -> Actor:
    """Who acts when a slot is signed on the tablet: its signer, in person; a guardian for the
    minor whose place it is."""
    minor = slot.participant if slot.role == Role.GUARDIAN else None
    return Actor.in_person(slot.signer, for_participant=minor)


def _earlier_signatures(version) -> bool:
    """An older version of this plan has signatures: the plan changed after some signed, and
    those no longer count (R14)."""
    return Signature.objects.filter(
        version__plan_id=version.plan_id, version__number__lt=version.number
    ).exists()


@require_safe
@login_required
@never_cache
def overview(request, pk):
    """Which version is being signed, and every place to sign with its state; for each one not
    signed yet, the button that hands the tablet to its signer."""
    case = case_for(request.user, pk)
    enforce(policy.may_read_signing(request.user, case))
    version = queries.version_to_sign(case)
    host = policy.may_host_signing(request.user, case)
    rows = []
    context: dict = {"case": case, "version": version, "host": options(host=host)["host"]}
    if version is not None:
        found = queries.slots(version)
        for slot in found:
            # A minor without a guardian recorded has nobody to hand the tablet to yet.
            may_sign = host or (
                policy.may_sign(actor_of_slot(slot), slot, version) if slot.signer else NO_SIGNER
            )
            rows.append({"slot": slot, "may": options(sign=may_sign)})
        signed = sum(1 for slot in found if slot.is_signed)
        context.update(
            {
                "rows": rows,
                "short_hash": versions.short_hash(version),
                "signed": signed,
                "declined": sum(1 for slot in found if slot.is_declined),
                "total": len(found),
                "all_signed": bool(found) and signed == len(found),
                "changed": _earlier_signatures(version),
                "document": queries.document_of(case),
            }
        )
        obj = version
    else:
        plan = plan_of(current_conference(case))
        context["plan"] = plan
        context["may"] = options(
            finalise=conference_policy.may_finalise(request.user, plan) if plan else host
        )
        obj = plan or case
    record("signing.overview_viewed", actor=request.user, case=case, obj=obj)
    return render(request, "signing/overview.html", context)


def _slot_for_hosting(request, pk, participant_id, role):
    """The case, the version to sign and the slot of this page; a 404 for a place to sign that
    does not exist (not present, not a minor, another case, no version to sign)."""
    if role not in Role.values:
        raise Http404
    case = case_for(request.user, pk)
    enforce(policy.may_read_signing(request.user, case))
    host = policy.may_host_signing(request.user, case)
    access(host)
    version = queries.version_to_sign(case)
    if version is None:
        # The plan is being changed (or not final yet): the overview says what to do.
        raise NothingToSign(case)
    slot = queries.slot_of(version, participant_id, role)
    if slot is None or slot.signer is None:
        raise Http404
    return case, version, slot, host


class NothingToSign(Exception):
    def __init__(self, case):
        super().__init__("no version to sign")
        self.case = case


def _to_overview(view):
    """A tablet page opened while there is no version to sign goes back to the overview, which
    says why (the plan must be made final first)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NothingToSign as nothing:
            messages.info(
                request,
                _("Nobody can sign yet: the plan must be made final first."),
            )
            return redirect("signing:overview", nothing.case.pk)

    return wrapper


def _page_context(request, case, version, slot, host, *, viewed: str) -> dict:
    """The context the signing and declining pages share, after recording in the audit log that
    the page `viewed` of this slot was shown."""
    record(
        viewed,
        actor=request.user,
        case=case,
        obj=version,
        data={"participant": slot.participant.pk, "role": slot.role},
    )
    return {
        "case": case,
        "version": version,
        "slot": slot,
        "is_guardian": slot.role == Role.GUARDIAN,
        "coordinator": request.user.get_full_name() or request.user.get_username(),
        "short_hash": versions.short_hash(version),
        "host": host,
    }


@require_http_methods(FORM_METHODS)
@login_required
@never_cache
@_to_overview
def sign_in_person(request, pk, participant_id, role):
    """The page for the person holding the tablet: the whole plan, the tick, the name, an
    optional drawing. A POST signs (idempotent: a second POST of the same slot makes no second
    signature) and comes back here, where the page then says it is signed and what is next."""
    case, version, slot, host = _slot_for_hosting(request, pk, participant_id, role)
    by = actor_of_slot(slot)
    refusal = host or policy.may_sign(by, slot, version)
    language = translation.get_language()
    consent = consent_text(version, language, role=slot.role, minor_name=slot.participant.name)
    form = SignForm(posted(request), consent=consent)
    if request.method == "POST" and form.is_valid():
        try:
            actions.sign(
                version,
                slot.participant.pk,
                slot.role,
                by=by,
                typed_name=form.cleaned_data["typed_name"],
                agreed=form.cleaned_data["agreed"],
                consent_text=consent,
                drawing=form.cleaned_data["drawing"],
                host=request.user,
            )
        except Refused as refused:
            form.add_error(None, str(refused.reason))
        else:
            return redirect("signing:sign_in_person", case.pk, slot.participant.pk, slot.role)
    context = _page_context(request, case, version, slot, host, viewed="signing.sign_page_viewed")
    context.update(
        {
            "form": form,
            "content": version.content,
            "refusal": refusal.message if refusal is not None and not slot.is_signed else "",
            "may": options(sign=refusal, decline=host or policy.may_decline(by, slot, version)),
        }
    )
    if slot.is_signed:
        # Signed (now, or before): the confirmation and who is next.
        found = queries.slots(version)
        upcoming = next((s for s in found if not s.is_signed and s.signer), None)
        context["next_slot"] = upcoming
        if upcoming is not None:
            context["may"]["next"] = options(
                next=host or policy.may_sign(actor_of_slot(upcoming), upcoming, version)
            )["next"]
        return render(request, "signing/signed.html", context)
    return render(request, "signing/sign.html", context)


@require_http_methods(FORM_METHODS)
@login_required
@never_cache
@_to_overview
def decline_in_person(request, pk, participant_id, role):
    """The person holding the tablet does not sign, and says why: the reason is for the
    coordinator (and the team's manager) only."""
    case, version, slot, host = _slot_for_hosting(request, pk, participant_id, role)
    by = actor_of_slot(slot)
    refusal = host or policy.may_decline(by, slot, version)
    form = DeclineForm(posted(request))
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            actions.decline(
                version,
                slot.participant.pk,
                slot.role,
                by=by,
                reason=form.cleaned_data["reason"],
                host=request.user,
            )
        except Refused as refused:
            form.add_error(None, str(refused.reason))
        else:
            messages.success(
                request,
                _("%(name)s does not sign. The reason is on this page.")
                % {"name": slot.signer.name},
            )
            return redirect("signing:overview", case.pk)
    context = _page_context(
        request, case, version, slot, host, viewed="signing.decline_page_viewed"
    )
    context.update(
        {
            "form": form,
            "refusal": refusal.message if refusal is not None else "",
            "may": options(decline=refusal, sign=host or policy.may_sign(by, slot, version)),
        }
    )
    return render(request, "signing/decline.html", context)
