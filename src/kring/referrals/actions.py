"""Receiving a request (R1). The view parses the form; everything that follows happens here."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from kring.accounts.areas import team_for_place
from kring.accounts.models import Role, User
from kring.audit.actors import REQUESTER
from kring.audit.log import record
from kring.cases.actions import open_case
from kring.notifications.mail import queue_mail
from kring.referrals import privacy
from kring.referrals.models import Referral, ReferralPerson

REQUESTER_FIELDS = (
    "requester_name",
    "requester_relation",
    "requester_organisation",
    "requester_email",
    "requester_phone",
    "description",
    "place",
    "people_informed",
)


class ConsentMissing(ValueError):
    """A request is stored only with the requester's consent to the privacy statement."""


def submit_referral(
    details: Mapping[str, Any],
    people: Iterable[Mapping[str, str]],
    *,
    language: str,
    by: User | None = None,
) -> Referral:
    """Store a request with the people named, open its case in the inbox of the team that
    works in the place it names (accounts.areas; none: the central inbox), and queue the
    confirmation to the requester and a notice to the office staff who see that inbox: the
    team's (its managers, when it has no office staff), or every office user for the central
    inbox.

    `details` holds the request form's cleaned data (REQUESTER_FIELDS and privacy_consent);
    `people` the named people (name, side, contact). The e-mails carry the reference and what
    happens next, never the description or anyone's name.
    """
    if details.get("privacy_consent") is not True:
        raise ConsentMissing("the requester did not agree to the privacy statement")
    with transaction.atomic():
        referral = Referral.objects.create(
            **{field: details.get(field) or "" for field in REQUESTER_FIELDS},
            language=language,
            privacy_version=privacy.version(),
            privacy_accepted_at=timezone.now(),
        )
        ReferralPerson.objects.bulk_create(
            ReferralPerson(
                referral=referral,
                name=person["name"],
                side=person["side"],
                contact=person.get("contact") or "",
            )
            for person in people
        )
        # The requester, through the public form; a staff member who types in a request by phone.
        actor = by if by is not None else REQUESTER
        case = open_case(referral, team=team_for_place(referral.place), by=actor)
        record("referral.submitted", actor=actor, case=case, obj=referral)
        queue_mail(
            "referral.received",
            to=referral.requester_email,
            language=language,
            context={"referral": referral},
        )
        link = settings.SITE_URL + reverse("cases:request_detail", args=[case.pk])
        staff = User.objects.filter(is_active=True).exclude(email="")
        office = staff.filter(role=Role.OFFICE)
        if case.team_id is not None:
            office = office.filter(team_id=case.team_id)
            if not office.exists():
                # A team without office staff: its manager, who sees the team's inbox, is told.
                office = staff.filter(role=Role.MANAGER, team_id=case.team_id)
        for user in office.order_by("pk"):
            queue_mail(
                "referral.office_notice",
                to=user.email,
                language=user.language,
                context={"user": user, "referral": referral, "case": case, "link": link},
            )
    return referral
