"""The letter code typed in at the short address (issue 8, point 4; docs/adr/0007-letter-codes.md).

A printed letter carries, besides the long link and its QR code, a short address (`/code/`) and
a personal code of 12 characters in groups of four. The code is posted, never put in an
address. What is typed is read as Crockford reads it (capitals or not, spaces and dashes
ignored, O as zero, I and L as one); something that cannot be a code at all (too short, a U)
only asks to check it and counts as nothing. A well-formed code that matches no live link
counts as a wrong guess, per address and over all addresses, apart from wrong links: a
household that mistypes its code does not lock itself out of the links. A code that differs
from a live one in one character is simply wrong: the page says the same as for any other.
A code that a newer invitation replaced says so, and is not counted.
"""

from django import forms
from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from kring.circle import links
from kring.core import ratelimit
from kring.portal import access
from kring.portal.decorators import portal_headers
from kring.portal.views import entered, superseded

TEMPLATE = "portal/code.html"
ALL_ADDRESSES_KEY = "portal-code:all"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your personal code"),
        help_text=_(
            "12 letters and numbers, as in your letter. Capital letters or small letters, "
            "with or without dashes: both are fine."
        ),
        max_length=40,
        strip=True,
        error_messages={"required": _("Type the code from your letter.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "autocorrect": "off",
                "spellcheck": "false",
                "class": "code-input",
            }
        ),
    )


def guess_key(request) -> str:
    return ratelimit.address_key("portal-code", request)


def _throttled(request) -> bool:
    return access.guessing_throttled(
        guess_key(request), limit=settings.KRING_PORTAL_CODE_GUESSES_PER_HOUR
    ) or access.guessing_throttled(
        ALL_ADDRESSES_KEY, limit=settings.KRING_PORTAL_CODE_GUESSES_PER_HOUR_ALL
    )


def _count_wrong(request) -> bool:
    """Count one wrong code; False once this address, or everyone together, is over the limit."""
    return access.count_wrong_guess(
        guess_key(request), limit=settings.KRING_PORTAL_CODE_GUESSES_PER_HOUR
    ) and access.count_wrong_guess(
        ALL_ADDRESSES_KEY, limit=settings.KRING_PORTAL_CODE_GUESSES_PER_HOUR_ALL
    )


def _page(request, form, *, typed: str = "", status: int = 200):
    return render(request, TEMPLATE, {"form": form, "typed": typed}, status=status)


def _too_many(request):
    response = render(request, TEMPLATE, {"throttled": True}, status=429)
    response["Retry-After"] = str(access.GUESS_WINDOW_SECONDS)
    return response


def _check_the_code(request, form, typed: str):
    """The code back as typed, in groups of four, so that it can be compared with the letter."""
    shown = links.grouped(links.squeeze(typed))
    form.add_error(
        "code",
        _("Check the code. You typed %(code)s. Compare it with the code in your letter.")
        % {"code": shown},
    )
    # The field shows the code in groups, ready to correct.
    form.data = form.data.copy()
    form.data["code"] = shown
    return _page(request, form, typed=shown)


@portal_headers
@require_http_methods(["GET", "HEAD", "POST"])
def enter_code(request):
    """Vul je code in: a letter code exchanged for a portal session, as a link is."""
    if request.method != "POST":
        return _page(request, CodeForm())
    # While throttled even a right code is refused: guessing must never be rewarded.
    if _throttled(request):
        return _too_many(request)
    form = CodeForm(request.POST)
    if not form.is_valid():
        return _page(request, form)
    typed = form.cleaned_data["code"]
    if not links.squeeze(typed):  # only dashes or dots: nothing to check
        form.add_error("code", CodeForm.base_fields["code"].error_messages["required"])
        return _page(request, form)
    code = links.normalise(typed)
    if code is None:
        return _check_the_code(request, form, typed)  # cannot be a code: not a guess
    match, link = links.match_code(code)
    if match is links.Match.SUPERSEDED:
        return superseded(request)
    if link is None:
        if not _count_wrong(request):
            return _too_many(request)
        return _check_the_code(request, form, typed)
    return entered(request, link)
