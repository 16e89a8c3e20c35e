"""The questionnaires for staff (issue 13, point 1; R16): the panel on the case page (who was
asked and who filled one in, never what), the coordinator typing in a questionnaire filled in
on paper (not Olaf, not the manager), and the blank questionnaire to print, per role, without
any case data."""

import html
import re

import pytest
from django.urls import reverse

from kring.audit.models import AuditEvent
from kring.research import actions, case_views
from kring.research.models import Answer, Invitation, Remark
from kring.testing.auth import force_verified_login

pytestmark = pytest.mark.django_db

REMARK = "Tante Ria schreef: goed gesprek."


def as_user(client, user):
    force_verified_login(client, user)
    client.cookies["django_language"] = "nl"
    return client


def text(response) -> str:
    body = response.content.decode().split("</head>", 1)[-1]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def paper_url(case, invitation) -> str:
    return reverse("research:on_paper", args=[case.pk, invitation.pk])


def invitation_of(participant) -> Invitation:
    return Invitation.objects.get(participant=participant, round=1)


def test_the_case_panel_says_who_filled_in_never_what(following_up, sanne, ria, carla, client):
    from kring.audit.actors import Actor

    actions.answer(
        invitation_of(sanne), {"satisfied": 5, "remark": REMARK}, by=Actor.in_portal(sanne)
    )
    page = as_user(client, carla).get(reverse("cases:detail", args=[following_up.pk]))
    seen = text(page)
    assert "Vragenlijsten" in seen
    assert "Ingevuld: 1 van 4." in seen
    # Honest about the free text: the manager reads it.
    assert "De manager van het team leest wat iemand bij de laatste vraag heeft geschreven." in seen
    assert "Sanne Jansen" in seen and "Ria Jansen" in seen
    assert REMARK not in seen
    markup = page.content.decode()
    # Carla may type in Ria's (not yet filled in), not Sanne's (filled in on her page).
    assert paper_url(following_up, invitation_of(ria)) in markup
    assert paper_url(following_up, invitation_of(sanne)) not in markup
    assert reverse("research:print", args=["harmed"]) in markup
    # Both questionnaires to print (there is a second one, after the configured months).
    assert reverse("research:print", args=["harmed"]) + "?round=2" in markup


def test_without_a_second_questionnaire_the_panel_prints_only_the_first(
    following_up, carla, client, settings
):
    settings.KRING_EVALUATION_SECOND_MONTHS = 0
    page = as_user(client, carla).get(reverse("cases:detail", args=[following_up.pk]))
    markup = page.content.decode()
    assert reverse("research:print", args=["harmed"]) in markup
    assert "?round=2" not in markup


def test_the_manager_reads_the_panel_without_typing_in(following_up, ria, mira, client):
    page = as_user(client, mira).get(reverse("cases:detail", args=[following_up.pk]))
    assert "Vragenlijsten" in text(page)
    markup = page.content.decode()
    assert paper_url(following_up, invitation_of(ria)) not in markup
    assert reverse("research:print", args=["supporter"]) in markup  # she hands it out too


def test_the_office_sees_no_questionnaires(following_up, bram, client):
    page = as_user(client, bram).get(reverse("cases:detail", args=[following_up.pk]))
    assert page.status_code == 200
    assert "Vragenlijsten" not in text(page)


def test_carla_types_in_rias_paper_questionnaire(following_up, ria, carla, client):
    invitation = invitation_of(ria)
    as_user(client, carla)
    page = client.get(paper_url(following_up, invitation))
    seen = text(page)
    assert page.status_code == 200
    assert "Een vragenlijst van papier invoeren" in seen and "Ria Jansen" in seen
    assert "Is de situatie hersteld?" not in seen  # Ria is family: no questions for the harmed
    response = client.post(
        paper_url(following_up, invitation),
        {"satisfied": "4", "feel_better": "yes", "remark": REMARK},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[following_up.pk])
    invitation.refresh_from_db()
    assert invitation.on_paper and invitation.answered_at is not None
    answer = Answer.objects.get()
    assert (answer.role, answer.satisfied, answer.feel_better) == ("supporter", 4, "yes")
    assert Remark.objects.get().text == REMARK
    # Typed in once: a second POST stores nothing and says why.
    again = client.post(paper_url(following_up, invitation), {"satisfied": "1"})
    assert again.status_code == 400
    assert "Deze vragenlijst is al ingevuld." in text(again)
    assert "Dank je wel" not in text(again)  # the words for the participant, not for Carla
    assert Answer.objects.count() == 1
    kinds = list(AuditEvent.objects.filter(action__startswith="research.on_paper"))
    assert [e.action for e in kinds].count(case_views.ON_PAPER_VIEWED) == 2
    assert [e.action for e in kinds].count(case_views.ON_PAPER_REFUSED) == 1


