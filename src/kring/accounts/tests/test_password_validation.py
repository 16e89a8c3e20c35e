"""Passwords (issue 14, finding 5 and point 4): at least 12 characters, not on the shipped lists
of common and breached passwords (Django's and Kring's Dutch supplement, compared without case,
digits or punctuation), and not built on the user's own name. A sentence of a few words passes.
Every place that sets a password uses the same validators (settings.AUTH_PASSWORD_VALIDATORS)."""

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from kring.accounts.models import Role, User
from kring.accounts.password_validation import KnownPasswordValidator, NamePasswordValidator
from kring.testing.auth import force_verified_login
from kring.testing.users import PASSWORD, UserFactory

GOOD = "paars konijn drinkt thee"  # noqa: S105


@pytest.fixture
def carla_de_boer(team):
    return UserFactory(
        username="carla",
        first_name="Carla",
        last_name="de Boer",
        email="carla.deboer@kring.test",
        role=Role.COORDINATOR,
        team=team,
    )


def refusals(password, user) -> list[str]:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        return [e.code for e in error.error_list]
    return []


@pytest.mark.parametrize("password", ["carla12345", "carlacarla1", "deboer2024!"])
def test_the_findings_passwords_are_refused_for_carla_de_boer(carla_de_boer, password):
    assert refusals(password, carla_de_boer)


@pytest.mark.parametrize(
    "password",
    [
        "Carla12345678",
        "carlacarlacarla1",
        "DeBoer2024!!!!",
        "de boer 2024 carla",
        "Carla de Boer 1975",
        "c@rl@ 1234567890",
        "alrac12345678",  # the name backwards
        "deboertje2024",
        "ikbencarla2024",
    ],
)
def test_passwords_built_on_the_name_are_refused(carla_de_boer, password):
    assert "password_like_name" in refusals(password, carla_de_boer)


def test_the_username_and_the_email_address_count_as_names(team):
    user = UserFactory(
        username="bwillems", first_name="", email="b.vermeulen@kring.test", team=team
    )
    assert "password_like_name" in refusals("bwillems2024!!", user)
    assert "password_like_name" in refusals("Vermeulen123456", user)


@pytest.mark.parametrize(
    "password",
    [
        GOOD,
        "fietsen langs de vecht",
        "carla drinkt graag thee op het balkon",  # a name in a sentence is fine
        "een heel lang wachtwoord",  # a Dutch word in a sentence is fine
    ],
)
def test_a_sentence_of_a_few_words_passes(carla_de_boer, password):
    assert refusals(password, carla_de_boer) == []


@pytest.mark.parametrize(
    "password",
    [
        "wachtwoord123",
        "Wachtwoord2024!",
        "welkomwelkom",
        "Welkom01welkom01",
        "voetbal123456",
        "zomer2024zomer",
        "Zomer2024!!!!",
        "december2025!!",
        "W@chtw00rd2024",
        "feyenoord1908",
        "password123456",  # Django's list, with digits added
        "iloveyou2024!!",
    ],
)
def test_common_dutch_and_breached_passwords_are_refused(carla_de_boer, password):
    assert "password_too_common" in refusals(password, carla_de_boer)


@pytest.mark.parametrize(
    "password",
    [
        "123456789012",  # digits only
        "199104121991",
        "qwertyuiopas",  # a row of keys, on into the next
        "azertyuiopqs",  # the Belgian and French keyboard
        "asdfghjkl;'1",
        "1234567890ab",
        "abcdefghijkl",  # the alphabet
        "zyxwvutsrqpo",  # backwards
        "0987654321qwerty",
        "ababababababab",  # fewer than five different characters
        "!!!!!!!!!!!!",
        "aaaa bbbb cccc",
        "abcdefabcdef",  # one piece repeated over the whole password
        "Xy7!kQXy7!kQ",
    ],
)
def test_digits_rows_of_keys_repeats_and_few_characters_are_refused(carla_de_boer, password):
    assert "password_too_simple" in refusals(password, carla_de_boer)


@pytest.mark.parametrize(
    "password",
    [
        GOOD,
        "fietsen langs de vecht",
        "boot op zee!",
        "Stuur abcd naar de printer",  # a short row inside a sentence is fine
        "de kat zit op de mat 2024",
        "rood groen blauw geel",
    ],
)
def test_sentences_are_not_taken_for_patterns(carla_de_boer, password):
    assert "password_too_simple" not in refusals(password, carla_de_boer)


def test_twelve_characters_is_the_minimum(carla_de_boer):
    assert "password_too_short" in refusals("boot op zee", carla_de_boer)  # 11
    assert refusals("boot op zee!", carla_de_boer) == []  # 12


