import pytest


@pytest.fixture
def client(client):
    """These tests read English text; Dutch is the default (LANGUAGE_CODE = "nl")."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
