"""Who a request is signed in as, and whether past the second factor: every edge case answers as
Django's AuthenticationMiddleware with django_otp's OTPMiddleware did, and a signed-in request
costs two queries (the session, then the user with the device the session names)."""

from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware
from django_otp.plugins.otp_static.models import StaticDevice

from kring.accounts import sessions
from kring.accounts.models import SealedTOTPDevice
from kring.testing.auth import add_recovery_code, confirmed_device, force_verified_login
from kring.testing.users import PASSWORD

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
ACCOUNT = "/account/"


def signed_in(user, device=None, **extra) -> dict[str, Any]:
    """A session as the login pages leave it: password, then (with a device) the second
    factor."""
    data: dict[str, Any] = {
        SESSION_KEY: str(user.pk),
        BACKEND_SESSION_KEY: MODEL_BACKEND,
        HASH_SESSION_KEY: user.get_session_auth_hash(),
    }
    if device is not None:
        data[DEVICE_ID_SESSION_KEY] = device.persistent_id
    data.update(extra)
    return data


@dataclass
class Outcome:
    authenticated: bool
    user_pk: int | None
    user_class: str
    verified: bool | None
    device: str | None
    session_kept: bool  # the same session key after the request
    session: dict[str, Any]


def reference_middleware() -> list[type]:
    """What MIDDLEWARE held before: Django's, then django_otp's."""
    return [AuthenticationMiddleware, OTPMiddleware]


def installed_middleware() -> list[type]:
    """The middleware of MIDDLEWARE that sets request.user, in order, as installed now."""
    from django.utils.module_loading import import_string

    chosen = []
    for path in settings.MIDDLEWARE:
        cls = import_string(path)
        if issubclass(cls, AuthenticationMiddleware | OTPMiddleware) or path.startswith(
            "kring.accounts.signed_in"
        ):
            chosen.append(cls)
    return chosen


def outcome(middleware: list[type], data: dict[str, Any] | None) -> Outcome:
    """Runs a GET through `middleware` with a session holding `data` (None: no session)."""
    request = RequestFactory().get("/account/")
    store = SessionStore()
    if data is not None:
        store.update(data)
        store.create()
    key = store.session_key
    request.session = SessionStore(key)
    seen: dict[str, Any] = {}

    def view(request):
        user = request.user
        is_verified = getattr(user, "is_verified", None)
        device = getattr(user, "otp_device", None)
        seen.update(
            authenticated=user.is_authenticated,
            user_pk=user.pk,
            user_class=user.__class__.__name__,  # through the lazy object
            verified=is_verified() if is_verified else None,
            device=device.persistent_id if device is not None else None,
        )
        return HttpResponse()

    handler = view
    for cls in reversed(middleware):
        handler = cls(handler)
    handler(request)
    return Outcome(
        **seen,
        session_kept=request.session.session_key == key,
        session=dict(request.session.items()),
    )


def both(data: dict[str, Any] | None) -> Outcome:
    """The outcome now, checked to be the one Django and django_otp give."""
    expected = outcome(reference_middleware(), data)
    got = outcome(installed_middleware(), data)
    assert got == expected
    return got


def test_no_session_is_anonymous(db):
    got = both(None)
    assert (got.authenticated, got.user_class, got.verified) == (False, "AnonymousUser", False)


def test_a_signed_in_session_past_the_second_factor_is_verified_with_its_device(carla):
    device = confirmed_device(carla)
    got = both(signed_in(carla, device))
    assert (got.authenticated, got.user_pk, got.verified) == (True, carla.pk, True)
    assert got.device == device.persistent_id
    assert got.session_kept


def test_a_session_of_a_deleted_user_is_anonymous_and_left_as_it_is(carla):
    data = signed_in(carla, confirmed_device(carla))
    carla.delete()
    got = both(data)
    assert not got.authenticated
    assert got.session == data


def test_a_session_of_a_deactivated_user_is_anonymous(carla):
    data = signed_in(carla, confirmed_device(carla))
    carla.is_active = False
    carla.save()
    got = both(data)
    assert not got.authenticated


def test_a_session_from_before_a_password_change_elsewhere_is_ended(carla):
    data = signed_in(carla, confirmed_device(carla))
    carla.set_password("a-new-password-chosen-elsewhere")
    carla.save()
    got = both(data)
    assert not got.authenticated
    assert not got.session_kept
    assert got.session == {}


def test_a_session_without_its_auth_hash_is_ended(carla):
    data = signed_in(carla, confirmed_device(carla))
    del data[HASH_SESSION_KEY]
    got = both(data)
    assert not got.authenticated
    assert got.session == {}


def test_a_session_signed_with_an_old_secret_key_gets_a_new_key_and_hash(carla, settings):
    data = signed_in(carla, confirmed_device(carla))
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-rotated-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"
    got = both(data)
    assert (got.authenticated, got.verified) == (True, True)
    assert not got.session_kept
    assert got.session[HASH_SESSION_KEY] == carla.get_session_auth_hash()


def test_a_session_signed_with_a_key_no_longer_kept_is_ended(carla, settings):
    data = signed_in(carla, confirmed_device(carla))
    settings.SECRET_KEY = "a-rotated-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"
    got = both(data)
    assert not got.authenticated
    assert got.session == {}


def test_a_session_of_an_unknown_backend_is_anonymous(carla):
    got = both(signed_in(carla, confirmed_device(carla), **{BACKEND_SESSION_KEY: "x.Backend"}))
    assert not got.authenticated


def test_a_session_whose_device_was_deleted_is_not_verified_and_forgets_it(carla):
    device = confirmed_device(carla)
    data = signed_in(carla, device)
    device.delete()
    got = both(data)
    assert (got.authenticated, got.verified, got.device) == (True, False, None)
    assert DEVICE_ID_SESSION_KEY not in got.session