def test_the_dutch_list_is_shipped_with_the_app_and_read_without_case():
    validator = KnownPasswordValidator()
    assert "wachtwoord" in validator.passwords
    assert "welkom" in validator.passwords
    assert "password" in validator.passwords  # Django's list too
    with pytest.raises(ValidationError):
        validator.validate("WACHTWOORD")


def test_without_a_user_the_name_check_passes():
    NamePasswordValidator().validate("carla12345678", None)


def test_the_messages_say_what_to_do_in_dutch_and_english(carla_de_boer):
    for language, like_name, common in (
        ("en", "does not look like your name", "sentence of a few words"),
        ("nl", "niet op je naam lijkt", "zin van een paar woorden"),
    ):
        with translation.override(language):
            with pytest.raises(ValidationError) as name_error:
                NamePasswordValidator().validate("carla12345678", carla_de_boer)
            with pytest.raises(ValidationError) as common_error:
                KnownPasswordValidator().validate("wachtwoord2024")
            assert like_name in " ".join(name_error.value.messages)
            assert common in " ".join(common_error.value.messages)


def change(client, new, old=PASSWORD):
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def test_the_password_change_page_refuses_a_name_password(client, carla_de_boer):
    force_verified_login(client, carla_de_boer)
    response = change(client, "carla12345678")
    assert response.status_code == 200
    assert "does not look like your name" in response.content.decode()
    carla_de_boer.refresh_from_db()
    assert carla_de_boer.check_password(PASSWORD)
    # The same page accepts a sentence: the refusal was the password, not the page.
    assert change(client, GOOD).status_code == 302
    carla_de_boer.refresh_from_db()
    assert carla_de_boer.check_password(GOOD)


def test_the_admin_refuses_a_name_password_for_a_new_user(client, admin_user, team):
    force_verified_login(client, admin_user)
    data = {
        "username": "nina",
        "first_name": "Nina",
        "last_name": "Jansen",
        "email": "nina@kring.test",
        "language": "nl",
        "role": Role.OFFICE,
        "team": team.pk,
        "usable_password": "true",
        "password1": "jansen2024!!",
        "password2": "jansen2024!!",
    }
    response = client.post(reverse("admin:accounts_user_add"), data)
    assert response.status_code == 200
    assert "does not look like your name" in response.content.decode()
    assert not User.objects.filter(username="nina").exists()
    data |= {"password1": GOOD, "password2": GOOD}
    assert client.post(reverse("admin:accounts_user_add"), data).status_code == 302
    assert User.objects.get(username="nina").check_password(GOOD)


def test_the_admin_password_page_refuses_a_name_password(client, admin_user, carla_de_boer):
    force_verified_login(client, admin_user)
    url = reverse("admin:auth_user_password_change", args=[carla_de_boer.pk])
    weak = {"usable_password": "true", "password1": "deboer2024!!", "password2": "deboer2024!!"}
    response = client.post(url, weak)
    assert response.status_code == 200
    carla_de_boer.refresh_from_db()
    assert carla_de_boer.check_password(PASSWORD)
    good = {"usable_password": "true", "password1": GOOD, "password2": GOOD}
    assert client.post(url, good).status_code == 302
    carla_de_boer.refresh_from_db()
    assert carla_de_boer.check_password(GOOD)


def test_createadmin_refuses_a_name_password(db, monkeypatch):
    monkeypatch.setenv("KRING_ADMIN_PASSWORD", "vermeulen2024")
    options = {"username": "ada", "email": "ada@example.org", "first_name": "Vermeulen"}
    with pytest.raises(CommandError, match="does not look like your name"):
        call_command("createadmin", "--noinput", **options)
    assert not User.objects.filter(username="ada").exists()
    monkeypatch.setenv("KRING_ADMIN_PASSWORD", GOOD)
    call_command("createadmin", "--noinput", **options)
    assert User.objects.get(username="ada").check_password(GOOD)


def test_changepassword_refuses_a_name_password(carla_de_boer, monkeypatch, capsys):
    import getpass

    typed = iter(["deboer2024!!"] * 6)
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(typed))
    with pytest.raises(CommandError, match="Aborting password change"):
        call_command("changepassword", "carla")
    assert "does not look like your name" in capsys.readouterr().err
    carla_de_boer.refresh_from_db()
    assert carla_de_boer.check_password(PASSWORD)
    typed = iter([GOOD, GOOD])
    call_command("changepassword", "carla")
    carla_de_boer.refresh_from_db()
    assert carla_de_boer.check_password(GOOD)
