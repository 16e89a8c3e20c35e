"""The world the authorization matrix runs in: the named people of conftest.py, one per role,
and a case in every state the pages need, made through the real actions."""

from collections.abc import Callable

import pytest
from django.utils import timezone

from kring.accounts.models import User
from kring.cases import actions
from kring.cases.models import Assignment, Case
from kring.testing.auth import confirmed_device
from kring.testing.circle_people import add
from kring.testing.factories import ReferralFactory
from kring.testing.people import DAAN, JOOST


class World:
    """The people (by role id in the table) and the objects (by name in the table) the URLs
    open. Objects of later issues (the circle) are made on first use, so that a table row
    whose view is not built yet does not depend on them."""

    def __init__(self, users: dict[str, User], objects: dict, builders: dict[str, Callable]):
        self.users = users
        self.objects = objects
        self._builders = builders

    def user(self, role: str) -> User | None:
        return self.users.get(role)

    def obj(self, name: str):
        if name not in self.objects:
            self._builders[name](self)
        return self.objects[name]


def _taken_on(bram) -> Case:
    return actions.take_on(actions.open_case(ReferralFactory()), by=bram)


def _offered_to(carla, bram) -> Case:
    case = _taken_on(bram)
    actions.offer_to_coordinator(case, coordinator=carla, by=bram)
    return case


def _accepted_by(carla, bram) -> Case:
    case = _offered_to(carla, bram)
    offer = Assignment.objects.get(case=case, coordinator=carla, status="offered")
    return actions.accept_assignment(offer, declares_independence=True, by=carla)


def _held(world: World) -> None:
    """Carla's case, kept from erasure by Mira's legal hold (issue 14, point 7)."""
    from kring.privacy import holds  # noqa: PLC0415

    case = world.obj("carlas_case")
    holds.place_hold(case, by=world.users["manager"], reference="C/16/123456")
    world.objects["held_case"] = case


def _circle(world: World) -> None:
    """Carla's case in preparation: Daan (responsible) acknowledged, was invited by letter
    and accepted; he named his uncle; one risk is flagged. His brother Joost was just added:
    nothing has happened with him yet, so he can still be invited, or taken out."""
    from kring.audit.actors import Actor  # noqa: PLC0415
    from kring.circle import actions as circle  # noqa: PLC0415 (issue 3, made on first use)
    from kring.circle.models import Mode, RiskFlag  # noqa: PLC0415

    carla, bram = world.users["coordinator"], world.users["office"]
    case = circle.start_preparation(_accepted_by(carla, bram), by=carla)
    daan = add(DAAN, case, by=carla)
    circle.record_acknowledgment(
        daan, acknowledges=True, given_at=timezone.now(), mode=Mode.IN_PERSON, by=carla
    )
    sent = circle.invite(daan, channel="letter", by=carla)
    circle.respond(daan, accepts=True, mode=Mode.PHONE, by=carla)
    nomination = circle.nominate(daan, name="Oom Kees", via=Mode.PHONE, by=carla)
    risk = circle.flag_risk(
        case,
        kind=RiskFlag.Kind.INTIMIDATION,
        level=RiskFlag.Level.MEDIUM,
        assessment="Afspraken over contact",
        by=carla,
    )
    newcomer = add(JOOST, case, by=carla, supports=daan)
    # Kees, Daan's uncle, told Carla he stops taking part; Daan asked Carla a question.
    leaver = circle.add_participant(
        case, by=carla, name="Kees de Boer", side="supporter", supports=daan
    )
    circle.withdraw(leaver, mode=Mode.PHONE, by=carla)
    question = circle.ask_question(daan, text="Mag mijn moeder mee?", by=Actor.in_portal(daan))
    notice = question.notices.get()
    world.objects.update(
        preparing_case=case,
        participant=daan,
        newcomer=newcomer,
        leaver=leaver,
        question=question,
        notice=notice,
        nomination=nomination,
        risk=risk,
        portal_token=sent.token,
    )


def _venues(world: World) -> None:
    """Two venues of Team Utrecht (bram's and mira's team): one in use, one out of use."""
    from kring.scheduling.models import Venue  # noqa: PLC0415 (issue 9, made on first use)

    team = world.obj("team")
    world.objects["venue"] = Venue.objects.create(
        team=team, name="Wijkcentrum De Pijler", address="Pijlerstraat 1, Utrecht", capacity=12
    )
    world.objects["retired_venue"] = Venue.objects.create(
        team=team,
        name="Oud buurthuis",
        address="Oudestraat 2, Utrecht",
        capacity=8,
        retired_at=timezone.now(),
    )


