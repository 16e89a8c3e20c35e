"""Who a request is signed in as, and whether past the second factor, in one query after the
session's (issue 15, docs/adr/0015-signed-in-in-one-query.md).

SignedInMiddleware takes the place of Django's AuthenticationMiddleware and django_otp's
OTPMiddleware together. Those read the user and then the device the session names in two ORM
queries, whose Python costs several times what the database does; here one plain query reads
the user joined with that device. Every check stays the one Django and django_otp make, in
their order: the backend named in the session, the user active (ModelBackend), the session's
auth hash against the user's password hash with SECRET_KEY_FALLBACKS (django.contrib.auth.
get_user, copied below), and the device confirmed and belonging to the user (django_otp's own
_finalize_device). A session naming anything but Kring's app device, or a backend other than
ModelBackend, is read the way Django and django_otp read it. request.user stays lazy.
"""

import functools
import re
import weakref
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    _get_user_session_key,
    load_backend,
)
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware
from django_otp.models import Device

from kring.accounts.models import SealedTOTPDevice, User

# The one persistent id the login pages write (django_otp.login with Kring's app device):
# "accounts.sealedtotpdevice/<pk>", with a pk that fits a bigint. Any other is read by
# django_otp itself, so that it answers exactly as before.
_OWN_DEVICE_ID = re.compile(rf"^{re.escape(SealedTOTPDevice.model_label())}/([0-9]{{1,18}})$")
_NOT_READ = object()


class SignedInMiddleware(AuthenticationMiddleware):
    """request.user as AuthenticationMiddleware + OTPMiddleware set it (with otp_device and
    is_verified), lazily. A subclass of Django's, so that the admin's check (admin.E408) knows
    it."""

    def process_request(self, request):
        if not hasattr(request, "session"):
            raise ImproperlyConfigured(
                "kring.accounts.signed_in.SignedInMiddleware needs SessionMiddleware before it."
            )
        request.user = SimpleLazyObject(lambda: get_user(request))
        request.auser = functools.partial(auser, request)


def get_user(request) -> Any:
    if not hasattr(request, "_cached_user"):
        request._cached_user = _read_user(request)
    return request._cached_user


async def auser(request) -> Any:
    return await sync_to_async(get_user)(request)


def _own_device_pk(persistent_id: Any) -> int | None:
    match = _OWN_DEVICE_ID.match(persistent_id) if isinstance(persistent_id, str) else None
    return int(match.group(1)) if match else None


def _read_user(request) -> Any:
    """django.contrib.auth.get_user, reading the device in the same query, then django_otp's
    OTPMiddleware._verify_user_sync."""
    user = None
    device: Any = _NOT_READ
    try:
        user_id = _get_user_session_key(request)
        backend_path = request.session[BACKEND_SESSION_KEY]
    except KeyError:
        pass
    else:
        if backend_path in settings.AUTHENTICATION_BACKENDS:
            backend = load_backend(backend_path)
            persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
            device_pk = _own_device_pk(persistent_id)
            if type(backend) is ModelBackend and (not persistent_id or device_pk is not None):
                user, device = user_with_device(user_id, device_pk)
                if user is not None and not backend.user_can_authenticate(user):
                    user = None
            else:
                user = backend.get_user(user_id)
            # Verify the session (as django.contrib.auth.get_user does, Django 5.2).
            if hasattr(user, "get_session_auth_hash"):
                session_hash = request.session.get(HASH_SESSION_KEY)
                if not session_hash:
                    session_hash_verified = False
                else:
                    session_auth_hash = user.get_session_auth_hash()
                    session_hash_verified = constant_time_compare(session_hash, session_auth_hash)
                if not session_hash_verified:
                    # Signed with an old SECRET_KEY still kept as a fallback: a new session key
                    # and the hash under the current key.
                    if session_hash and any(
                        constant_time_compare(session_hash, fallback_auth_hash)
                        for fallback_auth_hash in user.get_session_auth_fallback_hash()
                    ):
                        request.session.cycle_key()
                        request.session[HASH_SESSION_KEY] = session_auth_hash
                    else:
                        request.session.flush()
                        user = None

    user = user or AnonymousUser()
    # django_otp's OTPMiddleware: otp_device and is_verified() on every user, the device only
    # if confirmed and the user's own (otherwise it is forgotten from the session).
    OTPMiddleware._init_user_fields(user)
    if user.is_authenticated:
        if device is _NOT_READ:
            persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
            device = (
                Device.from_persistent_id(OTPMiddleware._normalize_persistent_id(persistent_id))
                if persistent_id
                else None
            )
        user.otp_device = OTPMiddleware._finalize_device(request, user, device)
    return user