def test_a_session_whose_device_is_unconfirmed_is_not_verified(carla):
    device = SealedTOTPDevice.objects.create(user=carla, name="authenticator", confirmed=False)
    got = both(signed_in(carla, device))
    assert (got.authenticated, got.verified) == (True, False)
    assert DEVICE_ID_SESSION_KEY not in got.session


def test_a_session_naming_another_users_device_is_not_verified(carla, olaf):
    got = both(signed_in(carla, confirmed_device(olaf)))
    assert (got.authenticated, got.user_pk, got.verified) == (True, carla.pk, False)
    assert DEVICE_ID_SESSION_KEY not in got.session


@pytest.mark.parametrize(
    "device_id",
    [
        "accounts.sealedtotpdevice/999999",
        "accounts.sealedtotpdevice/99999999999999999999999",
        "accounts.sealedtotpdevice/x",
        "accounts.SealedTOTPDevice/{pk}",
        "kring.accounts.sealedtotpdevice/{pk}",
        "nothing",
        "",
    ],
)
def test_a_session_naming_a_device_oddly_answers_as_django_otp(carla, device_id):
    device = confirmed_device(carla)
    both(signed_in(carla, device, otp_device_id=device_id.format(pk=device.pk, user=carla.pk)))


def test_a_session_naming_a_model_that_is_no_device_fails_as_with_django_otp(carla):
    """django_otp raises on it (only Kring writes the session, so no one can make one)."""
    data = signed_in(carla, otp_device_id=f"accounts.user/{carla.pk}")
    for middleware in (reference_middleware(), installed_middleware()):
        with pytest.raises(AttributeError):
            outcome(middleware, data)


def test_a_session_naming_another_kind_of_device_answers_as_django_otp(carla):
    device = StaticDevice.objects.create(user=carla, name="backup", confirmed=True)
    got = both(signed_in(carla, device))
    assert got.verified


def test_a_signed_in_session_before_the_second_factor_is_not_verified(carla):
    confirmed_device(carla)
    got = both(signed_in(carla))
    assert (got.authenticated, got.verified) == (True, False)


def test_after_a_recovery_code_the_session_is_verified_with_the_app(client, carla):
    device = confirmed_device(carla)
    code = add_recovery_code(carla)
    client.post(reverse("accounts:login"), {"username": carla.username, "password": PASSWORD})
    response = client.post(reverse("accounts:verify"), {"code": code})
    assert response.status_code == 302
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    got = both(dict(client.session.items()))
    assert (got.authenticated, got.verified, got.device) == (True, True, device.persistent_id)
    assert client.get(ACCOUNT).status_code == 200


def test_without_a_device_the_pages_lead_to_the_setup(client, carla):
    client.post(reverse("accounts:login"), {"username": carla.username, "password": PASSWORD})
    response = client.get(ACCOUNT)
    assert response.url.startswith(reverse("accounts:setup"))
    got = both(dict(client.session.items()))
    assert (got.authenticated, got.verified) == (True, False)


def test_with_a_device_not_yet_used_the_pages_lead_to_the_code(client, carla):
    confirmed_device(carla)
    client.post(reverse("accounts:login"), {"username": carla.username, "password": PASSWORD})
    assert client.get(ACCOUNT).url.startswith(reverse("accounts:verify"))


def test_in_demo_mode_the_pages_open_without_a_second_factor(client, carla, settings):
    settings.DEMO_MODE = True
    client.post(reverse("accounts:login"), {"username": carla.username, "password": PASSWORD})
    assert client.get(ACCOUNT).status_code == 200
    got = both(dict(client.session.items()))
    assert (got.authenticated, got.verified) == (True, False)


def with_lazy_user(request):
    """Runs `request` through the installed middleware that sets request.user; returns it."""
    handler: Any = lambda request: HttpResponse()  # noqa: E731
    for cls in reversed(installed_middleware()):
        handler = cls(handler)
    handler(request)
    return request


def session_request(data: dict[str, Any]):
    request = RequestFactory().get(ACCOUNT)
    store = SessionStore()
    store.update(data)
    store.create()
    request.session = SessionStore(store.session_key)
    return request


def test_a_signed_in_request_reads_the_session_and_the_user_with_the_device_only(carla):
    request = with_lazy_user(session_request(signed_in(carla, confirmed_device(carla))))
    with CaptureQueriesContext(connection) as queries:
        assert request.user.is_verified()
        assert request.user.pk == carla.pk
    # The session, then the user with the device the session names.
    assert len(queries) == 2, [q["sql"] for q in queries]


def test_request_user_stays_lazy(carla):
    """Nothing is read before something asks who the user is."""
    request = session_request(signed_in(carla, confirmed_device(carla)))
    with CaptureQueriesContext(connection) as queries:
        with_lazy_user(request)
    assert len(queries) == 0
    assert request.user.is_authenticated


@pytest.mark.urls("bench.benchurls")
def test_a_second_signed_in_request_within_the_minute_writes_no_session(client, carla):
    force_verified_login(client, carla)
    assert client.get("/bench/bare/").status_code == 200  # starts the clocks: one write
    seen = client.session[sessions.SEEN_AT]
    expires = Session.objects.get(session_key=client.session.session_key).expire_date
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/bench/bare/")
    assert response.status_code == 200
    written = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert written == []
    assert "sessionid" not in response.cookies  # nor a new cookie
    assert client.session[sessions.SEEN_AT] == seen
    assert Session.objects.get(session_key=client.session.session_key).expire_date == expires
    # The session, and the user with the device.
    assert len(queries) == 2, [q["sql"] for q in queries]
