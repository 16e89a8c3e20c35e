"""The circle starts from the request (issue 8, point 8): the people named in the request are
offered on the circle page as its first members, each with the side the requester gave, and
added with one click each (circle.actions.add_from_request), never automatically. One the
coordinator does not want is set aside with one click; either way they are no longer offered.

The contact details a requester typed are free text: they go into the participant's e-mail or
telephone field only when they are plainly one of the two; anything else the coordinator sees
on the circle page and copies by hand. They are case data: shown only to the case's coordinator,
never put in a URL, a log or a timeline event."""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from kring.audit.actors import By
from kring.circle import policy
from kring.circle.models import Side
from kring.core.policy import Option, options
from kring.referrals.models import PersonSide, ReferralPerson

# The side in the request -> the side in the circle; "not sure" is the coordinator's choice.
SIDES: dict[str, str] = {
    PersonSide.HARMED: Side.HARMED,
    PersonSide.RESPONSIBLE: Side.RESPONSIBLE,
    PersonSide.SUPPORTER: Side.SUPPORTER,
    PersonSide.OTHER: Side.OTHER,
}
PHONE = re.compile(r"\+?[0-9][0-9 ()./-]{6,22}")


def contact_fields(text: str) -> dict[str, str]:
    """{"email": ...} or {"phone": ...} when `text` is plainly one of the two, else {}."""
    text = " ".join(text.split())
    if not text:
        return {}
    try:
        validate_email(text)
    except ValidationError:
        pass
    else:
        return {"email": text}
    digits = sum(c.isdigit() for c in text)
    if PHONE.fullmatch(text) and 9 <= digits <= 15:
        return {"phone": text}
    return {}


@dataclass
class Offer:
    """A person named in the request, not yet added or set aside."""

    person: ReferralPerson
    side: str  # the side in the circle, or "" when the coordinator chooses
    contact: dict[str, str]  # what goes into the participant's fields
    may: dict[str, Option]

    @property
    def contact_to_copy(self) -> str:
        """Contact details that are neither plainly an e-mail address nor a phone number."""
        return "" if self.contact else self.person.contact

    @property
    def needs_supports(self) -> bool:
        return self.side in ("", Side.SUPPORTER)


def offers(actor: By, case) -> list[Offer]:
    """The people of the case's request still to add or set aside, in the order they were
    named (one query)."""
    people = (
        ReferralPerson.objects.filter(referral_id=case.referral_id, circle_choice__isnull=True)
        .select_related("circle_choice")
        .order_by("pk")
    )  # the policy asks whether it was decided
    found = []
    for person in people:
        person.case = case
        found.append(
            Offer(
                person=person,
                side=SIDES.get(person.side, ""),
                contact=contact_fields(person.contact),
                may=options(add=policy.may_add_from_request(actor, person)),
            )
        )
    return found
