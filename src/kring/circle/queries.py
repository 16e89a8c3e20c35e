"""Reads of the circle shared by the coordinator's pages. `load_circle` fetches a whole circle in
a fixed number of queries (a circle of 5 costs the same as one of 40) and wires the objects to
each other, so that the guards and templates that follow them ask the database nothing more."""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from kring.circle import guards
from kring.circle.models import Acknowledgment, Participant, Side
from kring.circle.recorded import LOADED


@dataclass
class Group:
    """A harmed or responsible person with the people in their circle (R5)."""

    person: Participant
    members: list[Participant] = field(default_factory=list)


@dataclass
class Circle:
    participants: list[Participant]
    responsible: list[Group]
    harmed: list[Group]
    others: list[Participant]  # people who stand in no one's circle (a teacher, a neighbour)
    nominations: list = field(default_factory=list)
    risks: list = field(default_factory=list)
    any_acknowledged: bool = False

    @property
    def not_spoken(self) -> list[Participant]:
        """R7: who takes part and has had no preparatory conversation yet."""
        return [p for p in self.participants if p.takes_part and not p.spoken]


def participants_of(case, *, full: bool):
    """The participants of `case`; `full` adds what only the coordinator sees: their
    acknowledgments, consents, conversations and invitations, each as a plain list under its
    name in circle.recorded.LOADED (read through circle.recorded), not as a prefetched relation,
    which Django builds a queryset for per participant and relation (issue 15)."""
    queryset = case.participants.order_by("pk")
    if full:
        queryset = queryset.prefetch_related(
            Prefetch(
                "acknowledgments",
                queryset=Acknowledgment.objects.select_related("recorded_by"),
                to_attr=LOADED["acknowledgments"],
            ),
            Prefetch("consents", to_attr=LOADED["consents"]),
            Prefetch("conversations", to_attr=LOADED["conversations"]),
            Prefetch("invitations", to_attr=LOADED["invitations"]),
        )
    return list(queryset)


def _wire(participants, case):
    """Point every participant at the case and at the objects of their supporter and guardian
    already fetched, and add what the pages show about them."""
    by_id = {p.pk: p for p in participants}
    leaned_on = {p.supports_id for p in participants} | {p.guardian_id for p in participants}
    for p in participants:
        p.case = case
        p.supports = by_id.get(p.supports_id)
        p.guardian = by_id.get(p.guardian_id)
        # Others stand in their circle or have them as guardian (policy.may_remove_participant).
        p.has_dependants = p.pk in leaned_on
    return by_id


def _add_coordinator_details(p) -> None:
    p.latest_acknowledgment = max(
        p.acknowledgment_list, key=lambda a: (a.recorded_at, a.pk), default=None
    )
    p.spoken = bool(p.conversation_list)
    consents = p.consent_list
    p.own_consent = next((c for c in reversed(consents) if c.given_by_id == p.pk), None)
    p.guardian_consent = (
        next((c for c in reversed(consents) if c.given_by_id == p.guardian_id), None)
        if p.is_minor and p.guardian_id
        else None
    )
    p.consented = guards.has_consent(p, consents)
    invitations = p.invitation_list
    p.last_invitation = invitations[-1] if invitations else None


def load_circle(case, *, full: bool) -> Circle:
    """The circle of `case` in groups; with `full`, also acknowledgments, conversations,
    consents, nominations and the safety check (the coordinator's view)."""
    participants = participants_of(case, full=full)
    by_id = _wire(participants, case)
    if full:
        for p in participants:
            _add_coordinator_details(p)
    groups = {p.pk: Group(p) for p in participants if p.is_main}
    others = []
    for p in participants:
        if p.is_main:
            continue
        group = groups.get(p.supports_id)
        if group is None:
            others.append(p)
        else:
            group.members.append(p)
    circle = Circle(
        participants=participants,
        responsible=[g for g in groups.values() if g.person.side == Side.RESPONSIBLE],
        harmed=[g for g in groups.values() if g.person.side == Side.HARMED],
        others=others,
    )
    if full:
        circle.any_acknowledged = any(
            guards.acknowledged(g.person) and g.person.takes_part for g in circle.responsible
        )
        case.circle_any_acknowledged = circle.any_acknowledged
        circle.nominations = _nominations(case, by_id)
        circle.risks = list(case.risk_flags.all())
    return circle


def _nominations(case, by_id):
    nominations = list(case.nominations.all())
    for n in nominations:
        n.nominated_by = by_id[n.nominated_by_id]
        n.participant = by_id.get(n.participant_id)
        main = guards.main_person(n.nominated_by)
        # R6: the harmed person's wish about who comes on their side, beside the nomination.
        n.harmed_person = main if main is not None and main.side == Side.HARMED else None
    return nominations
