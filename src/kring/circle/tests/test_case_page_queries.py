"""The case page's query count does not grow with the circle (issue 3, "How it is checked")."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kring.circle import actions
from kring.circle.models import Mode, Side
from kring.testing.auth import force_verified_login
from kring.testing.circle_people import add
from kring.testing.people import DAAN, SANNE


def _grow(case, carla, n):
    daan = case.participants.filter(side=Side.RESPONSIBLE).first() or add(DAAN, case, by=carla)
    for i in range(n):
        person = actions.add_participant(
            case, by=carla, name=f"Steun {i}", side=Side.SUPPORTER, supports=daan
        )
        actions.record_conversation(
            person, held_at=timezone.now(), mode=Mode.PHONE, notes="", by=carla
        )


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_case_page_queries_are_the_same_for_a_circle_of_5_and_40(client, carla, preparing_case):
    force_verified_login(client, carla)
    url = reverse("cases:detail", args=[preparing_case.pk])
    _grow(preparing_case, carla, 4)
    client.get(url)
    small = _count(client, url)
    _grow(preparing_case, carla, 35)
    assert preparing_case.participants.count() == 40
    assert _count(client, url) == small


def test_case_page_draws_the_circle_and_names_who_was_not_yet_spoken_with(
    as_user, carla, bram, preparing_case
):
    daan = add(DAAN, preparing_case, by=carla)
    add(SANNE, preparing_case, by=carla)
    actions.record_conversation(
        daan, held_at=timezone.now(), mode=Mode.PHONE, notes="Geheime notitie", by=carla
    )
    url = reverse("cases:detail", args=[preparing_case.pk])
    html = as_user(carla).get(url).content.decode()
    assert 'role="img"' in html and "Daan de Boer" in html
    assert "1 of 2 people who take part" in html
    assert "Not yet spoken with: Sanne Jansen" in html
    office = as_user(bram).get(url).content.decode()
    assert "Sanne Jansen" in office  # people and their states
    assert "Geheime notitie" not in office and DAAN.phone not in office
