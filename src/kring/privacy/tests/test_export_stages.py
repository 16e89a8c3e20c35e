"""Daan's export after the conference (issue 14, point 8): every stage gives its part (the
date poll, the conference, the signed plan, follow-up), and still nothing of Sanne's: her report
on an agreement stays out of Daan's export, his own is in it."""

import json

import pytest
from django.urls import reverse

from kring.audit.actors import Actor
from kring.circle.models import Participant
from kring.followup import actions as followup

pytestmark = pytest.mark.django_db

DAANS_REPORT = "Daanreport7741"
SANNES_REPORT = "Sannereport7742"


def test_daans_export_after_the_conference_holds_every_stage_and_nothing_of_sanne(
    following_up, bike, carla, as_user
):
    daan = Participant.objects.get(case=following_up, name="Daan de Boer")
    sanne = Participant.objects.get(case=following_up, name="Sanne Jansen")
    followup.report_done(bike, by=Actor.in_portal(daan), participant=daan, text=DAANS_REPORT)
    followup.invoke(bike, by=Actor.in_portal(sanne), participant=sanne, text=SANNES_REPORT)
    url = reverse(
        "privacy:export_download",
        kwargs={"pk": following_up.pk, "participant_id": daan.pk, "fmt": "json"},
    )
    body = as_user(carla).get(url).content.decode("utf-8")
    data = json.loads(body)
    keys = {item["key"] for section in data["sections"] for item in section["items"]}
    assert {
        "conference.attendance",
        "plan.agreement",
        "signing.signature",
        "followup.agreement",
        "followup.report",
    } <= keys
    assert DAANS_REPORT in body
    assert SANNES_REPORT not in body
    assert sanne.email not in body
