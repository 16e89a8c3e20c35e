"""Work telephone numbers are checked, and a person's own details are masked on pages reached
by a personal link (issue 8, points 3 and 5)."""

import pytest
from django.core.exceptions import ValidationError

from kring.core.contact_details import mask_email, mask_phone, validate_phone


@pytest.mark.parametrize(
    "number",
    [
        "030 123 45 67",
        "030-1234567",
        "06 12 34 56 78",
        "06-12345678",
        "0800 1234",
        "0900-1234567",
        "+31 30 123 45 67",
        "+31 (0)30 123 45 67",
        "0031 6 12345678",
        "+32 2 123 45 67",
    ],
)
def test_dutch_and_international_numbers_are_accepted(number):
    validate_phone(number)


@pytest.mark.parametrize(
    "number", ["12345", "030 123 45", "06 1234 56789", "+31", "bel mij", "06-1234567a", "+0 30"]
)
def test_other_numbers_are_refused_with_an_example_of_a_good_one(number):
    with pytest.raises(ValidationError) as refused:
        validate_phone(number)
    assert "030 123 45 67" in refused.value.messages[0]


@pytest.mark.parametrize(
    "value, masked",
    [
        ("06 1111 2222", "…22"),
        ("+31 6 98765493", "…93"),
        ("0301234593", "…93"),
        ("112", "…"),  # too short to hide anything: nothing shown
        ("  ", ""),
        ("", ""),
        ("٠٦١٢٣٤٥٦٧٨", "…٧٨"),  # Arabic-Indic digits are digits too
    ],
)
def test_a_phone_number_shows_only_its_last_two_digits(value, masked):
    assert mask_phone(value) == masked


@pytest.mark.parametrize(
    "value, masked",
    [
        ("daan@mail.nl", "d…@…l.nl"),
        ("daan@example.org", "d…@…e.org"),
        ("d@mail.nl", "…@…l.nl"),  # a one-letter name would be given away whole
        ("da@x.nl", "…@….nl"),
        ("sanne.de.vries@gemeente.utrecht.nl", "s…@…t.nl"),
        ("élodie@exâmple.fr", "é…@…e.fr"),
        ("zoë@ü.de", "z…@….de"),
        ("no-at-sign", "…"),
        ("@mail.nl", "…"),
        ("daan@localhost", "d…@…"),
        ("", ""),
    ],
)
def test_an_email_address_shows_a_first_and_a_last_letter_and_its_ending(value, masked):
    assert mask_email(value) == masked


def test_a_mask_gives_away_neither_the_name_nor_the_domain_nor_the_number():
    masked = mask_email("sanne.de.vries@gemeente.utrecht.nl") + mask_phone("06 9876 5432")
    for part in ("sanne", "vries", "gemeente", "utrecht", "9876", "5432"):
        assert part not in masked
