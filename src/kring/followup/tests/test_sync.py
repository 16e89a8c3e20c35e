"""The tracker follows the signed plan (issue 12, point 1; R14): followup.actions.sync."""

from datetime import date

import pytest

from kring.followup.models import AgreementState, Contact

pytestmark = pytest.mark.django_db


def test_signing_the_plan_tracks_its_agreements(following_up, bike, school):
    assert following_up.state == "following_up"
    assert bike.what and bike.owner.name == "Daan de Boer" and bike.due == date(2027, 12, 1)
    assert school.due is None
    assert bike.state == school.state == AgreementState.OPEN
    assert Contact.objects.filter(case=following_up).count() == 1
