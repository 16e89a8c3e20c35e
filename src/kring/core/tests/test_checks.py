import pytest
from django.conf import settings
from django.core import checks
from django.test import override_settings


def warning_ids(*, deploy=False):
    return {message.id for message in checks.run_checks(include_deployment_checks=deploy)}


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("demo_mode", [False, True])
def test_demo_mode_warns_in_the_deploy_check_whatever_debug(demo_mode, debug):
    with override_settings(DEMO_MODE=demo_mode, DEBUG=debug):
        assert ("kring.W001" in warning_ids(deploy=True)) is demo_mode


@override_settings(DEMO_MODE=True, DEBUG=False)
def test_the_demo_itself_runs_without_debug_and_without_the_warning():
    # `kring demo` migrates (which runs the checks) without DEBUG since issue 14.
    assert "kring.W001" not in warning_ids()


@override_settings(DEMO_MODE=True, DEBUG=False)
def test_the_demo_mode_warning_says_the_second_factor_is_off():
    (warning,) = [
        m for m in checks.run_checks(include_deployment_checks=True) if m.id == "kring.W001"
    ]
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
