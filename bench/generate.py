"""Generate N cases for the benchmark, fast, and a signed-in session for coordinator carla.

    DJANGO_SETTINGS_MODULE=bench.settings_bench KRING_DATABASE_URL=... \
        .venv/bin/python -m bench.generate --cases 100000 --out facts.json

Run by bench/run.py against a freshly migrated, empty database. The data is shaped like a
real organisation's: cases in every state that exists so far, teams of coordinators with about
40 cases each, 2-4 people per request, and a timeline (and its audit rows) for every case.
Coordinator carla has a realistic caseload whatever N is, so Mijn zaken and her case page show
the same amount of data with 1,000 and with 100,000 cases: what grows is everything around
them. Rows are written with bulk_create (the actions would take hours for 100,000 cases); the
shapes follow what the actions in kring.cases.actions write.
"""

import argparse
import json
import random
import sys
import time
from datetime import timedelta

BATCH = 5000
CASES_PER_COORDINATOR = 40
CARLA_CASES = 38  # plus the measured case and two open offers: a full first page and a second
CARLA_OFFERS = 2
# The measured case page: a case with a history (two coordinators before carla accepted).
MEASURED_EVENTS = 8

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
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# A bijection on 40-bit numbers: references look random and never collide.
_SPREAD = 0x9E3779B97F & ((1 << 40) - 1) | 1


def reference(i: int) -> str:
    n = (i * _SPREAD) & ((1 << 40) - 1)
    body = "".join(_ALPHABET[(n >> (5 * k)) & 31] for k in range(8))
    return f"K-{body[:4]}-{body[4:]}"


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _description(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(30, 90))).capitalize() + "."


