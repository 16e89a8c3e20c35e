"""`kring load_demo`: the demo team, its people, and cases at every state that exists so far.

Every request is sent through referrals.actions.submit_referral, every move is made by the
actions in kring.cases.actions and every step of a preparation by those in kring.circle.actions,
so that the timeline, the audit log and the outbox look exactly as after real use. Loading twice
changes nothing: each demo request has a fixed requester address (demo-N@example.org) and is
skipped when it exists; a preparation is played only on a case in "preparing" whose circle is
empty; users are found by username. Runs only with KRING_DEMO_MODE on, because every demo
account has the same published password.
"""

import calendar
import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from kring.accounts.models import Role, Team, TeamArea, User
from kring.accounts.password_change import require_new_password
from kring.audit import chain
from kring.audit.actors import SYSTEM, Actor
from kring.audit.labels import ACCESS_REFUSED
from kring.audit.log import record
from kring.audit.models import AuditEvent
from kring.audit.refusals import record_refused_access
from kring.cases import actions
from kring.cases.lifecycle import State
from kring.cases.models import Assignment, Case, DeclineReason, HandBackReason, StopReason
from kring.circle import actions as circle_actions
from kring.circle import links
from kring.circle.models import (
    Answer,
    Invitation,
    Mode,
    Participant,
    PersonalLink,
    RiskFlag,
    Side,
)
from kring.privacy import rights
from kring.referrals.actions import submit_referral
from kring.referrals.models import PeopleInformed, PersonSide, Referral, RequesterRelation
from kring.research import importing
from kring.research.models import ConferenceRecord, Source
from kring.scheduling.models import Venue

PASSWORD = "kring-demo"  # noqa: S105 (published in the README: demo only)
# Greet Bos's letter code, published in the README so that a reviewer can try the short address
# (issue 8, point 4). A real code is random and exists only on the printed letter.
DEMO_LETTER_CODE = "DEMO-CODE-2026"  # read as DEM0-C0DE-2026: Crockford reads O as zero
DEMO_LETTER_NAME = "Greet Bos"
# Fatima El Amrani's code (issue 11): her page in the held case offers to sign the plan remotely;
# the one-time code she asks for there is printed in the terminal with the demo's other e-mail.
DEMO_SIGN_CODE = "DEMO-SIGN-2026"  # read as DEM0-S1GN-2026
DEMO_SIGN_NAME = "Fatima El Amrani"
# Anouk Smit's code (issue 12): her page shows the agreements of the signed plan, and her report
# that the fireworks agreement is not kept, waiting for Carla's answer.
DEMO_FOLLOWUP_CODE = "DEMO-ZORG-2026"  # read as DEM0-Z0RG-2026
DEMO_FOLLOWUP_NAME = "Anouk Smit"
# The two teams' conferences from before Kring (issue 13, point 3), imported as
# `kring import-history` would, over three and a half years up to last month (history_today):
# the file, a sample of the import's format, keeps its own days.
HISTORY = Path(__file__).resolve().parents[2] / "data" / "history.csv"

# username, first name, last name, role, team
USERS = [
    ("carla", "Carla", "de Boer", Role.COORDINATOR, "Team Utrecht"),
    ("olaf", "Olaf", "Visser", Role.COORDINATOR, "Team Utrecht"),
    ("bram", "Bram", "Smit", Role.OFFICE, "Team Utrecht"),
    ("mira", "Mira", "Bakker", Role.MANAGER, "Team Utrecht"),
    ("noor", "Noor", "Hendriks", Role.COORDINATOR, "Team Zwolle"),
    ("wim", "Wim", "Hoekstra", Role.OFFICE, "Team Zwolle"),
    ("vera", "Vera", "Dekker", Role.MANAGER, "Team Zwolle"),
    ("sem", "Sem", "Jansen", Role.OFFICE, "Team Zwolle"),
    ("ruud", "Ruud", "Mulder", Role.RESEARCHER, None),
    ("admin", "Ada", "Jacobs", Role.ADMINISTRATOR, None),
]

# New in the team: the administrator requires a new password at their next sign-in (issue 14,
# point 4), again each time loading the demo puts back the demo password.
NEW_PASSWORD_REQUIRED = {"sem"}

# The coordinators' work contact details, which participants see on their page, in their
# e-mails and letters (issue 8, point 3; accounts.contact). Invented numbers and addresses.
WORK_CONTACT = {
    "carla": ("06 12 34 56 78", "carla@herstel.example.org"),
    "olaf": ("030 123 45 70", "olaf@herstel.example.org"),
    "noor": ("038 123 45 67", "noor@herstel.example.org"),
}

# Where each team works (issue 8, point 7): a request from there goes to the team's inbox; a
# request from anywhere else, or without a place, to the central inbox ("Zonder team").
AREAS = {
    "Team Utrecht": [("Utrecht", 3500, 3585), ("Nieuwegein", 3430, 3439)],
    "Team Zwolle": [("Zwolle", 8000, 8049), ("Kampen", 8260, 8269)],
}


@dataclass
class DemoRequest:
    """One invented request and what happens to it (`story`, a list of steps)."""

    number: int
    requester: str
    relation: str
    description: str
    people: list[tuple[str, str]]
    story: list[tuple] = field(default_factory=list)
    organisation: str = ""
    # The preparation played after the story (a method of Command: circle_<name>).
    circle: str = ""
    # "Plaats of postcode" on the form: it decides the team's inbox (empty: the central one).
    place: str = ""

    @property
    def email(self) -> str:
        return f"demo-{self.number}@example.org"


# The note with a decline, to the requester (issue 8, point 7).
DEMO_DECLINE_NOTE = (
    "Wij werken niet in Maastricht. Buurtbemiddeling van de gemeente Maastricht helpt bij "
    "burenruzies; je kunt hen zelf bellen."
)

