"""Integer settings with a lower bound (issue 12 review): a negative number of days or years is
refused at start-up, never quietly turned into a retention date in the past or no reminders."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from kring.env import env_int


def test_a_value_below_the_minimum_is_refused_with_the_setting_named(monkeypatch):
    monkeypatch.setenv("KRING_RETENTION_YEARS_OTHER", "-1")
    with pytest.raises(
        ImproperlyConfigured, match="KRING_RETENTION_YEARS_OTHER must be at least 1"
    ):
        env_int("KRING_RETENTION_YEARS_OTHER", 2, minimum=1)


def test_the_minimum_itself_and_the_default_are_accepted(monkeypatch):
    monkeypatch.setenv("KRING_DUE_REMINDER_DAYS", "0")
    assert env_int("KRING_DUE_REMINDER_DAYS", 3, minimum=0) == 0
    monkeypatch.delenv("KRING_DUE_REMINDER_DAYS")
    assert env_int("KRING_DUE_REMINDER_DAYS", 3, minimum=0) == 3


def test_without_a_minimum_a_negative_number_is_still_a_number(monkeypatch):
    monkeypatch.setenv("KRING_SOME_OFFSET", "-5")
    assert env_int("KRING_SOME_OFFSET", 0) == -5
