"""The circle starts from the request (issue 8, point 8): the people named in the request are
offered on the circle page as its first members, with their side, and added with one click
each, never automatically; one the coordinator does not want is set aside with one click; either
way they are no longer offered. Only the case's coordinator, while the circle is prepared."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kring.cases.lifecycle import State
from kring.cases.models import CaseEvent
from kring.circle import actions
from kring.circle.from_request import contact_fields
from kring.circle.models import FromRequest, Participant, Side
from kring.referrals.models import ReferralPerson
from kring.testing.factories import ReferralFactory


def overview_url(case):
    return reverse("circle:overview", args=[case.pk])


def offer_url(case, person):
    return reverse("circle:add_from_request", args=[case.pk, person.pk])


def named(case, name):
    return case.referral.people.get(name=name)


def offered(html: str) -> str:
    """The section of the page that offers the request's people ('' when there is none)."""
    start = html.find('id="from-request"')
    return html[start : html.find("</section>", start)] if start != -1 else ""


def test_nothing_is_added_by_itself(preparing_case):
    assert not Participant.objects.filter(case=preparing_case).exists()


def test_the_coordinator_adds_each_person_from_the_request_with_one_click(
    as_user, carla, preparing_case
):
    client = as_user(carla)
    section = offered(client.get(overview_url(preparing_case)).content.decode())
    assert "People named in the request" in section
    assert "Daan" in section and "Sanne" in section

    response = client.post(
        offer_url(preparing_case, named(preparing_case, "Daan")), {"choice": "add"}
    )

    daan = Participant.objects.get(case=preparing_case, name="Daan")
    assert daan.side == Side.RESPONSIBLE
    assert response.status_code == 302 and response["Location"].endswith(f"#person-{daan.pk}")
    assert FromRequest.objects.get(person__name="Daan").participant == daan
    event = CaseEvent.objects.filter(case=preparing_case, kind="circle.participant_added").get()
    assert event.data == {"participant": daan.pk, "side": "responsible", "from_request": True}
    page = client.get(overview_url(preparing_case)).content.decode()
    assert "Daan is added to the circle. Check their details." in page
    assert "Daan" not in offered(page) and "Sanne" in offered(page)  # no longer offered

    client.post(offer_url(preparing_case, named(preparing_case, "Sanne")), {"choice": "add"})

    assert Participant.objects.get(case=preparing_case, name="Sanne").side == Side.HARMED
    assert offered(client.get(overview_url(preparing_case)).content.decode()) == ""


@pytest.mark.parametrize(
    ("contact", "email", "phone"),
    [
        ("sanne@example.org", "sanne@example.org", ""),
        ("06 1234 5678", "", "06 1234 5678"),
        ("+31 (0)38 123 45 67", "", "+31 (0)38 123 45 67"),
        ("via haar moeder, woont bij de bakker", "", ""),
        ("06 1234 5678 of sanne@example.org", "", ""),
    ],
)
def test_contact_details_are_filled_in_only_when_plainly_an_email_or_phone(
    as_user, carla, preparing_case, contact, email, phone
):
    person = named(preparing_case, "Sanne")
    person.contact = contact
    person.save()
    client = as_user(carla)
    section = offered(client.get(overview_url(preparing_case)).content.decode())
    if not (email or phone):
        assert "copy them by hand" in section and contact in section

    client.post(offer_url(preparing_case, person), {"choice": "add"})

    sanne = Participant.objects.get(case=preparing_case, name="Sanne")
    assert (sanne.email, sanne.phone, sanne.address) == (email, phone, "")


def test_contact_fields():
    assert contact_fields(" ria@example.org ") == {"email": "ria@example.org"}
    assert contact_fields("038-1234567") == {"phone": "038-1234567"}
    assert contact_fields("12345") == {}
    assert contact_fields("Kerkstraat 12, Zwolle") == {}
    assert contact_fields("") == {}


def test_for_someone_the_requester_was_not_sure_about_the_coordinator_chooses_the_side(
    as_user, carla, preparing_case
):
    person = ReferralPerson.objects.create(
        referral=preparing_case.referral, name="Buurman Henk", side="unknown"
    )
    client = as_user(carla)
    section = offered(client.get(overview_url(preparing_case)).content.decode())
    assert 'name="side"' in section

    response = client.post(offer_url(preparing_case, person), {"choice": "add"}, follow=True)

    assert "Choose the side of Buurman Henk." in response.content.decode()
    assert not Participant.objects.filter(name="Buurman Henk").exists()

    client.post(offer_url(preparing_case, person), {"choice": "add", "side": "other"})

    assert Participant.objects.get(name="Buurman Henk").side == Side.OTHER


