"""The printout of the plan and the paper form (issue 10, point 7): A4 documents with the fixed
texts in plain Dutch, the plan, and who was present; a meeting held on paper is marked as such
once typed in."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from kring.audit.models import AuditEvent
from kring.cases.lifecycle import State
from kring.circle.models import Participant, Side, Status
from kring.conference import content, paper
from kring.conference.models import Agreement, Attendance, Conference, Plan, PlanVersion, Round
from kring.core.policy import NotAllowed, Refused

pytestmark = pytest.mark.django_db

NOTE = "Sanne was boos en verdrietig."
ABSENT = "Willem Wegbleef"
INTRO = "Iedereen die bij de conferentie was, heeft dit plan samen gemaakt."


@pytest.fixture
def dutch():
    with translation.override("nl"):
        yield


def _held_on(case) -> str:
    """The printout's first fixed text, with the day of the case's meeting as Dutch reads it."""
    from django.utils.formats import date_format

    from kring.scheduling.models import Meeting

    meeting = Meeting.objects.filter(case=case).order_by("-starts_at").first()
    with translation.override("nl"):
        day = date_format(timezone.localtime(meeting.starts_at), "l j F Y")
    return f"Dit is het herstelplan van de Eigen Kracht-conferentie van {day}."


def _nl(client):
    client.cookies["django_language"] = "nl"
    return client


@pytest.fixture
def full_plan(plan, carla, daan, sanne):
    """Two agreements, the evaluation date and what happens when one is not kept; a round note
    and someone who did not come, neither of which belongs in the printout."""
    Agreement.objects.create(
        plan=plan,
        position=1,
        what="Daan betaalt de reparatie van de fiets.",
        who=daan,
        for_whom="Sanne",
        by_when=date(2027, 8, 1),
        how_checked="Sanne laat het Ria weten.",
        prevents_repeat=False,
    )
    Agreement.objects.create(
        plan=plan,
        position=2,
        what="Daan fietst voortaan om via de Kerkstraat.",
        who=daan,
        for_whom="Sanne",
        how_checked="Joost vraagt het na.",
        prevents_repeat=True,
    )
    plan.evaluation_date = date(2027, 10, 14)
    plan.if_not_kept = "Dan belt Ria de coördinator."
    plan.save()
    Round.objects.filter(conference=plan.conference, position=2).update(note=NOTE)
    absent = Participant.objects.create(
        case=plan.case, name=ABSENT, side=Side.OTHER, status=Status.ACCEPTED
    )
    Attendance.objects.create(
        conference=plan.conference,
        participant=absent,
        present=False,
        recorded_at=timezone.now(),
        recorded_by=carla,
    )
    return plan


def test_the_printout_shows_the_fixed_texts_the_plan_and_who_was_there(as_user, carla, full_plan):
    html = _nl(as_user(carla)).get(reverse("conference:print", args=[full_plan.case_id]))
    text = html.content.decode()
    assert html.status_code == 200
    assert "Herstelplan" in text
    assert _held_on(full_plan.case) in text
    assert INTRO in text
    assert "Iedereen die erbij was, ondertekent het plan. Iedereen krijgt een kopie." in text
    assert "In de woorden van Sanne Jansen" in text
    assert "Afspraak 1" in text and "Afspraak 2" in text
    assert "Daan betaalt de reparatie van de fiets." in text
    assert "zondag 1 augustus 2027" in text
    assert "Voorkomt herhaling" in text
    assert "donderdag 14 oktober 2027" in text
    assert "Dan belt Ria de coördinator." in text
    assert "concept, nog niet vastgesteld" in text
    # Who was there, names only; not who stayed away, no note, no contact details.
    for name in ("Daan de Boer", "Sanne Jansen", "Joost de Boer", "Ria Jansen"):
        assert name in text
    assert ABSENT not in text
    assert NOTE not in text
    assert "sanne@example.org" not in text and "06 9876 5432" not in text
    assert AuditEvent.objects.filter(action="conference.plan_printed", actor=carla).count() == 1


def test_a_version_prints_as_it_was_frozen(as_user, carla, full_plan):
    frozen = content.canonical(full_plan)
    PlanVersion.objects.create(
        plan=full_plan,
        number=1,
        content=frozen,
        content_hash=content.content_hash(frozen),
        edit_count=full_plan.edit_count,
        finalised_at=timezone.now(),
        finalised_by=carla,
    )
    # A later change is in the plan as it stands, not in version 1.
    Agreement.objects.filter(plan=full_plan, position=1).update(what="Daan verft de fiets.")
    Plan.objects.filter(pk=full_plan.pk).update(edit_count=full_plan.edit_count + 1)
    client = _nl(as_user(carla))
    url = reverse("conference:print", args=[full_plan.case_id])
    version = client.get(url, {"versie": 1}).content.decode()
    assert "Daan betaalt de reparatie van de fiets." in version
    assert "Daan verft de fiets." not in version
    assert "versie 1 van" in version
    now = client.get(url).content.decode()
    assert "Daan verft de fiets." in now and "concept, nog niet vastgesteld" in now
    assert client.get(url, {"versie": 2}).status_code == 404
    assert client.get(url, {"versie": "x"}).status_code == 404


def test_a_final_plan_prints_the_stored_text_of_its_latest_version(as_user, carla, full_plan):
    """While the plan is final (versions.is_final), the printout is exactly the hashed text of
    its latest version, not the live plan relabelled as that version."""
    frozen = content.canonical(full_plan)
    PlanVersion.objects.create(
        plan=full_plan,
        number=1,
        content=frozen,
        content_hash=content.content_hash(frozen),
        edit_count=full_plan.edit_count,
        finalised_at=timezone.now(),
        finalised_by=carla,
    )
    # A row changed behind the editor's back (edit_count not raised): still final.
    Agreement.objects.filter(plan=full_plan, position=1).update(what="Daan verft de fiets.")
    client = _nl(as_user(carla))
    url = reverse("conference:print", args=[full_plan.case_id])
    now = client.get(url).content.decode()
    assert "versie 1 van" in now and "concept" not in now
    assert "Daan betaalt de reparatie van de fiets." in now
    assert "Daan verft de fiets." not in now
    # Once an edit counts, it is the live plan, marked as a draft.
    Plan.objects.filter(pk=full_plan.pk).update(edit_count=full_plan.edit_count + 1)
    draft = client.get(url).content.decode()
    assert "Daan verft de fiets." in draft and "concept, nog niet vastgesteld" in draft
    assert "versie 1 van" not in draft


def test_the_manager_may_print_the_plan_the_office_and_another_coordinator_may_not(
    as_user, full_plan, mira, bram, olaf
):
    url = reverse("conference:print", args=[full_plan.case_id])
    assert as_user(mira).get(url).status_code == 200
    assert as_user(bram).get(url).status_code == 403
    assert as_user(olaf).get(url).status_code == 404


def test_before_the_rounds_are_done_the_printout_says_there_is_no_plan(as_user, carla, checking_in):
    text = _nl(as_user(carla)).get(reverse("conference:print", args=[checking_in.case_id]))
    assert "Er is nog geen plan." in text.content.decode()


def test_the_paper_form_has_the_fixed_texts_the_empty_spaces_and_the_names(
    as_user, carla, scheduled_case
):
    """Before check-in: the names of everyone who said yes."""
    text = _nl(as_user(carla)).get(reverse("conference:paper_form", args=[scheduled_case.pk]))
    html = text.content.decode()
    assert text.status_code == 200
    assert _held_on(scheduled_case) in html
    assert INTRO in html
    assert "Wat zou een goede uitkomst zijn?" in html
    assert "In de woorden van:" in html
    for label in ("Wat", "Wie doet het", "Voor wie", "Wanneer klaar", "Hoe controleren we het"):
        assert f'<th scope="row">{label}</th>' in html
    assert html.count("Voorkomt herhaling") == 5
    assert "Wanneer kijken we samen hoe het gaat? Datum:" in html
    assert "Als een afspraak niet wordt nagekomen" in html
    for name in ("Daan de Boer", "Sanne Jansen", "Joost de Boer", "Ria Jansen"):
        assert name in html
    assert "sanne@example.org" not in html
    # No conference yet: nothing to mark.
    assert reverse("conference:on_paper", args=[scheduled_case.pk]) not in html
    assert AuditEvent.objects.filter(action="conference.paper_form_printed").count() == 1


def test_the_paper_form_after_check_in_names_who_is_there(as_user, carla, full_plan):
    html = as_user(carla).get(reverse("conference:paper_form", args=[full_plan.case_id]))
    text = html.content.decode()
    assert "Daan de Boer" in text and ABSENT not in text


def test_the_paper_form_is_the_coordinators(as_user, scheduled_case, mira, bram, olaf):
    url = reverse("conference:paper_form", args=[scheduled_case.pk])
    assert as_user(mira).get(url).status_code == 403
    assert as_user(bram).get(url).status_code == 403
    assert as_user(olaf).get(url).status_code == 404


def test_marking_on_paper_shows_on_the_plan_the_screen_and_the_printout(as_user, carla, full_plan):
    client = _nl(as_user(carla))
    case_id = full_plan.case_id
    form = client.get(reverse("conference:paper_form", args=[case_id])).content.decode()
    assert reverse("conference:on_paper", args=[case_id]) in form
    before = full_plan.edit_count
    answer = client.post(reverse("conference:on_paper", args=[case_id]))
    assert answer.status_code == 302
    full_plan.refresh_from_db()
    assert full_plan.conference.on_paper
    assert full_plan.edit_count == before + 1  # the mark is part of the plan's content
    assert full_plan.case.events.filter(kind="conference.marked_on_paper", actor=carla).exists()
    mark = "Op papier gemaakt en achteraf ingetypt."
    assert mark in client.get(reverse("conference:print", args=[case_id])).content.decode()
    assert mark in client.get(reverse("conference:screen", args=[case_id])).content.decode()
    assert content.canonical(full_plan)["on_paper"] is True
    # Once is enough: the step is gone, and a second mark is refused with its reason.
    form = client.get(reverse("conference:paper_form", args=[case_id])).content.decode()
    assert reverse("conference:on_paper", args=[case_id]) not in form
    assert "al gemarkeerd als op papier gemaakt" in form
    with pytest.raises(Refused):
        paper.mark_on_paper(full_plan.conference, by=carla)


def test_marking_on_paper_is_refused_to_anyone_but_the_coordinator(
    as_user, full_plan, mira, bram, olaf
):
    url = reverse("conference:on_paper", args=[full_plan.case_id])
    assert as_user(mira).post(url).status_code == 403
    assert as_user(bram).post(url).status_code == 403
    assert as_user(olaf).post(url).status_code == 404
    assert not Conference.objects.get(pk=full_plan.conference_id).on_paper
    with pytest.raises(NotAllowed):
        paper.mark_on_paper(full_plan.conference, by=mira)


def test_marking_on_paper_before_the_start_is_refused_and_changes_nothing(
    as_user, carla, checking_in
):
    answer = as_user(carla).post(reverse("conference:on_paper", args=[checking_in.case_id]))
    assert answer.status_code == 302
    checking_in.refresh_from_db()
    assert not checking_in.on_paper
    assert not checking_in.case.events.filter(kind="conference.marked_on_paper").exists()


def test_marking_on_paper_after_the_plan_is_signed_is_refused(carla, full_plan):
    type(full_plan.case).objects.filter(pk=full_plan.case_id).update(state=State.FOLLOWING_UP)
    with pytest.raises(Refused):
        paper.mark_on_paper(Conference.objects.get(pk=full_plan.conference_id), by=carla)


def test_the_case_page_offers_the_printout_and_the_paper_form_to_who_may(
    as_user, carla, mira, bram, plan
):
    case_page = reverse("cases:detail", args=[plan.case_id])
    printout = reverse("conference:print", args=[plan.case_id])
    form = reverse("conference:paper_form", args=[plan.case_id])
    coordinator = as_user(carla).get(case_page).content.decode()
    assert printout in coordinator and form in coordinator
    manager = as_user(mira).get(case_page).content.decode()
    assert printout in manager and form not in manager
    office = as_user(bram).get(case_page).content.decode()
    assert printout not in office and form not in office


def test_before_the_plan_the_case_page_offers_the_paper_form_only(
    as_user, carla, mira, scheduled_case
):
    case_page = reverse("cases:detail", args=[scheduled_case.pk])
    coordinator = as_user(carla).get(case_page).content.decode()
    assert reverse("conference:paper_form", args=[scheduled_case.pk]) in coordinator
    assert reverse("conference:print", args=[scheduled_case.pk]) not in coordinator
    manager = as_user(mira).get(case_page).content.decode()
    assert reverse("conference:paper_form", args=[scheduled_case.pk]) not in manager


def test_the_paper_form_in_preparation_says_why_not(as_user, carla, preparing_case):
    answer = as_user(carla).get(reverse("conference:paper_form", args=[preparing_case.pk]))
    assert answer.status_code == 200
    text = answer.content.decode()
    assert "Wat zou een goede uitkomst zijn?" not in text
    assert "What would be a good outcome?" not in text
    # The reason: the case's state (the test client reads English, conftest.py).
    assert "Preparing" in text
    assert AuditEvent.objects.filter(action="conference.paper_form_printed").count() == 0
