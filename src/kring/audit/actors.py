"""Who acted: every timeline event and audit row names a staff user, a participant (in the
portal, or a parent or guardian acting for a minor), the requester, or the system. Never nobody.

Actions take `by=`: a staff `User`, or an `Actor` made here (typed `By`). This module sits in
the lowest layer with the audit log, so it knows users and participants only as objects with a
`pk`, and a user by Django's `AbstractBaseUser` (kring.accounts' User is one).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    # Django's, not kring.accounts': this module sits below accounts (.importlinter), and
    # import-linter counts imports made only for type checking too.
    from django.contrib.auth.base_user import AbstractBaseUser


class ActorKind(models.TextChoices):
    STAFF = "staff", _("staff")
    PARTICIPANT = "participant", _("participant")
    REQUESTER = "requester", _("the requester")
    SYSTEM = "system", _("Kring")


class Via(models.TextChoices):
    """How a participant's own act reached Kring."""

    PORTAL = "portal", _("via the personal page")
    IN_PERSON = "in_person", _("in person, on the coordinator's tablet")


@dataclass(frozen=True)
class Actor:
    """One who acts. `participant` acts; `for_participant` is the minor a parent or guardian
    acts for (R9), or None when they act for themselves."""

    kind: str
    user: Any = None
    participant: Any = None
    for_participant: Any = None
    via: str = ""

    @classmethod
    def staff(cls, user: Any) -> Actor:
        return cls(ActorKind.STAFF, user=user)

    @classmethod
    def in_portal(cls, participant: Any, *, for_participant: Any = None) -> Actor:
        """A participant acting through their personal page; a guardian for a minor passes
        the minor as `for_participant`."""
        return cls._participant(participant, for_participant, Via.PORTAL)

    @classmethod
    def in_person(cls, participant: Any, *, for_participant: Any = None) -> Actor:
        """A participant acting in person on the coordinator's tablet (signing the plan, R14):
        the act is theirs, not the coordinator's, who only hosts it (the host is recorded with
        the act itself, e.g. signing.models.Signature.hosted_by)."""
        return cls._participant(participant, for_participant, Via.IN_PERSON)

    @classmethod
    def _participant(cls, participant: Any, for_participant: Any, via: str) -> Actor:
        """A participant's own act reaching Kring `via`; acting "for" oneself is for no one."""
        if for_participant is not None and for_participant.pk == participant.pk:
            for_participant = None
        return cls(
            ActorKind.PARTICIPANT,
            participant=participant,
            for_participant=for_participant,
            via=via,
        )

    @property
    def is_staff(self) -> bool:
        return self.kind == ActorKind.STAFF

    @property
    def is_participant(self) -> bool:
        return self.kind == ActorKind.PARTICIPANT

    @property
    def user_id(self) -> int | None:
        return self.user.pk if self.user is not None else None

    @property
    def participant_id(self) -> int | None:
        return self.participant.pk if self.participant is not None else None

    @property
    def for_participant_id(self) -> int | None:
        return self.for_participant.pk if self.for_participant is not None else None


# Who an action's `by=` may be: a staff user, or an Actor.
By: TypeAlias = "AbstractBaseUser | Actor"

SYSTEM = Actor(ActorKind.SYSTEM)
REQUESTER = Actor(ActorKind.REQUESTER)


def actor_of(by: object) -> Actor:
    """`by` as an Actor: an Actor as it is, a signed-in staff user as staff. Anything else
    (None, an anonymous user) is a programming error: every change names who did it."""
    if isinstance(by, Actor):
        return by
    if by is not None and getattr(by, "is_authenticated", False):
        return Actor.staff(by)
    raise TypeError(f"an action needs an actor, got {by!r}")


def staff_user(by: object) -> Any:
    """The staff user behind `by`, or None for a participant, the requester or the system."""
    if by is None:
        return None
    actor = actor_of(by)
    return actor.user if actor.is_staff else None