Converters = list[tuple[int, list[Any], Any]]


def converters(connection, fields) -> Converters:
    """What the ORM's compiler applies to the columns of `fields`, in this order, as they come
    from the database (SQLCompiler.get_converters): booleans and datetimes on SQLite."""
    found: Converters = []
    for position, field in enumerate(fields):
        column = field.get_col(field.model._meta.db_table)
        backend = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if backend:
            found.append((position, backend, column))
    return found


def converted(row, found: Converters, connection) -> list[Any]:
    """`row` as the ORM would have it (SQLCompiler.apply_converters)."""
    values = list(row)
    for position, functions, column in found:
        value = values[position]
        for function in functions:
            value = function(value, column, connection)
        values[position] = value
    return values


class _Query:
    """The SELECT of the user joined with one device, and the converters the ORM would apply to
    its columns (booleans and datetimes on SQLite), made once per connection."""

    def __init__(self, connection) -> None:
        quote = connection.ops.quote_name
        self.user_fields = [f.attname for f in User._meta.concrete_fields]
        self.device_fields = [f.attname for f in SealedTOTPDevice._meta.concrete_fields]
        columns = [f"u.{quote(f.column)}" for f in User._meta.concrete_fields] + [
            f"d.{quote(f.column)}" for f in SealedTOTPDevice._meta.concrete_fields
        ]
        # Names from the models' meta, quoted; the two values are parameters.
        self.sql = (
            f"SELECT {', '.join(columns)} FROM {quote(User._meta.db_table)} u "  # noqa: S608
            f"LEFT JOIN {quote(SealedTOTPDevice._meta.db_table)} d "
            f"ON d.{quote(SealedTOTPDevice._meta.pk.column)} = %s "
            f"WHERE u.{quote(User._meta.pk.column)} = %s"
        )
        self.converters = converters(
            connection, [*User._meta.concrete_fields, *SealedTOTPDevice._meta.concrete_fields]
        )
        self.device_pk_at = len(self.user_fields) + self.device_fields.index(
            SealedTOTPDevice._meta.pk.attname
        )


# Per connection object (one per thread); weakly, so that a connection that is gone (a thread
# of runserver, an ASGI request's) takes its entry with it.
_queries: weakref.WeakKeyDictionary[Any, _Query] = weakref.WeakKeyDictionary()


def _query(connection) -> _Query:
    query = _queries.get(connection)
    if query is None:
        query = _queries[connection] = _Query(connection)
    return query


def user_with_device(user_id: Any, device_pk: int | None) -> tuple[User | None, Any]:
    """The user with primary key `user_id` (None if there is none) and the app device with
    primary key `device_pk` (None if there is none, whoever's it is and confirmed or not: the
    caller checks that), in one query; as User.objects.get and SealedTOTPDevice.objects.get
    would load them."""
    alias = router.db_for_read(User)
    connection = connections[alias]
    query = _query(connection)
    with connection.cursor() as cursor:
        cursor.execute(query.sql, [device_pk, user_id])
        found = cursor.fetchone()
    if found is None:
        return None, None
    row = converted(found, query.converters, connection)
    count = len(query.user_fields)
    user = User.from_db(alias, query.user_fields, row[:count])
    device = None
    if row[query.device_pk_at] is not None:
        device = SealedTOTPDevice.from_db(alias, query.device_fields, row[count:])
    return user, device
