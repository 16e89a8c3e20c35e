"""The printed invitation (issue 3, point 6): a PDF/UA letter with the participant's own name and
address, the personal link in full and as a QR code, and nobody else's contact details (R18)."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from pyhanko.pdf_utils.reader import PdfFileReader
from weasyprint.formatting_structure import boxes

from kring.circle import actions, letters, links
from kring.testing.people import DAAN, DAAN_ADDRESS, SANNE_ADDRESS, SANNE_EMAIL, SANNE_PHONE


def _walk(box):
    yield box
    for child in getattr(box, "children", None) or []:
        yield from _walk(child)


# A letter code as circle.links makes them (the letter prints what it is given).
CODE = "7KQ4M2XD9HBR"


def letter_text(participant, token, code=CODE) -> str:
    """The text as laid out on the pages of the letter (the document the PDF is written from)."""
    document = letters.letter_document(participant, token, code)
    lines = [
        box.text
        for page in document.pages
        for box in _walk(page._page_box)  # weasyprint has no public text API
        if isinstance(box, boxes.TextBox)
    ]
    return "\n".join(lines)


def in_dutch(msgid, plural=None, count=None, **params) -> str:
    """What the letter says in Dutch, read from the catalogue (Joost's letter is Dutch)."""
    with translation.override("nl"):
        text = translation.ngettext(msgid, plural, count) if plural else translation.gettext(msgid)
    return text % params if params else text


def _pdf(data: bytes) -> PdfFileReader:
    return PdfFileReader(BytesIO(data))


def _structure(node, found):
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, dict):
        if "/S" in node:
            found.append((str(node["/S"]), str(node.get("/Alt", ""))))
        kids = node.get("/K")
        if kids is not None:
            for kid in kids if isinstance(kids, list) else [kids]:
                _structure(kid, found)
    return found


@pytest.fixture
def joost_letter(circle_of_both, daan_acknowledged, carla):
    """Daan's brother Joost is invited by letter, after Daan acknowledged his part (R5)."""
    joost = circle_of_both["joost"]
    sent = actions.invite(joost, channel="letter", by=carla)
    return joost, sent.token


def test_letter_is_a_tagged_pdf_ua_document_with_title_and_language(joost_letter):
    joost, token = joost_letter

    data = letters.letter_pdf(joost, token, CODE)

    assert data.startswith(b"%PDF-1.7")
    root = _pdf(data).root
    assert str(root["/Lang"]) == "nl"
    assert root["/MarkInfo"]["/Marked"].value is True
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    metadata = root["/Metadata"].get_object().data.decode()
    assert 'pdfuaid:part="1"' in metadata
    assert "<dc:title>" in metadata
    assert "Eigen Kracht Centrale" in metadata
    tags = _structure(root["/StructTreeRoot"], [])
    assert ("/H1", "") in tags
    figures = [alt for tag, alt in tags if tag == "/Figure"]
    assert figures == [in_dutch("QR code with the link to your personal page")]


def test_letter_shows_own_name_and_address_the_full_link_and_the_coordinator(joost_letter, carla):
    joost, token = joost_letter

    text = letter_text(joost, token)

    assert "Joost de Boer" in text
    assert "Broerlaan 3" in text
    assert "3513 EF Utrecht" in text
    assert links.url(token) in text
    assert in_dutch("Dear %(name)s,", name="Joost") in text
    voluntary = in_dutch(
        "Taking part is voluntary. You decide for yourself, and you may change your mind at any "
        "moment without giving a reason."
    )
    assert voluntary.split(". ")[0] + "." in text  # the first sentence; the lines break later
    until = timezone.localdate() + timedelta(days=30)
    with translation.override("nl"):
        until_text = date_format(until, "j F Y")
    assert in_dutch("The code and the link work until %(until)s.", until=until_text) in text
    # How to reach her coordinator (issue 8, point 3; accounts.contact): Carla has no work
    # number of her own in this test, so the organisation's address is given with her name.
    assert in_dutch("Questions? Contact %(name)s, your coordinator", name="Carla") in text
    assert "kring@localhost" in text


def test_the_link_in_the_letter_opens_the_participants_own_portal(joost_letter):
    joost, token = joost_letter

    live = links.find_live(token)

    assert live is not None and live.participant == joost
    assert links.url(token) in letters.letter_html(joost, token, CODE)


def test_the_letter_speaks_the_participants_language_with_the_date_in_amsterdam(sanne, daan, carla):
    sanne_text = letter_text(sanne, "x" * 43)
    daan_html = letters.letter_html(daan, "x" * 43, CODE)

    assert '<html lang="en">' in letters.letter_html(sanne, "x" * 43, CODE)
    assert '<html lang="nl">' in daan_html
    # Month names: English for Sanne, Dutch (lower case) for Daan.
    assert any(
        month in sanne_text
        for month in (
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        )
    )
    assert any(
        month in daan_html
        for month in (
            "januari",
            "februari",
            "maart",
            "april",
            "mei",
            "juni",
            "juli",
            "augustus",
            "september",
            "oktober",
            "november",
            "december",
        )
    )


def test_a_responsible_persons_letter_never_shows_the_harmed_persons_contact_details(
    circle_of_both, daan, joost_letter
):
    """R18: Sanne's phone number, e-mail and address reach no one on Daan's side."""
    joost, token = joost_letter
    for person in (daan, joost):
        text = letter_text(person, token)
        html = letters.letter_html(person, token, CODE)
        for secret in (SANNE_PHONE, SANNE_EMAIL, *SANNE_ADDRESS.splitlines()):
            assert secret not in text
            assert secret not in html
    # Not even Daan's own phone or Joost's neighbourhood leak into each other's letter.
    assert DAAN.phone not in letter_text(daan, token)
    assert DAAN_ADDRESS.splitlines()[0] not in letter_text(joost, token)


def test_the_letter_fetches_nothing_but_its_inline_qr_code():
    fetcher = letters.NoNetworkFetcher()

    for url in ("http://example.org/font.woff", "https://example.org/a.css", "file:///etc/passwd"):
        with pytest.raises(ValueError, match="disallowed protocol"):
            fetcher.fetch(url)
    response = fetcher.fetch(letters.qr_data_uri("https://kring.example/p/abc/"))
    assert b"<svg" in response.read()


def test_every_letter_is_addressed_to_the_participant_alone_in_their_own_language(daan, settings):
    """circle.letters.addressee: what every letter to a participant (this invitation, the
    meeting letter of scheduling) says of whom it goes to (R18)."""
    daan.address = "  Daanstraat 1\n\n   \n1234 AB Utrecht  \n"

    assert letters.addressee(daan) == {
        "language": "nl",
        "organisation": settings.KRING_ORGANISATION,
        "name": DAAN.name,
        "first_name": DAAN.name.split()[0],
        "address_lines": ["Daanstraat 1", "1234 AB Utrecht"],
    }
    html = letters.letter_html(daan, "x" * 43, CODE)
    assert "Daanstraat 1<br>1234 AB Utrecht" in html
    assert f"{DAAN.name.split()[0]}," in html
