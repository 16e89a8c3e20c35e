import pytest
from django.core import checks
from django.test import override_settings


def warning_ids():
    return {message.id for message in checks.run_checks()}


@pytest.mark.parametrize(
    ("demo_mode", "debug", "warns"),
    [(True, False, True), (True, True, False), (False, False, False), (False, True, False)],
)
def test_demo_mode_warns_only_without_debug(demo_mode, debug, warns):
    with override_settings(DEMO_MODE=demo_mode, DEBUG=debug):
        assert ("kring.W001" in warning_ids()) is warns


@override_settings(DEMO_MODE=True, DEBUG=False)
def test_the_demo_mode_warning_says_the_second_factor_is_off():
    (warning,) = [m for m in checks.run_checks() if m.id == "kring.W001"]
    assert warning.level == checks.WARNING
    assert "second factor" in warning.msg
