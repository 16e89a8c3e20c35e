"""The places to sign (signing.queries, R14): everyone present signs the final version."""

import pytest

from kring.signing import queries
from kring.signing.models import Role

pytestmark = pytest.mark.django_db


def test_everyone_present_has_a_place_to_sign_the_final_version(final_version, everyone_said_yes):
    case = final_version.plan.case
    assert queries.version_to_sign(case) == final_version
    found = [(s.participant.pk, s.role) for s in queries.slots(final_version)]
    assert sorted(found) == sorted((p.pk, Role.OWN) for p in everyone_said_yes.values())
    assert not queries.is_fully_signed(final_version)


def test_a_plan_changed_after_its_version_has_nothing_to_sign(final_version):
    plan = final_version.plan
    plan.edit_count += 1
    plan.save()
    assert queries.version_to_sign(plan.case) is None
