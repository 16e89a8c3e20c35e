"""What a participant does in the portal reaches the coordinator at once (R9; issue 8, point 1):
a notice in their task list ("Mijn zaken", the case page) and an e-mail without content. The
coordinator marks a notice handled. What the coordinator records themselves makes no notice."""

import pytest
from django.urls import reverse

from kring.audit.actors import Actor
from kring.audit.models import AuditEvent
from kring.circle import actions
from kring.circle.models import Answer, Mode, Notice
from kring.notifications.models import OutgoingMail
from kring.testing.people import DAAN, SANNE

pytestmark = pytest.mark.django_db


def _invited(participant, carla):
    actions.invite(participant, channel="letter", by=carla)
    participant.refresh_from_db()
    return participant


def _notice_mails():
    return list(OutgoingMail.objects.filter(kind="circle.notice"))


def test_a_withdrawal_in_the_portal_reaches_the_coordinator_at_once_by_an_email_without_content(
    preparing_case, daan_acknowledged, sanne, carla
):
    sanne = _invited(sanne, carla)
    actions.withdraw(sanne, by=Actor.in_portal(sanne))

    notice = Notice.objects.get(case=preparing_case)
    assert (notice.kind, notice.participant, notice.is_open) == ("circle.withdrawn", sanne, True)
    [mail] = _notice_mails()
    assert mail.to == carla.email
    case_link = reverse("cases:detail", args=[preparing_case.pk])
    assert case_link in mail.body_text and case_link in mail.body_html
    for text in (mail.subject, mail.body_text, mail.body_html):
        for secret in (SANNE.name, SANNE.first_name, DAAN.first_name, preparing_case.reference):
            assert secret not in text


def test_declining_naming_someone_and_consenting_in_the_portal_each_reach_the_coordinator(
    preparing_case, daan_acknowledged, sanne, carla
):
    daan = _invited(daan_acknowledged, carla)
    sanne = _invited(sanne, carla)
    actions.respond(daan, accepts=True, by=Actor.in_portal(daan))  # nothing to act on
    actions.give_consent(
        daan,
        legal_advice=Answer.NO,
        interpreter=Answer.NO,
        support_person=Answer.NO,
        by=Actor.in_portal(daan),
    )
    actions.nominate(daan, name="Kees de Boer", by=Actor.in_portal(daan))
    actions.respond(sanne, accepts=False, by=Actor.in_portal(sanne))

    kinds = list(Notice.objects.filter(case=preparing_case).values_list("kind", flat=True))
    assert kinds == ["circle.consented", "circle.nominated", "circle.declined"]
    assert len(_notice_mails()) == 3
    assert all("Kees" not in m.body_text + m.subject for m in _notice_mails())


def test_saying_yes_after_saying_no_in_the_portal_reaches_the_coordinator_too(
    as_user, preparing_case, daan_acknowledged, sanne, carla
):
    sanne = _invited(sanne, carla)
    actions.respond(sanne, accepts=False, by=Actor.in_portal(sanne))
    actions.respond(sanne, accepts=True, by=Actor.in_portal(sanne))

    kinds = list(Notice.objects.filter(case=preparing_case).values_list("kind", flat=True))
    assert kinds == ["circle.declined", "circle.accepted_after_all"]
    assert len(_notice_mails()) == 2
    page = as_user(carla).get(reverse("cases:detail", args=[preparing_case.pk])).content.decode()
    assert f"{SANNE.name}: said yes after all, after saying no" in page


def test_what_the_coordinator_records_herself_makes_no_notice(
    preparing_case, daan_acknowledged, sanne, carla
):
    sanne = _invited(sanne, carla)
    actions.respond(sanne, accepts=False, mode=Mode.PHONE, by=carla)
    actions.withdraw(sanne, mode=Mode.PHONE, by=carla)
    assert not Notice.objects.exists()
    assert _notice_mails() == []


def test_my_cases_and_the_case_page_show_the_open_notice_until_it_is_marked_handled(
    as_user, preparing_case, daan_acknowledged, sanne, carla
):
    sanne = _invited(sanne, carla)
    actions.withdraw(sanne, by=Actor.in_portal(sanne))
    client = as_user(carla)

    my_cases = client.get(reverse("cases:my_cases")).content.decode()
    assert "Waiting for you: 1" in my_cases
    page = client.get(reverse("cases:detail", args=[preparing_case.pk])).content.decode()
    assert "Waiting for you" in page
    assert f"{SANNE.name}: stopped taking part" in page
    notice = Notice.objects.get()
    handle = reverse("circle:handle_notice", args=[preparing_case.pk, notice.pk])
    assert handle in page
    assert reverse("circle:record_return", args=[preparing_case.pk, sanne.pk]) in page

    response = client.post(handle)
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.handled_by == carla and not notice.is_open
    assert AuditEvent.objects.filter(action="circle.notice_handled").count() == 1
    assert "Waiting for you:" not in client.get(reverse("cases:my_cases")).content.decode()
    page = client.get(reverse("cases:detail", args=[preparing_case.pk])).content.decode()
    assert "Waiting for you" not in page


@pytest.mark.parametrize(("who", "status"), [("olaf", 404), ("bram", 403), ("mira", 403)])
def test_only_the_coordinator_of_the_case_sees_and_handles_its_notices(
    request, as_user, preparing_case, daan_acknowledged, sanne, carla, who, status
):
    sanne = _invited(sanne, carla)
    actions.withdraw(sanne, by=Actor.in_portal(sanne))
    notice = Notice.objects.get()
    client = as_user(request.getfixturevalue(who))
    response = client.post(reverse("circle:handle_notice", args=[preparing_case.pk, notice.pk]))
    assert response.status_code == status
    notice.refresh_from_db()
    assert notice.is_open
    if status == 403:
        page = client.get(reverse("cases:detail", args=[preparing_case.pk])).content.decode()
        assert "Waiting for you" not in page


def test_a_notice_is_handled_once(preparing_case, daan_acknowledged, sanne, carla):
    from kring.core.policy import Refused

    sanne = _invited(sanne, carla)
    actions.withdraw(sanne, by=Actor.in_portal(sanne))
    notice = Notice.objects.get()
    actions.handle_notice(notice, by=carla)
    with pytest.raises(Refused):
        actions.handle_notice(notice, by=carla)


def test_the_case_page_says_what_it_means_when_no_one_harmed_takes_part_any_more(
    as_user, preparing_case, daan_acknowledged, sanne, carla
):
    client = as_user(carla)
    url = reverse("cases:detail", args=[preparing_case.pk])
    gone = "No one on the harmed side takes part any more"
    # Before Sanne was invited, nobody has left: nothing is said.
    assert gone not in client.get(url).content.decode()
    sanne = _invited(sanne, carla)
    assert gone not in client.get(url).content.decode()
    actions.withdraw(sanne, by=Actor.in_portal(sanne))
    page = client.get(url).content.decode()
    assert gone in page
    assert "without them the conference cannot take place" in page
    assert "No one on the responsible side" not in page
