"""The audit rows `kring generate` writes in bulk form one valid chain with the rows Kring
writes itself, before and after them (issue 14 point 1)."""

import io

import pytest
from django.core.management import call_command

from kring.audit.log import record
from kring.audit.models import AuditEvent
from kring.demo.generate import generate

pytestmark = pytest.mark.django_db


def test_the_generated_log_verifies(settings, carla):
    settings.DEMO_MODE = True
    record("case.viewed", actor=carla)
    generate(120, seed=3)
    generate(40, seed=4, append=True)
    record("case.viewed", actor=carla)
    count = AuditEvent.objects.count()
    assert count > 500
    assert AuditEvent.objects.order_by("-seq").values_list("seq", flat=True)[0] == count
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert f"{count} rows read" in out.getvalue()
