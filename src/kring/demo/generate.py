"""Synthetic cases, fast: `kring generate --cases N` and the benchmarks (issue 13 point 6).

The data is shaped like a real organisation's, over the last three years: teams of
coordinators with about 40 cases each, an office and a manager per team, a few venues, and
cases in every state of the lifecycle (cases.lifecycle.State) with plausible proportions: most
closed or stopped, a tail in each open state. A case carries what its stage would have written:

- every case: the request (referrals.Referral and the people it names), the timeline
  (cases.CaseEvent) and its audit rows, the offers (cases.Assignment);
- from "preparing": the circle (circle.Participant, Invitation, Conversation with the harmed and
  the responsible, Acknowledgment of the responsible, Consent: for a minor also the guardian's);
- from "scheduled": the confirmed scheduling.Meeting at one of the team's venues (or cancelled,
  when the case stopped after it was scheduled);
- from "conference_held": the conference.Conference (started, the introductions and the rounds
  done) with check-in (Attendance: present and expected-but-absent), sometimes a draft plan;
- from "following_up": the plan with its agreements, version 1 finalised and signed by everyone
  present (signing.Signature, a guardian co-signing for a minor), followup.TrackedAgreement rows
  with their states and the first follow-up Contact; the research.ConferenceRecord (live) with
  research.Invitation rows for everyone present and research.Answer rows for about 60 % of them,
  with the timeline lines and audit rows research.actions writes ("research.invited" by the
  system, one per conference; "research.answered" by the participant on their page, or by the
  coordinator for one typed in from paper; codes and ids only, never an answer);
- "closed": a followup.Closure whose outcome follows the agreements' states.

Participants present per conference are 3 + Binomial(13, 0.415): 3 to 16, mean 8.4. Of the
answers, about 93 % of the responsible persons are satisfied (4 or 5) and about 90 % of the
harmed persons say the situation is restored (4 or 5). Everything comes from one seeded
random generator: the same seed and N give the same data.

Rows go in with bulk_create in batches of cases, one transaction per batch (the actions would
take hours for a million cases): no per-row query, no signal. What is left out, to keep it
cheap: the rounds' rows (the conference has `rounds_done_at`, which is what the plan's trigger
asks), poll options and answers, bookings (on PostgreSQL they would have to avoid each other),
personal links, the sealed PDFs, reminders, the mails (none is queued: no research.invitation
mail either), the free-text remarks (research.Remark) and the second questionnaire (its
invitations, answers and events).

It writes records and answers that cannot be told from real ones, so it refuses to run
(`may_generate`) unless KRING_DEMO_MODE or KRING_DEBUG is on or the settings are the
benchmark's (bench/settings_bench.py): never on a real organisation's database.

Coordinator "carla" has a realistic caseload whatever N is (bench/run.py measures her pages):
what grows with N is everything around it.
"""

from __future__ import annotations

import contextlib
import json
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, TextIO
from zoneinfo import ZoneInfo

BATCH = 1000  # cases per transaction
CASES_PER_COORDINATOR = 40
CARLA_OFFERS = 2
# carla's caseload besides the measured case and her open offers.
CARLA_KINDS = (
    ["assigned"] * 6
    + ["preparing"] * 10
    + ["scheduled"] * 4
    + ["conference_held"] * 2
    + ["following_up"] * 8
    + ["stopped"] * 4
    + ["closed"] * 4
)
# The measured case page (bench/run.py): a case with a history (two coordinators before carla).
MEASURED_EVENTS = 8
# Every other case: its kind and weight (percent).
KINDS = {
    "requested": 2,
    "referred": 1,
    "offered": 1,
    "declined": 9,
    "assigned": 2,
    "preparing": 5,
    "scheduled": 2,
    "conference_held": 1,
    "following_up": 6,
    "closed": 50,
    "stopped": 21,
}
# Where a stopped case stopped (the lifecycle allows it before the conference).
STOPPED_AT = {"referred": 10, "assigned": 30, "preparing": 50, "scheduled": 10}
PRESENT_MIN, PRESENT_EXTRA, PRESENT_P = 3, 13, 0.4154  # 3 + Binomial(13, p): mean 8.4
ANSWER_RATE = 0.6
VENUES_PER_TEAM = 3
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DAY = 86400.0
HOUR = 3600.0
MINUTE = 60.0

FIRST_NAMES = [
    "Daan",
    "Sanne",
    "Emma",
    "Noah",
    "Julia",
    "Lucas",
    "Mila",
    "Sem",
    "Tess",
    "Levi",
    "Sara",
    "Finn",
    "Nora",
    "Bram",
    "Lotte",
    "Jesse",
    "Eva",
    "Milan",
    "Fleur",
    "Thijs",
    "Anna",
    "Ruben",
    "Lisa",
    "Luuk",
    "Sophie",
    "Gijs",
    "Iris",
    "Jens",
    "Roos",
    "Mees",
    "Fenna",
    "Stijn",
]
LAST_NAMES = [
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
]
WORDS = [
    "na",
    "school",
    "op",
    "het",
    "plein",
    "werd",
    "er",
    "geduwd",
    "en",
    "geslagen",
    "een",
    "telefoon",
    "ging",
    "kapot",
    "de",
    "buren",
    "hebben",
    "al",
    "lange",
    "tijd",
    "ruzie",
    "over",
    "de",
    "schutting",
    "en",
    "het",
    "geluid",
    "iemand",
    "voelt",
    "zich",
    "niet",
    "meer",
    "veilig",
    "in",
    "de",
    "straat",
    "er",
    "zijn",
    "berichten",
    "gestuurd",
    "die",
    "pijn",
    "deden",
    "de",
    "ouders",
    "willen",
    "dat",
    "het",
    "goed",
    "komt",
]
AGREEMENTS = (
    "Betaalt de schade terug in drie delen",
    "Biedt excuses aan in een brief",
    "Helpt twee zaterdagen bij de sportclub",
    "Stuurt geen berichten meer",
    "Zoekt hulp bij de schuldhulpverlening",
    "Gaat eens per maand samen koffie drinken",
    "Laat de fiets repareren",
    "Houdt afstand op het schoolplein",
    "Praat met de mentor als het weer misgaat",
)
CHECKS = ("De coördinator belt na een maand", "De mentor kijkt mee", "Samen na zes weken")
CONSENT_TEXT = "Ik heb het plan gelezen en ik ga akkoord met de afspraken."
PERSON_SIDES = ("harmed", "responsible", "supporter", "other", "unknown")
VENUE_NAMES = ("Buurthuis De Kring", "Wijkcentrum Oost", "Bibliotheek, zaal 2", "Het Trefpunt")

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# A bijection on 40-bit numbers: references look random and never collide.
_SPREAD = 0x9E3779B97F & ((1 << 40) - 1) | 1


