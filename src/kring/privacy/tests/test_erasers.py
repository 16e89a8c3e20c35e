"""Each app's erasers, through kring.cases.registry (issue 14, points 7 and 8; docs/data-retention.md,
"What erasure removes"). One file for every app's erasers: the promise is about the whole case
(nothing personal is left in ANY table), so the test builds one case through the whole process
and scans every text column of every model.

Carla's case in follow-up (`following_up`: Daan, Sanne, Joost and Ria present, version 1 signed
by all four), with every free text and contact detail set to a marker string, a sealed PDF, a
remark, an answer, follow-up reports and contacts, and the case closed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.apps import apps
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from kring.cases import registry
from kring.cases.models import Case, CaseEvent
from kring.circle import links
from kring.circle.models import (
    ERASED_NAME,
    Conversation,
    Nomination,
    Participant,
    PersonalLink,
    Question,
    RiskFlag,
)
from kring.conference.models import Agreement, Idea, Plan, PlanVersion, Round
from kring.followup.models import AgreementChange, Closure, Contact, Report, TrackedAgreement
from kring.followup.tests.conftest import sign_everyone
from kring.referrals.models import Referral, ReferralPerson
from kring.research import figures
from kring.research.models import Answer, ConferenceRecord, Invitation, Remark
from kring.signing import storage
from kring.signing.models import (
    Declination,
    Signature,
    SignedDocument,
    SigningCode,
    StoredPdf,
)
from kring.signing.tests.conftest import ellen
from kring.testing.auth import force_verified_login

# The case in follow-up and its people come from conftest.py; Ellen from the signing app's.
__all__ = ["ellen"]

# Not scanned: the audit log is never touched by erasure (ADR 0012), and the outbox is emptied
# by the retention's own purge of old mails (privacy.retention; docs/data-retention.md), not by
# a case's erasers (a mail names no case).
NOT_SCANNED = {"audit.auditevent", "notifications.outgoingmail"}
TEXT_FIELDS = (
    models.CharField,
    models.TextField,
    models.BinaryField,
    models.JSONField,
    models.GenericIPAddressField,
)


def scan(markers: set[str]) -> dict[str, set[str]]:
    """Every marker found in any text, binary or JSON column of any model: marker -> where."""
    found: dict[str, set[str]] = {}
    for model in apps.get_models():
        if model._meta.label_lower in NOT_SCANNED:
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, TEXT_FIELDS) and not f.primary_key
        ]
        if not fields:
            continue
        manager = getattr(model, "all_objects", model._base_manager)
        for row in manager.values_list(*fields):
            for name, value in zip(fields, row, strict=True):
                if value is None:
                    continue
                if isinstance(value, bytes | memoryview):
                    text = bytes(value).decode("latin-1")
                else:
                    text = str(value)
                for marker in markers:
                    if marker in text:
                        found.setdefault(marker, set()).add(f"{model._meta.label}.{name}")
    return found


def mark(who: str, what: str) -> str:
    return f"MRK-{who}-{what}-END"


class Story:
    """The markers of the case, per person ("daan", "sanne", ...) and for the case ("case")."""

    def __init__(self) -> None:
        self.markers: dict[str, set[str]] = {}

    def __call__(self, who: str, what: str) -> str:
        marker = mark(who, what)
        self.markers.setdefault(who, set()).add(marker)
        return marker

    def of(self, *who: str) -> set[str]:
        return set().union(*(self.markers.get(w, set()) for w in who))

    @property
    def all(self) -> set[str]:
        return self.of(*self.markers)


def _fill_circle(case: Case, people: dict[str, Participant], carla, m: Story) -> None:
    now = timezone.now()
    for key, participant in people.items():
        # Their own names (as typed in the signatures too) are markers of theirs.
        m.markers.setdefault(key, set()).add(participant.name)
        Participant.objects.filter(pk=participant.pk).update(
            relation=m(key, "relation"),
            email=f"{m(key, 'email')}@example.org",
            phone=m(key, "phone"),
            address=m(key, "address"),
            interpreter_language=m(key, "interpreter"),
            accessibility_needs=m(key, "access"),
            wishes=m(key, "wishes"),
        )
        Conversation.objects.create(
            participant=participant,
            held_at=now - timedelta(days=30),
            mode="phone",
            notes=m(key, "conversation"),
            recorded_by=carla,
        )
        Question.objects.create(
            participant=participant,
            text=m(key, "question"),
            asked_at=now - timedelta(days=20),
            answer=m(key, "answer"),
            answered_how="in_kring",
            answered_at=now - timedelta(days=19),
            answered_by=carla,
        )
        Nomination.objects.create(
            case=case,
            nominated_by=participant,
            name=m(key, "nominee"),
            relation=m(key, "nominee-relation"),
            via="portal",
            decision="not_invited",
            decision_reason=m(key, "nominee-reason"),
        )
        Round.objects.filter(participant=participant).update(note=m(key, "round"))
    RiskFlag.objects.create(
        case=case,
        kind="intimidation",
        level="low",
        assessment=m("case", "assessment"),
        recorded_by=carla,
        resolution=m("case", "resolution"),
    )


def _fill_request(case: Case, m: Story) -> None:
    Referral.objects.filter(pk=case.referral_id).update(
        requester_name=m("case", "requester"),
        requester_organisation=m("case", "organisation"),
        requester_email=f"{m('case', 'requester-email')}@example.org",
        requester_phone=m("case", "requester-phone"),
        description=m("case", "what-happened"),
        place=m("case", "place"),
    )
    ReferralPerson.objects.create(
        referral_id=case.referral_id,
        name=m("case", "named-person"),
        side="harmed",
        contact=m("case", "named-contact"),
    )
    Case.objects.filter(pk=case.pk).update(decline_note=m("case", "decline-note"))


def _fill_plan(case: Case, people: dict[str, Participant], m: Story) -> None:
    plan = Plan.objects.get(case=case)
    Plan.objects.filter(pk=plan.pk).update(
        good_outcome=m("sanne", "good-outcome"), if_not_kept=m("case", "if-not-kept")
    )
    Idea.objects.create(
        plan=plan, position=1, text=m("joost", "idea"), brought_in_by=people["joost"]
    )
    Agreement.objects.filter(plan=plan).update(
        who_other=m("case", "who-other"),
        for_whom=m("case", "for-whom"),
        how_checked=m("case", "how-checked"),
    )
    # The frozen version holds the plan's words and the names of those present.
    for version in PlanVersion.objects.filter(plan=plan):
        m.markers["case"].update(
            {version.content["good_outcome"]["text"], version.content["if_not_kept"]}
        )


def _fill_signing(case: Case, people: dict[str, Participant], m: Story) -> None:
    Signature.objects.filter(version__plan__case=case).update(
        drawing=m("case", "drawing"), user_agent=m("case", "agent")
    )
    m.markers["case"].add("Ik heb dit plan gelezen")  # the consent text beside the tick box
    version = PlanVersion.objects.get(plan__case=case)
    Declination.objects.create(
        version=version,
        participant=people["ria"],
        declined_by=people["ria"],
        role="own",
        method="remote",
        reason=m("ria", "declined"),
        declined_at=timezone.now(),
    )
    document = SignedDocument.objects.get(case=case)
    storage.save(document, b"%PDF-1.7 " + m("case", "pdf").encode())
    document.status = SignedDocument.Status.MADE
    document.save()
    now = timezone.now()
    SigningCode.objects.create(
        participant=people["daan"], code_hash="0" * 64, created_at=now, expires_at=now
    )


def _fill_followup(case: Case, people: dict[str, Participant], carla, m: Story) -> None:
    now = timezone.now()
    tracked = TrackedAgreement.objects.filter(case=case).order_by("number")
    tracked.update(owner_other=m("case", "owner-other"))
    bike = tracked.first()
    AgreementChange.objects.create(
        tracked=bike, kind="state", at=now, by=carla, note=m("case", "change-note")
    )
    for key in ("daan", "sanne"):
        Report.objects.create(
            case=case,
            tracked=bike,
            participant=people[key],
            kind="done" if key == "daan" else "not_kept",
            text=m(key, "report"),
            made_at=now,
            outcome="answered",
            answer=m(key, "report-answer"),
            answered_at=now,
            answered_by=carla,
        )
    Contact.objects.create(case=case, due_on=date.today(), note=m("case", "contact-note"))
    record = ConferenceRecord.objects.get(case=case)
    Answer.objects.create(record=record, role="harmed", satisfied=5, situation_restored=4)
    Remark.objects.create(
        case=case,
        team=case.team,
        role="harmed",
        text=m("sanne", "remark"),
        created_on=date.today().replace(day=1),
    )
    Closure.objects.create(
        case=case,
        outcome="all_kept",
        note=m("case", "closing-note"),
        closed_at=now,
        closed_by=carla,
        retain_until=date.today() + timedelta(days=730),
    )
    Case.objects.filter(pk=case.pk).update(state="closed")


@pytest.fixture
def story(following_up, everyone_said_yes, carla):
    """The whole case, with its markers (`story.markers`) and its people (`story.people`)."""
    case = following_up
    people = {key: Participant.objects.get(pk=p.pk) for key, p in everyone_said_yes.items()}
    m = Story()
    _fill_request(case, m)
    _fill_circle(case, people, carla, m)
    _fill_plan(case, people, m)
    _fill_signing(case, people, m)
    _fill_followup(case, people, carla, m)
    m.case = Case.objects.get(pk=case.pk)
    m.people = people
    return m


def _selection(case: Case) -> figures.Selection:
    today = timezone.localdate()
    return figures.Selection(today - timedelta(days=400), today + timedelta(days=40))


def _counts() -> dict[str, int]:
    return {
        "cases": Case.objects.count(),
        "events": CaseEvent.objects.count(),
        "participants": Participant.objects.count(),
        "records": ConferenceRecord.objects.count(),
        "answers": Answer.objects.count(),
        "invitations": Invitation.objects.count(),
        "referrals": Referral.objects.count(),
    }


def test_the_erasure_of_a_case_leaves_none_of_its_words_and_the_same_figures(story):
    case = story.case
    before = scan(story.all)
    # The scan sees every marker before: it would see one left behind.
    assert set(before) == story.all, story.all - set(before)
    selection = _selection(case)
    figures_before = figures.as_json(figures.compute(selection))
    funnel_before = figures._funnel(selection)
    counts_before = _counts()
    assert funnel_before["requests"] == 1 and funnel_before["plans_signed"] == 1

    with transaction.atomic():
        erased = registry.erase_case(case)

    assert erased > 0
    assert scan(story.all) == {}
    # The figures and the anonymous rows they count are the same.
    assert figures.as_json(figures.compute(selection)) == figures_before
    assert figures._funnel(selection) == funnel_before
    assert _counts() == counts_before
    assert not StoredPdf.objects.exists() and not SigningCode.objects.exists()
    assert not PersonalLink.objects.filter(participant__case=case).exists()
    assert not Remark.objects.exists()
    assert ConferenceRecord.objects.get().case is None  # the tie to the case is cut (ADR 0011)
    # The case row itself stays, with its state and dates.
    kept = Case.objects.get(pk=case.pk)
    assert kept.state == "closed" and kept.referral.submitted_at is not None
    # Each participant is an anonymous row now, shown as erased.
    for participant in Participant.objects.filter(case=case):
        assert participant.erased_at is not None
        assert participant.name == str(ERASED_NAME)
        assert Participant.objects.filter(pk=participant.pk).values_list("name", flat=True)[0] == ""

    # A second erasure changes nothing.
    with transaction.atomic():
        assert registry.erase_case(case) == 0


def test_the_erased_document_file_is_deleted_from_its_store_after_the_commit(
    story, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.STORAGES = {
        **settings.STORAGES,
        "plans": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    settings.KRING_DOCUMENT_STORAGE = "plans"
    document = SignedDocument.objects.get(case=story.case)
    storage.save(document, b"%PDF-1.7 " + mark("case", "pdf-file").encode())
    document.save()
    path = tmp_path / document.name
    assert path.exists()

    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        registry.erase_case(story.case)
    assert path.exists()  # not before the commit: a rolled-back erasure keeps the file
    for callback in callbacks:
        callback()
    assert not path.exists()
    assert SignedDocument.objects.get(pk=document.pk).name == ""


def test_the_retention_date_of_a_closed_case_is_its_closure_s(story):
    closure = Closure.objects.get(case=story.case)
    assert registry.retention_dates(story.case) == [closure.retain_until]


def test_an_open_case_has_no_retention_date_from_follow_up(following_up):
    assert registry.retention_dates(following_up) == []


# --- one participant ----------------------------------------------------------------------------


@pytest.fixture
def before_signing(final_version, everyone_said_yes, carla):
    """Carla's case with its plan final (version 1) and nobody signed yet, every free text set
    to a marker; Daan has a personal link, a signing code, a declination and came from the
    request. Returns the story."""
    from kring.circle.models import FromRequest

    case = final_version.plan.case
    people = {key: Participant.objects.get(pk=p.pk) for key, p in everyone_said_yes.items()}
    m = Story()
    _fill_request(case, m)
    _fill_circle(case, people, carla, m)
    daan = people["daan"]
    person = ReferralPerson.objects.create(
        referral_id=case.referral_id,
        name=m("daan", "named-in-request"),
        side="responsible",
        contact=m("daan", "contact-in-request"),
    )
    FromRequest.objects.create(
        person=person, participant=daan, decided_at=timezone.now(), decided_by=carla
    )
    now = timezone.now()
    SigningCode.objects.create(participant=daan, code_hash="1" * 64, created_at=now, expires_at=now)
    Declination.objects.create(
        version=final_version,
        participant=daan,
        declined_by=daan,
        role="own",
        method="remote",
        reason=m("daan", "declined"),
        declined_at=now,
    )
    with transaction.atomic():
        m.token = links.issue(daan, by=carla).token
    m.case = case
    m.people = people
    m.version = final_version
    return m


def test_the_erasure_of_one_participant_leaves_none_of_their_words_and_the_others(
    before_signing, client
):
    m = before_signing
    daan = m.people["daan"]
    theirs, others = m.of("daan"), m.of("sanne", "joost", "ria", "case")
    assert set(scan(theirs)) == theirs
    # Daan's name is in the frozen version, which nobody signed: it may go.
    assert daan.name in str(PlanVersion.objects.get(pk=m.version.pk).content)
    assert registry.erasure_blockers(daan) == []

    with transaction.atomic():
        erased = registry.erase_participant_data(daan)

    assert erased > 0
    assert scan(theirs) == {}
    assert set(scan(others)) == others  # the others' words and names stay
    daan.refresh_from_db()
    assert daan.erased_at is not None and daan.name == str(ERASED_NAME)
    assert daan.side == "responsible" and daan.status  # the anonymous row stays
    assert not PersonalLink.objects.filter(participant=daan).exists()
    assert not SigningCode.objects.filter(participant=daan).exists()
    # The version that nobody signed has the hash of what it now says.
    version = PlanVersion.objects.get(pk=m.version.pk)
    from kring.conference import content

    assert version.content_hash == content.content_hash(version.content)
    # Their link opens nothing any more.
    response = client.get(reverse("portal:enter", args=[m.token]))
    assert response.status_code not in (302, 303)
    # Saved again after a reload (a later change of their status), the name stays empty.
    daan.status = "withdrawn"
    daan.save()
    assert Participant.objects.filter(pk=daan.pk).values_list("name", flat=True)[0] == ""
    # Erasing again changes nothing.
    with transaction.atomic():
        assert registry.erase_participant_data(Participant.objects.get(pk=daan.pk)) == 0


def test_an_open_portal_session_of_an_erased_participant_shows_nothing(before_signing, client):
    m = before_signing
    entered = client.get(reverse("portal:enter", args=[m.token]))
    assert entered.status_code == 303
    home = client.get(reverse("portal:home"))
    assert home.status_code == 200
    with transaction.atomic():
        registry.erase_participant_data(m.people["daan"])
    after = client.get(reverse("portal:home"))
    assert after.status_code != 200 or m.people["daan"].name not in after.content.decode()
    assert mark("daan", "question") not in after.content.decode()


def test_the_circle_page_shows_an_erased_participant_as_erased(before_signing, carla, client):
    m = before_signing
    daan = m.people["daan"]
    with transaction.atomic():
        registry.erase_participant_data(daan)
    force_verified_login(client, carla)
    page = client.get(reverse("circle:overview", args=[m.case.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert str(ERASED_NAME) in text
    assert daan.name not in text  # the name as loaded before the erasure
    assert m.people["sanne"].name in text
    # The timeline names them the same way.
    assert registry.people(m.case, [daan.pk])[daan.pk].name == str(ERASED_NAME)


def test_a_participant_who_signed_cannot_be_erased_and_one_who_did_not_can(
    ellen, final_version, everyone_said_yes, carla
):
    daan, sanne = everyone_said_yes["daan"], everyone_said_yes["sanne"]
    assert registry.erasure_blockers(daan) == []
    sign_everyone(final_version, carla)
    reasons = registry.erasure_blockers(daan)
    assert [str(r) for r in reasons] == [
        "This person signed the plan, or is named in a signed plan. Their name stays in the "
        "signed plan until the case is erased at the end of its retention period."
    ]
    assert registry.erasure_blockers(sanne)
    # Ellen (Sanne's mother, added after the conference) is in no signed plan.
    assert registry.erasure_blockers(ellen) == []


def test_a_version_being_sealed_that_names_someone_blocks_their_erasure(
    final_version, everyone_said_yes, carla
):
    """Named in a version whose document is being made, without a signature of their own (an
    agreement's owner who was not present, say): still blocked."""
    from kring.signing.models import SignedDocument as Document

    ria = everyone_said_yes["ria"]
    Document.objects.create(
        version=final_version,
        case=final_version.plan.case,
        code="ABCDEFGHJKMN",
        created_at=timezone.now(),
    )
    assert Signature.objects.filter(participant=ria).count() == 0
    assert ria.name in str(final_version.content)
    assert registry.erasure_blockers(ria)


def test_the_reports_of_one_participant_are_erased_and_the_others_stay(story):
    daan = story.people["daan"]
    from kring.followup import erasure

    with transaction.atomic():
        assert erasure.erase_participant(daan) == 1
    assert scan({mark("daan", "report"), mark("daan", "report-answer")}) == {}
    assert set(scan({mark("sanne", "report")})) == {mark("sanne", "report")}
