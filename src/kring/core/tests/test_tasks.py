from datetime import timedelta

from django.contrib.sessions.models import Session
from django.utils import timezone

from kring.core.tasks import clear_expired_sessions


def test_the_daily_task_removes_expired_sessions_and_keeps_live_ones(db):
    now = timezone.now()
    Session.objects.create(session_key="expired", session_data="", expire_date=now - timedelta(1))
    Session.objects.create(session_key="live", session_data="", expire_date=now + timedelta(1))
    clear_expired_sessions.call_local()
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]
