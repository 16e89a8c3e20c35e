"""Who signs which version, and where each stands (R14). Read by the actions, the policy, the
pages and the portal; each rule here is defined once.

- `version_to_sign(case)`: the latest version of the case's plan while it is final (no edit
  after it); None while there is no plan, no version, or the plan is being changed.
- `slots(version)`: every place to sign, in order: each participant present at the conference
  (conference.queries.present_participants) signs for themselves; for each present minor their
  parent or guardian co-signs (role "guardian"; the guardian need not have been present). Each
  slot carries its signature and declination of this version, if any.
- `all_signed(slots)` / `is_fully_signed(version)`: every slot signed.
- `next_to_sign(slots)`: whom the coordinator hands the tablet to next.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kring.conference import versions
from kring.conference.queries import current_conference, plan_of, present_participants
from kring.signing.models import Declination, Role, Signature, SignedDocument

if TYPE_CHECKING:
    from kring.cases.models import Case
    from kring.circle.models import Participant
    from kring.conference.models import PlanVersion


@dataclass
class Slot:
    """One place to sign: `participant` (whose place), `role` (own, or guardian co-signing for
    the minor `participant`), `signer` (who signs: the participant, or the minor's guardian;
    None when a minor has no guardian recorded), and what happened to it for this version."""

    participant: Participant
    role: str
    signer: Participant | None
    signature: Signature | None = None
    declination: Declination | None = None

    @property
    def key(self) -> str:
        """The slot in an address or a form: "<participant id>-<role>"."""
        return f"{self.participant.pk}-{self.role}"

    @property
    def for_minor(self) -> Participant | None:
        """The minor whose place this is when a guardian signs it (the actor acts for them,
        R9); None for one's own place."""
        return self.participant if self.role == Role.GUARDIAN else None

    @property
    def is_signed(self) -> bool:
        return self.signature is not None

    @property
    def is_declined(self) -> bool:
        """Declined and not signed since."""
        return self.signature is None and self.declination is not None


def version_to_sign(case: Case):
    """The version everyone signs now: the plan's latest version while the plan is final."""
    plan = plan_of(current_conference(case))
    if plan is None:
        return None
    latest = versions.latest_version(plan)
    if latest is None or not versions.is_final(plan, latest):
        return None
    latest.plan = plan
    return latest


def slots(version: PlanVersion) -> list[Slot]:
    """Every place to sign `version`, in the order of the signing page: by name, each minor's
    guardian right after the minor. A fixed number of queries, whatever the number of people."""
    conference = version.plan.conference
    people = list(present_participants(conference).select_related("guardian"))
    signatures = {(s.participant_id, s.role): s for s in Signature.objects.filter(version=version)}
    declinations = {
        (d.participant_id, d.role): d for d in Declination.objects.filter(version=version)
    }
    found: list[Slot] = []
    for person in people:
        found.append(Slot(person, Role.OWN, person))
        if person.is_minor:
            found.append(Slot(person, Role.GUARDIAN, person.guardian))
    for slot in found:
        slot.signature = signatures.get((slot.participant.pk, slot.role))
        slot.declination = declinations.get((slot.participant.pk, slot.role))
    return found


def slot_of(version: PlanVersion, participant_id: int, role: str) -> Slot | None:
    """The slot of `participant_id` in `role` for `version`, or None when there is no such
    place to sign (not present, not a minor, another case)."""
    for slot in slots(version):
        if slot.participant.pk == participant_id and slot.role == role:
            return slot
    return None


def slots_for_signer(version: PlanVersion, signer: Participant) -> list[Slot]:
    """The slots `signer` fills: their own, and each minor's they co-sign as guardian."""
    return [s for s in slots(version) if s.signer is not None and s.signer.pk == signer.pk]


def all_signed(found: list[Slot]) -> bool:
    """Every place to sign in `found` (a version's slots) is signed, and there is one."""
    return bool(found) and all(slot.is_signed for slot in found)


def is_fully_signed(version: PlanVersion) -> bool:
    return all_signed(slots(version))


def next_to_sign(found: list[Slot]) -> Slot | None:
    """Who gets the tablet next, of a version's slots `found` in their order: the first place
    neither signed nor declined (who declined asks for it again themselves) whose signer was
    at the meeting; a guardian who was not there co-signs from their own page."""
    present = {slot.participant.pk for slot in found if slot.role == Role.OWN}
    for slot in found:
        if slot.is_signed or slot.is_declined or slot.signer is None:
            continue
        if slot.signer.pk in present:
            return slot
    return None


def document_of(case: Case) -> SignedDocument | None:
    """The case's latest signed document (of the latest fully signed version), or None."""
    return SignedDocument.objects.filter(case=case).order_by("-version__number").first()