def reference(i: int) -> str:
    n = (i * _SPREAD) & ((1 << 40) - 1)
    body = "".join(_ALPHABET[(n >> (5 * k)) & 31] for k in range(8))
    return f"K-{body[:4]}-{body[4:]}"


class NotEmpty(Exception):
    """The database already has cases and --append was not given."""


NOT_FOR_REAL_DATA = (
    "generate writes synthetic cases, conference records and answers that cannot be told from "
    "real ones and would spoil the figures: it runs only with KRING_DEMO_MODE or KRING_DEBUG "
    "on, or on the benchmark's database (bench/settings_bench.py). Nothing was written."
)


class NotForRealData(Exception):
    """Generating is refused: this is not a demo, a development or the benchmark's database."""


def may_generate() -> bool:
    """Synthetic records and answers cannot be told from real ones, so they would spoil a real
    organisation's figures: the generator runs only with KRING_DEMO_MODE or KRING_DEBUG on, or
    on the benchmark's database (bench/settings_bench.py sets KRING_BENCHMARK; production and
    its settings never do)."""
    from django.conf import settings

    return bool(settings.DEMO_MODE or settings.DEBUG or getattr(settings, "KRING_BENCHMARK", False))


# --- the progress bar -------------------------------------------------------------------------


class Progress:
    """A progress bar on stderr: percentage, cases per second and the time still to go. On a
    terminal it redraws one line (at most five times a second); otherwise (a log file, a pipe)
    it prints a line at every 10 %; quiet prints nothing."""

    def __init__(
        self,
        total: int,
        *,
        label: str = "generate",
        stream: TextIO | None = None,
        quiet: bool = False,
    ):
        self.total = max(total, 1)
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.quiet = quiet
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.done = 0
        self.began = time.monotonic()
        self.drawn = 0.0
        self.next_tenth = 1

    def rate(self) -> float:
        elapsed = time.monotonic() - self.began
        return self.done / elapsed if elapsed > 0 else 0.0

    def line(self) -> str:
        rate = self.rate()
        left = (self.total - self.done) / rate if rate > 0 else 0.0
        eta = time.strftime("%H:%M:%S", time.gmtime(left))
        pct = 100.0 * self.done / self.total
        return (
            f"{self.label}: {pct:5.1f}%  {self.done:,}/{self.total:,} cases  "
            f"{rate:,.0f} cases/s  ETA {eta}"
        )

    def update(self, n: int) -> None:
        self.done += n
        if self.quiet:
            return
        if self.tty:
            now = time.monotonic()
            if now - self.drawn >= 0.2 or self.done >= self.total:
                self.drawn = now
                self.stream.write("\r" + self.line() + "\x1b[K")
                self.stream.flush()
            return
        if self.next_tenth <= 10 and self.done * 10 >= self.next_tenth * self.total:
            self.next_tenth = self.done * 10 // self.total + 1
            self.stream.write(self.line() + "\n")
            self.stream.flush()

    def close(self) -> None:
        if self.tty and not self.quiet:
            self.stream.write("\n")
            self.stream.flush()


# --- timestamps -------------------------------------------------------------------------------


@contextlib.contextmanager
def own_timestamps() -> Iterator[None]:
    """The generated history spreads over three years; auto_now(_add) would date it all today.
    Switched off while generating and restored after, so that nothing else in the process
    (a test run) is affected."""
    from django.apps import apps
    from django.db import models

    saved = []
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, models.DateField) and (f.auto_now or f.auto_now_add):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


# --- the shape of one case --------------------------------------------------------------------


@dataclass
class Person:
    name: str
    side: str
    email: str = ""
    is_minor: bool = False
    guardian: int | None = None  # index in the circle
    status: str = "to_invite"
    present: bool | None = None  # None: not at a conference (yet)
    obj: Any = None


@dataclass
class Shape:
    """Offsets in seconds from the request (`at` places them in time)."""

    kind: str
    coordinator: Any
    team: dict
    stop_at: str = ""
    events: list[dict] = field(default_factory=list)
    offers: list[dict] = field(default_factory=list)
    circle: list[Person] = field(default_factory=list)
    t: dict[str, float] = field(default_factory=dict)  # named moments
    end: float = 0.0  # the last offset that must lie in the past
    at: datetime | None = None
    decline_reason: str = ""
    stop_reason: str = ""