# Steps: ("take_on", office), ("offer", to, by), ("accept", coordinator),
# ("hand_back", coordinator, reason), ("decline", by, reason[, note]), ("stop", by, reason),
# ("start_preparation", coordinator).
# Invented people and places; any likeness is chance.
REQUESTS = [
    # The office inbox: new requests, not yet taken on.
    DemoRequest(
        1,
        "Henk Verbeek",
        RequesterRelation.HARMED,
        "Twee jongens hebben de voorgevel van ons huis beklad met graffiti. Ik weet wie het "
        "zijn; hun ouders willen graag met ons praten.",
        [
            ("Henk Verbeek", PersonSide.HARMED),
            ("Jesse", PersonSide.RESPONSIBLE),
            ("Milan", PersonSide.RESPONSIBLE),
        ],
        place="Utrecht",
    ),
    DemoRequest(
        2,
        "Meester Dijkstra",
        RequesterRelation.SCHOOL,
        "Op het schoolplein is een vechtpartij geweest tussen twee leerlingen uit groep 8. "
        "Eén leerling had een bloedneus. De ouders zijn erg geschrokken.",
        [
            ("Sem", PersonSide.RESPONSIBLE),
            ("Luuk", PersonSide.HARMED),
            ("moeder van Luuk", PersonSide.SUPPORTER),
        ],
        organisation="Basisschool De Regenboog",
        place="3581 KP",
    ),
    DemoRequest(
        3,
        "Fatima El Amrani",
        RequesterRelation.RELATIVE,
        "Mijn zoon heeft de telefoon van een klasgenoot gestolen en verkocht. Hij heeft er "
        "spijt van en wil het goedmaken.",
        [("Yassin", PersonSide.RESPONSIBLE), ("Tim", PersonSide.HARMED)],
    ),
    DemoRequest(
        4,
        "Wijkagent Post",
        RequesterRelation.POLICE,
        "Een bewoner heeft de brievenbus van de buren vernield na een ruzie over "
        "geluidsoverlast. Beide partijen staan open voor een gesprek.",
        [("Gerard", PersonSide.RESPONSIBLE), ("familie Yilmaz", PersonSide.HARMED)],
        organisation="Politie Utrecht",
        place="Nieuwegein",
    ),
    # Taken on by the office, not yet offered to a coordinator.
    DemoRequest(
        5,
        "Ans Koster",
        RequesterRelation.PROFESSIONAL,
        "Bij de voetbalclub is een jeugdspeler na de wedstrijd door een teamgenoot in elkaar "
        "geslagen. De club zoekt een manier om het samen op te lossen.",
        [
            ("Daan", PersonSide.RESPONSIBLE),
            ("Noah", PersonSide.HARMED),
            ("trainer Kees", PersonSide.OTHER),
        ],
        story=[("take_on", "bram")],
        organisation="VV Oranje Wit",
    ),
    # Referred: offered to carla, waiting for her answer.
    DemoRequest(
        6,
        "Petra de Vries",
        RequesterRelation.RELATIVE,
        "Daan heeft de fiets van Sanne vernield, vlak voor de zomervakantie. Sanne kon "
        "daardoor niet meer naar haar bijbaan.",
        [
            ("Daan", PersonSide.RESPONSIBLE),
            ("Sanne", PersonSide.HARMED),
            ("Petra de Vries", PersonSide.SUPPORTER),
        ],
        story=[("take_on", "bram"), ("offer", "carla", "bram")],
    ),
    # Assigned to carla, who accepted with her declaration of independence (R2).
    DemoRequest(
        7,
        "Joost van Dam",
        RequesterRelation.HARMED,
        "Iemand uit de straat heeft met een steen de ruit van mijn werkplaats ingegooid. We "
        "kennen elkaar al jaren; ik wil weten waarom.",
        [("Joost van Dam", PersonSide.HARMED), ("Ruben", PersonSide.RESPONSIBLE)],
        story=[("take_on", "bram"), ("offer", "carla", "bram"), ("accept", "carla")],
    ),
    DemoRequest(
        8,
        "Lotte Peters",
        RequesterRelation.RESPONSIBLE,
        "Ik heb op een verjaardag in een ruzie mijn zwager geslagen. Ik wil het uitpraten en "
        "het goedmaken met hem en mijn zus.",
        [
            ("Lotte Peters", PersonSide.RESPONSIBLE),
            ("Erik", PersonSide.HARMED),
            ("Marieke", PersonSide.SUPPORTER),
        ],
        story=[("take_on", "bram"), ("offer", "carla", "bram"), ("accept", "carla")],
    ),
    # Reassigned: olaf had it, mira (manager) gave it to carla, carla accepted.
    DemoRequest(
        9,
        "Karin Smeets",
        RequesterRelation.PROFESSIONAL,
        "In de buurtsupermarkt heeft een jongere een medewerker bedreigd en uitgescholden. "
        "De medewerker durft sindsdien niet meer alleen te sluiten.",
        [("Bilal", PersonSide.RESPONSIBLE), ("Ingrid", PersonSide.HARMED)],
        story=[
            ("take_on", "bram"),
            ("offer", "olaf", "bram"),
            ("accept", "olaf"),
            ("offer", "carla", "mira"),
            ("accept", "carla"),
        ],
        organisation="Buurtteam Overvecht",
    ),
    # Handed back by carla (a tie, R2), now offered to olaf.
    DemoRequest(
        10,
        "Hans Wouters",
        RequesterRelation.HARMED,
        "Mijn schuur is in brand gestoken door jongeren uit de buurt. Eén van hen is de zoon "
        "van een kennis.",
        [("Hans Wouters", PersonSide.HARMED), ("Stijn", PersonSide.RESPONSIBLE)],
        story=[
            ("take_on", "bram"),
            ("offer", "carla", "bram"),
            ("hand_back", "carla", HandBackReason.TIE),
            ("offer", "olaf", "bram"),
        ],
    ),
    # Preparing, well under way: the circle of both sides, an acknowledgment, conversations,
    # invitations (one by letter), answers, consent, a pending nomination, a resolved risk.
    DemoRequest(
        13,
        "Mevrouw Bos",
        RequesterRelation.HARMED,
        "Een buurjongen heeft mijn kat met een luchtbuks verwond. Zijn ouders schamen zich en "
        "willen dat hij het goedmaakt.",
        [("mevrouw Bos", PersonSide.HARMED), ("Kevin", PersonSide.RESPONSIBLE)],
        story=[
            ("take_on", "bram"),
            ("offer", "carla", "bram"),
            ("accept", "carla"),
            ("start_preparation", "carla"),
        ],
        circle="bos",
    ),
    # Preparing, just started: the person responsible has not acknowledged yet, so no one
    # on the harmed side can be invited (R4).
    DemoRequest(
        14,
        "Anton Kok",
        RequesterRelation.PROFESSIONAL,
        "Een jongen heeft na de training de scooter van een medewerker van de sporthal "
        "omgegooid en beschadigd. Hij zegt dat het een ongeluk was.",
        [
            ("Thijs", PersonSide.RESPONSIBLE),
            ("Yvonne", PersonSide.HARMED),
            # Offered on the circle page, not added yet (issue 8, point 8).
            ("Johan Smit, trainer", PersonSide.OTHER),
            ("vader van Thijs", PersonSide.UNKNOWN),
        ],
        story=[
            ("take_on", "bram"),
            ("offer", "carla", "bram"),
            ("accept", "carla"),
            ("start_preparation", "carla"),
        ],
        organisation="Sporthal De Brug",
        circle="meijer",
    ),
    # Scheduled (issue 9, point 9): everyone prepared, the date poll filled in, a date
    # confirmed at Buurthuis De Linde, the venue and carla booked, the invitations sent (Bert
    # Visser has no e-mail: his letter waits on the case page), the reminders planned.
    DemoRequest(
        16,
        "Ingrid Visser",
        RequesterRelation.HARMED,
        "Twee weken geleden heeft een jongen uit de buurt onze schutting vol graffiti gespoten. "
        "Ik wil weten waarom, en dat hij helpt het schoon te maken.",
        [("Ingrid Visser", PersonSide.HARMED), ("Lars", PersonSide.RESPONSIBLE)],
        story=[
            ("take_on", "bram"),
            ("offer", "carla", "bram"),
            ("accept", "carla"),
            ("start_preparation", "carla"),
        ],
        circle="visser",
    ),
    # The conference held (issue 10, point 9): six days ago at Wijkcentrum De Pijler, Noah,
    # his father, Fatima, her sister and Noah's teacher were there, Noah's sister Mila did not
    # come; the rounds were done in order and the plan was made and finalised (version 1),
    # then the informal part. It waits for the signatures (the next stage).
    DemoRequest(
        17,
        "Fatima El Amrani",
        RequesterRelation.HARMED,
        "Een jongen van de school naast ons huis heeft mijn scooter omgegooid en de spiegels "
        "kapotgetrapt. Hij heeft het toegegeven. Ik wil dat hij weet wat dit voor mij betekent.",
        [("Fatima El Amrani", PersonSide.HARMED), ("Noah", PersonSide.RESPONSIBLE)],
        story=[
            ("take_on", "bram"),
            ("offer", "carla", "bram"),
            ("accept", "carla"),
            ("start_preparation", "carla"),
        ],
        circle="held",
    ),
    # A conference that did not go on (issue 10, point 6): the date was yesterday at Buurthuis
    # De Linde; Tim, who is responsible, did not come. Carla recorded it, the booking was
    # released without a cancellation e-mail, and the case is back in preparation for a new date.
    DemoRequest(
        18,
        "Els Bakker",
        RequesterRelation.HARMED,
        "Een jongen uit de straat heeft met stenen de ruiten van onze moestuinkas ingegooid. "
        "Zijn moeder heeft het ons verteld. We willen graag met hem praten.",
        [("Els Bakker", PersonSide.HARMED), ("Tim", PersonSide.RESPONSIBLE)],
        story=[
            ("take_on", "bram"),
            ("offer", "carla", "bram"),
            ("accept", "carla"),
            ("start_preparation", "carla"),
        ],
        circle="not_held",
    ),
    # A signed plan (issue 11, point 7): the conference was held twelve days ago at Wijkcentrum
    # De Pijler; Bas, his mother, Anouk and her father Jan signed the final plan, three of them
    # on Carla's tablet and Bas's mother later from home: the case is in follow-up and the task
    # queue makes the sealed PDF; Jan has no e-mail address, so Carla prints his copy.
    DemoRequest(
        19,
        "Anouk Smit",
        RequesterRelation.HARMED,
        "Op oudejaarsavond heeft een jongen uit de buurt vuurwerk in onze brievenbus gestopt. De "
        "deur is beschadigd en mijn vader schrok erg. Ik wil dat hij hoort wat het met ons deed.",
        [("Anouk Smit", PersonSide.HARMED), ("Bas", PersonSide.RESPONSIBLE)],
        story=[
            ("take_on", "bram"),
            ("offer", "carla", "bram"),
            ("accept", "carla"),
            ("start_preparation", "carla"),
        ],
        circle="signed",
    ),
    # Closed after follow-up (issue 12, point 7): the conference was held two months ago at
    # Buurthuis De Linde; every agreement was kept (one reported done by Mees on his own page
    # and confirmed by Carla), Carla had the follow-up contact, and she closed the case with
    # the outcome "all agreements kept" and a note; it is kept until its retention date.
    DemoRequest(
        20,
        "Hasan Demir",
        RequesterRelation.HARMED,
        "Een jongen uit de wijk heeft een stoeptegel door de ruit van mijn snackbar gegooid. Ik "
        "wil hem spreken, en dat hij helpt het goed te maken.",
        [("Hasan Demir", PersonSide.HARMED), ("Mees", PersonSide.RESPONSIBLE)],
        story=[
            ("take_on", "bram"),
            ("offer", "carla", "bram"),
            ("accept", "carla"),
            ("start_preparation", "carla"),
        ],
        circle="closed",
    ),
    # Declined by the office.
    DemoRequest(
        11,
        "Wim de Graaf",
        RequesterRelation.OTHER,
        "Mijn buurman in Maastricht parkeert steeds voor mijn uitrit. Kunnen jullie bemiddelen?",
        [("buurman", PersonSide.UNKNOWN)],
        story=[("decline", "bram", DeclineReason.OUTSIDE_AREA, DEMO_DECLINE_NOTE)],
        place="Maastricht",
    ),
    # From Zwolle: in the inbox of Team Zwolle (wim, vera); bram and mira never see it.
    DemoRequest(
        15,
        "Jeroen Brink",
        RequesterRelation.HARMED,
        "Iemand uit mijn straat heeft mijn schuur in brand gestoken. De politie weet wie het "
        "was. Ik wil hem spreken en weten waarom.",
        [("Jeroen Brink", PersonSide.HARMED), ("Rick", PersonSide.RESPONSIBLE)],
        place="8011 AB Zwolle",
    ),
    # Stopped by carla: no one responsible acknowledged their part (R3).
    DemoRequest(
        12,
        "Sandra Vos",
        RequesterRelation.HARMED,
        "Een oud-collega verspreidt roddels over mij op sociale media. Ik wil dat het stopt "
        "en dat hij begrijpt wat het met mij doet.",
        [("Sandra Vos", PersonSide.HARMED), ("Marco", PersonSide.RESPONSIBLE)],
        story=[
            ("take_on", "bram"),
            ("offer", "carla", "bram"),
            ("accept", "carla"),
            ("stop", "carla", StopReason.NO_ACKNOWLEDGMENT),
        ],
    ),
]

