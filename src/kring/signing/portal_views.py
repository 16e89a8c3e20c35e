"""Signing the plan on the participant's own page (R14, issue 11 points 1, 2 and 4).

A participant in the portal (kring.portal.decorators.portal_page: the participant of this
browser's session, never anyone else) who has a place to sign the version to sign (their own,
and as parent or guardian for a minor) first asks for a one-time code by e-mail and types it
(signing.codes); then they read the whole plan, tick the consent sentence (signing.consent),
type their name, optionally draw, and sign; or say why they do not sign. The act is theirs
(Actor.in_portal, a guardian's for the minor); the browser's address and user agent are stored
with the signature. Once the sealed PDF is made, they download their copy here (a Delivery).

Nothing changes on a GET. A refused POST changes nothing and says why."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kring.audit.actors import Actor
from kring.audit.log import record
from kring.core.net import client_ip
from kring.core.policy import Refused, options
from kring.portal.decorators import portal_page
from kring.portal.views import see_other
from kring.signing import actions, codes, deliveries, documents, policy, queries
from kring.signing.consent import consent_text
from kring.signing.forms import DeclineForm, SignForm
from kring.signing.models import Signature, SignedDocument
from kring.signing.portal_forms import CodeForm

FORM_METHODS = ["GET", "HEAD", "POST"]
USER_AGENT_MAX = 400


def actor_for(participant, slot: queries.Slot) -> Actor:
    """Who acts on `slot` from this page: the participant; for a minor, as their guardian."""
    return Actor.in_portal(participant, for_participant=slot.for_minor)


def _my_slots(participant):
    """The version to sign and this participant's places in it (own, and as guardian)."""
    version = queries.version_to_sign(participant.case)
    if version is None:
        return None, []
    return version, queries.slots_for_signer(version, participant)


def _signed_before(participant, version) -> bool:
    """They signed an older version of this plan: the plan changed, and they sign again."""
    return Signature.objects.filter(
        version__plan_id=version.plan_id,
        version__number__lt=version.number,
        signed_by=participant,
    ).exists()


def _consent(version, slot: queries.Slot) -> str:
    return consent_text(
        version,
        translation.get_language() or "nl",
        role=slot.role,
        minor_name=slot.participant.name,
    )


def _made_document(participant):
    """The case's made document, when this participant may download it."""
    document = queries.document_of(participant.case)
    if document is None or document.status != SignedDocument.Status.MADE:
        return None
    if policy.may_download_document(Actor.in_portal(participant), document) is not None:
        return None
    return document


# --- the panel on the participant's page ------------------------------------------------------


def home_panel(participant):
    """The panel on the participant's page (portal.registry): sign the plan while a place of
    theirs is open; that they signed; and their copy once the PDF is made."""
    version, mine = _my_slots(participant)
    document = _made_document(participant)
    if not mine and document is None:
        return None
    me = Actor.in_portal(participant)
    open_slots = [s for s in mine if not s.is_signed]
    may_sign = None
    if open_slots:
        # The link leads to the code first: whether they may sign once it is typed.
        may_sign = policy.may_sign(
            actor_for(participant, open_slots[0]), open_slots[0], version, code_verified=True
        )
    return (
        "signing/portal/_home_panel.html",
        {
            "to_sign": bool(open_slots) and may_sign is None,
            "signed": bool(mine) and not open_slots,  # else, refused: nothing to show
            "no_email": not participant.email,
            "document": document,
            "may": options(
                sign=may_sign if open_slots else None,
                download=policy.may_download_document(me, document) if document else None,
            ),
        },
    )


# --- signing ------------------------------------------------------------------------------------


def _page(request, participant, *, code_form=None, forms=None, status=200):
    """The signing page: the code step while the session is not verified, then the plan and a
    form for each open place; or that everything is signed."""
    me = Actor.in_portal(participant)
    version, mine = _my_slots(participant)
    open_slots = [s for s in mine if not s.is_signed]
    context: dict = {
        "participant": participant,
        "version": version,
        "slots": mine,
        "open_slots": open_slots,
        "done": bool(mine) and not open_slots,
        "signed_before": version is not None and _signed_before(participant, version),
        "no_email": not participant.email,
    }
    verified = codes.verified(participant, request.session)
    context["verified"] = verified
    if open_slots and not verified:
        context["may"] = options(send_code=policy.may_send_signing_code(me, participant))
        context["code_sent"] = codes.has_live_code(participant)
        context["code_form"] = code_form or CodeForm()
        context["form"] = context["code_form"]  # the error summary
    elif open_slots:
        forms = forms or {}
        rows = []
        for slot in open_slots:
            form = forms.get(slot.key) or SignForm(
                prefix=slot.key, consent=_consent(version, slot), shown_hash=version.content_hash
            )
            by = actor_for(participant, slot)
            rows.append(
                {
                    "slot": slot,
                    "form": form,
                    "may": options(
                        sign=policy.may_sign(by, slot, version, code_verified=verified),
                        decline=policy.may_decline(by, slot, version, code_verified=verified),
                    ),
                }
            )
        context["rows"] = rows
        context["content"] = version.content
        context["form"] = next((row["form"] for row in rows if row["form"].errors), None)
        record("signing.plan_read", actor=me, case=participant.case, obj=participant)
    return render(request, "signing/portal/sign.html", context, status=status)