class Generator:
    def __init__(self, n: int, *, seed: int = 2):
        from django.utils import timezone

        self.n = n
        self.seed = seed
        self.rng = random.Random(seed)
        self.now = timezone.now().replace(microsecond=0)
        self.start = self.now - timedelta(days=3 * 365)
        self.span = (self.now - self.start).total_seconds()
        self.first_index = 0

    # --- people, teams and venues ---------------------------------------------------------------

    def staff(self) -> tuple[int, int]:
        """The teams with their office, manager, coordinators and venues; carla (or the carla
        already there). Names get a prefix when teams of an earlier run exist (--append)."""
        from django.contrib.auth.hashers import make_password

        from kring.accounts.models import Role, Team, User
        from kring.referrals.models import Referral
        from kring.scheduling.models import Venue

        rng = self.rng
        self.first_index = Referral.objects.count()
        tag = ""
        if Team.objects.filter(name__startswith="Team ").exists():
            tag = f"{Team.objects.count()}-"
        n_coordinators = max(10, (self.n * 7 // 10) // CASES_PER_COORDINATOR)
        n_teams = max(2, n_coordinators // 40)
        teams = Team.objects.bulk_create(
            Team(name=f"Team {tag}{i + 1:03d}") for i in range(n_teams)
        )
        unusable = make_password(None)
        users = []
        for team in teams:
            slug = team.name.split()[-1]
            users.append(User(username=f"office{slug}", role=Role.OFFICE, team=team))
            users.append(User(username=f"manager{slug}", role=Role.MANAGER, team=team))
        for i in range(n_coordinators):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            users.append(
                User(
                    username=f"coordinator{tag}{i:05d}",
                    first_name=first,
                    last_name=last,
                    email=f"coordinator{tag}{i:05d}@example.org",
                    role=Role.COORDINATOR,
                    team=teams[i % n_teams],
                )
            )
        carla = User.objects.filter(username="carla").first()
        if carla is None:
            users.append(
                User(
                    username="carla",
                    first_name="Carla",
                    last_name="de Coördinator",
                    email="carla@example.org",
                    role=Role.COORDINATOR,
                    team=teams[0],
                )
            )
        for user in users:
            user.password = unusable
        User.objects.bulk_create(users, batch_size=BATCH)
        venues = Venue.objects.bulk_create(
            Venue(
                team=team,
                name=VENUE_NAMES[k % len(VENUE_NAMES)],
                address=f"Kerkstraat {10 + k}, {1000 + team.pk % 9000} AB",
                capacity=rng.choice((12, 16, 20, 30)),
                step_free=rng.random() < 0.8,
                hearing_loop=rng.random() < 0.3,
                quiet_room=rng.random() < 0.6,
                parking=rng.random() < 0.5,
                public_transport=rng.random() < 0.8,
                created_at=self.start,
            )
            for team in teams
            for k in range(VENUES_PER_TEAM)
        )
        by_team: dict[int, dict] = {
            team.pk: {"pk": team.pk, "office": None, "manager": None, "coordinators": []}
            for team in teams
        }
        for venue in venues:
            by_team[venue.team_id].setdefault("venues", []).append(venue)
        for user in User.objects.filter(team__in=teams).order_by("pk"):
            entry = by_team[user.team_id]
            if user.role == Role.COORDINATOR:
                if user.username != "carla":
                    entry["coordinators"].append(user)
            else:
                entry[user.role] = user
        self.teams = teams
        self.by_team = by_team
        self.carla = User.objects.get(username="carla")
        if self.carla.team_id not in by_team:
            # carla of an earlier run: her team has an office, a manager and venues already.
            team_id = self.carla.team_id
            by_team[team_id] = {
                "pk": team_id,
                "office": User.objects.filter(team_id=team_id, role=Role.OFFICE).first()
                or by_team[teams[0].pk]["office"],
                "manager": User.objects.filter(team_id=team_id, role=Role.MANAGER).first()
                or by_team[teams[0].pk]["manager"],
                "coordinators": list(
                    User.objects.filter(team_id=team_id, role=Role.COORDINATOR)
                    .exclude(pk=self.carla.pk)
                    .order_by("pk")[:10]
                )
                or by_team[teams[0].pk]["coordinators"],
                "venues": list(Venue.objects.filter(team_id=team_id)[:3])
                or by_team[teams[0].pk]["venues"],
            }
        return n_coordinators, n_teams

    # --- the plan of cases ---------------------------------------------------------------------

    def plan(self) -> list[tuple[str, Any]]:
        """(kind, coordinator or None) for every case: carla's caseload first, then the rest."""
        plan: list[tuple[str, Any]] = [("measured", self.carla)]
        plan += [(kind, self.carla) for kind in CARLA_KINDS]
        plan += [("offered", self.carla)] * CARLA_OFFERS
        kinds, weights = list(KINDS), list(KINDS.values())
        rest = max(0, self.n - len(plan))
        plan += [(kind, None) for kind in self.rng.choices(kinds, weights, k=rest)]
        return plan

    def _shape(self, kind: str, coordinator: Any, team: dict) -> Shape:
        """The timeline of one case as offsets from its request, and its circle."""
        rng = self.rng
        u = rng.uniform
        office, manager = team["office"], team["manager"]
        s = Shape(kind=kind, coordinator=coordinator, team=team)
        t = 0.0
        state = "requested"

        def event(kind_: str, actor: Any, to_state: str = "", **data: Any) -> None:
            nonlocal state
            s.events.append(
                {
                    "kind": kind_,
                    "actor": actor,
                    "t": t,
                    "from_state": state if to_state else "",
                    "to_state": to_state,
                    "data": data,
                }
            )
            if to_state:
                state = to_state
                s.t["state"] = t

        def offer(coord: Any, status: str) -> dict:
            event("case.offered", office, coordinator=coord.pk)
            s.offers.append({"coordinator": coord, "offered_by": office, "t": t, "status": status})
            return s.offers[-1]

        def stop() -> None:
            nonlocal t
            from kring.cases.models import StopReason

            t += u(2, 40) * DAY
            actor = s.coordinator if s.coordinator and rng.random() < 0.8 else manager
            reason = rng.choice(StopReason.values)
            event("case.stopped", actor, "stopped", reason=reason)
            s.stop_reason = reason
            for offer_ in s.offers:
                if offer_["status"] == "accepted":
                    offer_.update(status="ended", ended=t)

        event("case.requested", None, "requested")
        target = kind
        if kind == "stopped":
            target = rng.choices(list(STOPPED_AT), list(STOPPED_AT.values()))[0]
            s.stop_at = target
        if kind == "declined":
            from kring.cases.models import DeclineReason

            t += u(1, 10) * DAY
            reason = rng.choice(DeclineReason.values)
            event("case.declined", office, "declined", reason=reason)
            s.decline_reason = reason
            return self._place(s, t, ended=True)
        if kind == "requested":
            return self._place(s, t, wait=u(0, 10) * DAY)
        t += u(0.2, 5) * DAY
        event("case.taken_on", office, "referred")
        if target == "referred":
            if kind == "stopped":
                s.coordinator = None
                stop()
                return self._place(s, t, ended=True)
            return self._place(s, t, wait=u(0, 10) * DAY)
        if s.coordinator is None:
            s.coordinator = rng.choice(team["coordinators"])
        coordinator = s.coordinator
        t += u(0, 2) * DAY
        if kind == "offered":
            offer(coordinator, "offered")
            return self._place(s, t, wait=u(0, 5) * DAY)
        if kind == "measured":
            # Offered to two colleagues first: one handed it back (a tie), one offer withdrawn.
            first_coord, second_coord = team["coordinators"][:2]
            first = offer(first_coord, "handed_back")
            t += u(1, 24) * HOUR
            event("case.handed_back", first_coord, reason="tie")
            first.update(responded=t, ended=t, hand_back_reason="tie")
            t += u(1, 24) * HOUR
            second = offer(second_coord, "withdrawn")
            t += u(1, 48) * HOUR
            event("case.offer_withdrawn", office, coordinator=second_coord.pk)
            second["ended"] = t
            t += u(1, 24) * HOUR
        accepted = offer(coordinator, "accepted")
        t += u(0.1, 3) * DAY
        event("case.assigned", coordinator, "assigned")
        accepted.update(responded=t, independent=t)
        if target in ("assigned", "measured"):
            if kind == "stopped":
                stop()
                return self._place(s, t, ended=True)
            return self._place(s, t, wait=u(0, 14) * DAY)

        # Preparation: the circle, conversations, consents.
        t += u(0.5, 7) * DAY
        event("case.preparation_started", coordinator, "preparing")
        s.t["prepared"] = t
        will_meet = target not in ("preparing",)
        self._circle(s, will_meet=will_meet)
        prep = u(14, 60) * DAY
        if target == "preparing":
            if kind == "stopped":
                t += prep * u(0.2, 1)
                for person in s.circle:
                    if not person.is_minor and rng.random() < 0.3:
                        person.status = rng.choice(("declined", "withdrawn"))
                stop()
                return self._place(s, t, ended=True)
            # Somewhere in the preparation: not everyone has answered yet.
            t += prep * u(0.1, 0.9)
            for person in s.circle:
                if rng.random() < 0.4:
                    person.status = rng.choice(("to_invite", "invited", "invited"))
            return self._place(s, t, wait=0)

        for person in s.circle:
            person.status = "accepted"
        t += prep
        s.t["scheduled"] = t
        s.t["meeting_created"] = t - u(3, 14) * DAY
        event("case.scheduled", coordinator, "scheduled")
        lead = u(7, 35) * DAY
        s.t["meeting"] = t + lead
        if target == "scheduled":
            if kind == "stopped":
                t += lead * u(0.1, 0.8)
                s.t["cancelled"] = t
                stop()
                return self._place(s, t, ended=True)
            # Now lies between the confirmation and the meeting.
            return self._place(s, t, wait=lead * u(0.05, 0.9))

        # The conference.
        t = s.t["meeting"] + 5 * MINUTE
        s.t["started"] = t
        s.t["introductions"] = t + u(15, 30) * MINUTE
        s.t["rounds_done"] = s.t["introductions"] + u(60, 120) * MINUTE
        s.t["informal"] = s.t["rounds_done"] + u(40, 70) * MINUTE
        event("case.conference_held", coordinator, "conference_held")
        if target == "conference_held":
            s.t["draft"] = 1.0 if rng.random() < 0.5 else 0.0
            return self._place(s, s.t["rounds_done"], wait=u(0, 10) * DAY)

        # The plan, signed by everyone present, then follow-up.
        s.t["finalised"] = s.t["rounds_done"] + u(25, 45) * MINUTE
        t = s.t["finalised"] + u(5, 20) * MINUTE
        s.t["signed"] = t
        event("case.plan_signed", coordinator, "following_up", version=1)
        s.t["followed_up"] = t
        if target == "following_up":
            return self._place(s, t, wait=u(1, 200) * DAY)
        t += u(60, 240) * DAY
        s.t["closed"] = t
        event("case.closed", coordinator, "closed")
        return self._place(s, t, ended=True)

    def _place(self, s: Shape, end: float, *, ended: bool = False, wait: float = 0.0) -> Shape:
        """Give the case its moment: an ended case anywhere in the three years, an open one
        so that `wait` has passed since its last step."""
        s.end = end
        if ended:
            room = max(self.span - end - HOUR, 0.0)
            s.at = self.start + timedelta(seconds=self.rng.random() * room)
        else:
            s.at = self.now - timedelta(seconds=end + wait + MINUTE)
        return s

    def _circle(self, s: Shape, *, will_meet: bool) -> None:
        rng = self.rng
        present = PRESENT_MIN + sum(rng.random() < PRESENT_P for _ in range(PRESENT_EXTRA))
        if not will_meet:
            present = rng.randint(2, 8)
        absent = rng.choices((0, 1, 2), (60, 30, 10))[0]
        sides = ["harmed", "responsible"]
        for k in range(2, present + absent):
            roll = rng.random()
            if k < present and roll < 0.08:
                sides.append("harmed")
            elif k < present and roll < 0.14:
                sides.append("responsible")
            elif roll < 0.25:
                sides.append("other")
            else:
                sides.append("supporter")
        circle = []
        for k, side in enumerate(sides):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            circle.append(
                Person(
                    name=f"{first} {last}",
                    side=side,
                    email=f"{first.lower()}{rng.randint(1, 999)}@example.org"
                    if rng.random() < 0.8
                    else "",
                    status="accepted",
                    present=(k < present) if will_meet else None,
                )
            )
        # A minor responsible person in some cases: a supporter present (the third person,
        # never among the absent) is their guardian.
        if len(circle) > 2 and circle[2].side == "supporter" and rng.random() < 0.2:
            circle[1].is_minor = True
            circle[1].guardian = 2
        s.circle = circle

    # --- writing --------------------------------------------------------------------------------

    def cases(self, progress: Progress) -> dict:
        from django.db import connection, transaction

        from kring.audit.chain import Chainer

        self.ids = Ids(_models())
        self.inserter = Inserter(connection)
        self.chainer = Chainer()

        plan = self.plan()
        progress.total = max(len(plan), 1)  # carla's caseload: at least 43 cases
        measured_pk = None
        team_ids = [t.pk for t in self.teams]
        rng = self.rng
        for offset in range(0, len(plan), BATCH):
            chunk = plan[offset : offset + BATCH]
            shapes = []
            for kind, coordinator in chunk:
                team_id = coordinator.team_id if coordinator is not None else rng.choice(team_ids)
                shapes.append(self._shape(kind, coordinator, self.by_team[team_id]))
            with transaction.atomic():
                pk = self._write(shapes, self.first_index + offset)
            if pk is not None:
                measured_pk = pk
            progress.update(len(chunk))
        self.inserter.reset_sequences()
        return {"measured_case": measured_pk}

    def _write(self, shapes: list[Shape], first_index: int) -> int | None:  # noqa: C901
        from django.conf import settings

        from kring.circle import information
        from kring.conference import content as plan_content
        from kring.referrals.models import (
            PeopleInformed,
            RequesterRelation,
        )
        from kring.research import models as research
        from kring.research.actions import ANSWERED, INVITED

        rng = self.rng
        today = self.now.astimezone(AMSTERDAM).date()
        contact_days = settings.KRING_FOLLOWUP_CONTACT_DAYS
        retention = settings.KRING_RETENTION_YEARS
        rows: dict[str, list] = {name: [] for name in WRITE_ORDER}
        measured = None

        for i, s in enumerate(shapes, start=first_index):
            assert s.at is not None
            at = s.at

            def when(offset: float, _at: datetime = at) -> datetime:
                return _at + timedelta(seconds=offset)

            coordinator, team = s.coordinator, s.team
            state_event = [e for e in s.events if e["to_state"]][-1]
            state = state_event["to_state"]
            referral = Row(
                id=self.ids.take("referral"),
                reference=reference(i),
                submitted_at=at,
                language=rng.choice(("nl", "nl", "nl", "en")),
                requester_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                requester_relation=rng.choice(RequesterRelation.values),
                requester_email=f"requester{i}@example.org",
                requester_phone="06-12345678" if rng.random() < 0.5 else "",
                description=" ".join(
                    rng.choice(WORDS) for _ in range(rng.randint(30, 90))
                ).capitalize()
                + ".",
                people_informed=rng.choice(PeopleInformed.values),
                privacy_version="2026-1",
                privacy_accepted_at=at,
            )
            rows["referral"].append(referral)
            # The request names the first people of the circle (or two to four others).
            named = [(p.name, p.side, p.email) for p in s.circle[:4]] or [
                (
                    f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    rng.choice(PERSON_SIDES),
                    f"{rng.randint(100, 999)}@example.org" if rng.random() < 0.4 else "",
                )
                for _ in range(rng.randint(2, 4))
            ]
            for name, side, contact in named:
                rows["referral_person"].append(
                    Row(referral=referral, name=name, side=side, contact=contact)
                )
            case = Row(
                id=self.ids.take("case"),
                referral=referral,
                state=state,
                state_changed_at=when(state_event["t"]),
                created_at=at,
                team_id=None if state in ("requested", "declined") else team["pk"],
                coordinator=None if state in ("requested", "declined", "referred") else coordinator,
                decline_reason=s.decline_reason,
                stop_reason=s.stop_reason,
            )
            rows["case"].append(case)
            if s.kind == "measured":
                measured = case

            for e in s.events:
                actor = e["actor"]
                e_at = when(e["t"])
                kind = "requester" if e["kind"] == "case.requested" else "staff"
                rows["event"].append(
                    Row(
                        case=case,
                        at=e_at,
                        kind=e["kind"],
                        actor_kind=kind,
                        actor=actor,
                        from_state=e["from_state"],
                        to_state=e["to_state"],
                        data=e["data"],
                    )
                )
                rows["audit"].append(
                    Row(
                        at=e_at,
                        actor=actor,
                        actor_role=actor.role if actor else "",
                        actor_kind=kind,
                        team_id=case.team_id,
                        case=case,
                        action=e["kind"],
                        object_type="cases.case",
                        object_id="",
                        ip="192.0.2.10" if actor else None,
                    )
                )
            for o in s.offers:
                rows["assignment"].append(
                    Row(
                        case=case,
                        coordinator=o["coordinator"],
                        offered_by=o["offered_by"],
                        offered_at=when(o["t"]),
                        status=o["status"],
                        responded_at=when(o["responded"]) if "responded" in o else None,
                        declared_independent_at=when(o["independent"])
                        if "independent" in o
                        else None,
                        hand_back_reason=o.get("hand_back_reason", ""),
                        ended_at=when(o["ended"]) if "ended" in o else None,
                    )
                )
            if not s.circle:
                continue

            # --- the circle ---
            prepared = s.t["prepared"]
            until = s.t.get("scheduled", s.end)
            people = []
            for p in s.circle:
                added = prepared + (until - prepared) * 0.2 * rng.random()
                p.obj = Row(
                    id=self.ids.take("participant"),
                    case=case,
                    name=p.name,
                    side=p.side,
                    email=p.email,
                    is_minor=p.is_minor,
                    status=p.status,
                    status_changed_at=when(added + (until - added) * 0.5)
                    if p.status != "to_invite"
                    else None,
                    added_at=when(added),
                    added_by=coordinator,
                    relation="" if p.side in ("harmed", "responsible") else "familie",
                )
                people.append((p, added))
                # A minor after their guardian: bulk_create sets the guardian's id.
                rows["minor" if p.is_minor else "participant"].append(p.obj)
            for p, added in people:
                if p.guardian is not None:
                    p.obj.guardian = s.circle[p.guardian].obj
                if p.status == "to_invite":
                    continue
                invited = added + (until - added) * 0.1 * rng.random()
                rows["invitation"].append(
                    Row(
                        participant=p.obj,
                        channel="email" if p.email else "letter",
                        sent_at=when(invited),
                        sent_by=coordinator,
                    )
                )
                talked = invited + (until - invited) * 0.4 * rng.random()
                if p.side in ("harmed", "responsible"):
                    rows["conversation"].append(
                        Row(
                            participant=p.obj,
                            held_at=when(talked),
                            mode=rng.choice(("in_person", "in_person", "phone", "video")),
                            recorded_by=coordinator,
                            recorded_at=when(talked + HOUR),
                        )
                    )
                if p.side == "responsible":
                    rows["acknowledgment"].append(
                        Row(
                            participant=p.obj,
                            acknowledges=True,
                            given_at=when(talked),
                            mode="in_person",
                            recorded_by=coordinator,
                            recorded_at=when(talked + HOUR),
                        )
                    )
                if p.status != "accepted":
                    continue
                consented = talked + (until - talked) * 0.5 * rng.random()
                givers = [p]
                if p.guardian is not None:
                    givers.append(s.circle[p.guardian])
                for giver in givers:
                    mode = rng.choice(("portal", "portal", "paper", "in_person"))
                    rows["consent"].append(
                        Row(
                            participant=p.obj,
                            given_by=giver.obj,
                            information_version=information.CURRENT_VERSION,
                            given_at=when(consented),
                            mode=mode,
                            obtained_by=None if mode == "portal" else coordinator,
                            legal_advice=rng.choice(("no", "no", "no", "yes", "later")),
                            interpreter="no",
                            support_person=rng.choice(("no", "no", "yes")),
                        )
                    )
            if "scheduled" not in s.t:
                continue

            # --- the meeting ---
            start = when(s.t["meeting"])
            cancelled = s.t.get("cancelled")
            meeting = Row(
                id=self.ids.take("meeting"),
                case=case,
                purpose="conference",
                status="cancelled" if cancelled is not None else "confirmed",
                uid=f"gen-{referral.reference}@kring",
                starts_at=start,
                ends_at=start + timedelta(hours=3),
                venue=rng.choice(team["venues"]),
                created_at=when(s.t["meeting_created"]),
                created_by=coordinator,
                confirmed_at=when(s.t["scheduled"]),
                cancelled_at=when(cancelled) if cancelled is not None else None,
            )
            rows["meeting"].append(meeting)
            if "started" not in s.t:
                continue

            # --- the conference ---
            started = s.t["started"]
            conference = Row(
                id=self.ids.take("conference"),
                case=case,
                meeting=meeting,
                created_at=when(started - 10 * MINUTE),
                created_by=coordinator,
                started_at=when(started),
                introductions_done_at=when(s.t["introductions"]),
                rounds_done_at=when(s.t["rounds_done"]),
                informal_at=when(s.t["informal"]) if "finalised" in s.t else None,
            )
            rows["conference"].append(conference)
            present = [p for p in s.circle if p.present]
            for p in s.circle:
                rows["attendance"].append(
                    Row(
                        conference=conference,
                        participant=p.obj,
                        present=bool(p.present),
                        recorded_at=when(started - 5 * MINUTE),
                        recorded_by=coordinator,
                    )
                )
            if "finalised" not in s.t and not s.t.get("draft"):
                continue

            # --- the plan ---
            held_on = when(started).astimezone(AMSTERDAM).date()
            harmed = next(p for p in s.circle if p.side == "harmed")
            responsible = next(p for p in s.circle if p.side == "responsible")
            plan_at = when(s.t["rounds_done"] + MINUTE)
            plan = Row(
                id=self.ids.take("plan"),
                case=case,
                conference=conference,
                good_outcome="Dat we elkaar weer gewoon kunnen groeten.",
                good_outcome_by=harmed.obj,
                evaluation_date=held_on + timedelta(days=90),
                if_not_kept="Dan komen we opnieuw bij elkaar.",
                created_at=plan_at,
                created_by=coordinator,
                changed_at=plan_at,
                changed_by=coordinator,
                edit_count=0,
            )
            rows["plan"].append(plan)
            agreements = []
            for number in range(1, rng.randint(1, 5) + 1):
                who = responsible if rng.random() < 0.7 else rng.choice(present)
                agreement = Row(
                    id=self.ids.take("agreement"),
                    plan=plan,
                    position=number,
                    what=rng.choice(AGREEMENTS),
                    who=who.obj,
                    for_whom=harmed.name,
                    by_when=held_on + timedelta(days=rng.randint(14, 90)),
                    how_checked=rng.choice(CHECKS),
                    prevents_repeat=rng.random() < 0.4,
                    created_at=plan_at,
                    changed_at=plan_at,
                    changed_by=coordinator,
                )
                agreements.append((agreement, who))
                rows["agreement"].append(agreement)
            plan.edit_count = 1 + len(agreements)
            if "finalised" not in s.t:
                continue
            frozen = {
                "format": plan_content.FORMAT,
                "reference": referral.reference,
                "present": [p.name for p in present],
                "on_paper": False,
                "good_outcome": {"text": plan.good_outcome, "by": harmed.name},
                "ideas": [],
                "agreements": [
                    {
                        "number": number,
                        "what": a.what,
                        "who": who.name,
                        "for_whom": a.for_whom,
                        "by_when": a.by_when.isoformat(),
                        "how_checked": a.how_checked,
                        "prevents_repeat": a.prevents_repeat,
                    }
                    for number, (a, who) in enumerate(agreements, start=1)
                ],
                "evaluation_date": plan.evaluation_date.isoformat(),
                "if_not_kept": plan.if_not_kept,
            }
            digest = plan_content.content_hash(frozen)
            version = Row(
                id=self.ids.take("version"),
                plan=plan,
                number=1,
                content=frozen,
                content_hash=digest,
                edit_count=plan.edit_count,
                finalised_at=when(s.t["finalised"]),
                finalised_by=coordinator,
            )
            rows["version"].append(version)
            signed = s.t["signed"]
            for p in present:
                slots = [("own", p)]
                if p.is_minor and p.guardian is not None:
                    slots.append(("guardian", s.circle[p.guardian]))
                for role, signer in slots:
                    rows["signature"].append(
                        Row(
                            version=version,
                            participant=p.obj,
                            signed_by=signer.obj,
                            role=role,
                            method="in_person",
                            hosted_by=coordinator,
                            content_hash=digest,
                            consent_text=CONSENT_TEXT,
                            typed_name=signer.name,
                            signed_at=when(signed - rng.uniform(0, 10) * MINUTE),
                        )
                    )

            # --- follow-up ---
            closed = s.t.get("closed")
            states = []
            for number, (agreement, who) in enumerate(agreements, start=1):
                if closed is not None:
                    state_ = rng.choices(("done", "partly_done", "not_kept"), (80, 12, 8))[0]
                else:
                    state_ = rng.choices(
                        ("open", "done", "partly_done", "not_kept"), (50, 35, 10, 5)
                    )[0]
                states.append(state_)
                changed = None
                if state_ != "open":
                    last = closed if closed is not None else s.end
                    changed = when(signed + (last - signed) * rng.uniform(0.2, 0.95))
                rows["tracked"].append(
                    Row(
                        case=case,
                        version=version,
                        agreement=agreement,
                        number=number,
                        what=agreement.what,
                        owner=who.obj,
                        for_whom=agreement.for_whom,
                        due=agreement.by_when,
                        how_checked=agreement.how_checked,
                        prevents_repeat=agreement.prevents_repeat,
                        state=state_,
                        state_changed_at=changed,
                        created_at=when(signed),
                    )
                )
            due_on = held_on + timedelta(days=contact_days)
            contact_done = None
            if closed is not None or (due_on < today and rng.random() < 0.8):
                contact_done = datetime.combine(
                    due_on + timedelta(days=rng.randint(0, 7)), datetime.min.time(), AMSTERDAM
                ).replace(hour=10)
                contact_done = min(contact_done, self.now)
            rows["contact"].append(
                Row(
                    case=case,
                    due_on=due_on,
                    done_at=contact_done,
                    done_by=coordinator if contact_done else None,
                )
            )
            if closed is not None:
                if rng.random() < 0.03:
                    outcome = "other"
                elif all(x == "done" for x in states):
                    outcome = "all_kept"
                elif "done" not in states and "partly_done" not in states:
                    outcome = "not_kept"
                else:
                    outcome = "partly_kept"
                closed_at = when(closed)
                rows["closure"].append(
                    Row(
                        case=case,
                        outcome=outcome,
                        closed_at=closed_at,
                        closed_by=coordinator,
                        retain_until=closed_at.date().replace(
                            year=closed_at.year + retention[outcome], day=min(closed_at.day, 28)
                        ),
                    )
                )

            # --- research ---
            record = Row(
                id=self.ids.take("record"),
                source=research.Source.LIVE,
                case=case,
                team_id=team["pk"],
                held_on=held_on,
                participants_present=len(present),
                created_at=when(signed),
            )
            rows["record"].append(record)
            # The timeline and the audit log as research.actions writes them (no answer in
            # either): the invitations to the first questionnaire, by the system ...
            self._event(
                rows, case, when(signed), INVITED, data={"round": 1, "invited": len(present)}
            )
            for p in present:
                answered_on = held_on + timedelta(days=rng.randint(1, 28))
                answered = rng.random() < ANSWER_RATE and answered_on <= today
                answered_at = (
                    min(
                        datetime.combine(answered_on, datetime.min.time(), AMSTERDAM).replace(
                            hour=20
                        ),
                        self.now,
                    )
                    if answered
                    else None
                )
                on_paper = answered and rng.random() < 0.1
                rows["research_invitation"].append(
                    Row(
                        record=record,
                        participant=p.obj,
                        role=p.side,
                        created_at=when(signed),
                        answered_at=answered_at,
                        on_paper=on_paper,
                    )
                )
                if answered:
                    rows["answer"].append(_answer(rng, record, p.side, answered_on))
                    # ... and each questionnaire filled in: on the personal page, or typed in
                    # from paper by the coordinator.
                    self._event(
                        rows,
                        case,
                        answered_at,
                        ANSWERED,
                        data={"participant": p.obj.id, "round": 1, "on_paper": on_paper},
                        staff=coordinator if on_paper else None,
                        participant=None if on_paper else p.obj.id,
                    )

        models = _models()
        # The audit rows join the hash chain in the order they go in (kring.audit.chain).
        self.chainer.start()
        for audit in rows["audit"]:
            audit.object_id = str(audit.case.id)
            audit.update(self.chainer.link(_audit_values(audit)))
        for name in WRITE_ORDER:
            if rows[name]:
                self.inserter.insert(models[name], rows[name])
        return measured.id if measured is not None else None

    @staticmethod
    def _event(
        rows: dict[str, list],
        case: Row,
        at: datetime,
        kind: str,
        *,
        data: dict,
        staff: Any = None,
        participant: int | None = None,
    ) -> None:
        """One timeline line and its audit row, as cases.actions.log_event writes them: by a
        staff user, a participant on their personal page, or (neither) the system."""
        if staff is not None:
            actor_kind, via, ip = "staff", "", "192.0.2.10"
        elif participant is not None:
            actor_kind, via, ip = "participant", "portal", "192.0.2.20"
        else:
            actor_kind, via, ip = "system", "", None
        rows["event"].append(
            Row(
                case=case,
                at=at,
                kind=kind,
                actor_kind=actor_kind,
                actor=staff,
                actor_participant_id=participant,
                via=via,
                data=data,
            )
        )
        rows["audit"].append(
            Row(
                at=at,
                actor=staff,
                actor_role=staff.role if staff is not None else "",
                actor_kind=actor_kind,
                actor_participant_id=participant,
                team_id=case.team_id,
                case=case,
                action=kind,
                object_type="cases.case",
                object_id="",
                ip=ip,
            )
        )


def _scale_answer(rng: random.Random, agree: float) -> int:
    """4 or 5 with probability `agree`, else 1 to 3."""
    if rng.random() < agree:
        return rng.choice((4, 5, 5))
    return rng.choice((1, 2, 3, 3))


def _answer(rng: random.Random, record: Any, side: str, answered_on: date) -> Any:

    def yes_no() -> str:
        return rng.choices(("yes", "no", "na"), (60, 25, 15))[0]

    harmed = side == "harmed"
    return Row(
        record=record,
        role=side,
        round=1,
        satisfied=_scale_answer(rng, {"responsible": 0.93, "harmed": 0.9}.get(side, 0.88)),
        situation_restored=_scale_answer(rng, 0.9) if harmed else None,
        said_well=_scale_answer(rng, 0.88) if harmed else None,
        good_agreements=_scale_answer(rng, 0.86) if harmed else None,
        relations_restored=yes_no(),
        less_afraid=yes_no(),
        feel_better=yes_no(),
        move_on=yes_no(),
    )


class Row(dict):
    """A row to insert: its values by field name (a parent as its Row, or by attname `x_id`);
    what is not given takes the field's default (Inserter). Far cheaper than a model
    instance, which a million cases would spend most of their time building."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value


class Ids:
    """The primary keys of the parent tables, handed out here (from the highest in the table),
    so that children know their parents' ids before anything is written and every table is
    written with one plain INSERT per batch. PostgreSQL's sequences are moved past them after
    (Inserter.reset_sequences)."""

    TABLES = (
        "referral",
        "case",
        "participant",
        "meeting",
        "conference",
        "plan",
        "agreement",
        "version",
        "record",
    )

    def __init__(self, models: dict[str, Any]):
        from django.db.models import Max

        self.next: dict[str, int] = {}
        for name in self.TABLES:
            highest = models[name].objects.aggregate(m=Max("pk"))["m"] or 0
            self.next[name] = highest + 1

    def take(self, name: str) -> int:
        pk = self.next[name]
        self.next[name] = pk + 1
        return pk


class Inserter:
    """INSERT of model instances without Django's per-value compiler (which costs more than
    the database for a million cases): per table and batch, one `executemany` on SQLite and
    one COPY on PostgreSQL, each column's
    value prepared by a converter chosen once per field. No save(), no signals, no pre_save:
    every timestamp is set by the generator."""

    def __init__(self, connection: Any):
        self.connection = connection
        self.plans: dict[tuple[type, bool], tuple[str, Any]] = {}
        self.copies: dict[tuple[type, bool], str] = {}

    def _converter(self, f: Any) -> Any:
        from django.db import models

        ops, connection = self.connection.ops, self.connection
        name, attname, default = f.name, f.attname, f.get_default

        if f.is_relation:

            def value(row: Row) -> Any:
                if attname in row:
                    return row[attname]
                parent = row.get(name)
                if parent is None:
                    return None
                return parent["id"] if isinstance(parent, Row) else parent.pk

            return value

        def raw(row: Row) -> Any:
            return row[name] if name in row else default()

        if isinstance(f, models.DateTimeField):
            if connection.vendor == "sqlite":
                # What the SQLite backend stores (UTC, naive, ISO), without its checks: every
                # time here is aware.
                def moment(row: Row) -> Any:
                    v = raw(row)
                    if v is None:
                        return None
                    if v.tzinfo is not UTC:
                        v = v.astimezone(UTC)
                    return v.isoformat(" ")[:-6]  # without "+00:00"

                return moment
            adapt = ops.adapt_datetimefield_value
            return lambda row: adapt(raw(row))
        if isinstance(f, models.DateField):
            adapt_day = ops.adapt_datefield_value
            return lambda row: adapt_day(raw(row))
        if isinstance(f, models.JSONField):
            if connection.vendor == "sqlite":
                return lambda row: json.dumps(raw(row))
            return lambda row: f.get_db_prep_save(raw(row), connection)
        if isinstance(f, models.GenericIPAddressField):
            return lambda row: raw(row) or None
        return raw

    def insert(self, model: Any, objs: list) -> None:
        with_pk = "id" in objs[0]
        key = (model, with_pk)
        if key not in self.plans:
            qn = self.connection.ops.quote_name
            fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
            columns = ", ".join(qn(f.column) for f in fields)
            sqlite = self.connection.vendor == "sqlite"
            marks = ", ".join(["?" if sqlite else "%s"] * len(fields))
            sql = f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 (names from the models)
            # One function per table that makes the whole tuple: no loop per value.
            converters = {f"c{k}": self._converter(f) for k, f in enumerate(fields)}
            source = "lambda o: (" + "".join(f"{name}(o), " for name in converters) + ")"
            self.plans[key] = (sql, eval(source, converters))  # noqa: S307 (our own text)
        sql, make = self.plans[key]
        params = [make(o) for o in objs]
        if self.connection.vendor == "sqlite":
            # The driver's own cursor: Django's wrapper would rewrite every parameter list.
            self.connection.ensure_connection()
            self.connection.connection.executemany(sql, params)
            return
        # PostgreSQL: COPY, the bulk loader (an INSERT per row, even pipelined, costs four
        # times as much here); the driver adapts each value as it would for an INSERT.
        copy_sql = self.copies.get(key)
        if copy_sql is None:
            copy_sql = sql.replace("INSERT INTO", "COPY", 1).split(" VALUES ", 1)[0]
            self.copies[key] = copy_sql = f"{copy_sql} FROM STDIN"
        with self.connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
            for values in params:
                copy.write_row(values)

    def reset_sequences(self) -> None:
        from django.core.management.color import no_style

        models = _models()
        statements = self.connection.ops.sequence_reset_sql(
            no_style(), [models[name] for name in Ids.TABLES]
        )
        with self.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _audit_values(audit: Row) -> dict[str, Any]:
    """An audit row's content as kring.audit.chain hashes it: parents by id, defaults filled."""
    case, actor = audit.get("case"), audit.get("actor")
    return {
        "at": audit["at"],
        "actor_id": actor.pk if actor is not None else None,
        "actor_role": audit.get("actor_role", ""),
        "actor_kind": audit.get("actor_kind", ""),
        "actor_participant_id": audit.get("actor_participant_id"),
        "for_participant_id": audit.get("for_participant_id"),
        "team_id": audit.get("team_id"),
        "case_id": case["id"] if case is not None else None,
        "action": audit["action"],
        "object_type": audit.get("object_type", ""),
        "object_id": audit.get("object_id", ""),
        "ip": audit.get("ip"),
        "data": audit.get("data", {}),
    }


def _models() -> dict[str, Any]:
    from kring.audit.models import AuditEvent
    from kring.cases.models import Assignment, Case, CaseEvent
    from kring.circle import models as circle
    from kring.conference import models as conf
    from kring.followup import models as followup
    from kring.referrals.models import Referral, ReferralPerson
    from kring.research import models as research
    from kring.scheduling.models import Meeting
    from kring.signing.models import Signature

    return {
        "referral": Referral,
        "referral_person": ReferralPerson,
        "case": Case,
        "event": CaseEvent,
        "audit": AuditEvent,
        "assignment": Assignment,
        "participant": circle.Participant,
        "minor": circle.Participant,
        "invitation": circle.Invitation,
        "conversation": circle.Conversation,
        "acknowledgment": circle.Acknowledgment,
        "consent": circle.Consent,
        "meeting": Meeting,
        "conference": conf.Conference,
        "attendance": conf.Attendance,
        "plan": conf.Plan,
        "agreement": conf.Agreement,
        "version": conf.PlanVersion,
        "signature": Signature,
        "tracked": followup.TrackedAgreement,
        "contact": followup.Contact,
        "closure": followup.Closure,
        "record": research.ConferenceRecord,
        "research_invitation": research.Invitation,
        "answer": research.Answer,
    }


# Parents before children (bulk_create fills in the foreign keys from the saved parents).
WRITE_ORDER = (
    "referral",
    "referral_person",
    "case",
    "event",
    "audit",
    "assignment",
    "participant",
    "minor",
    "invitation",
    "conversation",
    "acknowledgment",
    "consent",
    "meeting",
    "conference",
    "attendance",
    "plan",
    "agreement",
    "version",
    "signature",
    "tracked",
    "contact",
    "closure",
    "record",
    "research_invitation",
    "answer",
)


# --- running it -------------------------------------------------------------------------------


def signed_in_session(user: Any) -> str:
    """A session as the login pages leave it: signed in, second factor passed, clocks started."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django_otp import DEVICE_ID_SESSION_KEY

    from kring.accounts import sessions
    from kring.accounts.models import SealedTOTPDevice

    device = SealedTOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    sessions.start(store)
    store.create()
    return store.session_key


def analyze() -> None:
    """Fresh planner statistics, as autovacuum (PostgreSQL) or an operator's routine
    `PRAGMA optimize` (SQLite) would leave them after a load."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def generate(
    n: int,
    *,
    seed: int = 2,
    append: bool = False,
    progress: Progress | None = None,
    fast_sqlite: bool = False,
) -> dict:
    """Fill the database with `n` cases; return the facts (counts, the measured case, carla).
    Refuses (NotForRealData) unless `may_generate()`, and (NotEmpty) a database that has cases
    unless `append`."""
    from django.db import connection

    from kring.cases.models import Case

    if not may_generate():
        raise NotForRealData(NOT_FOR_REAL_DATA)
    if not append and Case.objects.exists():
        raise NotEmpty("the database already has cases; generate adds to it only with --append")
    if fast_sqlite and connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            # Loading only: the server uses Kring's own PRAGMAs. A large page cache keeps the
            # indexes of a million cases in memory while they grow (this connection only).
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-1000000")
    began = time.monotonic()
    before = Case.objects.count()
    progress = progress or Progress(n, quiet=True)
    gen = Generator(n, seed=seed)
    with own_timestamps():
        n_coordinators, n_teams = gen.staff()
        facts = gen.cases(progress)
    progress.close()
    # The rows went in around Kring's actions: the figures' summary is made from them again.
    from kring.research import summary

    summary_began = time.monotonic()
    summary.rebuild()
    facts["summary_seconds"] = round(time.monotonic() - summary_began, 1)
    cases = Case.objects.count()
    facts.update(
        cases=cases,
        cases_generated=cases - before,
        teams=n_teams,
        coordinators=n_coordinators + 1,
        carla=gen.carla.pk,
        seconds=round(time.monotonic() - began, 1),
    )
    return facts