# Declined eight months ago and erased by retention (issue 14, point 7; Command.retention).
RETENTION_REQUEST = DemoRequest(
    21,
    "Ingrid Vos",
    RequesterRelation.HARMED,
    "Mijn fiets is gestolen bij het station. Ik weet niet wie het was.",
    [("Ingrid Vos", PersonSide.HARMED)],
    story=[("take_on", "bram"), ("decline", "bram", DeclineReason.NO_HARM)],
)


# The venues of the teams (issue 9, point 1): team, name, details. "Oud buurthuis Zuilen" is out of use:
# it shows apart on the venue list and is never offered for a date.
VENUES = [
    (
        "Team Utrecht",
        "Buurthuis De Linde",
        {
            "address": "Lindeplein 1\n3511 AA Utrecht",
            "capacity": 14,
            "step_free": True,
            "hearing_loop": True,
            "quiet_room": True,
            "public_transport": True,
            "route": "Bus 8 tot halte Lindeplein. De ingang is om de hoek, naast de bakker.",
            "notes": "Sleutel bij de beheerder, Henk: balie op de begane grond.",
        },
    ),
    (
        "Team Utrecht",
        "Wijkcentrum De Pijler",
        {
            "address": "Pijlerstraat 1\n3512 AB Utrecht",
            "capacity": 8,
            "parking": True,
            "route": "Gratis parkeren achter het gebouw. Zaal 2 is op de eerste verdieping.",
        },
    ),
    (
        "Team Utrecht",
        "Oud buurthuis Zuilen",
        {
            "address": "Amsterdamsestraatweg 500\n3553 EK Utrecht",
            "capacity": 20,
            "retired_at": datetime(2026, 1, 1, 9, 0, tzinfo=UTC),
        },
    ),
    (
        "Team Zwolle",
        "Wijkhuis Assendorp",
        {
            "address": "Assendorperstraat 10\n8012 DH Zwolle",
            "capacity": 12,
            "step_free": True,
            "public_transport": True,
        },
    ),
]


def _days_ago(days: int):
    return timezone.now() - timedelta(days=days)