@portal_page
@require_http_methods(FORM_METHODS)
def portal_sign(request, participant):
    """GET: the page (see `_page`). POST: sign one place (`slot`), once the code was typed."""
    version, mine = _my_slots(participant)
    if request.method != "POST":
        if not mine:
            return see_other("portal:home")
        return _page(request, participant)
    slot = next((s for s in mine if s.key == request.POST.get("slot")), None)
    if slot is None or version is None:
        messages.error(request, _("There is nothing for you to sign now."))
        return see_other("portal:home")
    if not codes.verified(participant, request.session):
        messages.error(request, _("First type the code we sent you by e-mail."))
        return see_other("signing:portal_sign")
    consent = _consent(version, slot)
    form = SignForm(request.POST, prefix=slot.key, consent=consent)
    if form.is_valid():
        try:
            _sign(request, participant, version, slot, form, consent)
        except Refused as refused:
            if refused.code == policy.CHANGED:
                # The plan on the page is no longer the one to sign: show the new one.
                messages.error(request, str(refused.reason))
                return see_other("signing:portal_sign")
            form.add_error(None, refused.reason)
        else:
            if any(not s.is_signed and s.key != slot.key for s in mine):
                # Another place is still open (a guardian's for the minor): say this one is done.
                # When none is, the page itself thanks them.
                messages.success(request, _("Thank you. You have signed this part."))
            return see_other("signing:portal_sign")
    return _page(request, participant, forms={slot.key: form}, status=400)


def _sign(request, participant, version, slot, form, consent) -> None:
    actions.sign(
        version,
        slot.participant.pk,
        slot.role,
        by=actor_for(participant, slot),
        typed_name=form.cleaned_data["typed_name"],
        agreed=form.cleaned_data["agreed"],
        consent_text=consent,
        drawing=form.cleaned_data["drawing"],
        shown_hash=form.cleaned_data["shown_hash"],
        code_verified=codes.verified(participant, request.session),
        address=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX],
    )


@portal_page
@require_POST
def portal_code(request, participant):
    """POST "send": a new code by e-mail. POST "code": the code typed."""
    if "send" in request.POST:
        try:
            codes.send(participant)
        except Refused as refused:
            messages.error(request, str(refused.reason))
        else:
            messages.success(
                request,
                _("We have sent you an e-mail with a code. Type the code below."),
            )
        return see_other("signing:portal_sign")
    form = CodeForm(request.POST)
    if form.is_valid():
        if codes.check(participant, form.cleaned_data["code"], request.session):
            return see_other("signing:portal_sign")
        form.add_error(
            "code",
            _(
                "This code is not right, or it no longer works. Check the code or ask for a new one."
            ),
        )
    return _page(request, participant, code_form=form, status=400)


@portal_page
@require_http_methods(FORM_METHODS)
def portal_decline(request, participant):
    """GET ?slot=…: why do you not sign? POST: decline that place with the reason."""
    version, mine = _my_slots(participant)
    key = request.POST.get("slot") if request.method == "POST" else request.GET.get("slot")
    slot = next((s for s in mine if s.key == key and not s.is_signed), None)
    if slot is None or version is None:
        return see_other("signing:portal_sign" if mine else "portal:home")
    if not codes.verified(participant, request.session):
        messages.error(request, _("First type the code we sent you by e-mail."))
        return see_other("signing:portal_sign")
    by = actor_for(participant, slot)
    verified = codes.verified(participant, request.session)
    refusal = policy.may_decline(by, slot, version, code_verified=verified)
    form = DeclineForm(
        request.POST if request.method == "POST" else None, shown_hash=version.content_hash
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.decline(
                version,
                slot.participant.pk,
                slot.role,
                by=by,
                reason=form.cleaned_data["reason"],
                shown_hash=form.cleaned_data["shown_hash"],
                code_verified=verified,
            )
        except Refused as refused:
            if refused.code == policy.CHANGED:
                messages.error(request, str(refused.reason))
                return see_other("signing:portal_sign")
            form.add_error(None, refused.reason)
        else:
            messages.success(
                request,
                _(
                    "Your coordinator can see that you do not sign, and why. You can still sign later."
                ),
            )
            return see_other("signing:portal_sign")
    return render(
        request,
        "signing/portal/decline.html",
        {
            "participant": participant,
            "slot": slot,
            "version": version,
            "form": form,
            "may": options(decline=refusal),
        },
        status=400 if request.method == "POST" else 200,
    )


@portal_page
@require_safe
def portal_document(request, participant):
    """The sealed PDF, for someone who signed it; each download is a Delivery."""
    document = _made_document(participant)
    if document is None:
        raise Http404
    data = documents.pdf_bytes(document)
    deliveries.record_download(document, participant)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{deliveries.filename(document)}"'
    response["Content-Length"] = str(len(data))
    return response
