"""The HTML of the circle page, byte for byte (issue 15): made cheaper, it must show the same.

The snapshots under overview_markup/ were made from the page as it was before its cost was cut
(KRING_UPDATE_OVERVIEW_SNAPSHOTS=1). Each is the whole page through the real view, signed in,
for the coordinator (the full view, in several states of the case) and for the office and the
manager (names and states only), in Dutch and English, with people in every state: each status,
both sides and others, supporters, a minor with and one without a guardian, an erased person, an
acknowledgment yes and no, conversations, consents, invitations, nominations in each decision,
an open and a resolved risk, and the people named in the request. Every object gets a fixed
primary key and fixed times, so that the page is the same on SQLite and PostgreSQL and in any
test order; only the CSRF token's value is left out. After a deliberate change of the page's
markup: make them again, and review the snapshots' diff.
"""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from kring.cases.lifecycle import State
from kring.circle.information import CURRENT_VERSION
from kring.circle.models import (
    Acknowledgment,
    Consent,
    Conversation,
    Invitation,
    Mode,
    Nomination,
    Participant,
    RiskFlag,
    Side,
    Status,
)
from kring.referrals.models import ReferralPerson
from kring.testing.auth import force_verified_login
from kring.testing.factories import CaseFactory, ReferralFactory

SNAPSHOTS = Path(__file__).parent / "overview_markup"
UPDATE = os.environ.get("KRING_UPDATE_OVERVIEW_SNAPSHOTS") == "1"
LANGUAGES = ["nl", "en"]
# Characters that the templates must escape.
AWKWARD = 'O\'B & "<x>"'
CASE = 9100


def _at(month, day, hour=10, minute=0) -> datetime.datetime:
    # 28 and 29 March 2026: either side of the change to summer time in Europe/Amsterdam.
    return timezone.make_aware(datetime.datetime(2026, month, day, hour, minute), datetime.UTC)


def _person(pk, name, side, *, case, by, **fields) -> Participant:
    return Participant.objects.create(pk=pk, case=case, name=name, side=side, added_by=by, **fields)


def _build(carla, state: str):
    """Carla's case with people in every state; `state`: the case's state, or
    "unacknowledged" (preparing, and no person responsible acknowledged yet)."""
    referral = ReferralFactory(pk=CASE, reference="KR9C-7Q2M")
    referral.people.all().delete()  # the factory's two, whose keys differ by database and order
    ReferralPerson.objects.create(pk=9151, referral=referral, name="Daan", side="responsible")
    ReferralPerson.objects.create(pk=9152, referral=referral, name="Nina", side="")
    case = CaseFactory(
        pk=CASE,
        referral=referral,
        state=State.PREPARING if state == "unacknowledged" else state,
        coordinator=carla,
        team=carla.team,
        state_changed_at=_at(3, 20),
    )
    p = {}
    p["daan"] = _person(
        9201,
        "Daan",
        Side.RESPONSIBLE,
        case=case,
        by=carla,
        status=Status.ACCEPTED,
        email="daan@example.org",
        phone="06 1111 2222",
        address="Straat 1\n1234 AB Utrecht",
    )
    p["bas"] = _person(9202, "Bas", Side.RESPONSIBLE, case=case, by=carla, status=Status.WITHDRAWN)
    p["joost"] = _person(
        9203,
        "Joost",
        Side.SUPPORTER,
        case=case,
        by=carla,
        supports=p["daan"],
        relation=AWKWARD,
        status=Status.INVITED,
        language="en",
        interpreter_needed=True,
        interpreter_language="Engels",
        accessibility_needs="Rolstoel",
    )
    p["sanne"] = _person(
        9204,
        "Sanne",
        Side.HARMED,
        case=case,
        by=carla,
        status=Status.TO_INVITE,
        wishes=f"Geen {AWKWARD}",
        email="sanne@example.org",
    )
    p["ria"] = _person(
        9205,
        "Ria",
        Side.SUPPORTER,
        case=case,
        by=carla,
        supports=p["sanne"],
        status=Status.DECLINED,
    )
    p["mees"] = _person(
        9206,
        "Mees",
        Side.SUPPORTER,
        case=case,
        by=carla,
        supports=p["sanne"],
        is_minor=True,
        guardian=p["sanne"],
        status=Status.INVITED,
    )
    p["lot"] = _person(
        9207,
        "Lot",
        Side.SUPPORTER,
        case=case,
        by=carla,
        supports=p["daan"],
        is_minor=True,
    )
    p["harm"] = _person(9208, "Harm", Side.HARMED, case=case, by=carla)
    p["leraar"] = _person(9209, "Leraar", Side.OTHER, case=case, by=carla, phone="030 123")
    p["erik"] = _person(
        9210,
        "Erik",
        Side.OTHER,
        case=case,
        by=carla,
        status=Status.WITHDRAWN,
        erased_at=_at(3, 27),
    )
    Acknowledgment.objects.create(
        pk=9301,
        participant=p["daan"],
        acknowledges=state != "unacknowledged",
        given_at=_at(3, 28, 23, 30),
        mode=Mode.IN_PERSON,
        recorded_by=carla,
    )
    Acknowledgment.objects.create(
        pk=9302,
        participant=p["bas"],
        acknowledges=False,
        given_at=_at(3, 29, 9),
        mode=Mode.PHONE,
        recorded_by=carla,
    )
    for pk, who, day, notes in [
        (9401, "daan", 27, AWKWARD),
        (9402, "daan", 29, ""),
        (9403, "joost", 29, "Kort"),
        (9404, "sanne", 30, ""),
    ]:
        Conversation.objects.create(
            pk=pk,
            participant=p[who],
            held_at=_at(3, day, 14),
            mode=Mode.IN_PERSON,
            notes=notes,
            recorded_by=carla,
        )
    for pk, who, giver, version in [
        (9501, "daan", "daan", CURRENT_VERSION),
        (9502, "mees", "sanne", CURRENT_VERSION),
        (9503, "joost", "joost", "0"),
    ]:
        Consent.objects.create(
            pk=pk,
            participant=p[who],
            given_by=p[giver],
            information_version=version,
            given_at=_at(3, 30, 11),
            mode=Mode.PHONE,
            obtained_by=carla,
            legal_advice="yes",
            interpreter="no",
            support_person="yes",
        )
    for pk, who in [(9601, "daan"), (9602, "joost"), (9603, "mees"), (9604, "ria")]:
        Invitation.objects.create(
            pk=pk,
            participant=p[who],
            channel=Invitation.Channel.values[0],
            sent_at=_at(3, 29, 16),
            sent_by=carla,
        )
    Nomination.objects.create(
        pk=9701,
        case=case,
        nominated_by=p["sanne"],
        name="Oma",
        relation=AWKWARD,
        via=Mode.PHONE,
    )
    Nomination.objects.create(
        pk=9702,
        case=case,
        nominated_by=p["daan"],
        name="Ria",
        via=Mode.IN_PERSON,
        decision=Nomination.Decision.INVITED,
        participant=p["ria"],
    )
    Nomination.objects.create(
        pk=9703,
        case=case,
        nominated_by=p["ria"],
        name="Buurman",
        via=Mode.PHONE,
        decision=Nomination.Decision.values[-1],
        decision_reason=AWKWARD,
    )
    Nomination.objects.filter(case=case).update(created_at=_at(3, 29, 22, 59))
    RiskFlag.objects.create(
        pk=9801,
        case=case,
        kind=RiskFlag.Kind.values[0],
        level=RiskFlag.Level.HIGH,
        assessment=AWKWARD,
        recorded_by=carla,
    )
    RiskFlag.objects.create(
        pk=9802,
        case=case,
        kind=RiskFlag.Kind.values[-1],
        level=RiskFlag.Level.values[0],
        assessment="Laag",
        recorded_by=carla,
        resolved_at=_at(3, 30),
        resolution="Besproken",
    )
    Participant.objects.filter(case=case).update(added_at=_at(3, 21))
    return case


