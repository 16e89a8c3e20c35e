"""A request for a conference (aanmelding, R1): what anyone may send without an account."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from kring.core.models import ChoiceLabels

# Crockford's base32 without I, L, O, U: a reference that can be read out over the phone.
_REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference() -> str:
    body = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))
    return f"K-{body[:4]}-{body[4:]}"


class RequesterRelation(models.TextChoices):
    HARMED = "harmed", _("I was harmed")
    RESPONSIBLE = "responsible", _("I am responsible for what happened")
    RELATIVE = "relative", _("Relative or friend of someone involved")
    SCHOOL = "school", _("School")
    POLICE = "police", _("Police")
    PROFESSIONAL = "professional", _("Other professional")
    OTHER = "other", _("Other")


class PeopleInformed(models.TextChoices):
    YES = "yes", _("Yes, all of them")
    SOME = "some", _("Some of them")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("I don't know")


class PersonSide(models.TextChoices):
    HARMED = "harmed", _("Was harmed")
    RESPONSIBLE = "responsible", _("Is responsible")
    SUPPORTER = "supporter", _("Family, friend or acquaintance")
    OTHER = "other", _("Other (teacher, neighbour, ...)")
    UNKNOWN = "unknown", _("Not sure")


class Referral(ChoiceLabels, models.Model):
    reference = models.CharField(max_length=16, unique=True, default=new_reference, editable=False)
    submitted_at = models.DateTimeField(auto_now_add=True)
    language = models.CharField(max_length=5, default="nl")
    requester_name = models.CharField(_("your name"), max_length=200)
    requester_relation = models.CharField(
        _("how are you involved?"), max_length=20, choices=RequesterRelation.choices
    )
    requester_organisation = models.CharField(
        _("organisation (if you ask on behalf of one)"), max_length=200, blank=True
    )
    requester_email = models.EmailField(_("e-mail address"), max_length=254)
    requester_phone = models.CharField(_("telephone number"), max_length=40, blank=True)
    # The most sensitive field in Kring: shown only where needed, never in URLs, logs or mail.
    description = models.TextField(_("what happened, briefly"), max_length=4000)
    # Where it happened or where the people live: a municipality or a postcode, as typed. It
    # decides which team's inbox the request goes to (accounts.areas); empty: the central inbox.
    place = models.CharField(_("place or postcode"), max_length=100, blank=True)
    people_informed = models.CharField(
        _("do the people you name know about this request?"),
        max_length=10,
        choices=PeopleInformed.choices,
    )
    privacy_version = models.CharField(max_length=20)
    privacy_accepted_at = models.DateTimeField()

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("request")
        verbose_name_plural = _("requests")

    def __str__(self) -> str:
        return self.reference


class ReferralPerson(ChoiceLabels, models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(_("name"), max_length=200)
    side = models.CharField(_("role in what happened"), max_length=20, choices=PersonSide.choices)
    contact = models.CharField(_("contact details, if known"), max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("person involved")
        verbose_name_plural = _("people involved")

    def __str__(self) -> str:
        return self.name
