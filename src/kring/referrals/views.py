"""The public pages (R1): the request form, its confirmation, and the privacy statement.
No account is needed for any of them."""

from email.utils import parseaddr

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_safe

from kring.core import page_cache, ratelimit
from kring.referrals import privacy as privacy_policy
from kring.referrals.actions import submit_referral
from kring.referrals.forms import (
    DESCRIPTION_MAX_LENGTH,
    HONEYPOT_FIELD,
    PeopleFormSet,
    ReferralForm,
    error_summary,
)
from kring.referrals.models import new_reference

# The reference of the request this browser sent last; shown on the confirmation page.
SESSION_REFERENCE = "referrals.sent_reference"
RATE_WINDOW_SECONDS = 3600


def _contact() -> dict:
    return {
        "contact_email": settings.KRING_CONTACT_EMAIL or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    }


FORM_TEMPLATE = "referrals/request_form.html"


def _form_context(form, people, **context) -> dict:
    return {
        "form": form,
        "people": people,
        "honeypot_field": HONEYPOT_FIELD,
        "description_max_length": DESCRIPTION_MAX_LENGTH,
        **_contact(),
        **context,
    }


def _empty_form_context() -> dict:
    return _form_context(ReferralForm(), PeopleFormSet())


def _form_page(request, form, people, *, status=200, **context):
    response = render(request, FORM_TEMPLATE, _form_context(form, people, **context), status=status)
    if request.method == "POST":
        # The page now holds what the visitor typed: no copy in any cache.
        add_never_cache_headers(response)
    return response


@require_http_methods(["GET", "POST"])
def new_referral(request):
    """R1: anyone may ask for a conference."""
    if request.method == "GET":
        # The empty form is the same for every anonymous visitor: kept per process and language.
        return page_cache.anonymous_page(request, FORM_TEMPLATE, _empty_form_context)

    if request.POST.get(HONEYPOT_FIELD, "").strip():
        # A robot filled in the trap: it sees the usual confirmation; nothing is kept or sent.
        request.session[SESSION_REFERENCE] = new_reference()
        return redirect("referrals:sent")

    form = ReferralForm(request.POST)
    people = PeopleFormSet(request.POST)
    if request.POST.get("action") == "add_person":
        # Not a submission: show the form again as typed, one row longer, without errors.
        return _form_page(
            request,
            ReferralForm(initial=form.raw_values()),
            people.as_typed(add_row=people.can_add),
            added_row=people.can_add,
        )

    if not (form.is_valid() and people.is_valid()):
        return _form_page(request, form, people, errors=error_summary(form, people))

    allowed = ratelimit.hit(
        ratelimit.address_key("referral", request),
        limit=settings.KRING_REQUEST_RATE_PER_HOUR,
        window_seconds=RATE_WINDOW_SECONDS,
    )
    if not allowed:
        return _form_page(
            request,
            form,
            people,
            status=429,
            rate_limited=True,
            rate_limit=settings.KRING_REQUEST_RATE_PER_HOUR,
        )

    referral = submit_referral(
        form.cleaned_data, people.people(), language=translation.get_language() or "nl"
    )
    request.session[SESSION_REFERENCE] = referral.reference
    return redirect("referrals:sent")


@require_safe
def sent(request):
    """After sending: the reference and what happens next (POST-redirect-GET)."""
    reference = request.session.get(SESSION_REFERENCE)
    if not reference:
        return redirect("referrals:new")
    response = render(request, "referrals/sent.html", {"reference": reference, **_contact()})
    add_never_cache_headers(response)
    return response


@require_safe
def privacy(request):
    return render(
        request,
        "referrals/privacy.html",
        {
            "version": privacy_policy.version(),
            "version_date": privacy_policy.PRIVACY_DATE,
            "retention_declined_months": privacy_policy.declined_months(),
            "retention_stopped_years": privacy_policy.stopped_years(),
            "retention_closed_years": privacy_policy.closed_years(),
            "retention_closed_vary": privacy_policy.closed_years_vary(),
            "rate_per_hour": settings.KRING_REQUEST_RATE_PER_HOUR,
            **_contact(),
        },
    )