def test_a_bad_paper_value_is_the_forms_error(following_up, ria, carla, client):
    response = as_user(client, carla).post(
        paper_url(following_up, invitation_of(ria)), {"satisfied": "6"}
    )
    assert response.status_code == 400
    assert "Kies een getal van 1 tot en met 5." in text(response)
    assert not Answer.objects.exists()


def test_olaf_and_the_manager_cannot_type_in(following_up, ria, olaf, mira, client):
    url = paper_url(following_up, invitation_of(ria))
    # Olaf does not see Carla's case at all: not found.
    as_user(client, olaf)
    assert client.get(url).status_code == 404
    assert client.post(url, {"satisfied": "4"}).status_code == 404
    # Mira sees the case but types nothing in: forbidden.
    as_user(client, mira)
    assert client.get(url).status_code == 403
    assert client.post(url, {"satisfied": "4"}).status_code == 403
    assert not Answer.objects.exists()


def test_an_invitation_of_another_case_is_not_found(following_up, ria, carla, client):
    from kring.testing.factories import CaseFactory

    other = CaseFactory(team=following_up.team, coordinator=carla)
    url = paper_url(other, invitation_of(ria))
    assert as_user(client, carla).post(url, {"satisfied": "4"}).status_code == 404
    assert not Answer.objects.exists()


@pytest.mark.parametrize("role", ["harmed", "responsible", "supporter", "other"])
def test_the_blank_questionnaire_prints_for_each_role(role, carla, client):
    page = as_user(client, carla).get(reverse("research:print", args=[role]))
    seen = text(page)
    assert page.status_code == 200
    assert "Als je terugkijkt op de conferentie: hoe tevreden ben je?" in seen
    assert ("Is de situatie hersteld?" in seen) == (role == "harmed")
    assert "Kleur bij elke vraag één rondje in." in seen


def test_the_second_questionnaire_prints_with_its_own_introduction(carla, client):
    first = text(as_user(client, carla).get(reverse("research:print", args=["harmed"])))
    second_page = client.get(reverse("research:print", args=["harmed"]) + "?round=2")
    second = text(second_page)
    assert second_page.status_code == 200
    assert "Hoe kijk je terug op de conferentie?" in first
    assert "Een paar maanden later" not in first
    assert "Hoe kijk je terug op de conferentie?" not in second
    assert "Een paar maanden geleden was je bij de conferentie. Hoe gaat het nu?" in second
    assert "Dit is een tweede, korte vragenlijst." in second
    assert "Is de situatie hersteld?" in second  # the same questions
    bad = client.get(reverse("research:print", args=["harmed"]) + "?round=3")
    assert bad.status_code == 404


def test_who_stopped_taking_part_is_named_so_to_the_coordinator(following_up, joost, carla, client):
    from kring.circle.models import Participant, Status

    Participant.objects.filter(pk=joost.pk).update(status=Status.WITHDRAWN)
    page = as_user(client, carla).get(paper_url(following_up, invitation_of(joost)))
    seen = text(page)
    assert "Deze persoon doet niet meer mee." in seen
    assert "Je doet niet meer mee" not in seen
    assert f'action="{paper_url(following_up, invitation_of(joost))}"' not in page.content.decode()


def test_printing_is_for_coordinators_and_managers(carla, mira, ruud, bram, client):
    url = reverse("research:print", args=["responsible"])
    assert as_user(client, mira).get(url).status_code == 200
    assert as_user(client, ruud).get(url).status_code == 403
    assert as_user(client, bram).get(url).status_code == 403
    assert as_user(client, carla).get(reverse("research:print", args=["judge"])).status_code == 404
    assert as_user(client, carla).post(url).status_code == 405
