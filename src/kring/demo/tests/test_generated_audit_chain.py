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


def test_the_demo_managers_access_log_says_the_log_is_complete(client):
    from django.test import override_settings
    from django.urls import reverse

    from kring.accounts.models import User
    from kring.testing.auth import force_verified_login

    with override_settings(DEMO_MODE=True):
        call_command("load_demo", stdout=io.StringIO())
    force_verified_login(client, User.objects.get(username="mira"))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "nl"
    html = client.get(reverse("audit:log")).content.decode()
    assert "Het logboek is compleet en niet veranderd" in html
