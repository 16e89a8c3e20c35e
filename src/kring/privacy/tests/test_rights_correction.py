"""Correcting a participant's data (GDPR article 16; issue 14, point 8) on the circle's own page
for a person's details (circle:edit, circle.actions.update_participant): the case's coordinator
corrects, and the audit row names the fields changed, never their values. That page stays the
coordinator's (the office and the manager: 403; another coordinator: 404); the office corrects on
the privacy app's page, write-only for contact details (test_rights_correct.py)."""

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from kring.audit.models import AuditEvent
from kring.circle.forms import ParticipantForm
from kring.circle.models import Participant

pytestmark = pytest.mark.django_db

NEW_EMAIL = "daan.nieuw@example.org"


def _posted(participant, **changes):
    data = model_to_dict(participant, fields=ParticipantForm.Meta.fields)
    data = {k: ("" if v is None else v) for k, v in data.items() if v is not False}
    data.update(changes)
    return data


def _edit_url(participant):
    return reverse("circle:edit", args=[participant.case_id, participant.pk])


def test_the_coordinator_corrects_an_address_and_the_log_names_only_the_field(daan, carla, as_user):
    response = as_user(carla).post(_edit_url(daan), _posted(daan, email=NEW_EMAIL))
    assert response.status_code == 302
    assert Participant.objects.get(pk=daan.pk).email == NEW_EMAIL
    row = AuditEvent.objects.filter(action="circle.participant_changed").get()
    assert row.data == {"fields": ["email"]}
    assert NEW_EMAIL not in str(row.data)


@pytest.mark.parametrize(("who", "status"), [("bram", 403), ("mira", 403), ("olaf", 404)])
def test_no_one_else_corrects(who, status, daan, as_user, request):
    client = as_user(request.getfixturevalue(who))
    response = client.post(_edit_url(daan), _posted(daan, email=NEW_EMAIL))
    assert response.status_code == status
    assert Participant.objects.get(pk=daan.pk).email != NEW_EMAIL
    assert not AuditEvent.objects.filter(action="circle.participant_changed").exists()