VENUE_BUILDERS = dict.fromkeys(("venue", "retired_venue"), _venues)


def _confirmed_meeting(world: World) -> None:
    """The meeting of Carla's case in preparation, its date set at the venue (issue 9, point 5):
    Daan, who takes part, gets its letter and its calendar file."""
    from datetime import timedelta  # noqa: PLC0415

    from kring.scheduling.models import Meeting  # noqa: PLC0415 (issue 9, made on first use)

    starts = timezone.now() + timedelta(days=30)
    world.objects["confirmed_meeting"] = Meeting.objects.create(
        case=world.obj("preparing_case"),
        status=Meeting.Status.CONFIRMED,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        venue=world.obj("venue"),
        created_by=world.users["coordinator"],
        confirmed_at=timezone.now(),
    )


MEETING_BUILDERS = {"confirmed_meeting": _confirmed_meeting}


def _date_poll(world: World) -> None:
    """The date poll of Carla's case in preparation (issue 9, point 2): one date proposed, at
    the venue, three weeks ahead; Daan, who said yes, has not answered yet."""
    from datetime import timedelta  # noqa: PLC0415

    from kring.scheduling import poll  # noqa: PLC0415 (issue 9, made on first use)

    case, carla = world.obj("preparing_case"), world.users["coordinator"]
    meeting = poll.open_poll(case, by=carla)
    starts = timezone.now() + timedelta(days=21)
    option = poll.add_option(
        meeting,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        venue=world.obj("venue"),
        by=carla,
    )
    world.objects.update(poll_case=case, poll_meeting=meeting, poll_option=option)


def _portal_with_poll(world: World) -> None:
    """Daan's personal link, with the date poll open for him unless another meeting of the case
    was made first: the portal's date page needs its options before the request is sent."""
    from kring.scheduling.models import Meeting  # noqa: PLC0415 (issue 9, made on first use)

    _circle(world)
    if not Meeting.objects.filter(case=world.obj("preparing_case")).exists():
        _date_poll(world)


def _scheduled_meeting(world: World) -> None:
    """A case of Carla's that is scheduled (issue 9, points 5 and 7): its meeting confirmed at
    the venue four weeks ahead, the venue and Carla booked. The state is set directly: the move
    itself is tested in scheduling/tests/test_actions.py."""
    from datetime import time, timedelta  # noqa: PLC0415

    from kring.cases.lifecycle import State  # noqa: PLC0415
    from kring.scheduling import booking, poll  # noqa: PLC0415 (issue 9, made on first use)
    from kring.scheduling.models import Meeting  # noqa: PLC0415

    carla = world.users["coordinator"]
    case = _accepted_by(carla, world.users["office"])
    Case.objects.filter(pk=case.pk).update(state=State.SCHEDULED)
    case.refresh_from_db()
    # 10:00-12:00 Dutch time, so that moving it a week on stays within one day.
    starts = poll.local(timezone.localdate() + timedelta(days=28), time(10, 0))
    meeting = Meeting.objects.create(
        case=case,
        status=Meeting.Status.CONFIRMED,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        venue=world.obj("venue"),
        created_by=carla,
        confirmed_at=timezone.now(),
    )
    booking.book_time(meeting, venue=meeting.venue, starts_at=starts, ends_at=meeting.ends_at)
    world.objects["scheduled_meeting"] = meeting


MEETING_BUILDERS["scheduled_meeting"] = _scheduled_meeting


