"""No staff page with case data is kept by a browser or a proxy (issue 8, point 13): every
response to a signed-in user says Cache-Control: no-store, as the portal's do."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    "name, who",
    [
        ("cases:inbox", "bram"),
        ("cases:team_cases", "mira"),
        ("cases:my_cases", "carla"),
        ("cases:detail", "carla"),
        ("accounts:account", "carla"),
        ("audit:log", "mira"),
    ],
)
def test_pages_for_signed_in_staff_are_never_stored(name, who, request, as_user, carlas_case):
    user = request.getfixturevalue(who)
    args = [carlas_case.pk] if name == "cases:detail" else []
    response = as_user(user).get(reverse(name, args=args))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_the_public_request_form_is_not_marked_for_signed_in_users_only(client, db):
    response = client.get(reverse("referrals:new"))
    assert "no-store" not in response.get("Cache-Control", "")
