"""The questionnaire on the participant's personal page (issue 13, point 1; R16), read as the
participant would, in Dutch: the panel on their page while a questionnaire waits, the form of
their role, storing it once (a second POST is a polite 400), bad input refused with the form's
error in Dutch and nothing stored, someone who stopped taking part refused, and every showing
logged."""

import html
import re

import pytest
from django.conf import settings
from django.urls import reverse

from kring.audit.models import AuditEvent
from kring.circle import links
from kring.circle.models import Participant, Status
from kring.research import portal_views
from kring.research.models import Answer, Invitation, Remark, Round

pytestmark = pytest.mark.django_db

PAGE = "research:questionnaire"
REMARK = "Ik vond het spannend, maar het hielp."


def enter(client, participant, carla):
    """`client` on `participant`'s personal page, reading it in Dutch."""
    token = links.issue(participant, by=carla).token
    assert client.get(reverse("portal:enter", args=[token])).status_code == 303
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    return client


def text(response) -> str:
    body = response.content.decode().split("</head>", 1)[-1]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def url(round_=Round.FIRST) -> str:
    return reverse(PAGE, args=[round_])


def test_the_panel_leads_to_the_questionnaire_until_it_is_filled_in(
    following_up, sanne, carla, client
):
    enter(client, sanne, carla)
    home = client.get(reverse("portal:home"))
    assert "Er staat een korte vragenlijst voor je klaar" in text(home)
    assert f'href="{url()}"' in home.content.decode()

    client.post(url(), {"satisfied": "4"})
    assert "Er staat een korte vragenlijst voor je klaar" not in text(
        client.get(reverse("portal:home"))
    )


def test_the_harmed_person_answers_every_question_and_is_thanked(
    following_up, sanne, carla, client
):
    enter(client, sanne, carla)
    page = client.get(url())
    seen = text(page)
    assert page.status_code == 200
    assert "Hoe kijk je terug op de conferentie?" in seen
    assert "Als je terugkijkt op de conferentie: hoe tevreden ben je?" in seen
    assert "Is de situatie hersteld?" in seen  # the questions for the person harmed
    assert "1: helemaal niet tevreden" in seen and "5: heel tevreden" in seen
    assert "Ik ben minder bang." in seen and "Niet van toepassing" in seen
    # What is promised is true: the manager reads the free text and knows the case.
    assert "De manager van het team leest dit en weet over welke zaak het gaat." in seen
    assert "Alleen de manager" not in seen
    assert "alleen voor cijfers waarin niemand te herkennen is" in seen
    assert "Is de situatie hersteld?" in seen and "1: helemaal niet hersteld" in seen
    assert "5: helemaal hersteld" in seen
    assert "Werd er op de conferentie goed gepraat?" in seen

    response = client.post(
        url(),
        {
            "satisfied": "5",
            "situation_restored": "4",
            "said_well": "4",
            "good_agreements": "5",
            "less_afraid": "yes",
            "move_on": "na",
            "remark": REMARK,
        },
    )
    assert response.status_code == 303
    thanks = client.get(response["Location"])
    assert "Dank je wel voor het invullen van de vragenlijst." in text(thanks)
    assert "Je hebt deze vragenlijst al ingevuld. Dank je wel." in text(thanks)
    assert f'action="{url()}"' not in thanks.content.decode()
    answer = Answer.objects.get()
    assert (answer.satisfied, answer.situation_restored, answer.said_well) == (5, 4, 4)
    assert (answer.less_afraid, answer.move_on, answer.feel_better) == ("yes", "na", "")
    assert Remark.objects.get().text == REMARK


def test_a_second_post_is_a_polite_400_and_stores_nothing(following_up, daan, carla, client):
    enter(client, daan, carla)
    assert client.post(url(), {"satisfied": "4"}).status_code == 303
    again = client.post(url(), {"satisfied": "1", "remark": "nog een keer"})
    assert again.status_code == 400
    # Said to her in her own words, not as staff read it.
    assert "Je hebt deze vragenlijst al ingevuld. Dank je wel." in text(again)
    assert "Deze vragenlijst is al ingevuld." not in text(again)
    assert Answer.objects.count() == 1 and Answer.objects.get().satisfied == 4
    assert not Remark.objects.exists()
    refused = AuditEvent.objects.filter(action=portal_views.REFUSED).get()
    assert refused.data == {"round": 1, "code": "answered"}