def _conference(world: World, *, stage: str, name: str = "", days: int | None = None) -> None:
    """A case of Carla's at its conference (issue 10), one per stage, each with its own meeting
    (no bookings: the pages read the conference, not the calendar): Daan (responsible,
    acknowledged) and Sanne (harmed) said yes and are checked in. The rows are made with the
    models: the actions are tested in kring.conference.tests.
    - "checking_in": the case is scheduled, its meeting began an hour ago; check-in has begun
      (the conference may start, or be recorded as not held);
    - "started": the conference started (the case "conference_held"), the rounds made, the
      introductions not done yet;
    - "rounds": the introductions done, no round done yet;
    - "last_round": every round done, the round for putting something right not yet;
    - "rounds_done": that round done too: the plan may begin, and has not;
    - "plan": every round done; a plan that can be finalised, with an idea, an agreement,
      version 1 and an edit after it (so it can be finalised again)."""
    from datetime import timedelta  # noqa: PLC0415

    from kring.cases.lifecycle import State  # noqa: PLC0415
    from kring.circle import actions as circle  # noqa: PLC0415
    from kring.circle.models import Participant  # noqa: PLC0415
    from kring.circle.models import Status as ParticipantStatus  # noqa: PLC0415
    from kring.conference import content  # noqa: PLC0415 (issue 10, made on first use)
    from kring.conference.models import (  # noqa: PLC0415
        Agreement,
        Attendance,
        Conference,
        Idea,
        Plan,
        PlanVersion,
        Round,
    )
    from kring.scheduling.models import Meeting  # noqa: PLC0415
    from kring.testing.circle_people import acknowledge  # noqa: PLC0415
    from kring.testing.people import SANNE  # noqa: PLC0415

    carla = world.users["coordinator"]
    case = circle.start_preparation(_accepted_by(carla, world.users["office"]), by=carla)
    daan = add(DAAN, case, by=carla)
    acknowledge(daan, by=carla)
    sanne = add(SANNE, case, by=carla)
    Participant.objects.filter(case=case).update(status=ParticipantStatus.ACCEPTED)
    state = State.SCHEDULED if stage == "checking_in" else State.CONFERENCE_HELD
    Case.objects.filter(pk=case.pk).update(state=state)
    case.refresh_from_db()
    now = timezone.now()
    name = name or stage
    days = (
        days
        if days is not None
        else {
            "checking_in": 0,
            "started": 41,
            "rounds": 42,
            "last_round": 43,
            "rounds_done": 44,
            "plan": 45,
        }[stage]
    )
    starts = now + timedelta(days=days) - timedelta(hours=1)
    meeting = Meeting.objects.create(
        case=case,
        status=Meeting.Status.CONFIRMED,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        venue=world.obj("venue"),
        created_by=carla,
        confirmed_at=now,
    )
    conference = Conference.objects.create(case=case, meeting=meeting, created_by=carla)
    for person in (daan, sanne):
        Attendance.objects.create(
            conference=conference,
            participant=person,
            present=True,
            recorded_at=now,
            recorded_by=carla,
        )
    world.objects[f"conference_{name}"] = case
    world.objects[f"conference_{name}_harmed"] = sanne
    if stage == "checking_in":
        return
    done = now if stage in ("last_round", "rounds_done", "plan") else None
    first = Round.objects.create(conference=conference, participant=daan, position=1, done_at=done)
    Round.objects.create(conference=conference, participant=sanne, position=2, done_at=done)
    conference.started_at = now
    conference.introductions_done_at = None if stage == "started" else now
    conference.rounds_done_at = now if stage in ("rounds_done", "plan") else None
    conference.save()
    if stage == "rounds":
        world.objects["round"] = first
    if stage != "plan":
        return
    plan = Plan.objects.create(
        case=case,
        conference=conference,
        created_by=carla,
        good_outcome="Dat het niet meer gebeurt.",
        good_outcome_by=sanne,
        evaluation_date=(starts + timedelta(days=90)).date(),
        if_not_kept="We komen opnieuw bij elkaar.",
        edit_count=1,
    )
    Agreement.objects.create(
        plan=plan,
        position=1,
        what="Daan fietst niet meer via de Lindelaan.",
        who=daan,
        prevents_repeat=True,
    )
    agreement = Agreement.objects.create(
        plan=plan, position=2, what="Daan betaalt het slot.", who=daan, for_whom="Sanne"
    )
    idea = Idea.objects.create(
        plan=plan, position=1, text="Samen de fiets maken.", brought_in_by=daan
    )
    if name == stage:
        world.objects.update(agreement=agreement, idea=idea)
    form = content.canonical(plan)
    world.objects["plan_version" if name == stage else f"plan_version_{name}"] = (
        PlanVersion.objects.create(
            plan=plan,
            number=1,
            content=form,
            content_hash=content.content_hash(form),
            edit_count=1,
            finalised_at=now,
            finalised_by=carla,
        )
    )
    Plan.objects.filter(pk=plan.pk).update(edit_count=2)


