"""The legal hold on the case page (issue 14, point 7): the team's manager places it from the
panel (POST only) and lifts it after a page that asks to confirm; everyone else who sees the case
gets a 403, anyone who does not a 404; each is on the timeline and in the audit log."""

import pytest
from django.urls import reverse
from django.utils import timezone

from kring.audit.models import AuditEvent
from kring.cases import actions
from kring.cases.models import CaseEvent
from kring.privacy import holds, retention
from kring.privacy.models import CaseErasure, LegalHold
from kring.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def declined(referred_case, bram):
    return actions.decline(referred_case, reason="not_suitable", by=bram)


def _place(client, case, reference=""):
    return client.post(reverse("privacy:place_hold", args=[case.pk]), {"reference": reference})


def test_the_manager_places_a_hold_with_a_reference_and_the_page_says_so(declined, as_user, mira):
    client = as_user(mira)
    page = client.get(reverse("cases:detail", args=[declined.pk])).content.decode()
    assert "Keep the case (legal hold)" in page
    assert "Lift the hold" not in page

    response = _place(client, declined, "  C/16/123456  ")

    assert response.status_code == 302
    hold = LegalHold.objects.get(case=declined)
    assert (hold.reference, hold.placed_by, hold.lifted_at) == ("C/16/123456", mira, None)
    page = client.get(reverse("cases:detail", args=[declined.pk])).content.decode()
    assert "On hold since" in page and "C/16/123456" in page
    assert "Keep the case (legal hold)" not in page
    assert "Lift the hold" in page
    event = CaseEvent.objects.get(case=declined, kind=holds.HOLD_PLACED)
    assert event.actor == mira and event.data == {"hold": hold.pk}
    audit = AuditEvent.objects.get(action=holds.HOLD_PLACED, case_id=declined.pk)
    assert "C/16/123456" not in str(audit.data)  # the reference stays on the case page


def test_lifting_asks_to_confirm_and_then_lifts(declined, as_user, mira):
    holds.place_hold(declined, by=mira)
    client = as_user(mira)
    url = reverse("privacy:lift_hold", args=[declined.pk])

    page = client.get(url).content.decode()
    assert "What lifting does" in page
    assert LegalHold.objects.get(case=declined).lifted_at is None  # a GET changes nothing
    assert AuditEvent.objects.filter(action="privacy.lift_hold_viewed").count() == 1

    assert client.post(url).status_code == 302
    hold = LegalHold.objects.get(case=declined)
    assert hold.lifted_by == mira and hold.lifted_at is not None
    assert CaseEvent.objects.filter(case=declined, kind=holds.HOLD_LIFTED).count() == 1


@pytest.mark.parametrize("who", ["bram", "carla", "olaf"])
def test_no_one_but_the_teams_manager_places_or_lifts_a_hold(request, declined, as_user, who):
    user = request.getfixturevalue(who)
    client = as_user(user)
    visible = client.get(reverse("cases:detail", args=[declined.pk])).status_code == 200
    expected = 403 if visible else 404

    assert _place(client, declined, "X").status_code == expected
    assert not LegalHold.objects.exists()
    LegalHold.objects.create(
        case=declined, placed_at=timezone.now(), placed_by=request.getfixturevalue("mira")
    )
    url = reverse("privacy:lift_hold", args=[declined.pk])
    assert client.get(url).status_code == expected
    assert client.post(url).status_code == expected
    assert LegalHold.objects.get(case=declined).lifted_at is None
    if visible:
        page = client.get(reverse("cases:detail", args=[declined.pk])).content.decode()
        assert "Lift the hold" not in page and "Keep the case (legal hold)" not in page


def test_the_manager_of_another_team_does_not_find_the_case(declined, as_user, other_team):
    vera = UserFactory(username="vera", first_name="Vera", role="manager", team=other_team)
    client = as_user(vera)
    assert _place(client, declined).status_code == 404
    assert not LegalHold.objects.exists()


def test_placing_a_hold_takes_a_post(declined, as_user, mira):
    client = as_user(mira)
    assert client.get(reverse("privacy:place_hold", args=[declined.pk])).status_code == 405
    assert not LegalHold.objects.exists()


def test_a_reference_too_long_or_on_two_lines_is_refused_and_nothing_is_held(
    declined, as_user, mira
):
    client = as_user(mira)
    response = _place(client, declined, "x" * 101)
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Write at most 100 characters (now 101)." in page
    _place(client, declined, "C/16\n123")
    assert not LegalHold.objects.exists()


def test_a_second_hold_is_refused(declined, as_user, mira):
    holds.place_hold(declined, by=mira, reference="first")
    client = as_user(mira)
    _place(client, declined, "second")
    assert list(LegalHold.objects.values_list("reference", flat=True)) == ["first"]


def test_the_panel_shows_until_when_a_case_is_kept_and_that_it_was_erased(
    declined, as_user, mira, bram
):
    kept = retention.kept_until(declined)
    assert kept == retention.add_months(timezone.localdate(), 6)
    page = as_user(bram).get(reverse("cases:detail", args=[declined.pk])).content.decode()
    assert "Kept until" in page
    assert "Keep the case (legal hold)" not in page  # the office reads, does not hold

    CaseErasure.objects.create(
        case=declined, erased_at=timezone.now(), reason="declined", due_since=kept
    )
    page = as_user(mira).get(reverse("cases:detail", args=[declined.pk])).content.decode()
    assert "was erased on" in page
    assert "Keep the case (legal hold)" not in page