# (who views, the case's state): the coordinator in each state that changes what she may do,
# the office and the manager in preparation.
VIEWS = [
    ("carla", State.PREPARING),
    ("carla", "unacknowledged"),
    ("carla", State.ASSIGNED),
    ("carla", State.SCHEDULED),
    ("bram", State.PREPARING),
    ("mira", State.PREPARING),
]


def _page(client, language: str) -> str:
    response = client.get(reverse("circle:overview", args=[CASE]), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    html = response.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"', html)


def _check(name: str, text: str, snapshots: Path = SNAPSHOTS) -> None:
    path = snapshots / name
    if UPDATE:
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_bytes(text.encode())
        return
    assert path.exists(), f"no snapshot {path.name}"
    assert text == path.read_bytes().decode(), f"{path.name} differs from its snapshot"


@pytest.mark.parametrize(("who", "state"), VIEWS)
def test_the_circle_page_renders_as_before(client, request, carla, who, state):
    case = _build(carla, state)
    assert case.participants.count() == 10
    force_verified_login(client, request.getfixturevalue(who))
    for language in LANGUAGES:
        _check(f"overview.{who}.{state}.{language}.html", _page(client, language))


def test_the_snapshots_show_what_they_are_meant_to():
    # A snapshot of an error page would compare equal to an error page: each holds its view.
    if UPDATE:
        pytest.skip("making the snapshots")

    def read(name):
        return (SNAPSHOTS / name).read_text(encoding="utf-8")

    full = read("overview.carla.preparing.en.html")
    assert "Next steps for Daan" in full
    assert "Not possible yet:" in full
    assert "Record a return" in full  # for Bas, who withdrew
    assert "Take out of the circle" in full  # for Harm, untouched
    assert "Invite or record why not" in full
    assert "Record what makes it safe" in full
    assert "People named in the request" in full
    assert "O&#x27;B &amp; &quot;&lt;x&gt;&quot;" in full
    assert "Volgende stappen voor Daan" in read("overview.carla.preparing.nl.html")
    assert "Start the preparation" in read("overview.carla.assigned.en.html")
    for viewer in ("bram", "mira"):
        names_only = read(f"overview.{viewer}.preparing.en.html")
        assert "Only for the coordinator" in names_only or "only for the coordinator" in names_only
        assert "daan@example.org" not in names_only


def test_a_one_character_difference_fails(client, carla, tmp_path):
    # The comparison is byte for byte: one character more in a snapshot is a failure.
    if UPDATE:
        pytest.skip("making the snapshots")
    case = _build(carla, State.PREPARING)
    force_verified_login(client, carla)
    html = _page(client, "en")
    name = "overview.carla.preparing.en.html"
    changed = (SNAPSHOTS / name).read_bytes().replace(b"Next steps", b"Next  steps", 1)
    (tmp_path / name).write_bytes(changed)
    assert case.pk == CASE
    _check(name, html)  # the page matches its snapshot as made
    with pytest.raises(AssertionError, match="differs from its snapshot"):
        _check(name, html, tmp_path)
