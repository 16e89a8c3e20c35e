"""Letter codes (issue 8, point 4): 12 characters of Crockford base32 in groups of four, read as
Crockford reads them, stored only as a keyed hash, expiring and revoked with their link; and the
letter that carries them: the code in groups, a file name per person and date, a new code for
someone who already takes part, and a warning when there is no postal address."""

import hashlib
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kring.circle import actions, letters, links
from kring.circle.models import PersonalLink, Status
from kring.circle.tests.test_letters import in_dutch, letter_text
from kring.testing.circle_people import acknowledge

CROCKFORD = re.compile(r"^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{12}$")


def person_url(name, case, participant):
    return reverse(f"circle:{name}", args=[case.pk, participant.pk])


# --- the code itself --------------------------------------------------------------------------


def test_a_new_code_is_twelve_characters_of_crockford_base32():
    codes = {links.new_code() for _ in range(200)}

    assert all(CROCKFORD.match(code) for code in codes)
    assert len(codes) == 200  # 60 bits: no two alike
    assert not any(char in code for code in codes for char in "ILOU")


def test_a_code_is_shown_in_three_groups_of_four():
    assert links.grouped("7KQ4M2XD9HBR") == "7KQ4-M2XD-9HBR"


@pytest.mark.parametrize(
    "typed",
    [
        "7KQ4-M2XD-9HBR",
        "7kq4 m2xd 9hbr",
        "  7KQ4M2XD9HBR ",
        "7kq4–m2xd–9hbr",  # an en dash, as a phone may type it
        "7KQ4.M2XD.9HBR",
    ],
)
def test_case_spaces_and_dashes_do_not_matter(typed):
    assert links.normalise(typed) == "7KQ4M2XD9HBR"


def test_o_is_read_as_zero_and_i_and_l_as_one():
    assert links.normalise("o1I0-lLOo-1010") == "011011001010"


@pytest.mark.parametrize(
    "typed", ["7KQ4-M2XD-9HB", "7KQ4-M2XD-9HBRR", "7KQ4-M2XD-9HBU", "7KQ4-M2XD-9HB!", ""]
)
def test_what_cannot_be_a_code_is_refused_before_any_lookup(typed):
    assert links.normalise(typed) is None


def test_the_hash_is_keyed_with_the_secret_key_not_a_plain_sha256(settings):
    plain = hashlib.sha256(b"7KQ4M2XD9HBR").hexdigest()

    hashed = links.code_hash("7KQ4M2XD9HBR")
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40

    assert len(hashed) == 64 and hashed != plain
    assert links.code_hash("7KQ4M2XD9HBR") != hashed  # without the key it cannot be tested


def test_a_code_still_works_after_the_secret_key_is_rotated(daan_acknowledged, carla, settings):
    """SECRET_KEY_FALLBACKS: rotating the key does not void every letter in the post."""
    issued = links.issue(daan_acknowledged, by=carla)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-rotated-secret-key-" + "y" * 40

    match, link = links.match_code(issued.code)

    assert match is links.Match.LIVE and link.participant == daan_acknowledged


# --- stored hashed, expiring, revoked with the link -----------------------------------------------


def test_the_code_is_stored_only_as_its_hash(daan_acknowledged, carla):
    issued = links.issue(daan_acknowledged, by=carla)

    link = PersonalLink.objects.get(participant=daan_acknowledged, revoked_at__isnull=True)

    assert link.code_hash == links.code_hash(issued.code)
    stored = " ".join(str(value) for value in PersonalLink.objects.values_list().get(pk=link.pk))
    assert issued.code not in stored and links.grouped(issued.code) not in stored


def test_a_live_code_finds_its_participant(daan_acknowledged, carla):
    issued = links.issue(daan_acknowledged, by=carla)

    match, link = links.match_code(issued.code)

    assert match is links.Match.LIVE
    assert link.participant == daan_acknowledged


def test_a_code_differing_in_one_character_matches_nothing(daan_acknowledged, carla):
    issued = links.issue(daan_acknowledged, by=carla)
    last = issued.code[-1]
    wrong = issued.code[:-1] + ("X" if last != "X" else "Y")

    assert links.match_code(wrong) == (links.Match.NONE, None)


def test_reissuing_supersedes_the_old_code_and_the_old_link(daan_acknowledged, carla):
    actions.invite(daan_acknowledged, channel="letter", by=carla)
    old = PersonalLink.objects.get(participant=daan_acknowledged)
    first = actions.invite(daan_acknowledged, channel="letter", by=carla)

    second = actions.reissue_link(daan_acknowledged, by=carla)

    assert links.match_code(first.code)[0] is links.Match.SUPERSEDED
    assert links.match_token(first.token)[0] is links.Match.SUPERSEDED
    assert links.match_code(second.code)[0] is links.Match.LIVE
    assert second.code != first.code
    old.refresh_from_db()
    assert old.revoked_at is not None


def test_an_expired_code_matches_nothing(daan_acknowledged, carla):
    issued = links.issue(daan_acknowledged, by=carla)
    PersonalLink.objects.filter(participant=daan_acknowledged).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    assert links.match_code(issued.code) == (links.Match.NONE, None)


def test_a_revoked_code_without_a_newer_one_matches_nothing(daan_acknowledged, carla):
    """Revoked for another reason (no newer invitation): nothing to point to."""
    issued = links.issue(daan_acknowledged, by=carla)
    links.revoke(daan_acknowledged)

    assert links.match_code(issued.code) == (links.Match.NONE, None)