class Generator:
    def __init__(self, n: int, *, seed: int):
        from django.utils import timezone

        self.n = n
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.start = self.now - timedelta(days=3 * 365)

    # --- people and teams -------------------------------------------------------------------

    def staff(self):
        from django.contrib.auth.hashers import make_password

        from kring.accounts.models import Role, Team, User

        n_coordinators = max(10, (self.n * 7 // 10) // CASES_PER_COORDINATOR)
        n_teams = max(2, n_coordinators // 40)
        teams = Team.objects.bulk_create(Team(name=f"Team {i + 1:03d}") for i in range(n_teams))
        unusable = make_password(None)
        users = []
        for team in teams:
            slug = team.name.split()[-1]
            users.append(User(username=f"office{slug}", role=Role.OFFICE, team=team))
            users.append(User(username=f"manager{slug}", role=Role.MANAGER, team=team))
        for i in range(n_coordinators):
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            users.append(
                User(
                    username=f"coordinator{i:05d}",
                    first_name=first,
                    last_name=last,
                    email=f"coordinator{i:05d}@example.org",
                    role=Role.COORDINATOR,
                    team=teams[i % n_teams],
                )
            )
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
        by_team = {team.pk: {"office": None, "manager": None, "coordinators": []} for team in teams}
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
        return n_coordinators, n_teams

    # --- cases ------------------------------------------------------------------------------

    def _plan(self) -> list[tuple[str, object]]:
        """(kind, coordinator or None) for every case: carla's caseload first, then the rest."""
        plan: list[tuple[str, object]] = [("measured", self.carla)]
        plan += [("assigned", self.carla)] * (CARLA_CASES - CARLA_CASES // 5)
        plan += [("stopped", self.carla)] * (CARLA_CASES // 5)
        plan += [("offered", self.carla)] * CARLA_OFFERS
        kinds = ["requested", "referred", "offered", "declined", "assigned", "stopped"]
        weights = [5, 3, 2, 10, 65, 15]
        for _ in range(max(0, self.n - len(plan))):
            plan.append((self.rng.choices(kinds, weights)[0], None))
        return plan

    def cases(self, progress) -> dict:
        from django.db import transaction

        from kring.audit.models import AuditEvent
        from kring.cases.lifecycle import State
        from kring.cases.models import (
            Assignment,
            Case,
            CaseEvent,
        )
        from kring.referrals.models import (
            PeopleInformed,
            PersonSide,
            Referral,
            ReferralPerson,
            RequesterRelation,
        )

        # The generated history spreads over three years; auto_now_add would date it all today.
        Referral._meta.get_field("submitted_at").auto_now_add = False
        Case._meta.get_field("created_at").auto_now_add = False

        rng = self.rng
        carla_team = self.carla.team_id
        plan = self._plan()
        measured_pk = None
        span = (self.now - self.start).total_seconds()
        team_ids = [t.pk for t in self.teams]

        for offset in range(0, len(plan), BATCH):
            chunk = plan[offset : offset + BATCH]
            with transaction.atomic():
                referrals, shapes = [], []
                for i, (kind, coordinator) in enumerate(chunk, start=offset):
                    at = self.start + timedelta(seconds=rng.random() * span * 0.98)
                    if coordinator is self.carla:
                        # carla's caseload is recent: the last year.
                        at = self.now - timedelta(days=rng.random() * 330 + 30)
                    team_id = carla_team if coordinator is self.carla else rng.choice(team_ids)
                    referrals.append(
                        Referral(
                            reference=reference(i),
                            submitted_at=at,
                            language=rng.choice(("nl", "nl", "nl", "en")),
                            requester_name=_name(rng),
                            requester_relation=rng.choice(RequesterRelation.values),
                            requester_email=f"requester{i}@example.org",
                            requester_phone="06-12345678" if rng.random() < 0.5 else "",
                            description=_description(rng),
                            people_informed=rng.choice(PeopleInformed.values),
                            privacy_version="2026-1",
                            privacy_accepted_at=at,
                        )
                    )
                    shapes.append((kind, coordinator, team_id, at))
                Referral.objects.bulk_create(referrals)
                people = []
                for referral in referrals:
                    for _ in range(rng.randint(2, 4)):
                        people.append(
                            ReferralPerson(
                                referral=referral,
                                name=_name(rng),
                                side=rng.choice(PersonSide.values),
                                contact=f"{rng.randint(100, 999)}@example.org"
                                if rng.random() < 0.4
                                else "",
                            )
                        )
                ReferralPerson.objects.bulk_create(people)

                cases, timelines = [], []
                for referral, (kind, coordinator, team_id, at) in zip(
                    referrals, shapes, strict=True
                ):
                    team = self.by_team[team_id]
                    if coordinator is None and kind in ("offered", "assigned", "stopped"):
                        coordinator = rng.choice(team["coordinators"])
                    timeline = self._timeline(kind, coordinator, team, at, rng)
                    state = timeline[-1]["state"]
                    reason = timeline[-1]["data"].get("reason", "")
                    case = Case(
                        referral=referral,
                        state=state,
                        state_changed_at=timeline[-1]["state_at"],
                        created_at=timeline[0]["at"],
                        team_id=None if kind == "requested" else team_id,
                        coordinator=coordinator
                        if state in (State.ASSIGNED, State.STOPPED)
                        else None,
                        decline_reason=reason if state == State.DECLINED else "",
                        stop_reason=reason if state == State.STOPPED else "",
                    )
                    cases.append(case)
                    timelines.append((kind, timeline))
                Case.objects.bulk_create(cases)

                events, audits, assignments = [], [], []
                for case, (kind, timeline) in zip(cases, timelines, strict=True):
                    if kind == "measured":
                        measured_pk = case.pk
                    for step in timeline:
                        actor = step["actor"]
                        events.append(
                            CaseEvent(
                                case=case,
                                at=step["at"],
                                kind=step["kind"],
                                actor=actor,
                                from_state=step["from_state"],
                                to_state=step["to_state"],
                                data=step["data"],
                            )
                        )
                        audits.append(
                            AuditEvent(
                                at=step["at"],
                                actor=actor,
                                actor_role=actor.role if actor else "",
                                team_id=case.team_id,
                                case=case,
                                action=step["kind"],
                                object_type="cases.case",
                                object_id=str(case.pk),
                                ip="192.0.2.10" if actor else None,
                            )
                        )
                        if step.get("assignment"):
                            assignments.append(Assignment(case=case, **step["assignment"]))
                CaseEvent.objects.bulk_create(events)
                AuditEvent.objects.bulk_create(audits)
                Assignment.objects.bulk_create(assignments)
            progress.update(len(chunk))

        return {"measured_case": measured_pk}

    def _timeline(self, kind, coordinator, team, at, rng) -> list[dict]:
        """The events (and assignments) the actions would have written for a case of `kind`."""
        from kring.cases.lifecycle import State
        from kring.cases.models import Assignment, DeclineReason, HandBackReason, StopReason

        office, manager = team["office"], team["manager"]
        latest = self.now - timedelta(minutes=1)
        steps: list[dict] = []
        clock = [at]

        def step(kind_, actor, from_state="", to_state="", **data) -> dict:
            clock[0] = min(clock[0] + timedelta(hours=rng.uniform(1, 72)), latest)
            previous = steps[-1] if steps else {"state": State.REQUESTED, "state_at": at}
            steps.append(
                {
                    "kind": kind_,
                    "actor": actor,
                    "at": clock[0],
                    "from_state": from_state,
                    "to_state": to_state,
                    "data": data,
                    "assignment": None,
                    "state": to_state or previous["state"],
                    "state_at": clock[0] if to_state else previous["state_at"],
                }
            )
            return steps[-1]

        def offer(coord, status) -> dict:
            event = step("case.offered", office, coordinator=coord.pk)
            event["assignment"] = {
                "coordinator": coord,
                "offered_by": office,
                "offered_at": event["at"],
                "status": status,
            }
            return event["assignment"]

        step("case.requested", None, to_state=State.REQUESTED)
        if kind == "requested":
            return steps
        if kind == "declined":
            reason = rng.choice(DeclineReason.values)
            step("case.declined", office, State.REQUESTED, State.DECLINED, reason=reason)
            return steps
        step("case.taken_on", office, State.REQUESTED, State.REFERRED)
        if kind == "referred":
            return steps
        if kind == "offered":
            offer(coordinator, Assignment.Status.OFFERED)
            return steps
        if kind == "measured":
            # Offered to two colleagues first: one handed it back (a tie), one offer withdrawn.
            first_coord, second_coord = team["coordinators"][:2]
            first = offer(first_coord, Assignment.Status.HANDED_BACK)
            back = step("case.handed_back", first_coord, reason=HandBackReason.TIE.value)
            first.update(responded_at=back["at"], ended_at=back["at"], hand_back_reason="tie")
            second = offer(second_coord, Assignment.Status.WITHDRAWN)
            withdrawn = step("case.offer_withdrawn", office, coordinator=second_coord.pk)
            second["ended_at"] = withdrawn["at"]
        assignment = offer(coordinator, Assignment.Status.ACCEPTED)
        accepted = step("case.assigned", coordinator, State.REFERRED, State.ASSIGNED)
        assignment.update(responded_at=accepted["at"], declared_independent_at=accepted["at"])
        if kind == "stopped":
            reason = rng.choice(StopReason.values)
            actor = coordinator if rng.random() < 0.8 else manager
            stopped = step("case.stopped", actor, State.ASSIGNED, State.STOPPED, reason=reason)
            assignment.update(status=Assignment.Status.ENDED, ended_at=stopped["at"])
        assert kind != "measured" or len(steps) == MEASURED_EVENTS
        return steps


def signed_in_session(user) -> str:
    """A session as the login pages leave it: signed in, second factor passed, clocks started."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from kring.accounts import sessions

    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, required=True)
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--out", required=True, help="write the facts run.py needs here (JSON)")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.urls import reverse
    from tqdm import tqdm

    from kring.cases.models import Case

    if Case.objects.exists():
        print(
            "generate: the database is not empty; run.py starts from a fresh one", file=sys.stderr
        )
        return 1
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # Loading only: the benchmark's server uses Kring's own PRAGMAs.
            cursor.execute("PRAGMA synchronous=OFF")

    began = time.monotonic()
    gen = Generator(args.cases, seed=args.seed)
    n_coordinators, n_teams = gen.staff()
    with tqdm(total=args.cases, unit="case", desc=f"generate {args.cases:,}", leave=False) as bar:
        facts = gen.cases(bar)
    analyze()
    measured = Case.objects.select_related("referral").get(pk=facts["measured_case"])
    facts.update(
        measured_reference=measured.reference,
        paths={
            "bare": reverse("bench-bare"),
            "my_cases": reverse("cases:my_cases"),
            "case": reverse("cases:detail", args=[measured.pk]),
            "request_form": reverse("referrals:new"),
        },
        cases=Case.objects.count(),
        teams=n_teams,
        coordinators=n_coordinators + 1,
        carla=gen.carla.pk,
        carla_cases=Case.objects.filter(coordinator=gen.carla).count(),
        session_cookie=settings.SESSION_COOKIE_NAME,
        session_key=signed_in_session(gen.carla),
        seconds=round(time.monotonic() - began, 1),
    )
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(facts, fh)
    return 0


if __name__ == "__main__":
    sys.exit(main())
