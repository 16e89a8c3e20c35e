"""The circle's form pages log the read (issue 14, finding 8): the "add a person" page lists the
participants' names (whom the new person supports), so opening it is a read of case data, in the
audit log like the circle page itself. tests/authz/test_reads_audited.py walks every other page."""

import pytest
from django.urls import reverse

from kring.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _reads(case, user):
    return AuditEvent.objects.filter(action="circle.viewed", case=case, actor=user)


def test_opening_the_add_a_person_page_is_in_the_audit_log(
    as_user, carla, preparing_case, daan, sanne
):
    response = as_user(carla).get(reverse("circle:add", args=[preparing_case.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert daan.name in page and sanne.name in page  # the names it shows
    read = _reads(preparing_case, carla).get()
    assert read.actor_role == "coordinator"


def test_opening_the_risk_page_is_in_the_audit_log(as_user, carla, preparing_case):
    response = as_user(carla).get(reverse("circle:risk_add", args=[preparing_case.pk]))
    assert response.status_code == 200
    assert _reads(preparing_case, carla).count() == 1


def test_a_refused_role_reads_nothing_and_no_read_is_logged(as_user, olaf, preparing_case):
    response = as_user(olaf).get(reverse("circle:add", args=[preparing_case.pk]))
    assert response.status_code == 404
    assert not _reads(preparing_case, olaf).exists()


def test_the_page_shown_again_after_a_mistake_is_a_read_too(as_user, carla, preparing_case, daan):
    """A POST that the form refuses shows the page again, names and all: logged like the GET."""
    response = as_user(carla).post(
        reverse("circle:add", args=[preparing_case.pk]), {"name": "", "side": "supporter"}
    )
    assert response.status_code == 200
    assert daan.name in response.content.decode()
    assert _reads(preparing_case, carla).count() == 1