def test_a_supporter_joins_the_circle_the_coordinator_chooses(as_user, carla, preparing_case):
    person = ReferralPerson.objects.create(
        referral=preparing_case.referral, name="Joost", side="supporter"
    )
    client = as_user(carla)
    client.post(offer_url(preparing_case, named(preparing_case, "Daan")), {"choice": "add"})
    daan = Participant.objects.get(name="Daan")

    client.post(offer_url(preparing_case, person), {"choice": "add", "supports": daan.pk})

    joost = Participant.objects.get(name="Joost")
    assert (joost.side, joost.supports) == (Side.SUPPORTER, daan)


def test_do_not_add_sets_a_person_aside_with_one_click(as_user, carla, preparing_case):
    client = as_user(carla)
    person = named(preparing_case, "Sanne")

    client.post(offer_url(preparing_case, person), {"choice": "skip"})

    assert not Participant.objects.filter(case=preparing_case).exists()
    assert FromRequest.objects.get(person=person).participant is None
    assert "Sanne" not in offered(client.get(overview_url(preparing_case)).content.decode())
    assert CaseEvent.objects.filter(kind="circle.request_person_set_aside").count() == 1


def test_a_person_is_added_once_only(as_user, carla, preparing_case):
    client = as_user(carla)
    person = named(preparing_case, "Daan")
    client.post(offer_url(preparing_case, person), {"choice": "add"})

    response = client.post(offer_url(preparing_case, person), {"choice": "add"}, follow=True)

    assert "has been added or set aside already" in response.content.decode()
    assert Participant.objects.filter(case=preparing_case, name="Daan").count() == 1


def test_taking_out_a_person_added_by_mistake_offers_them_again(carla, preparing_case):
    daan = actions.add_from_request(named(preparing_case, "Daan"), by=carla)

    actions.remove_participant(daan, by=carla)

    assert not FromRequest.objects.exists()
    assert FromRequest.objects.count() == 0


@pytest.mark.parametrize(("who", "status"), [("bram", 403), ("mira", 403), ("olaf", 404)])
def test_no_one_but_the_cases_coordinator_adds_from_the_request(
    as_user, request, preparing_case, who, status
):
    client = as_user(request.getfixturevalue(who))
    person = named(preparing_case, "Daan")

    response = client.post(offer_url(preparing_case, person), {"choice": "add"})

    assert response.status_code == status
    assert not Participant.objects.filter(case=preparing_case).exists()
    assert not FromRequest.objects.exists()
    if status == 403:  # they see the circle, without the request's people
        assert offered(client.get(overview_url(preparing_case)).content.decode()) == ""


def test_no_one_is_added_from_the_request_after_the_circle_stage(as_user, carla, preparing_case):
    preparing_case.state = State.SCHEDULED
    preparing_case.save(update_fields=["state"])
    client = as_user(carla)
    assert "Add to the circle" not in client.get(overview_url(preparing_case)).content.decode()

    response = client.post(
        offer_url(preparing_case, named(preparing_case, "Daan")), {"choice": "add"}, follow=True
    )

    assert "only while the case is being prepared" in response.content.decode()
    assert not Participant.objects.filter(case=preparing_case).exists()


def test_a_person_of_another_request_is_not_found(as_user, carla, preparing_case):
    stranger = ReferralFactory().people.first()

    response = as_user(carla).post(offer_url(preparing_case, stranger), {"choice": "add"})

    assert response.status_code == 404
    assert not Participant.objects.exists()


def test_the_offer_costs_the_same_queries_for_two_people_or_twelve(as_user, carla, preparing_case):
    client = as_user(carla)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(overview_url(preparing_case)).status_code == 200
        return len(queries)

    count()  # the first request of a session costs a few more
    few = count()
    for n in range(10):
        ReferralPerson.objects.create(
            referral=preparing_case.referral, name=f"Buur {n}", side="other", contact="06 1234 5678"
        )
    assert count() == few
