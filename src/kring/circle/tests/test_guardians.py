"""Guardians make sense (issue 8, point 2; R9): a minor's parent or guardian is an adult on
the minor's own side, never a person responsible for harm done to that minor. The coordinator's
form refuses anything else with a clear message, and a guardian recorded before this rule never
sees or consents for a child on the other side."""

import pytest
from django.urls import reverse

from kring.audit.actors import Actor
from kring.circle import actions, policy
from kring.circle.models import Side
from kring.core.policy import Refused


@pytest.fixture
def sanne_a_minor(sanne):
    sanne.is_minor = True
    sanne.save(update_fields=["is_minor"])
    return sanne


def test_the_person_responsible_cannot_be_the_guardian_of_a_harmed_child(
    carla, daan, sanne_a_minor
):
    with pytest.raises(Refused) as refused:
        actions.update_participant(sanne_a_minor, by=carla, guardian=daan)
    assert refused.value.code == "guardian"
    assert "does not stand on the same side as Sanne" in str(refused.value.reason)
    sanne_a_minor.refresh_from_db()
    assert sanne_a_minor.guardian_id is None


def test_a_supporter_of_the_other_side_cannot_be_the_guardian(carla, joost, sanne_a_minor):
    with pytest.raises(Refused):
        actions.update_participant(sanne_a_minor, by=carla, guardian=joost)


def test_another_minor_cannot_be_a_guardian(carla, preparing_case, ria, sanne_a_minor):
    ria.is_minor = True
    ria.save(update_fields=["is_minor"])
    with pytest.raises(Refused) as refused:
        actions.update_participant(sanne_a_minor, by=carla, guardian=ria)
    assert "is a minor and cannot be a parent or guardian" in str(refused.value.reason)


def test_a_guardian_cannot_become_a_minor_themselves(carla, ria, sanne_a_minor):
    actions.update_participant(sanne_a_minor, by=carla, guardian=ria)
    with pytest.raises(Refused):
        actions.update_participant(ria, by=carla, is_minor=True)


def test_an_adult_in_the_childs_own_circle_is_a_guardian(carla, ria, sanne_a_minor):
    actions.update_participant(sanne_a_minor, by=carla, guardian=ria)
    sanne_a_minor.refresh_from_db()
    assert sanne_a_minor.guardian == ria


def test_a_child_added_with_a_guardian_from_the_other_side_is_refused(carla, preparing_case, daan):
    with pytest.raises(Refused):
        actions.add_participant(
            preparing_case,
            by=carla,
            name="Ruben Verhoef",
            side=Side.HARMED,
            is_minor=True,
            guardian=daan,
        )
    assert not preparing_case.participants.filter(name="Ruben Verhoef").exists()


def test_the_form_says_why_and_keeps_what_was_typed(
    as_user, carla, preparing_case, daan, sanne_a_minor
):
    url = reverse("circle:edit", args=[preparing_case.pk, sanne_a_minor.pk])
    page = as_user(carla).get(url).content.decode()
    assert "Daan" in page  # Daan is offered in the list (the form does not know the rule)
    response = as_user(carla).post(
        url,
        {
            "name": sanne_a_minor.name,
            "relation": "verhuisd",
            "language": sanne_a_minor.language,
            "is_minor": "on",
            "guardian": daan.pk,
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    assert "does not stand on the same side as Sanne" in html
    assert 'value="verhuisd"' in html
    sanne_a_minor.refresh_from_db()
    assert sanne_a_minor.guardian_id is None


def test_a_guardian_recorded_across_sides_before_the_rule_neither_sees_nor_consents(
    carla, daan, sanne_a_minor
):
    # As it could be stored before the rule was enforced.
    sanne_a_minor.guardian = daan
    sanne_a_minor.save(update_fields=["guardian"])
    assert not policy.is_guardian_of(daan, sanne_a_minor)
    refused = policy.may_consent(
        Actor.in_portal(daan, for_participant=sanne_a_minor), sanne_a_minor
    )
    assert refused is not None and refused.access


def test_the_migration_reports_cases_with_a_guardian_across_sides(
    capsys, carla, daan, sanne_a_minor, preparing_case
):
    import importlib

    from django.apps import apps

    sanne_a_minor.guardian = daan
    sanne_a_minor.save(update_fields=["guardian"])
    migration = importlib.import_module("kring.circle.migrations.0003_report_guardians")
    migration.report(apps, None)
    out = capsys.readouterr().out
    assert preparing_case.reference in out
    assert "Daan" not in out and "Sanne" not in out
