"""Tokens never reach a log line: Django's request loggers and gunicorn's access log."""

import logging
from datetime import timedelta
from types import SimpleNamespace

from gunicorn.config import Config

from kring.portal.logging import RedactingGunicornLogger, RedactTokensFilter, redact

TOKEN = "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5"


def test_redact_replaces_the_token_in_a_request_line():
    assert redact(f"GET /p/{TOKEN}/ HTTP/1.1") == "GET /p/[redacted]/ HTTP/1.1"
    assert redact(f"http://kring.test/p/{TOKEN}/?x=1") == "http://kring.test/p/[redacted]/?x=1"
    assert redact("/portaal/toestemming/") == "/portaal/toestemming/"
    assert redact(404) == 404


def test_the_filter_redacts_a_development_server_request_line():
    # What runserver's WSGIRequestHandler.log_message hands to the "django.server" logger.
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        (f"GET /p/{TOKEN}/ HTTP/1.1", "303", "0"),
        None,
    )

    assert RedactTokensFilter().filter(record) is True
    assert TOKEN not in record.getMessage()
    assert record.getMessage() == '"GET /p/[redacted]/ HTTP/1.1" 303 0'


def test_the_filter_redacts_a_message_without_arguments():
    record = logging.LogRecord(
        "x", logging.WARNING, __file__, 1, f"Not Found: /p/{TOKEN}/", None, None
    )

    RedactTokensFilter().filter(record)

    assert record.getMessage() == "Not Found: /p/[redacted]/"


def test_the_gunicorn_access_log_holds_no_token():
    logger = RedactingGunicornLogger(Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/p/{TOKEN}/",
        "PATH_INFO": f"/p/{TOKEN}/",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://kring.test/p/{TOKEN}/",
        "REMOTE_ADDR": "127.0.0.1",
    }
    response = SimpleNamespace(status="303 See Other", sent=0, headers=[("Location", "/portaal/")])
    request = SimpleNamespace(headers=[("REFERER", f"https://kring.test/p/{TOKEN}/")])

    atoms = logger.atoms(response, request, environ, timedelta(seconds=0))

    assert atoms["r"] == "GET /p/[redacted]/ HTTP/1.1"
    assert TOKEN not in repr(atoms)
