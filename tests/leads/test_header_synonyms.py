"""Every header spelling in the synonyms table, and the variants people type of it."""

import pytest

from leads.importing import header_synonyms
from leads.importing.header_synonyms import (
    ALTERNATE,
    HEADER_SYNONYMS,
    HOME,
    MOBILE,
    PHONE,
    WORK,
    header_key,
    header_role,
)
from leads.importing.mapping import TARGETS
from leads.importing.suggest import suggest_mapping

EVERY_SYNONYM = [
    pytest.param(spelling, role, id=f"{language}:{spelling}")
    for language, roles in HEADER_SYNONYMS.items()
    for role, spellings in roles.items()
    for spelling in spellings
]


def _variants(spelling: str) -> list[str]:
    """What a file's header row makes of a spelling: other case, spacing, punctuation."""
    return [
        spelling,
        spelling.upper(),
        spelling.title(),
        f"  {spelling}: ",
        spelling.replace(" ", "_"),
        spelling.replace(" ", "-"),
        spelling.replace(" ", ""),
        f"{spelling}.",
        f"*{spelling}*",
    ]


@pytest.mark.parametrize(("spelling", "role"), EVERY_SYNONYM)
def test_every_synonym_and_its_variants_name_their_role(spelling, role):
    assert {header_role(variant) for variant in _variants(spelling)} == {role}


@pytest.mark.parametrize(("spelling", "role"), EVERY_SYNONYM)
def test_every_synonym_alone_in_a_header_becomes_its_target(spelling, role):
    expected = {PHONE: "phone", MOBILE: "phone", HOME: "phone", WORK: "phone"}.get(role, role)
    assert suggest_mapping([spelling]) == [expected]


def test_every_role_is_a_mapping_target_or_a_phone_kind():
    roles = {role for roles in HEADER_SYNONYMS.values() for role in roles}
    assert roles - TARGETS <= {PHONE, MOBILE, HOME, WORK}


@pytest.mark.parametrize("language", ["en", "de", "he", "hi", "uk", "ru"])
def test_each_language_names_every_field_and_phone_kind(language):
    every_role = {PHONE, MOBILE, HOME, WORK, ALTERNATE, "first_name", "last_name", "email"}
    every_role |= {"timezone", "priority", "expires_on"}
    assert set(HEADER_SYNONYMS[language]) == every_role


def test_two_roles_for_one_spelling_are_refused(monkeypatch):
    clash = {"xx": {"email": ("Post",), "first_name": ("post",)}}
    monkeypatch.setattr(header_synonyms, "HEADER_SYNONYMS", clash)
    header_synonyms._role_by_key.cache_clear()
    try:
        with pytest.raises(ValueError, match="listed as email and first_name"):
            header_role("post")
    finally:
        monkeypatch.undo()
        header_synonyms._role_by_key.cache_clear()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        # English, with the variants of phones
        (["Name", "Surname", "Mobile Number", "Home Phone", "Work Phone", "E-mail",
          "Time Zone", "Priority", "Expiry Date"],
         ["first_name", "last_name", "phone", "alt:home", "alt:work", "email", "timezone",
          "priority", "expires_on"]),
        (["PHONE #", "Cell", "Landline", "Other Phone"],
         ["phone", "alt:mobile", "alt:other", "alt:other"]),
        (["Phone 1", "Phone 2", "Phone 3", "Mobile2"],
         ["phone", "alt:other", "alt:other", "alt:mobile"]),
        # Indian English
        (["Cust Name", "Mob No.", "Alt. Contact No", "Email Id", "Resi Phone", "Validity"],
         ["first_name", "phone", "alt:other", "email", "alt:other", "expires_on"]),
        # German
        (["Vorname", "Nachname", "Telefonnummer", "Handy", "Festnetz", "Telefon geschäftlich",
          "E-Mail-Adresse", "Zeitzone", "Priorität", "Gültig bis"],
         ["first_name", "last_name", "phone", "alt:mobile", "alt:home", "alt:work", "email",
          "timezone", "priority", "expires_on"]),
        (["TELEFON-NR.", "Straße"], ["phone", "custom"]),
        # Hebrew: geresh and gershayim, or the ASCII marks typed in their place
        (["שם פרטי", "שם משפחה", "מס׳ טלפון", "נייד", "טלפון בבית", "טלפון בעבודה", "דוא״ל",
          "אזור זמן", "עדיפות", "תוקף"],
         ["first_name", "last_name", "phone", "alt:mobile", "alt:home", "alt:work", "email",
          "timezone", "priority", "expires_on"]),
        (["טלפון", 'דוא"ל', "מס' טלפון"], ["phone", "email", "alt:other"]),
        # Hindi, with and without the nukta
        (["नाम", "उपनाम", "फ़ोन नंबर", "मोबाइल", "घर का फोन", "ऑफिस नंबर", "ई-मेल",
          "समय क्षेत्र", "प्राथमिकता", "समाप्ति तिथि"],
         ["first_name", "last_name", "phone", "alt:mobile", "alt:home", "alt:work", "email",
          "timezone", "priority", "expires_on"]),
        (["फोन", "वैकल्पिक नंबर"], ["phone", "alt:other"]),
        # Ukrainian, with each apostrophe ім'я is written with
        (["Ім'я", "Прізвище", "Телефон", "Мобільний", "Домашній телефон", "Робочий телефон",
          "Електронна пошта", "Часовий пояс", "Пріоритет", "Дійсний до"],
         ["first_name", "last_name", "phone", "alt:mobile", "alt:home", "alt:work", "email",
          "timezone", "priority", "expires_on"]),
        (["Ім’я", "Телефон"], ["first_name", "phone"]),
        (["ІМʼЯ", "ТЕЛ."], ["first_name", "phone"]),
        # Russian
        (["Имя", "Фамилия", "Номер телефона", "Сотовый", "Домашний", "Рабочий телефон",
          "E-mail", "Часовой пояс", "Приоритет", "Срок действия"],
         ["first_name", "last_name", "phone", "alt:mobile", "alt:home", "alt:work", "email",
          "timezone", "priority", "expires_on"]),
        (["ФИО", "Телефон", "Доп. телефон", "Эл. почта"],
         ["first_name", "phone", "alt:other", "email"]),
    ],
)  # fmt: skip
def test_header_rows_of_each_language(header, expected):
    assert suggest_mapping(header) == expected


def test_the_key_keeps_the_marks_devanagari_needs():
    assert header_key("नाम") != header_key("नम")
    assert header_key("फ़ोन") == header_key("\u092b\u093c\u094b\u0928")  # precomposed or not


@pytest.mark.parametrize("header", ["Order ID", "PLZ", "Betrag", "Індекс", "Column 1", "名前"])
def test_unknown_headers_name_no_role(header):
    assert header_role(header) is None
