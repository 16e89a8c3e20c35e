"""How the signing tests read a page as a user would (issue 11): logged in as a staff user with
Dutch chosen, and the page's text with its whitespace collapsed. Shared by the tablet's and the
copies' view tests."""

from kring.testing.auth import force_verified_login


def dutch(client, user):
    """`client` logged in as `user` (second factor done), reading Kring in Dutch."""
    force_verified_login(client, user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "nl"
    client.cookies["django_language"] = "nl"
    return client


def text(response) -> str:
    """The page of a 200 answer, its whitespace collapsed to single spaces."""
    assert response.status_code == 200, response.status_code
    return " ".join(response.content.decode().split())