# --- the letter -------------------------------------------------------------------------------


@pytest.fixture
def joost_sent(circle_of_both, daan_acknowledged, carla):
    """Daan's brother Joost is invited by letter, after Daan acknowledged his part (R5)."""
    joost = circle_of_both["joost"]
    return joost, actions.invite(joost, channel="letter", by=carla)


def test_the_letter_shows_the_short_address_and_the_code_in_groups(joost_sent, settings):
    joost, sent = joost_sent

    text = letter_text(joost, sent.token, sent.code)

    assert links.grouped(sent.code) in text
    assert re.search(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b", text)
    assert settings.SITE_URL.removeprefix("https://") + "/code/" in text
    assert in_dutch("Then type in your personal code:") in text
    assert links.url(sent.token) in text  # the long link stays, besides the QR code


def test_a_letter_to_someone_who_takes_part_says_so(circle_of_both, daan_acknowledged, carla):
    joost = circle_of_both["joost"]
    actions.invite(joost, channel="letter", by=carla)
    invited = letter_text(joost, "x" * 43, "7KQ4M2XD9HBR")
    actions.respond(joost, accepts=True, mode="phone", by=carla)
    joost.refresh_from_db()
    assert joost.status == Status.ACCEPTED

    issued = actions.reissue_link(joost, by=carla)
    text = letter_text(joost, issued.token, issued.code)

    taking_part = in_dutch(
        "You are already taking part. Here is a new code for your personal page."
    )
    assert taking_part == "Je doet al mee. Hier is een nieuwe code voor je persoonlijke pagina."
    assert taking_part in text.replace("\n", " ")
    invitation = in_dutch("You are invited to take part in an Eigen Kracht conference.")
    assert invitation.split(" ")[0] in invited  # the first letter did invite him
    assert invitation not in text.replace("\n", " ")
    assert links.grouped(issued.code) in text


def test_the_letter_file_is_named_per_person_and_date(daan):
    daan.name = "Daan de Boer"

    assert letters.letter_filename(daan, date(2026, 11, 28)) == (
        "uitnodiging-daan-de-boer-2026-11-28.pdf"
    )


def test_the_file_name_is_ascii_and_safe_in_a_header(daan):
    daan.name = 'Zoë "Ö" Çelik / O\'Brien\r\n'

    name = letters.letter_filename(daan, date(2026, 11, 28))

    assert name == "uitnodiging-zoe-o-celik-obrien-2026-11-28.pdf"
    assert name.isascii() and '"' not in name and "\n" not in name


def test_the_download_is_named_for_the_person(as_user, carla, preparing_case, daan):
    acknowledge(daan, by=carla)

    response = as_user(carla).post(
        person_url("invite", preparing_case, daan), {"channel": "letter"}
    )

    assert response["Content-Type"] == "application/pdf"
    expected = letters.letter_filename(daan)
    assert expected.startswith("uitnodiging-daan-de-boer-")
    assert response["Content-Disposition"] == f'attachment; filename="{expected}"'


# --- no postal address: warned before the letter is made --------------------------------------

NO_ADDRESS = (
    "No postal address is known for Daan de Boer: you cannot post the letter as it is. "
    "Fill in an address first, or hand the letter over in person."
)


def test_without_a_postal_address_the_invite_page_warns(as_user, carla, preparing_case, daan):
    acknowledge(daan, by=carla)
    page = as_user(carla).get(person_url("invite", preparing_case, daan)).content.decode()
    assert NO_ADDRESS not in page  # Daan has an address

    actions.update_participant(daan, address="", by=carla)
    page = as_user(carla).get(person_url("invite", preparing_case, daan)).content.decode()

    assert NO_ADDRESS in page
    assert person_url("edit", preparing_case, daan) in page


def test_without_a_postal_address_the_reissue_page_warns_and_still_allows(
    as_user, carla, preparing_case, daan
):
    acknowledge(daan, by=carla)
    actions.invite(daan, channel="letter", by=carla)
    actions.update_participant(daan, address="", by=carla)
    client = as_user(carla)

    page = client.get(person_url("reissue", preparing_case, daan)).content.decode()
    assert NO_ADDRESS in page
    response = client.post(person_url("reissue", preparing_case, daan))

    assert response["Content-Type"] == "application/pdf"  # hand delivery stays possible


def test_the_warning_reads_dutch(as_user, carla, preparing_case, daan):
    acknowledge(daan, by=carla)
    actions.update_participant(daan, address="", by=carla)

    dutch = in_dutch(
        "No postal address is known for %(name)s: you cannot post the letter as it is. Fill in "
        "an address first, or hand the letter over in person.",
        name="Daan de Boer",
    )

    assert dutch == (
        "Er is geen postadres bekend voor Daan de Boer: de brief kun je zo niet versturen. "
        "Vul eerst een adres in of geef de brief persoonlijk."
    )


def test_the_letter_with_its_code_fits_on_one_page(joost_sent, carla):
    """The code, the QR code and the long link stand side by side: one sheet to print."""
    joost, sent = joost_sent
    invitation = letters.letter_document(joost, sent.token, sent.code)
    actions.respond(joost, accepts=True, mode="phone", by=carla)
    joost.refresh_from_db()
    issued = actions.reissue_link(joost, by=carla)

    new_code = letters.letter_document(joost, issued.token, issued.code)

    assert len(invitation.pages) == 1
    assert len(new_code.pages) == 1