CONFERENCE_BUILDERS = {
    **{
        f"conference_{stage}": (lambda world, stage=stage: _conference(world, stage=stage))
        for stage in ("checking_in", "started", "rounds", "last_round", "rounds_done", "plan")
    },
    "round": lambda world: world.obj("conference_rounds"),
    **dict.fromkeys(
        ("plan_version", "idea", "agreement"), lambda world: world.obj("conference_plan")
    ),
}


def _signing(world: World, *, stage: str) -> None:
    """A case of Carla's after its conference (issue 11), its plan final as version 1, with Daan
    (responsible) and Sanne (harmed) present. Sanne has a personal link and typed her one-time
    code (a used SigningCode, which the matrix puts in her portal session: rows with `code`).
    - "open": nobody signed yet: the case "conference_held";
    - "done": both signed, the case "following_up", the sealed PDF made (its bytes stand in:
      the pages serve them, the PDF itself is tested in kring.signing.tests)."""
    import hashlib  # noqa: PLC0415
    from datetime import timedelta  # noqa: PLC0415

    from kring.circle import links  # noqa: PLC0415
    from kring.signing.models import (  # noqa: PLC0415 (issue 11, made on first use)
        Method,
        Role,
        Signature,
        SignedDocument,
        SigningCode,
        StoredPdf,
    )

    days = {"open": 46, "done": 47, "fu_reports": 48, "fu_quiet": 49}[stage]
    _conference(world, stage="plan", name=f"plan_{stage}", days=days)
    case = world.obj(f"conference_plan_{stage}")
    version = world.obj(f"plan_version_plan_{stage}")
    Plan = type(version.plan)  # noqa: N806
    Plan.objects.filter(pk=version.plan_id).update(edit_count=version.edit_count)
    sanne = world.obj(f"conference_plan_{stage}_harmed")
    daan = case.participants.exclude(pk=sanne.pk).get(side="responsible")
    carla = world.users["coordinator"]
    now = timezone.now()
    token = links.issue(sanne, by=carla).token
    code = SigningCode.objects.create(
        participant=sanne,
        code_hash="0" * 64,
        created_at=now,
        expires_at=now + timedelta(minutes=15),
        used_at=now,
    )
    world.objects.update(
        {
            f"signing_{stage}": case,
            f"signing_{stage}_responsible": daan,
            f"signing_{stage}_harmed": sanne,
            f"signing_{stage}_token": token,
            f"signing_{stage}_code": code.pk,
        }
    )
    if stage == "open":
        return
    for person in (daan, sanne):
        Signature.objects.create(
            version=version,
            participant=person,
            role=Role.OWN,
            signed_by=person,
            content_hash=version.content_hash,
            consent_text="Ik ga akkoord met dit plan.",
            typed_name=person.name,
            signed_at=now,
            method=Method.IN_PERSON,
            hosted_by=carla,
        )
    Case.objects.filter(pk=case.pk).update(state="following_up")
    data = b"%PDF-1.7 (the sealed plan stands in)"
    document = SignedDocument.objects.create(
        version=version,
        case=case,
        code={"done": "DEMO0MATRIX0", "fu_reports": "DEMO0MATRIX1", "fu_quiet": "DEMO0MATRIX2"}[
            stage
        ],
        status=SignedDocument.Status.MADE,
        created_at=now,
        made_at=now,
        signer_count=2,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        storage="database",
    )
    StoredPdf.objects.create(document=document, data=data)


SIGNING_BUILDERS = {
    f"signing_{stage}{suffix}": (lambda world, stage=stage: _signing(world, stage=stage))
    for stage in ("open", "done")
    for suffix in ("", "_responsible", "_harmed", "_token", "_code")
}