def _history_rows() -> list[dict[str, str]]:
    with HISTORY.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def _months_later(day: date, months: int) -> date:
    """`day` moved by whole months; a day the month lacks becomes its last (31 → 30)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def history_today(today: date) -> bytes:
    """The demo's history file with every `held_on` moved by the same whole number of months,
    so that the newest conference falls in the month before `today`'s: the history ends just
    before the live conferences (held on the day the demo is loaded), and the figures of the
    last twelve months count both, whenever the demo is loaded. Everything else as in the
    file."""
    rows = _history_rows()
    newest = max(date.fromisoformat(row["held_on"]) for row in rows)
    months = (today.year * 12 + today.month - 1) - (newest.year * 12 + newest.month)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        held_on = _months_later(date.fromisoformat(row["held_on"]), months)
        writer.writerow({**row, "held_on": held_on.isoformat()})
    return out.getvalue().encode("utf-8")


class Command(BaseCommand):
    help = "Load the demo data (teams, users, requests and cases); safe to run twice."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError(
                "load_demo runs only with KRING_DEMO_MODE on: every demo account has the "
                "published password."
            )
        users = self.load_users()
        self.import_history()
        self.load_areas()
        self.load_venues()
        made = 0
        for request in REQUESTS:
            if not Referral.objects.filter(requester_email=request.email).exists():
                with transaction.atomic():
                    self.play(request, users)
                made += 1
            if request.circle:
                self.prepare(request, users)
        self.reachable(users["carla"])
        self.reads_and_refusals(users)
        self.poll_bos(users["carla"])
        self.followup_smit(users["carla"])
        self.follow_up_meeting_smit(users["carla"])
        self.questionnaires_smit()
        self.erasure_request_smit(users["bram"])
        self.retention(users)
        # The audit log's chain walked once, so the managers' access log says it is complete;
        # the worker walks it again every hour (audit.tasks).
        chain.check(full=True)
        self.stdout.write(
            f"Demo data: {len(users)} users, {made} new requests "
            f"({len(REQUESTS) - made} already there)."
        )
        if self.plant_code(DEMO_LETTER_NAME, DEMO_LETTER_CODE):
            self.stdout.write(
                f"Letter code of {DEMO_LETTER_NAME}: {DEMO_LETTER_CODE} at {links.code_url()}"
            )
        if self.plant_code(DEMO_SIGN_NAME, DEMO_SIGN_CODE):
            self.stdout.write(
                f"Code of {DEMO_SIGN_NAME} (signs remotely): {DEMO_SIGN_CODE} at {links.code_url()}"
            )
        if self.plant_code(DEMO_FOLLOWUP_NAME, DEMO_FOLLOWUP_CODE):
            self.stdout.write(
                f"Code of {DEMO_FOLLOWUP_NAME} (agreements): {DEMO_FOLLOWUP_CODE} at "
                f"{links.code_url()}"
            )

    def plant_code(self, name: str, code: str) -> bool:
        """Give `name`'s live personal link the published demo `code` (every run: a link the
        demo re-issued gets it too), taking it from any other link. False when there is no live
        link: for Greet Bos's letter, and for Fatima El Amrani signing remotely (issue 11)."""
        link = (
            PersonalLink.objects.filter(
                participant__name=name,
                revoked_at__isnull=True,
                expires_at__gt=timezone.now(),
            )
            .order_by("-issued_at")
            .first()
        )
        if link is None:
            return False
        hashed = links.code_hash(links.normalise(code) or "")
        PersonalLink.objects.filter(code_hash=hashed).exclude(pk=link.pk).update(code_hash=None)
        PersonalLink.objects.filter(pk=link.pk).update(code_hash=hashed)
        return True

    def import_history(self) -> None:
        """The teams' conferences from before Kring (demo/data/history.csv), through
        research.importing as the system, as `kring import-history` does, with every day moved
        by whole months so that the newest falls in the month before this one (history_today):
        the figures of the last twelve months have something to show in any year. Once: when
        any of the file's conferences is there (its reference), nothing is imported, also in a
        later month, whose moved days would differ from those imported (a fault of the import:
        "already imported with other values")."""
        refs = {row["conference_ref"] for row in _history_rows()}
        if ConferenceRecord.objects.filter(source=Source.IMPORTED, import_ref__in=refs).exists():
            return
        data = history_today(timezone.localdate())
        result = importing.read(data, by=SYSTEM)
        if not result.ok:
            raise CommandError(f"{HISTORY.name}: {result.fault_count} faults")
        done = importing.run(result, by=SYSTEM)
        self.stdout.write(
            f"History: {done.conferences_added} conferences with {done.answers_added} answers "
            "from before Kring."
        )

    def reads_and_refusals(self, users: dict[str, User]) -> None:
        """What the manager's access log holds besides the timeline (issue 8, point 10): reads
        of the Bos case by carla, mira and a participant on her personal page, and refused
        attempts to open it by olaf and by noor of Team Zwolle. Once: skipped when olaf's
        attempt is there."""
        case = Case.objects.filter(referral__requester_email="demo-13@example.org").first()
        if case is None or case.state != State.PREPARING:
            return
        olaf = users["olaf"]
        if AuditEvent.objects.filter(action=ACCESS_REFUSED, actor=olaf, case=case).exists():
            return
        record("case.viewed", actor=users["carla"], case=case, obj=case)
        record("circle.viewed", actor=users["carla"], case=case, obj=case)
        record("case.viewed", actor=users["mira"], case=case, obj=case)
        greet = case.participants.filter(name="Greet Bos").first()
        if greet is not None:
            record("portal.viewed", actor=Actor.in_portal(greet), case=case, obj=greet)
        record_refused_access(olaf, case)
        record_refused_access(users["noor"], case)

    def load_venues(self) -> None:
        """The rooms of each team (issue 9, point 1): found by team and name, so loading again
        changes nothing; one of Team Utrecht's is out of use."""
        for team_name, name, details in VENUES:
            team = Team.objects.get_or_create(name=team_name)[0]
            Venue.objects.get_or_create(team=team, name=name, defaults=dict(details))

    def load_areas(self) -> None:
        for team_name, areas in AREAS.items():
            team = Team.objects.get_or_create(name=team_name)[0]
            for municipality, first, last in areas:
                TeamArea.objects.get_or_create(
                    team=team,
                    municipality=municipality,
                    defaults={"postcode_from": first, "postcode_to": last},
                )

    def load_users(self) -> dict[str, User]:
        users = {}
        required_by_admin: list[User] = []
        for username, first, last, role, team_name in USERS:
            team = Team.objects.get_or_create(name=team_name)[0] if team_name else None
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@example.org",
                    "role": role,
                    "team": team,
                    "is_staff": role == Role.ADMINISTRATOR,
                    "is_superuser": role == Role.ADMINISTRATOR,
                },
            )
            # The printed password must work, also after someone changed it in the demo.
            if created or not user.check_password(PASSWORD):
                user.set_password(PASSWORD)
                user.save(update_fields=["password"])
                if username in NEW_PASSWORD_REQUIRED:
                    required_by_admin.append(user)
            if username in WORK_CONTACT and not (user.work_phone or user.work_email):
                user.work_phone, user.work_email = WORK_CONTACT[username]
                user.save(update_fields=["work_phone", "work_email"])
            users[username] = user
        require_new_password(required_by_admin, by=users["admin"])
        return users

    def play(self, request: DemoRequest, users: dict[str, User]) -> Case:
        """Send the request as the public form does, then take the steps of its story."""
        referral = submit_referral(
            {
                "requester_name": request.requester,
                "requester_relation": request.relation,
                "requester_organisation": request.organisation,
                "requester_email": request.email,
                "description": request.description,
                "place": request.place,
                "people_informed": PeopleInformed.SOME,
                "privacy_consent": True,
            },
            [{"name": name, "side": side} for name, side in request.people],
            language="nl",
        )
        case = referral.case
        for step, *args in request.story:
            case = self.step(case, step, args, users)
        return case

    def prepare(self, request: DemoRequest, users: dict[str, User]) -> None:
        """Play the preparation of a case in "preparing" whose circle is still empty (so also
        a demo loaded before there were circles gains one, and a second run adds nothing)."""
        case = Referral.objects.get(requester_email=request.email).case
        if case.state != State.PREPARING or case.participants.exists():
            return
        with transaction.atomic():
            getattr(self, f"circle_{request.circle}")(case, users["carla"])

    def circle_bos(self, case: Case, carla: User) -> None:
        """Kevin shot mevrouw Bos's cat with an air rifle. He acknowledged his part; the
        invitations are out; some answered."""

        def add(**data):
            return circle_actions.add_participant(case, by=carla, **data)

        kevin = add(
            name="Kevin de Wit",
            side=Side.RESPONSIBLE,
            relation="buurjongen van mevrouw Bos",
            email="kevin.dewit@example.org",
            phone="06 2345 6789",
        )
        peter = add(
            name="Peter de Wit",
            side=Side.SUPPORTER,
            supports=kevin,
            relation="vader van Kevin",
            email="peter.dewit@example.org",
        )
        greet = add(
            name="Greet Bos",
            side=Side.HARMED,
            relation="buurvrouw van Kevin",
            phone="030 123 4567",
            address="Kastanjelaan 12\n3581 AB Utrecht",
            accessibility_needs="Slechthorend: graag een rustige ruimte.",
            wishes="Mijn zoon Marco mag erbij zijn. Liever niet te veel mensen.",
        )
        marco = add(
            name="Marco Bos",
            side=Side.SUPPORTER,
            supports=greet,
            relation="zoon van mevrouw Bos",
            email="marco.bos@example.org",
        )
        add(
            name="Hanneke Smit",
            side=Side.OTHER,
            relation="wijkagent",
            email="hanneke.smit@example.org",
        )
        # A neighbour who saw it, added and then asked to be erased (issue 14, point 8): the
        # circle shows "Gewiste deelnemer", without name or contact details.
        ed = add(
            name="Ed Kramer",
            side=Side.OTHER,
            relation="buurman, zag het gebeuren",
            email="ed.kramer@example.org",
            phone="06 8765 4321",
        )
        circle_actions.record_conversation(
            ed,
            held_at=_days_ago(10),
            mode=Mode.PHONE,
            notes="Wil er liever buiten blijven en vraagt zijn gegevens te wissen.",
            by=carla,
        )
        rights.erase_participant(ed, by=carla)

        circle_actions.record_conversation(
            kevin,
            held_at=_days_ago(12),
            mode=Mode.IN_PERSON,
            notes="Thuis gesproken, met zijn vader erbij. Schaamt zich en wil het goedmaken.",
            by=carla,
        )
        circle_actions.record_acknowledgment(
            kevin, acknowledges=True, given_at=_days_ago(12), mode=Mode.IN_PERSON, by=carla
        )
        circle_actions.record_conversation(
            peter, held_at=_days_ago(11), mode=Mode.PHONE, notes="Twijfelt of hij kan.", by=carla
        )
        circle_actions.record_conversation(
            greet,
            held_at=_days_ago(9),
            mode=Mode.IN_PERSON,
            notes="Bij haar thuis. Wil Kevin spreken, maar is bang voor zijn vrienden.",
            by=carla,
        )

        circle_actions.invite(kevin, channel=Invitation.Channel.EMAIL, by=carla)
        circle_actions.invite(peter, channel=Invitation.Channel.EMAIL, by=carla)
        # Mevrouw Bos has no e-mail: a printed letter (the coordinator printed it then).
        circle_actions.invite(greet, channel=Invitation.Channel.LETTER, by=carla)
        circle_actions.invite(marco, channel=Invitation.Channel.EMAIL, by=carla)

        circle_actions.respond(kevin, accepts=True, by=Actor.in_portal(kevin))
        circle_actions.respond(peter, accepts=False, mode=Mode.PHONE, by=carla)
        circle_actions.respond(greet, accepts=True, mode=Mode.PHONE, by=carla)
        circle_actions.give_consent(
            greet,
            mode=Mode.PAPER,
            legal_advice=Answer.NO,
            interpreter=Answer.NO,
            support_person=Answer.YES,
            by=carla,
        )
        circle_actions.nominate(
            greet, name="Anja Vermeulen", relation="buurvrouw", via=Mode.PHONE, by=carla
        )

        risk = circle_actions.flag_risk(
            case,
            kind=RiskFlag.Kind.INTIMIDATION,
            level=RiskFlag.Level.HIGH,
            assessment="Vrienden van Kevin hebben mevrouw Bos na het voorval nageroepen.",
            by=carla,
        )
        circle_actions.resolve_risk(
            risk,
            resolution="Kevin heeft zijn vrienden gevraagd op te houden; de wijkagent houdt "
            "een oogje in het zeil. Mevrouw Bos voelt zich weer veilig.",
            by=carla,
        )

    def reachable(self, carla: User) -> None:
        """In the Bos case (issue 8, points 1 and 3): Kevin's mother Sandra stopped taking part
        on her page, and came back after a call with Carla (the timeline shows both; her consent
        is asked again); Kevin asked Carla two questions: one answered on his page, one waiting
        in Carla's task list. Once only."""
        kevin = Participant.objects.filter(name="Kevin de Wit", case__state=State.PREPARING).first()
        if kevin is None or kevin.case.participants.filter(name="Sandra de Wit").exists():
            return
        with transaction.atomic():
            sandra = circle_actions.add_participant(
                kevin.case,
                by=carla,
                name="Sandra de Wit",
                side=Side.SUPPORTER,
                supports=kevin,
                relation="moeder van Kevin",
                email="sandra.dewit@example.org",
            )
            circle_actions.invite(sandra, channel=Invitation.Channel.EMAIL, by=carla)
            sandra.refresh_from_db()
            me = Actor.in_portal(sandra)
            circle_actions.respond(sandra, accepts=True, by=me)
            circle_actions.give_consent(
                sandra,
                legal_advice=Answer.NO,
                interpreter=Answer.NO,
                support_person=Answer.NO,
                by=me,
            )
            circle_actions.withdraw(sandra, by=me)
            circle_actions.record_return(
                sandra, returned_at=timezone.now(), mode=Mode.PHONE, by=carla
            )
            for notice in kevin.case.notices.filter(handled_at__isnull=True):
                circle_actions.handle_notice(notice, by=carla)
            kevin_acts = Actor.in_portal(kevin)
            answered = circle_actions.ask_question(
                kevin, text="Mag mijn moeder ook mee naar de conferentie?", by=kevin_acts
            )
            circle_actions.answer_question(
                answered,
                answer="Ja, dat mag. Ik nodig haar uit; zij krijgt een eigen e-mail van mij.",
                by=carla,
            )
            circle_actions.ask_question(
                kevin,
                text="Kan de conferentie op een zaterdag? Doordeweeks moet ik naar school.",
                by=kevin_acts,
            )

    def prepare_everyone(
        self,
        everyone: tuple[Participant, ...],
        *,
        responsible: Participant,
        notes: str,
        acknowledged: int,
        spoken: int,
        carla: User,
    ) -> None:
        """Everyone prepared and said yes (R3-R7): carla spoke with the person responsible in
        person (`notes`) and he acknowledged his part, `acknowledged` days ago; she phoned each
        of the others `spoken` days ago; each was invited (by e-mail, by letter without an
        address), said yes and gave consent by telephone."""
        circle_actions.record_conversation(
            responsible,
            held_at=_days_ago(acknowledged),
            mode=Mode.IN_PERSON,
            notes=notes,
            by=carla,
        )
        circle_actions.record_acknowledgment(
            responsible,
            acknowledges=True,
            given_at=_days_ago(acknowledged),
            mode=Mode.IN_PERSON,
            by=carla,
        )
        for person in everyone:
            if person is not responsible:
                circle_actions.record_conversation(
                    person, held_at=_days_ago(spoken), mode=Mode.PHONE, notes="", by=carla
                )
            channel = Invitation.Channel.EMAIL if person.email else Invitation.Channel.LETTER
            circle_actions.invite(person, channel=channel, by=carla)
            circle_actions.respond(person, accepts=True, mode=Mode.PHONE, by=carla)
            circle_actions.give_consent(
                person,
                mode=Mode.PHONE,
                legal_advice=Answer.NO,
                interpreter=Answer.NO,
                support_person=Answer.NO,
                by=carla,
            )

    def meeting_passed(
        self, case: Case, venue: str, *, ahead: int, ago: int, ends: time, carla: User
    ) -> None:
        """carla confirms a date `ahead` days from now at `venue`, from 19:00 to `ends`; then
        time passes, as the demo cannot wait: the meeting (and its bookings) moved to `ago` days
        ago, its reminders cancelled as they would have been sent."""
        from kring.scheduling import actions as meeting_actions  # noqa: PLC0415
        from kring.scheduling import poll, reminders  # noqa: PLC0415
        from kring.scheduling.models import Booking, Meeting  # noqa: PLC0415

        meeting = poll.open_poll(case, by=carla)
        later = timezone.localdate() + timedelta(days=ahead)
        option = poll.add_option(
            meeting,
            starts_at=poll.local(later, time(19, 0)),
            ends_at=poll.local(later, ends),
            venue=Venue.objects.get(team=case.team, name=venue),
            by=carla,
        )
        meeting_actions.confirm(meeting, option, by=carla)
        reminders.cancel(meeting)
        day = timezone.localdate() - timedelta(days=ago)
        starts, until = poll.local(day, time(19, 0)), poll.local(day, ends)
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=starts, ends_at=until)
        Booking.objects.filter(meeting=meeting).update(starts_at=starts, ends_at=until)
        case.refresh_from_db()

    def circle_visser(self, case: Case, carla: User) -> None:
        """Lars sprayed graffiti on the Vissers' fence (issue 9, point 9). Everyone is prepared
        and said yes; the date poll is answered (Bert by telephone) and carla confirmed the best
        date: the case is scheduled, the invitations are out, the reminders planned."""
        from kring.scheduling import actions as meeting_actions  # noqa: PLC0415
        from kring.scheduling import poll  # noqa: PLC0415

        def add(**data):
            return circle_actions.add_participant(case, by=carla, **data)

        lars = add(
            name="Lars Hendriks",
            side=Side.RESPONSIBLE,
            relation="buurjongen",
            email="lars.hendriks@example.org",
        )
        mother = add(
            name="Petra Hendriks",
            side=Side.SUPPORTER,
            supports=lars,
            relation="moeder van Lars",
            email="petra.hendriks@example.org",
        )
        ingrid = add(
            name="Ingrid Visser",
            side=Side.HARMED,
            relation="buurvrouw van Lars",
            email="ingrid.visser@example.org",
        )
        bert = add(
            name="Bert Visser",
            side=Side.SUPPORTER,
            supports=ingrid,
            relation="man van Ingrid",
            address="Schuttingweg 3\n3583 BC Utrecht",
        )
        self.prepare_everyone(
            (lars, mother, ingrid, bert),
            responsible=lars,
            notes="Thuis gesproken.",
            acknowledged=20,
            spoken=15,
            carla=carla,
        )
        team = case.team
        linde = Venue.objects.get(team=team, name="Buurthuis De Linde")
        pijler = Venue.objects.get(team=team, name="Wijkcentrum De Pijler")
        meeting = poll.open_poll(case, by=carla)
        first = timezone.localdate() + timedelta(days=24)
        options = [
            poll.add_option(
                meeting,
                starts_at=poll.local(first + timedelta(days=days), time(19, 0)),
                ends_at=poll.local(first + timedelta(days=days), time(21, 30)),
                venue=venue,
                by=carla,
            )
            for days, venue in ((0, linde), (2, pijler), (7, linde))
        ]
        # The first date suits everyone; the second is no good for Ingrid.
        answers = {
            lars: ("yes", "yes", "if_need_be"),
            mother: ("yes", "if_need_be", "yes"),
            ingrid: ("yes", "no", "if_need_be"),
            bert: ("if_need_be", "yes", "yes"),
        }
        for person, given in answers.items():
            by = carla if person is bert else Actor.in_portal(person)
            poll.answer(person, dict(zip([o.pk for o in options], given, strict=True)), by=by)
        meeting_actions.confirm(meeting, options[0], by=carla)

    def circle_held(self, case: Case, carla: User) -> None:
        """Noah kicked over Fatima's scooter (issue 10, point 9). Everyone was prepared and said
        yes; carla confirmed a date, which then passed (the demo moves the meeting six days
        back, as time would have): at the conference five came and Mila did not, the rounds
        went in order, and the plan was made together, finalised, and followed by the informal
        part. Everything through the real actions."""

        def add(**data):
            return circle_actions.add_participant(case, by=carla, **data)

        noah = add(
            name="Noah Jansen",
            side=Side.RESPONSIBLE,
            relation="leerling van de school naast Fatima",
            email="noah.jansen@example.org",
        )
        erik = add(
            name="Erik Jansen",
            side=Side.SUPPORTER,
            supports=noah,
            relation="vader van Noah",
            email="erik.jansen@example.org",
        )
        mila = add(
            name="Mila Jansen",
            side=Side.SUPPORTER,
            supports=noah,
            relation="zus van Noah",
            email="mila.jansen@example.org",
        )
        fatima = add(
            name="Fatima El Amrani",
            side=Side.HARMED,
            relation="buurvrouw van de school",
            email="fatima.elamrani@example.org",
        )
        samira = add(
            name="Samira El Amrani",
            side=Side.SUPPORTER,
            supports=fatima,
            relation="zus van Fatima",
            email="samira.elamrani@example.org",
        )
        teacher = add(
            name="Hans de Boer",
            side=Side.OTHER,
            relation="mentor van Noah",
            email="hans.deboer@example.org",
        )
        everyone = (noah, erik, mila, fatima, samira, teacher)
        self.prepare_everyone(
            everyone,
            responsible=noah,
            notes="Op school gesproken.",
            acknowledged=30,
            spoken=25,
            carla=carla,
        )
        # Time passes: the meeting was six days ago.
        self.meeting_passed(
            case, "Wijkcentrum De Pijler", ahead=21, ago=6, ends=time(21, 30), carla=carla
        )

        held = self.hold_conference(
            case,
            everyone,
            absent=(mila,),
            notes={noah.pk: "Noah vertelde het zelf, rustig."},
            carla=carla,
        )
        version = self.plan_made(
            held,
            good_outcome=(
                "Dat Noah begrijpt dat ik een week niet naar mijn werk kon, en dat mijn scooter "
                "weer heel is. En dat ik weer rustig langs de school kan."
            ),
            good_outcome_by=fatima,
            evaluation_in=84,
            if_not_kept=(
                "Carla belt eerst met Noah en zijn vader. Lukt het dan nog niet, dan komen we "
                "opnieuw bij elkaar."
            ),
            ideas=(
                ("Noah betaalt de spiegels van zijn bijbaan.", erik),
                ("Noah helpt een middag in de fietsenstalling van de school.", teacher),
                ("Fatima en Noah groeten elkaar gewoon als ze elkaar zien.", samira),
            ),
            agreements=(
                (
                    "Noah betaalt de twee spiegels (€ 86) in drie delen.",
                    noah,
                    "Fatima",
                    60,
                    "Erik kijkt elke maand of het bedrag is overgemaakt.",
                    False,
                ),
                (
                    "Noah schrijft Fatima een brief over wat hij heeft geleerd.",
                    noah,
                    "Fatima",
                    14,
                    "Carla vraagt Fatima of de brief is aangekomen.",
                    False,
                ),
                (
                    "Noah fietst na school niet meer via het pad langs Fatima's huis, maar via de "
                    "hoofdweg.",
                    noah,
                    "Fatima",
                    None,
                    "Hans de Boer spreekt Noah er elke maand op aan.",
                    True,
                ),
                (
                    "Hans de Boer vertelt in Noahs klas wat de gevolgen van vernielen zijn.",
                    teacher,
                    "de klas van Noah",
                    30,
                    "Hans laat het Carla weten.",
                    True,
                ),
            ),
            carla=carla,
        )
        self.signed_on_the_tablet(version, (noah, erik, teacher), samira, carla=carla)

    def hold_conference(
        self,
        case: Case,
        everyone: tuple[Participant, ...],
        *,
        absent: tuple[Participant, ...] = (),
        notes: dict[int, str] | None = None,
        carla: User,
    ):
        """carla holds the conference of `case`: she opens it and checks in `everyone` (all but
        `absent` present), starts it, marks the introductions, every round in order (with the
        note in `notes` for that participant's pk, if any) and the repair round."""
        from kring.conference import actions as conference  # noqa: PLC0415
        from kring.conference.policy import next_round  # noqa: PLC0415

        notes = notes or {}
        held = conference.open_conference(case, by=carla)
        for person in everyone:
            conference.check_in(held, person, present=person not in absent, by=carla)
        held = conference.start(held, by=carla)
        held = conference.mark_introductions(held, by=carla)
        while (turn := next_round(held)) is not None:
            conference.mark_round_done(turn, note=notes.get(turn.participant_id, ""), by=carla)
            held.refresh_from_db()
        return conference.mark_repair_round(held, by=carla)

    def plan_made(
        self,
        held,
        *,
        good_outcome: str,
        good_outcome_by: Participant,
        evaluation_in: int,
        if_not_kept: str,
        ideas: tuple = (),
        agreements: tuple,
        carla: User,
    ):
        """carla writes the plan of the conference `held` as it was made together: its fields
        (the evaluation `evaluation_in` days from now), the `ideas` (text, brought in by) and
        the `agreements` (what, who, for whom, days until due or None, how checked, whether it
        prevents a repeat); she finalises it and marks the informal part. Returns the version."""
        from kring.conference import editing, versions  # noqa: PLC0415

        plan = editing.begin_plan(held, by=carla)
        plan = editing.save_plan_fields(
            plan,
            revision=plan.revision,
            by=carla,
            good_outcome=good_outcome,
            good_outcome_by=good_outcome_by,
            evaluation_date=timezone.localdate() + timedelta(days=evaluation_in),
            if_not_kept=if_not_kept,
        )
        for text, who in ideas:
            editing.add_idea(plan, text=text, brought_in_by=who, by=carla)
        for what, who, for_whom, days, checked, prevents in agreements:
            editing.add_agreement(
                plan,
                what=what,
                who=who,
                for_whom=for_whom,
                by_when=timezone.localdate() + timedelta(days=days) if days else None,
                how_checked=checked,
                prevents_repeat=prevents,
                by=carla,
            )
        version = versions.finalise(plan, by=carla)
        versions.mark_informal(held, by=carla)
        return version

    def signed_on_the_tablet(
        self, version, signers, decliner: Participant | None = None, *, carla: User
    ) -> None:
        """Issue 11, points 1 and 2: on carla's tablet, right after the plan, `signers` read it
        and signed (the tick and their typed name; the act is theirs, carla hosted it), and
        `decliner` (if any) did not sign yet and said why; whoever is left signs remotely.
        Carla's signing page (ondertekenen/) shows each state and the reason."""
        from kring.audit.actors import Actor  # noqa: PLC0415
        from kring.signing import actions as signing  # noqa: PLC0415
        from kring.signing.consent import consent_text  # noqa: PLC0415

        for person in signers:
            signing.sign(
                version,
                person.pk,
                "own",
                by=Actor.in_person(person),
                typed_name=person.name,
                agreed=True,
                consent_text=consent_text(version, person.language or "nl"),
                host=carla,
            )
        if decliner is None:
            return
        signing.decline(
            version,
            decliner.pk,
            "own",
            by=Actor.in_person(decliner),
            reason="Ik wil eerst met Fatima overleggen of afspraak 2 haalbaar is.",
            host=carla,
        )

    def circle_not_held(self, case: Case, carla: User) -> None:
        """Tim threw stones through the Bakkers' greenhouse (issue 10, point 6). Everyone was
        prepared and said yes; carla confirmed a date, which then passed (the demo moves the
        meeting to yesterday): Tim did not come, so carla recorded that the conference did not
        go on and the case went back to preparation for a new date. Through the real actions."""
        from kring.conference import not_held  # noqa: PLC0415
        from kring.conference.models import NotHeldReason  # noqa: PLC0415

        def add(**data):
            return circle_actions.add_participant(case, by=carla, **data)

        tim = add(
            name="Tim Kramer",
            side=Side.RESPONSIBLE,
            relation="jongen uit de straat",
            email="tim.kramer@example.org",
        )
        mother = add(
            name="Anja Kramer",
            side=Side.SUPPORTER,
            supports=tim,
            relation="moeder van Tim",
            email="anja.kramer@example.org",
        )
        els = add(
            name="Els Bakker",
            side=Side.HARMED,
            relation="eigenaar van de moestuin",
            email="els.bakker@example.org",
        )
        self.prepare_everyone(
            (tim, mother, els),
            responsible=tim,
            notes="Thuis gesproken.",
            acknowledged=25,
            spoken=20,
            carla=carla,
        )
        # Time passes: the meeting was yesterday.
        self.meeting_passed(
            case, "Buurthuis De Linde", ahead=22, ago=1, ends=time(21, 0), carla=carla
        )
        not_held.record_not_held(
            case, reason=NotHeldReason.RESPONSIBLE_ABSENT, then="prepare", by=carla
        )

    def circle_signed(self, case: Case, carla: User) -> None:
        """Bas put fireworks in the Smits' letterbox (issue 11, point 7). Everyone was prepared
        and said yes, the conference was held twelve days ago, the plan made and finalised;
        Bas, Anouk and her father Jan signed on Carla's tablet (their own acts, hosted by her),
        Bas's mother Karin signed later on her own page. The last signature moved the case into
        follow-up and began the signed PDF (made by the task queue once this commits). Through
        the real actions."""
        from kring.audit.actors import Actor  # noqa: PLC0415
        from kring.signing import actions as signing  # noqa: PLC0415
        from kring.signing.consent import consent_text  # noqa: PLC0415

        def add(**data):
            return circle_actions.add_participant(case, by=carla, **data)

        bas = add(
            name="Bas Mulder",
            side=Side.RESPONSIBLE,
            relation="jongen uit de buurt",
            email="bas.mulder@example.org",
        )
        karin = add(
            name="Karin Mulder",
            side=Side.SUPPORTER,
            supports=bas,
            relation="moeder van Bas",
            email="karin.mulder@example.org",
        )
        anouk = add(
            name="Anouk Smit",
            side=Side.HARMED,
            relation="woont op het adres",
            email="anouk.smit@example.org",
        )
        jan = add(
            name="Jan Smit",
            side=Side.SUPPORTER,
            supports=anouk,
            relation="vader van Anouk",
            address="Meidoornlaan 7\n3523 BK Utrecht",
        )
        everyone = (bas, karin, anouk, jan)
        self.prepare_everyone(
            everyone,
            responsible=bas,
            notes="Bij Bas thuis gesproken, met zijn moeder erbij.",
            acknowledged=40,
            spoken=35,
            carla=carla,
        )
        self.meeting_passed(
            case, "Wijkcentrum De Pijler", ahead=23, ago=12, ends=time(21, 0), carla=carla
        )
        held = self.hold_conference(case, everyone, carla=carla)
        version = self.plan_made(
            held,
            good_outcome="Dat Bas weet hoe erg mijn vader schrok, en dat de deur weer heel is.",
            good_outcome_by=anouk,
            evaluation_in=70,
            if_not_kept="Carla belt Bas en zijn moeder; daarna praten we opnieuw met elkaar.",
            agreements=(
                # Issue 12, point 7: the letter is done by now (followup_smit), the painting's
                # date (two days ago) has passed, and Anouk invokes the fireworks agreement.
                (
                    "Bas schrijft Anouk en Jan een brief over wat hij heeft geleerd.",
                    bas,
                    "Anouk en Jan",
                    -5,
                    "Anouk laat het Carla weten.",
                    False,
                ),
                (
                    "Bas betaalt de nieuwe brievenbus (€ 65) in twee delen.",
                    bas,
                    "Anouk en Jan",
                    45,
                    "Karin kijkt of het geld is overgemaakt.",
                    False,
                ),
                (
                    "Bas helpt Jan een zaterdag met het schilderen van de voordeur.",
                    bas,
                    "Jan",
                    -2,
                    "Jan laat het Carla weten.",
                    False,
                ),
                (
                    "Bas steekt geen vuurwerk meer af in de straat van Anouk.",
                    bas,
                    "Anouk en Jan",
                    None,
                    "Karin praat er elke maand met Bas over.",
                    True,
                ),
            ),
            carla=carla,
        )
        self.signed_on_the_tablet(version, (bas, anouk, jan), carla=carla)
        signing.sign(
            version,
            karin.pk,
            "own",
            by=Actor.in_portal(karin),
            code_verified=True,  # she typed the one-time code from her e-mail
            typed_name="K. Mulder",
            agreed=True,
            consent_text=consent_text(version, karin.language or "nl"),
            shown_hash=version.content_hash,
            address="192.0.2.44",
            user_agent="Mozilla/5.0 (Linux; Android 14) Mobile",
        )

    def followup_smit(self, carla: User) -> None:
        """The Smit case in follow-up (issue 12, point 7): Bas reported on his own page that he
        wrote the letter, and Carla confirmed it (done); the painting's date has passed (overdue);
        Anouk reported on her page that the fireworks agreement is not kept, which waits for
        Carla's answer ("Wacht op jou"). Through the real actions, each report the participant's
        own act. Once: skipped when the case has a report."""
        from kring.followup import actions as followup  # noqa: PLC0415
        from kring.followup.models import Report  # noqa: PLC0415
        from kring.followup.queries import current  # noqa: PLC0415

        case = Case.objects.filter(referral__requester_email="demo-19@example.org").first()
        if case is None or case.state != State.FOLLOWING_UP:
            return
        if Report.objects.filter(case=case).exists():
            return
        # By their words: a demo loaded before issue 12 has a plan without the letter, and no
        # tracked agreements at all (its plan was signed before follow-up existed).
        agreements = {tracked.what: tracked for tracked in current(case)}
        letter = agreements.get("Bas schrijft Anouk en Jan een brief over wat hij heeft geleerd.")
        fireworks = agreements.get("Bas steekt geen vuurwerk meer af in de straat van Anouk.")
        if fireworks is None:
            return
        bas = case.participants.get(name="Bas Mulder")
        anouk = case.participants.get(name="Anouk Smit")
        with transaction.atomic():
            if letter is not None:
                report = followup.report_done(
                    letter,
                    by=Actor.in_portal(bas),
                    participant=bas,
                    text="Ik heb de brief vorige week bij Anouk in de bus gedaan.",
                )
                followup.confirm_done(
                    report, by=carla, note="Anouk heeft je brief gekregen. Dank je wel, Bas."
                )
            followup.invoke(
                fireworks,
                by=Actor.in_portal(anouk),
                participant=anouk,
                text=(
                    "Zaterdagavond stonden Bas en zijn vrienden op de hoek van onze straat rotjes "
                    "af te steken. Mijn vader schrok er weer erg van."
                ),
            )

    def questionnaires_smit(self) -> None:
        """The Smit case's first questionnaires (issue 13): Bas and his mother Karin filled theirs
        in on their own page, each with a few words for the team, which Mira reads on the figures
        page's "Wat deelnemers schreven"; Anouk and Jan have not yet. Through the real action,
        each the participant's own act. Once: skipped when one is answered, or when the case was
        signed before the research stage (no invitations)."""
        from kring.research import actions as research  # noqa: PLC0415
        from kring.research.models import Invitation, Round  # noqa: PLC0415

        case = Case.objects.filter(referral__requester_email="demo-19@example.org").first()
        if case is None:
            return
        invitations = {
            invitation.participant.name: invitation
            for invitation in Invitation.objects.filter(
                record__case=case, round=Round.FIRST
            ).select_related("participant")
        }
        if not invitations or any(i.answered_at for i in invitations.values()):
            return
        answers = {
            "Bas Mulder": {
                "satisfied": "4",
                "relations_restored": "yes",
                "less_afraid": "na",
                "feel_better": "yes",
                "move_on": "yes",
                "remark": "Het was spannend, maar ik ben blij dat ik het aan Anouk kon uitleggen.",
            },
            "Karin Mulder": {
                "satisfied": "5",
                "relations_restored": "yes",
                "less_afraid": "na",
                "feel_better": "yes",
                "move_on": "yes",
                "remark": "Fijn dat de buren en wij weer gewoon met elkaar praten.",
            },
        }
        with transaction.atomic():
            for name, data in answers.items():
                invitation = invitations.get(name)
                if invitation is not None:
                    research.answer(invitation, data, by=Actor.in_portal(invitation.participant))

    def erasure_request_smit(self, bram: User) -> None:
        """Jan Smit asked to be erased (issue 14, point 8): he signed the plan, which needs his
        name until the case's retention ends, so Bram of the office notes the request instead
        (the case page's "Personal data" panel; the timeline shows it). Once."""
        from kring.cases.models import CaseEvent  # noqa: PLC0415
        from kring.privacy import rights  # noqa: PLC0415

        case = Case.objects.filter(referral__requester_email="demo-19@example.org").first()
        if case is None or case.state != State.FOLLOWING_UP:
            return
        if CaseEvent.objects.filter(case=case, kind=rights.REQUEST_NOTED).exists():
            return
        jan = case.participants.filter(name="Jan Smit").first()
        if jan is not None:
            rights.note_erasure_request(jan, by=bram)

    def retention(self, users: dict[str, User]) -> None:
        """Retention (issue 14, point 7): Mira keeps Wim de Graaf's declined request under a
        legal hold ("C/03/318822"); a request declined eight months ago (its timeline moved back)
        has been erased by retention, and its case page says so. Each once."""
        from kring.cases.models import CaseEvent  # noqa: PLC0415
        from kring.privacy import holds, retention  # noqa: PLC0415
        from kring.privacy.models import CaseErasure, LegalHold  # noqa: PLC0415

        wim = Case.objects.filter(referral__requester_email="demo-11@example.org").first()
        if wim is not None and not LegalHold.objects.filter(case=wim).exists():
            holds.place_hold(wim, by=users["mira"], reference="C/03/318822")
        # Erasure empties the request's e-mail address: a case erased before marks it done.
        if CaseErasure.objects.exists():
            return
        with transaction.atomic():
            case = self.play(RETENTION_REQUEST, users)
            # As if it had been sent and declined eight months ago (the audit log keeps today).
            back = timedelta(days=8 * 31)
            CaseEvent.objects.filter(case=case).update(at=F("at") - back)
            Case.objects.filter(pk=case.pk).update(state_changed_at=F("state_changed_at") - back)
        retention.erase(case.pk)

    def follow_up_meeting_smit(self, carla: User) -> None:
        """The Smit case plans a follow-up meeting (issue 12, point 4): after Anouk's report
        about the fireworks everyone wants to talk once more, so Carla proposes two evenings at
        Wijkcentrum De Pijler; Bas answered on his own page, Anouk (the README's code) has not
        yet. Once: skipped when the case has a follow-up meeting."""
        from kring.scheduling import poll  # noqa: PLC0415
        from kring.scheduling.models import Meeting  # noqa: PLC0415

        case = Case.objects.filter(referral__requester_email="demo-19@example.org").first()
        if case is None or case.state != State.FOLLOWING_UP:
            return
        if Meeting.objects.filter(case=case, purpose=Meeting.Purpose.FOLLOW_UP).exists():
            return
        pijler = Venue.objects.get(team=case.team, name="Wijkcentrum De Pijler")
        tuesday = timezone.localdate() + timedelta(days=14)
        tuesday += timedelta(days=(1 - tuesday.weekday()) % 7)
        with transaction.atomic():
            meeting = poll.open_poll(case, by=carla)
            options = [
                poll.add_option(
                    meeting,
                    starts_at=poll.local(day, time(19, 0)),
                    ends_at=poll.local(day, time(20, 30)),
                    venue=pijler,
                    by=carla,
                )
                for day in (tuesday, tuesday + timedelta(days=2))
            ]
            bas = case.participants.filter(name="Bas Mulder").first()
            if bas is not None and bas.status == "accepted":
                poll.answer(
                    bas,
                    {options[0].pk: "yes", options[1].pk: "if_need_be"},
                    by=Actor.in_portal(bas),
                )

    def circle_closed(self, case: Case, carla: User) -> None:
        """Mees threw a paving stone through the window of Hasan Demir's snack bar (issue 12,
        point 7). Everyone was prepared and said yes, the conference was held two months ago,
        the plan made, finalised and signed by all four on Carla's tablet; in follow-up Mees
        reported on his page that he helped clean the snack bar (Carla confirmed), Carla marked
        the other two agreements done, recorded the follow-up contact, and closed the case with
        the outcome "all agreements kept" and a note. Through the real actions."""
        from kring.followup import actions as followup  # noqa: PLC0415
        from kring.followup import closing  # noqa: PLC0415
        from kring.followup.models import AgreementState, Contact, Outcome  # noqa: PLC0415
        from kring.followup.queries import current  # noqa: PLC0415

        def add(**data):
            return circle_actions.add_participant(case, by=carla, **data)

        mees = add(
            name="Mees Kuipers",
            side=Side.RESPONSIBLE,
            relation="jongen uit de wijk",
            email="mees.kuipers@example.org",
        )
        monique = add(
            name="Monique Kuipers",
            side=Side.SUPPORTER,
            supports=mees,
            relation="moeder van Mees",
            email="monique.kuipers@example.org",
        )
        hasan = add(
            name="Hasan Demir",
            side=Side.HARMED,
            relation="eigenaar van de snackbar",
            email="hasan.demir@example.org",
        )
        elif_ = add(
            name="Elif Demir",
            side=Side.SUPPORTER,
            supports=hasan,
            relation="dochter van Hasan",
            email="elif.demir@example.org",
        )
        everyone = (mees, monique, hasan, elif_)
        self.prepare_everyone(
            everyone,
            responsible=mees,
            notes="Bij Mees thuis gesproken, met zijn moeder erbij.",
            acknowledged=80,
            spoken=75,
            carla=carla,
        )
        self.meeting_passed(
            case, "Buurthuis De Linde", ahead=26, ago=60, ends=time(21, 0), carla=carla
        )
        held = self.hold_conference(case, everyone, carla=carla)
        version = self.plan_made(
            held,
            good_outcome="Dat Mees snapt wat een kapotte ruit voor een kleine zaak betekent.",
            good_outcome_by=hasan,
            evaluation_in=-20,
            if_not_kept="Carla belt Mees en zijn moeder; daarna praten we opnieuw met elkaar.",
            agreements=(
                (
                    "Mees betaalt het eigen risico van de verzekering (€ 150) in drie delen.",
                    mees,
                    "Hasan Demir",
                    -15,
                    "Monique kijkt of het geld is overgemaakt.",
                    False,
                ),
                (
                    "Mees helpt twee zaterdagen mee met schoonmaken in de snackbar.",
                    mees,
                    "Hasan Demir",
                    -40,
                    "Hasan laat het Carla weten.",
                    False,
                ),
                (
                    "Mees blijft met zijn vrienden weg bij de ramen van de snackbar.",
                    mees,
                    "Hasan en Elif",
                    None,
                    "Elif belt Carla als het misgaat.",
                    True,
                ),
            ),
            carla=carla,
        )
        self.signed_on_the_tablet(version, everyone, carla=carla)
        case.refresh_from_db()
        paying, cleaning, staying_away = current(case)
        report = followup.report_done(
            cleaning,
            by=Actor.in_portal(mees),
            participant=mees,
            text="Ik heb twee zaterdagen de vloer en de ramen schoongemaakt.",
        )
        followup.confirm_done(report, by=carla, note="Hasan is er blij mee. Goed gedaan, Mees.")
        followup.set_state(
            paying,
            AgreementState.DONE,
            by=carla,
            note="Monique liet weten dat de laatste betaling is overgemaakt.",
        )
        contact = Contact.objects.filter(case=case, done_at__isnull=True).first()
        if contact is not None:
            followup.record_contact(
                contact,
                by=carla,
                note="Met iedereen gebeld. Het gaat goed; niemand wil nog een nazorggesprek.",
            )
        followup.set_state(
            staying_away,
            AgreementState.DONE,
            by=carla,
            note="Bij het nazorgcontact: Hasan en Elif zien Mees niet meer bij de ramen.",
        )
        case.refresh_from_db()
        closing.close(
            case,
            by=carla,
            outcome=Outcome.ALL_KEPT,
            note="Alle afspraken zijn nagekomen. Hasan en Mees groeten elkaar weer op straat.",
        )

    def poll_bos(self, carla: User) -> None:
        """The Bos case looks for a date (issue 9, point 9): three Saturday mornings, as Kevin
        asked; Kevin answered on his own page, Greet by telephone; the third date is at a venue
        without a quiet room, which Greet needs. Once: skipped when the case has a meeting."""
        from kring.scheduling import poll  # noqa: PLC0415
        from kring.scheduling.models import Meeting  # noqa: PLC0415

        case = Case.objects.filter(referral__requester_email="demo-13@example.org").first()
        if case is None or case.state != State.PREPARING:
            return
        if Meeting.objects.filter(case=case).exists():
            return
        kevin = case.participants.filter(name="Kevin de Wit").first()
        greet = case.participants.filter(name="Greet Bos").first()
        linde = Venue.objects.get(team=case.team, name="Buurthuis De Linde")
        pijler = Venue.objects.get(team=case.team, name="Wijkcentrum De Pijler")
        today = timezone.localdate()
        saturday = today + timedelta(days=14 + (5 - today.weekday()) % 7)
        with transaction.atomic():
            meeting = poll.open_poll(case, by=carla)
            options = [
                poll.add_option(
                    meeting,
                    starts_at=poll.local(saturday + timedelta(weeks=weeks), time(10, 0)),
                    ends_at=poll.local(saturday + timedelta(weeks=weeks), time(12, 30)),
                    venue=venue,
                    by=carla,
                )
                for weeks, venue in ((0, linde), (1, linde), (2, pijler))
            ]
            ids = [option.pk for option in options]
            if kevin is not None and kevin.status == "accepted":
                poll.answer(
                    kevin,
                    dict(zip(ids, ("yes", "if_need_be", "yes"), strict=True)),
                    by=Actor.in_portal(kevin),
                )
            if greet is not None and greet.status == "accepted":
                poll.answer(greet, dict(zip(ids, ("yes", "yes", "no"), strict=True)), by=carla)

    def circle_meijer(self, case: Case, carla: User) -> None:
        """Just started: Thijs has been spoken with once and has not acknowledged his part.
        Thijs and Yvonne were added from the request with one click each; the trainer and
        Thijs's father, named in the request too, are still offered (issue 8, point 8)."""
        named = {person.name: person for person in case.referral.people.all()}
        thijs = circle_actions.add_from_request(named["Thijs"], by=carla)
        thijs = circle_actions.update_participant(
            thijs, by=carla, name="Thijs Meijer", email="thijs.meijer@example.org"
        )
        yvonne = circle_actions.add_from_request(named["Yvonne"], by=carla)
        circle_actions.update_participant(
            yvonne,
            by=carla,
            name="Yvonne Claassen",
            relation="medewerker van de sporthal",
            phone="06 8765 4321",
        )
        circle_actions.record_conversation(
            thijs,
            held_at=_days_ago(2),
            mode=Mode.PHONE,
            notes="Eerste kennismaking. Zegt dat het een ongeluk was; wil er nog over nadenken.",
            by=carla,
        )

    def step(self, case: Case, step: str, args: list, users: dict[str, User]) -> Case:
        if step == "take_on":
            return actions.take_on(case, by=users[args[0]])
        if step == "offer":
            actions.offer_to_coordinator(case, coordinator=users[args[0]], by=users[args[1]])
            return case
        if step == "accept":
            offer = case.assignments.get(
                coordinator=users[args[0]], status=Assignment.Status.OFFERED
            )
            return actions.accept_assignment(offer, declares_independence=True, by=users[args[0]])
        if step == "hand_back":
            offer = case.assignments.get(
                coordinator=users[args[0]], status=Assignment.Status.OFFERED
            )
            return actions.hand_back(offer, reason=args[1], by=users[args[0]])
        if step == "decline":
            note = args[2] if len(args) > 2 else ""
            return actions.decline(case, reason=args[1], note=note, by=users[args[0]])
        if step == "stop":
            return actions.stop(case, reason=args[1], by=users[args[0]])
        if step == "start_preparation":
            return circle_actions.start_preparation(case, by=users[args[0]])
        raise ValueError(f"unknown demo step {step!r}")
