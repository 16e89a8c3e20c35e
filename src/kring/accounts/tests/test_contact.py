"""Everyone can reach their coordinator (issue 8, point 3): a coordinator keeps a work telephone
number and e-mail address on their account page, and accounts.contact decides whom a
participant or requester is told to contact."""

import pytest
from django.urls import reverse

from kring.accounts import contact
from kring.audit.models import AuditEvent
from kring.testing.auth import force_verified_login


@pytest.fixture
def as_carla(client, carla):
    force_verified_login(client, carla)
    return client


def test_a_coordinator_saves_her_work_phone_and_email_on_her_account_page(as_carla, carla):
    response = as_carla.post(
        reverse("accounts:contact_details"),
        {"work_phone": " 030  123 45 67 ", "work_email": "carla@herstel.example.org"},
    )

    assert response.status_code == 302
    carla.refresh_from_db()
    assert (carla.work_phone, carla.work_email, carla.away) == (
        "030 123 45 67",
        "carla@herstel.example.org",
        False,
    )
    page = as_carla.get(reverse("accounts:account")).content.decode()
    assert "030 123 45 67" in page and "carla@herstel.example.org" in page
    event = AuditEvent.objects.get(action="account.contact_details_changed")
    assert event.data == {"fields": ["work_email", "work_phone"]}  # which, never the values
    assert "030" not in str(event.data)


def test_a_wrong_phone_number_or_email_is_refused_with_a_clear_message(as_carla, carla):
    response = as_carla.post(
        reverse("accounts:contact_details"), {"work_phone": "bel me", "work_email": "carla@"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter a telephone number like 030 123 45 67" in page
    assert "Enter an e-mail address like name@organisation.nl." in page
    carla.refresh_from_db()
    assert carla.work_phone == "" and carla.work_email == ""


def test_the_phone_error_reads_in_dutch(client, carla):
    force_verified_login(client, carla)
    response = client.post(
        reverse("accounts:contact_details"),
        {"work_phone": "12345"},
        HTTP_ACCEPT_LANGUAGE="nl",
    )

    assert "Vul een telefoonnummer in zoals 030 123 45 67" in response.content.decode()


def test_the_participant_is_told_the_coordinators_first_name_and_work_details(carla):
    carla.work_phone, carla.work_email = "06 12 34 56 78", "carla@herstel.example.org"

    told = contact.for_coordinator(carla)

    assert told.is_coordinator and told.coordinator == "Carla"
    assert (told.phone, told.email, told.phone_href) == (
        "06 12 34 56 78",
        "carla@herstel.example.org",
        "0612345678",
    )


def test_without_a_reachable_coordinator_the_organisation_is_the_contact(carla, settings):
    settings.KRING_CONTACT_PHONE = "030 765 43 21"
    settings.KRING_CONTACT_EMAIL = "herstel@example.org"
    carla.work_phone = "06 12 34 56 78"

    for coordinator, away in [(None, False), (carla, True)]:
        if coordinator is not None:
            coordinator.away = True
        told = contact.for_coordinator(coordinator)
        assert not told.is_coordinator
        assert (told.phone, told.email, told.coordinator_away) == (
            "030 765 43 21",
            "herstel@example.org",
            away,
        )

    carla.away, carla.work_phone = False, ""  # named, with the organisation's number
    told = contact.for_coordinator(carla)
    assert told.coordinator == "Carla" and told.phone == "030 765 43 21"
    assert not told.coordinator_away


def test_the_administrator_edits_the_work_details_in_the_admin(client, admin_user, carla):
    force_verified_login(client, admin_user)

    page = client.get(reverse("admin:accounts_user_change", args=[carla.pk])).content.decode()

    assert 'name="work_phone"' in page and 'name="work_email"' in page and 'name="away"' in page
