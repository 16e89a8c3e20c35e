"""The sentence beside the tick box when someone signs (R14, issue 11 point 2), composed in one
place for the tablet (signing.views) and the personal page (signing.portal_views). The words are
stored on the Signature exactly as shown (`Signature.consent_text`), so the sentence names the
version it is about; no part of it is typed by the signer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from kring.signing.models import Role

if TYPE_CHECKING:
    from kring.conference.models import PlanVersion


def consent_text(
    version: PlanVersion, language: str, *, role: str = Role.OWN, minor_name: str = ""
) -> str:
    """The consent sentence in `language`: "I have read this plan (version n of <date>) and I
    agree with it."; for a guardian co-signing (`role` "guardian") it names the minor
    (`minor_name`, their first name as the page shows it)."""
    with translation.override(language):
        day = date_format(timezone.localtime(version.finalised_at).date(), "j F Y")
        if role == Role.GUARDIAN:
            return gettext(
                "As parent or guardian of %(name)s, I have read this plan "
                "(version %(number)s of %(date)s) and I agree with it."
            ) % {"name": minor_name, "number": version.number, "date": day}
        return gettext(
            "I have read this plan (version %(number)s of %(date)s) and I agree with it."
        ) % {"number": version.number, "date": day}