def _followup(world: World) -> None:
    """Two cases of Carla's in follow-up (issue 12), each like _signing's "done" (version 1
    signed by Daan and Sanne, the rows made with the models) with its tracker filled by
    followup.actions.sync (tested in kring.followup.tests):
    - "followup": Daan reported agreement 2 done and Sanne reported it not kept (neither
      answered yet); Sanne and Daan have a personal link; the first follow-up contact is open;
    - "followup_quiet": nothing waits: the case can be closed."""
    from kring.circle import links  # noqa: PLC0415
    from kring.followup import actions as followup  # noqa: PLC0415 (issue 12)
    from kring.followup.models import Report  # noqa: PLC0415

    carla = world.users["coordinator"]
    for stage in ("fu_reports", "fu_quiet"):
        _signing(world, stage=stage)
        case = world.obj(f"signing_{stage}")
        case.refresh_from_db()  # "following_up", set by _signing
        followup.sync(case, world.obj(f"plan_version_plan_{stage}"))
    case = world.obj("signing_fu_reports")
    daan = world.obj("signing_fu_reports_responsible")
    tracked = list(case.tracked_agreements.order_by("number"))
    report = Report.objects.create(
        case=case,
        tracked=tracked[1],
        participant=daan,
        kind=Report.Kind.DONE,
        text="Ik heb het slot betaald.",
        made_at=timezone.now(),
    )
    invocation = Report.objects.create(
        case=case,
        tracked=tracked[1],
        participant=world.obj("signing_fu_reports_harmed"),
        kind=Report.Kind.NOT_KEPT,
        text="Het slot is nog niet betaald.",
        made_at=timezone.now(),
    )
    world.objects.update(
        {
            "followup": case,
            "followup_invocation": invocation,
            "followup_tracked": tracked[0],
            "followup_report": report,
            "followup_contact": case.followup_contacts.get(),
            "followup_token": world.obj("signing_fu_reports_token"),
            "followup_responsible_token": links.issue(daan, by=carla).token,
            "followup_quiet": world.obj("signing_fu_quiet"),
        }
    )


FOLLOWUP_BUILDERS = dict.fromkeys(
    (
        "followup",
        "followup_tracked",
        "followup_report",
        "followup_invocation",
        "followup_contact",
        "followup_token",
        "followup_responsible_token",
        "followup_quiet",
    ),
    _followup,
)


def _research(world: World) -> None:
    """Issue 13: the "followup" case's conference recorded for the figures, so Daan and Sanne
    are invited to the first questionnaire (research.actions.record_conference, tested in
    kring.research.tests):
    - "research_invitation": Daan's invitation, for Carla to type in from paper;
    - Sanne (the participant role's personal link "followup_token") answers round 1 herself."""
    from kring.research import actions as research  # noqa: PLC0415 (issue 13)

    case = world.obj("followup")
    research.record_conference(case)
    daan = world.obj("signing_fu_reports_responsible")
    world.objects["research_invitation"] = case.research_record.invitations.get(participant=daan)
    world.objects["research_token"] = world.obj("followup_token")  # Sanne's personal link


RESEARCH_BUILDERS = dict.fromkeys(("research_invitation", "research_token"), _research)


POLL_BUILDERS = {
    **dict.fromkeys(("poll_case", "poll_meeting", "poll_option"), _date_poll),
    "portal_token": _portal_with_poll,
}


@pytest.fixture
def world(carla, olaf, bram, mira, ruud, admin_user, team, other_team) -> World:
    # Carla has set up her authenticator app, so the administrator's reset has something to reset.
    confirmed_device(carla)
    requested = actions.open_case(ReferralFactory())  # in the central inbox, no team
    # A request from a place in Team Utrecht's area: in bram's and mira's team inbox.
    routed = actions.open_case(ReferralFactory(), team=team)
    referred = _taken_on(bram)  # bram's team, no coordinator yet
    offered = _offered_to(carla, bram)  # an open offer to carla
    assigned = _accepted_by(carla, bram)  # carla accepted: her case
    circle_objects = (
        "preparing_case",
        "participant",
        "newcomer",
        "leaver",
        "question",
        "notice",
        "nomination",
        "risk",
        "portal_token",
    )
    return World(
        users={
            "office": bram,
            "coordinator": carla,
            "other_coordinator": olaf,
            "manager": mira,
            "researcher": ruud,
            "administrator": admin_user,
        },
        objects={
            "requested_case": requested,
            "routed_case": routed,
            "referred_case": referred,
            "offered_case": offered,
            "carlas_case": assigned,
            "user": carla,  # the user the admin pages open
            "team": team,
            # What the admin can delete: a user without cases, a team without members.
            "user_without_cases": ruud,
            "empty_team": other_team,
        },
        builders={
            **dict.fromkeys(circle_objects, _circle),
            **VENUE_BUILDERS,
            **MEETING_BUILDERS,
            **POLL_BUILDERS,
            **CONFERENCE_BUILDERS,
            **SIGNING_BUILDERS,
            **FOLLOWUP_BUILDERS,
            **RESEARCH_BUILDERS,
            "held_case": _held,
        },
    )
