"""The rules of preparation as small named guards (R3–R9). Each returns None when its rule is
met, or the reason in plain words, citing the rule, when it is not. The lifecycle's moves
(cases.lifecycle) and the circle's actions both call them."""

from django.utils.translation import gettext as _

from kring.circle.models import HAS_LEFT, RiskFlag, Side, Status
from kring.circle.recorded import loaded, recorded


def main_person(participant):
    """The harmed or responsible person in whose circle `participant` stands (or themselves)."""
    return participant if participant.is_main else participant.supports


def camp(participant):
    """The side a person stands on: harmed or responsible (their own, or that of the person in
    whose circle they stand); None for someone in no one's circle (a teacher, a neighbour)."""
    person = main_person(participant)
    return person.side if person is not None else None


def guardian_refusal(minor, guardian) -> str | None:
    """R9: a minor's parent or guardian is an adult on the minor's own side, never a person
    responsible for harm done to that minor (nor anyone on the other side)."""
    if guardian.pk is not None and guardian.pk == minor.pk:
        return _("A person cannot be their own guardian.")
    if guardian.is_minor:
        return _("%(name)s is a minor and cannot be a parent or guardian.") % {
            "name": guardian.name
        }
    if camp(guardian) != camp(minor):
        return _(
            "%(name)s does not stand on the same side as %(minor)s and cannot be their parent "
            "or guardian."
        ) % {"name": guardian.name, "minor": minor.name}
    return None


def acknowledged(participant) -> bool:
    """R3: the newest acknowledgment of a responsible person says yes."""
    latest = _latest_acknowledgment(participant)
    return latest is not None and latest.acknowledges


def _latest_acknowledgment(participant):
    cached = loaded(participant, "acknowledgments")
    if cached is not None:
        return max(cached, key=lambda a: (a.recorded_at, a.pk), default=None)
    return participant.acknowledgments.order_by("-recorded_at", "-pk").first()


def any_responsible_acknowledged(case, people=None) -> bool:
    """`people`: every participant of the case with their acknowledgments, already loaded."""
    cached = getattr(case, "circle_any_acknowledged", None)  # set by queries.load_circle
    if cached is not None:
        return cached
    if people is None:
        people = case.participants.filter(side=Side.RESPONSIBLE).prefetch_related("acknowledgments")
    return any(acknowledged(p) and p.takes_part for p in people if p.side == Side.RESPONSIBLE)


def may_be_approached(participant):
    """R4: no one on the harmed side is approached (spoken with, invited, asked for consent or
    for names) until at least one person responsible has acknowledged their part."""
    person = main_person(participant)
    harmed_side = participant.side == Side.HARMED or (
        person is not None and person.side == Side.HARMED
    )
    if harmed_side and not any_responsible_acknowledged(participant.case):
        return _(
            "No one on the harmed side can be invited until at least one person responsible "
            "has acknowledged their part."
        )
    return None


def may_be_invited(participant) -> str | None:
    """The order of the method: the responsible side first, the harmed side only after an
    acknowledgment (R3, R4, R5); a minor only with a parent or guardian (R9)."""
    if participant.status in HAS_LEFT:
        return _("%(name)s has declined or withdrawn; taking part is voluntary.") % {
            "name": participant.name
        }
    person = main_person(participant)
    if participant.side == Side.RESPONSIBLE and not acknowledged(participant):
        return _(
            "%(name)s cannot be invited: they have not acknowledged their part. Only those who "
            "acknowledge take part."
        ) % {"name": participant.name}
    supports_responsible = (
        person is not None and person.side == Side.RESPONSIBLE and person is not participant
    )
    if supports_responsible and not acknowledged(person):
        return _(
            "%(name)s stands in the circle of %(person)s, who has not acknowledged their part yet."
        ) % {"name": participant.name, "person": person.name}
    not_yet = may_be_approached(participant)
    if not_yet:
        return not_yet
    if participant.is_minor and participant.guardian_id is None:
        return _("%(name)s is a minor: add a parent or guardian to the circle first.") % {
            "name": participant.name
        }
    return None


