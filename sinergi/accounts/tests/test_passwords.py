"""Password rules: long passphrases welcome, context words and over-long passwords refused."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from sinergi.accounts.validators import ContextWordsValidator, MaximumLengthValidator, name_tokens
from sinergi.testing.factories import ServiceUnitFactory, UserFactory
from sinergi.testing.fixtures import PASSWORD


def codes(password, user=None):
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return {e.code for e in exc.error_list}
    return set()


@pytest.fixture
def officer(db):
    unit = ServiceUnitFactory(name="UPTD PPA Kota Harau", short_name="PPA Harau Raya", region_id="13.71")
    return UserFactory(username="rahmawati", organisation=unit)


def test_a_long_passphrase_is_accepted(officer):
    assert codes("kuda merah lari di sawah luas", officer) == set()


def test_no_composition_rules(officer):
    # Lower case letters and spaces only: length is what counts.
    assert codes("awan tebal menutup gunung pagi ini", officer) == set()


def test_short_passwords_are_refused(officer):
    assert "password_too_short" in codes("kopi susu 1", officer)


def test_common_passwords_are_refused(officer):
    assert "password_too_common" in codes("password1234", officer)


@pytest.mark.parametrize(
    "password", ["sinergipayakumbuh2024", "SINERGI-rahasia-2024", "Payakumbuh Kota Batiah", "uptdppa123456"]
)
def test_context_words_are_refused(officer, password):
    assert "password_has_context_word" in codes(password, officer)


def test_spaces_and_case_are_ignored(officer):
    assert "password_has_context_word" in codes("Sin Ergi untuk kita semua", officer)


def test_the_organisation_name_tokens_are_refused(officer):
    assert "password_has_context_word" in codes("harau-bersama-selamanya", officer)
    assert "password_has_context_word" in codes("jalan raya menuju laut biru", officer)  # short name


def test_the_region_of_the_unit_is_refused(officer):
    assert "password_has_context_word" in codes("makan-nasi-padang-enak", officer)


def test_the_username_is_refused(officer):
    assert "password_has_context_word" in codes("Rahmawati suka kopi pahit", officer)


def test_the_site_name_is_refused(officer, settings):
    settings.SINERGI_SITE_NAME = "Lindungi Payakumbuh"
    assert "password_has_context_word" in codes("kami lindungi semua anak", officer)


def test_generic_words_of_names_are_not_refused(officer):
    # "Kota" is in the unit's name, but a password with "kotak" is not guessable because of it.
    assert codes("kotak pensil biru tua sekali", officer) == set()


def test_the_message_names_the_word(db):
    with pytest.raises(ValidationError) as exc:
        ContextWordsValidator().validate("rumah-payakumbuh-indah")
    assert "payakumbuh" in exc.value.messages[0]


def test_name_tokens_skip_short_and_generic_words():
    assert name_tokens("UPTD PPA Kota Uji") == {"uptd"}
    assert name_tokens("Dinas Sosial Kabupaten Agam") == {"sosial", "agam"}


def test_maximum_length_is_128(officer):
    passphrase = "burung " * 18  # 126 characters
    assert len(passphrase) <= 128 and codes(passphrase[:128], officer) == set()
    assert "password_too_long" in codes("b" * 60 + " " + "c" * 68, officer)


def test_a_64_character_password_is_allowed(officer):
    assert codes("pagi yang cerah di lembah hijau, burung bernyanyi riang gembira!"[:64], officer) == set()


def test_maximum_length_validator_alone():
    MaximumLengthValidator(10).validate("a" * 10)
    with pytest.raises(ValidationError):
        MaximumLengthValidator(10).validate("a" * 11)


def test_the_validators_are_configured(settings):
    names = [v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert names == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "MaximumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
        "ContextWordsValidator",
    ]
    options = {v["NAME"].rsplit(".", 1)[1]: v.get("OPTIONS", {}) for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert options["MinimumLengthValidator"] == {"min_length": 12}
    assert options["MaximumLengthValidator"]["max_length"] >= 64


def test_password_change_page_applies_the_rules(personas, client):
    client.force_login(personas.pendamping)
    url = reverse("account_change_password")
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(
        url,
        {"oldpassword": PASSWORD, "password1": "sinergi-payakumbuh-24", "password2": "sinergi-payakumbuh-24"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    personas.pendamping.refresh_from_db()
    assert personas.pendamping.check_password(PASSWORD)

    new = "kuda merah lari di sawah luas"
    response = client.post(url, {"oldpassword": PASSWORD, "password1": new, "password2": new})
    assert response.status_code == 302
    personas.pendamping.refresh_from_db()
    assert personas.pendamping.check_password(new)
