"""Keep personal-link tokens out of every log line (issue 3, point 7).

A token in `/p/<token>/` is a key to someone's portal until it expires. Django logs paths in
two places: the development server's request lines ("django.server") and django.request's
warnings for 4xx/5xx answers ("Not Found: /p/.../"); gunicorn writes its own access log.
`RedactTokensFilter` (on the console handler in settings.LOGGING) covers the first two,
`RedactingGunicornLogger` (gunicorn --logger-class) the third.
"""

import logging
import re

from gunicorn.glogging import Logger as GunicornLogger

# Any path segment after /p/ up to the next slash, space, quote, ? or #; URL-encoded
# tokens (%2F...) stay inside the match.
TOKEN_PATH = re.compile(r"/p/[^/\s\"'?#]+")
REDACTED = "/p/[redacted]"


def redact(value):
    """`value` with every /p/<token> replaced; anything that is not a string is returned as is."""
    if isinstance(value, str) and "/p/" in value:
        return TOKEN_PATH.sub(REDACTED, value)
    return value


class RedactTokensFilter(logging.Filter):
    """Rewrites /p/<token>/ to /p/[redacted]/ in a record's message and arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: redact(arg) for key, arg in record.args.items()}
        return True


class RedactingGunicornLogger(GunicornLogger):
    """gunicorn's logger with every access-log atom redacted (request line, path, referrer,
    headers): `gunicorn --logger-class=kring.portal.logging.RedactingGunicornLogger`."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) for key, value in atoms.items()}