def has_consent(participant, consents=None) -> bool:
    """R9: consent given; for a minor, by the minor and by the parent or guardian."""
    if consents is None:
        consents = recorded(participant, "consents")
    givers = {c.given_by_id for c in consents}
    if participant.pk not in givers:
        return False
    return not participant.is_minor or participant.guardian_id in givers


# --- ready to schedule: the guards of the move preparing -> scheduled -----------------------


def readiness_people(case) -> list:
    """The participants of `case` with what the guards below read: their acknowledgments,
    consents and conversations (four queries)."""
    return list(case.participants.prefetch_related("acknowledgments", "consents", "conversations"))


def _circle(case, people=None):
    """The participants of `case` as readiness_people loads them; `people`: those already
    loaded so (the circle page's, scheduling.policy's), read instead."""
    if people is not None:
        return people
    return readiness_people(case)


def responsible_acknowledged(case, *, people=None, **_kw):
    """R3: at least one responsible person acknowledged and still takes part."""
    if not any_responsible_acknowledged(case, people):
        return _("No person responsible has acknowledged their part yet.")
    return None


def both_sides_take_part(case, *, people=None, **_kw):
    """R9: someone harmed and someone responsible have accepted; if every one of a side has
    withdrawn or declined, there is no conference. Before that, what is next: add someone,
    invite them, wait for their answer ("no one takes part any more" only once someone did,
    issue 8, point 6)."""
    people = _circle(case, people)
    for side, absent, uninvited, waiting, gone in (
        (
            Side.HARMED,
            _("No person harmed is in the circle yet."),
            _("No person harmed has been invited yet."),
            _("No person harmed has accepted the invitation yet."),
            _("No person harmed takes part any more."),
        ),
        (
            Side.RESPONSIBLE,
            _("No person responsible is in the circle yet."),
            _("No person responsible has been invited yet."),
            _("No person responsible has accepted the invitation yet."),
            _("No person responsible takes part any more."),
        ),
    ):
        mine = [p for p in people if p.side == side]
        if any(p.status == Status.ACCEPTED for p in mine):
            continue
        if not mine:
            return absent
        if not any(p.takes_part for p in mine):
            return gone
        if all(p.status == Status.TO_INVITE for p in mine if p.takes_part):
            return uninvited
        return waiting
    return None


def everyone_prepared(case, *, people=None, **_kw):
    """R7: the coordinator has spoken with everyone who takes part."""
    missing = [
        p.name for p in _circle(case, people) if p.takes_part and not recorded(p, "conversations")
    ]
    if missing:
        return _("Not everyone has had a preparatory conversation yet: %(names)s.") % {
            "names": ", ".join(missing)
        }
    return None


def everyone_consented(case, *, people=None, **_kw):
    """R9: everyone who takes part has accepted and given informed consent."""
    missing = [
        p.name
        for p in _circle(case, people)
        if p.takes_part
        and (p.status != Status.ACCEPTED or not has_consent(p, recorded(p, "consents")))
    ]
    if missing:
        return _("Not everyone has accepted and given consent yet: %(names)s.") % {
            "names": ", ".join(missing)
        }
    return None


def no_unresolved_high_risk(case, **_kw):
    """R7: an unresolved high risk blocks a face-to-face meeting."""
    if case.risk_flags.filter(level=RiskFlag.Level.HIGH, resolved_at__isnull=True).exists():
        return _("A high risk in the safety check is not resolved.")
    return None


READY_TO_SCHEDULE = (
    responsible_acknowledged,
    both_sides_take_part,
    everyone_prepared,
    everyone_consented,
    no_unresolved_high_risk,
)


def readiness(case, *, people=None) -> list[str]:
    """Every reason the case cannot be scheduled yet (empty: ready). `people`: every
    participant of the case, loaded with their acknowledgments, consents and conversations (the
    circle page's), so that the guards do not load them again (issue 15)."""
    return [str(reason) for guard in READY_TO_SCHEDULE if (reason := guard(case, people=people))]
