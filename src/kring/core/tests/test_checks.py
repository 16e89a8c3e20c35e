import pytest
from django.conf import settings
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


def test_kring_csrf_middleware_satisfies_kring_own_check():
    assert "kring.E001" not in warning_ids()


def test_django_false_csrf_warning_is_silenced():
    assert "security.W003" in settings.SILENCED_SYSTEM_CHECKS


@pytest.mark.parametrize(
    "csrf",
    ["kring.portal.csrf.PortalCsrfViewMiddleware", "django.middleware.csrf.CsrfViewMiddleware"],
)
def test_django_csrf_middleware_or_a_subclass_is_accepted(csrf):
    middleware = [m for m in settings.MIDDLEWARE if "csrf" not in m.lower()] + [csrf]
    with override_settings(MIDDLEWARE=middleware):
        assert "kring.E001" not in warning_ids()


def test_missing_csrf_middleware_is_an_error():
    middleware = [m for m in settings.MIDDLEWARE if "csrf" not in m.lower()]
    with override_settings(MIDDLEWARE=middleware):
        (error,) = [m for m in checks.run_checks() if m.id == "kring.E001"]
    assert error.level == checks.ERROR
