"""How a participant or a requester reaches someone (issue 8, point 3): the one place that
decides what the contact block of the portal, the participants' e-mails, the letters and the
requester's e-mails shows (templates core/_contact.html and core/_contact.txt).

The case's coordinator, by first name, with their work telephone number and work e-mail address;
the organisation (KRING_CONTACT_PHONE, KRING_CONTACT_EMAIL) when no coordinator is assigned or
the coordinator is marked away or inactive, and for a coordinator who has no work number or
address of their own. Only work details of staff: a participant's own contact details are
never shown to anyone through this.
"""

from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings

from kring.accounts.models import User
from kring.core.contact_details import phone_digits


@dataclass(frozen=True)
class Contact:
    """Whom to contact, and how. `coordinator` is a first name, empty for the organisation;
    `coordinator_away` says that the case has a coordinator who cannot be reached now."""

    organisation: str
    phone: str
    email: str
    coordinator: str = ""
    coordinator_away: bool = False

    @property
    def is_coordinator(self) -> bool:
        return bool(self.coordinator)

    @property
    def phone_href(self) -> str:
        """The number for a tel: link, without spaces or the (0) that is not dialled."""
        return phone_digits(self.phone)


def organisation_email() -> str:
    return settings.KRING_CONTACT_EMAIL or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def organisation() -> Contact:
    """The organisation: for requesters, and for participants without a coordinator to call."""
    return Contact(
        organisation=settings.KRING_ORGANISATION,
        phone=settings.KRING_CONTACT_PHONE,
        email=organisation_email(),
    )


def reachable(coordinator: User | None) -> bool:
    """A coordinator participants can turn to now: assigned, active and not away."""
    return bool(coordinator is not None and coordinator.is_active and not coordinator.away)


def for_coordinator(coordinator: User | None) -> Contact:
    """The contact for a participant whose case has `coordinator` (None: none assigned). A
    coordinator without a work number or address is named, with the organisation's."""
    if not reachable(coordinator):
        away = coordinator is not None
        return Contact(**{**organisation().__dict__, "coordinator_away": away})
    assert coordinator is not None
    fallback = organisation()
    return Contact(
        organisation=settings.KRING_ORGANISATION,
        phone=coordinator.work_phone or fallback.phone,
        email=coordinator.work_email or fallback.email,
        coordinator=coordinator.first_name or coordinator.get_full_name() or coordinator.username,
    )


def for_case(case) -> Contact:
    """The contact for a participant in `case` (a cases.Case; typed loosely: accounts sits below
    cases in the layers)."""
    return for_coordinator(case.coordinator)