def test_the_questions_for_the_person_harmed_are_not_asked_of_others_and_never_stored(
    following_up, daan, carla, client
):
    enter(client, daan, carla)
    seen = text(client.get(url()))
    assert "Is de situatie hersteld?" not in seen
    client.post(url(), {"satisfied": "3", "situation_restored": "5", "said_well": "5"})
    answer = Answer.objects.get()
    assert answer.satisfied == 3 and answer.situation_restored is None and answer.said_well is None


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"satisfied": "7"}, "Kies een getal van 1 tot en met 5."),
        ({"satisfied": "0"}, "Kies een getal van 1 tot en met 5."),
        ({"less_afraid": "misschien"}, "Kies ja, nee of niet van toepassing."),
        ({}, "Beantwoord minstens één vraag voordat je de vragenlijst verstuurt."),
        ({"remark": "   "}, "Beantwoord minstens één vraag voordat je de vragenlijst verstuurt."),
        ({"remark": "x" * 2001}, "Schrijf hoogstens 2000 tekens."),
    ],
)
def test_bad_input_gets_the_error_in_dutch_and_nothing_is_stored(
    following_up, sanne, carla, client, data, error
):
    enter(client, sanne, carla)
    response = client.post(url(), data)
    assert response.status_code == 400
    seen = text(response)
    assert "Er is een probleem" in seen and error in seen
    assert not Answer.objects.exists() and not Remark.objects.exists()
    assert Invitation.objects.get(participant=sanne).answered_at is None
    # The form is shown again to correct.
    assert f'action="{url()}"' in response.content.decode()


def test_who_stopped_taking_part_cannot_fill_it_in(following_up, daan, joost, carla, client):
    # Before: Daan fills his in.
    enter(client, daan, carla)
    assert client.post(url(), {"satisfied": "4"}).status_code == 303
    assert Answer.objects.count() == 1
    # Joost stopped taking part (set directly: after signing no action of the circle does).
    Participant.objects.filter(pk=joost.pk).update(status=Status.WITHDRAWN)
    client.logout()
    enter(client, joost, carla)
    assert "vragenlijst voor je klaar" not in text(client.get(reverse("portal:home")))
    page = client.get(url())
    assert "Je doet niet meer mee, dus deze vragenlijst is niet meer voor jou." in text(page)
    assert "Deze persoon doet niet meer mee." not in text(page)  # the words for staff
    assert f'action="{url()}"' not in page.content.decode()
    response = client.post(url(), {"satisfied": "4"})
    assert response.status_code == 400
    assert Answer.objects.count() == 1


def test_a_round_without_an_invitation_is_not_found(following_up, sanne, carla, client):
    enter(client, sanne, carla)
    assert client.get(url(Round.SECOND)).status_code == 404
    assert client.post(url(Round.SECOND), {"satisfied": "4"}).status_code == 404
    assert not Answer.objects.exists()


def test_without_a_personal_page_there_is_no_questionnaire(following_up, client):
    response = client.get(url())
    assert response.status_code == 404
    assert client.post(url(), {"satisfied": "4"}).status_code == 404
    assert not Answer.objects.exists()


def test_the_second_questionnaire_says_it_is_optional(following_up, daan, carla, client, settings):
    from kring.research import actions
    from kring.research.models import ConferenceRecord

    record = ConferenceRecord.objects.get(case=following_up)
    actions.invite_second_round(today=actions.months_before(record.held_on, -7))
    enter(client, daan, carla)
    home = text(client.get(reverse("portal:home")))
    assert "Een paar maanden geleden was je bij de conferentie. Hoe gaat het nu?" in home
    seen = text(client.get(url(Round.SECOND)))
    assert "Een paar maanden geleden was je bij de conferentie. Hoe gaat het nu?" in seen
    assert "Je hoeft hem niet in te vullen." in seen


def test_every_showing_is_logged_without_an_answer(following_up, sanne, carla, client):
    enter(client, sanne, carla)
    client.get(url())
    client.post(url(), {"satisfied": "9"})
    client.post(url(), {"satisfied": "5", "remark": REMARK})
    client.get(url())
    viewed = AuditEvent.objects.filter(action=portal_views.VIEWED)
    assert viewed.count() == 3  # the form, the form with its error, the thank-you
    assert {e.actor_participant_id for e in viewed} == {sanne.pk}
    for event in AuditEvent.objects.filter(action__startswith="research."):
        assert REMARK not in str(event.data)
