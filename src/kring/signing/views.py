"""Signing on the coordinator's tablet (issue 11, points 1 and 2): the overview of who signed,
who declined (and why) and who has not yet, and the pages the coordinator hands the tablet to
each person present with: read the whole plan, tick, type the name, optionally draw; or say
why not.

The pages for the person holding the tablet (signing, declining, and the confirmation of
each) have a layout of their own, signing/tablet.html: no staff menu and no way into the
overview, where the reasons of others are (R18). They speak the signer's language (ADR 0009),
or the one chosen with their language switch (`?taal=`), and the consent sentence is composed
and stored in it.

Each page reads signing.policy: anyone who may not see the case gets a 404 (cases.access),
anyone else who may never do this a 403; what is not possible now is said in words. The
signature and the declination are the participant's own acts (Actor.in_person): the
coordinator only hosts them (signing.actions). Every page with case data logs the read and is
never cached."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from kring.audit.actors import Actor
from kring.audit.log import record
from kring.cases.access import case_for
from kring.conference import policy as conference_policy
from kring.conference import versions
from kring.conference.queries import current_conference, plan_of
from kring.core.forms import posted
from kring.core.policy import Refused, enforce, options
from kring.signing import actions, policy, queries
from kring.signing.consent import consent_text
from kring.signing.forms import DeclineForm, SignForm
from kring.signing.models import Role, Signature

FORM_METHODS = ["GET", "HEAD", "POST"]
# The language switch of the pages for the person holding the tablet: a query parameter, since
# the coordinator's own language (their session's) stays what it was.
LANGUAGE_PARAM = "taal"


def access(refusal) -> None:
    """A 403 for whoever may never do this; a rule refusal is for the page to say."""
    enforce(refusal if refusal is not None and refusal.access else None)


def actor_of_slot(slot: queries.Slot) -> Actor:
    """Who acts when a slot is signed on the tablet: its signer, in person; a guardian for the
    minor whose place it is."""
    return Actor.in_person(slot.signer, for_participant=slot.for_minor)


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
            # A minor's place without a guardian who takes part has nobody to hand it to.
            may_sign = (
                host
                or policy.has_signer(slot)
                or policy.may_sign(actor_of_slot(slot), slot, version)
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
                "all_signed": queries.all_signed(found),
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
    """The case, the version to sign, the slot of this page, the refusal to host (None: Carla
    hosts) and all the version's slots; a 404 for a place to sign that does not exist (not
    present, not a minor, another case)."""
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
    found = queries.slots(version)
    slot = next((s for s in found if (s.participant.pk, s.role) == (participant_id, role)), None)
    if slot is None or slot.signer is None:
        raise Http404
    return case, version, slot, host, found


def _chosen_language(request) -> str:
    """The language chosen with the language switch of a page for the person holding the
    tablet, or ""."""
    chosen = request.GET.get(LANGUAGE_PARAM, "")
    return chosen if chosen in dict(settings.LANGUAGES) else ""


def tablet_language(request, slot: queries.Slot) -> str:
    """The language of the pages for the person holding the tablet: the one chosen with the
    page's language switch, or else the signer's own (ADR 0009)."""
    assert slot.signer is not None
    own = slot.signer.language
    return _chosen_language(request) or (
        own if own in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    )


def _language_query(request) -> str:
    """The language chosen on the tablet, as the query of an address ("" for none)."""
    chosen = _chosen_language(request)
    return "?" + urlencode({LANGUAGE_PARAM: chosen}) if chosen else ""


def _again(request, name: str, case, slot: queries.Slot) -> str:
    """The address of this slot's page `name`, in the language chosen on the tablet."""
    return reverse(name, args=[case.pk, slot.participant.pk, slot.role]) + _language_query(request)


def _in_language(language: str, page):
    """`page()` rendered in `language`, and the answer saying so."""
    with translation.override(language):
        response = page()
    response.headers["Content-Language"] = language
    return response


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
        "host": host,
        "language_param": LANGUAGE_PARAM,
        "language_query": _language_query(request),
    }


def _done(request, context: dict, version, found: list[queries.Slot], host, template: str):
    """The confirmation after signing or declining: give the tablet back, and to whom the
    coordinator hands it next (queries.next_to_sign). No reason and no overview: the next one
    holding the tablet reads nothing of the others."""
    upcoming = queries.next_to_sign(found)
    context["next_slot"] = upcoming
    if upcoming is not None:
        context["may"]["next"] = options(
            next=host or policy.may_sign(actor_of_slot(upcoming), upcoming, version)
        )["next"]
    return render(request, template, context)


@require_http_methods(FORM_METHODS)
@login_required
@never_cache
@_to_overview
def sign_in_person(request, pk, participant_id, role):
    """The page for the person holding the tablet: the whole plan, the tick, the name, an
    optional drawing, in the signer's language. A POST signs (idempotent: a second POST of the
    same slot makes no second signature) and comes back here, where the page then says it is
    signed and to give the tablet back."""
    case, version, slot, host, found = _slot_for_hosting(request, pk, participant_id, role)
    return _in_language(
        tablet_language(request, slot),
        lambda: _sign_page(request, case, version, slot, host, found),
    )


def _sign_page(request, case, version, slot, host, found):
    by = actor_of_slot(slot)
    refusal = host or policy.may_sign(by, slot, version)
    consent = consent_text(
        version, translation.get_language(), role=slot.role, minor_name=slot.participant.name
    )
    form = SignForm(posted(request), consent=consent, shown_hash=version.content_hash)
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
                shown_hash=form.cleaned_data["shown_hash"],
                host=request.user,
            )
        except Refused as refused:
            form.add_error(None, str(refused.reason))
        else:
            return redirect(_again(request, "signing:sign_in_person", case, slot))
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
        return _done(request, context, version, found, host, "signing/signed.html")
    return render(request, "signing/sign.html", context)


@require_http_methods(FORM_METHODS)
@login_required
@never_cache
@_to_overview
def decline_in_person(request, pk, participant_id, role):
    """The person holding the tablet does not sign, and says why, in their language: the
    reason is for the coordinator (and the team's manager) only. A POST declines and comes back
    here, where the page then says so and to give the tablet back."""
    case, version, slot, host, found = _slot_for_hosting(request, pk, participant_id, role)
    return _in_language(
        tablet_language(request, slot),
        lambda: _decline_page(request, case, version, slot, host, found),
    )


def _decline_page(request, case, version, slot, host, found):
    by = actor_of_slot(slot)
    refusal = host or policy.may_decline(by, slot, version)
    form = DeclineForm(posted(request), shown_hash=version.content_hash)
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            actions.decline(
                version,
                slot.participant.pk,
                slot.role,
                by=by,
                reason=form.cleaned_data["reason"],
                shown_hash=form.cleaned_data["shown_hash"],
                host=request.user,
            )
        except Refused as refused:
            form.add_error(None, str(refused.reason))
        else:
            return redirect(_again(request, "signing:decline_in_person", case, slot))
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
    if request.method != "POST" and slot.is_declined:
        # Declined (now, or before): the confirmation and who is next. A second POST is
        # refused below, in words.
        return _done(request, context, version, found, host, "signing/declined.html")
    return render(request, "signing/decline.html", context)
