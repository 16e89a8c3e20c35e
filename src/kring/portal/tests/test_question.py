"""The portal's "Vraag iets aan je coördinator" (issue 8, point 3): the question is stored, the
coordinator gets a notice and an e-mail without content, answers in Kring (or by telephone),
and the participant reads the answer on their page and is told by e-mail, without content."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from kring.circle.models import Notice, Question
from kring.notifications.models import OutgoingMail
from kring.portal.questions import QUESTIONS_PER_DAY
from kring.testing.auth import force_verified_login
from kring.testing.people import DAAN

pytestmark = pytest.mark.django_db

QUESTION = "Mag mijn moeder mee naar het gesprek?"
ANSWER = "Ja, dat mag. Ik bel je morgen om het te regelen."
ASK = reverse("portal:question")


def test_a_question_asked_in_the_portal_reaches_the_coordinator_without_its_text(
    as_daan, preparing_case, carla
):
    response = as_daan.post(ASK, {"text": QUESTION})
    assert response.status_code == 303
    question = Question.objects.get()
    assert question.text == QUESTION and question.participant.name == DAAN.name
    notice = Notice.objects.get(kind="circle.question")
    assert notice.question == question
    [mail] = OutgoingMail.objects.filter(kind="circle.notice")
    assert mail.to == carla.email
    for text in (mail.subject, mail.body_text, mail.body_html):
        assert "moeder" not in text and DAAN.first_name not in text
    page = as_daan.get(ASK).content.decode()
    assert QUESTION in page
    assert "Your coordinator has not answered yet." in page


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", "Type your question."),
        ("x" * 1001, "Your question is too long. Write it in at most 1000 characters."),
    ],
)
def test_an_empty_or_too_long_question_gets_a_clear_message(as_daan, text, error):
    response = as_daan.post(ASK, {"text": text})
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Question.objects.exists()


def test_questions_are_limited_per_day(as_daan):
    for n in range(QUESTIONS_PER_DAY):
        assert as_daan.post(ASK, {"text": f"Vraag {n}"}).status_code == 303
    response = as_daan.post(ASK, {"text": "Nog een vraag"})
    assert "You have asked many questions today." in response.content.decode()
    assert Question.objects.count() == QUESTIONS_PER_DAY


def _signed_in(user) -> Client:
    """Another browser than the participant's: the coordinator's."""
    client = Client()
    force_verified_login(client, user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # these tests read English
    return client


def test_the_coordinator_answers_and_the_participant_reads_it_on_their_page(
    as_daan, preparing_case, carla
):
    as_daan.post(ASK, {"text": QUESTION})
    question = Question.objects.get()
    staff = _signed_in(carla)
    url = reverse("circle:answer", args=[preparing_case.pk, question.pk])
    assert url in staff.get(reverse("cases:detail", args=[preparing_case.pk])).content.decode()
    page = staff.get(url).content.decode()
    assert QUESTION in page
    response = staff.post(url, {"answer": ""})
    assert "Type your answer, or choose that you answered by telephone." in (
        response.content.decode()
    )
    assert staff.post(url, {"answer": ANSWER}).status_code == 302
    question.refresh_from_db()
    assert question.answer == ANSWER and question.answered_by == carla
    assert not Notice.objects.filter(handled_at__isnull=True).exists()
    [mail] = OutgoingMail.objects.filter(kind="circle.answered")
    assert mail.to == DAAN.email
    assert ANSWER not in mail.body_text + mail.body_html + mail.subject
    assert "moeder" not in mail.body_text + mail.body_html + mail.subject
    # A second answer is refused: the page says it has been answered.
    assert "This question has been answered already." in staff.get(url).content.decode()

    home = as_daan.get(reverse("portal:home")).content.decode()
    assert "Answer from your coordinator" in home
    assert ANSWER in home


def test_an_answer_by_telephone_shows_no_text_and_sends_no_mail(as_daan, preparing_case, carla):
    as_daan.post(ASK, {"text": QUESTION})
    question = Question.objects.get()
    url = reverse("circle:answer", args=[preparing_case.pk, question.pk])
    _signed_in(carla).post(url, {"by_phone": "on"})
    question.refresh_from_db()
    assert question.answered_how == Question.How.PHONE and question.answer == ""
    assert not OutgoingMail.objects.filter(kind="circle.answered").exists()


@pytest.mark.parametrize(("who", "status"), [("olaf", 404), ("bram", 403), ("mira", 403)])
def test_only_the_coordinator_of_the_case_reads_and_answers_a_question(
    request, as_daan, preparing_case, who, status
):
    as_daan.post(ASK, {"text": QUESTION})
    question = Question.objects.get()
    url = reverse("circle:answer", args=[preparing_case.pk, question.pk])
    client = _signed_in(request.getfixturevalue(who))
    assert client.get(url).status_code == status
    assert client.post(url, {"answer": "Nee"}).status_code == status
    question.refresh_from_db()
    assert not question.answered
