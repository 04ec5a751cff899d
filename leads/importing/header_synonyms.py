"""Column header names seen in real lead files, in the languages of the five dialers'
markets, and how a header is matched against them.

``HEADER_SYNONYMS`` is the one table: language → role → spellings. A role is a mapping
target (``first_name``, ``email``, ``alt:other``...) or ``phone-like:<kind>``: a phone
column that becomes the main phone if it is the first one chosen, otherwise an alternate
phone of its kind. Spellings are matched by ``header_key``, so case, punctuation, spacing
and Unicode variants of a spelling need no entry of their own.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

PHONE = "phone-like:other"
MOBILE = "phone-like:mobile"
HOME = "phone-like:home"
WORK = "phone-like:work"
ALTERNATE = "alt:other"

HEADER_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        PHONE: ("phone", "phone number", "phone no", "phone nr", "phone #", "telephone",
                "telephone number", "telephone no", "tel", "tel no", "contact", "contact no",
                "contact number", "contact phone", "number", "msisdn", "primary phone",
                "main phone", "landline", "landline number", "fixed line"),
        MOBILE: ("mobile", "mobile no", "mobile number", "mobile phone", "mob", "mob no",
                 "cell", "cell phone", "cell no", "cell number", "cellular", "whatsapp",
                 "whatsapp number", "viber"),
        HOME: ("home", "home phone", "home no", "home number", "home tel", "private phone"),
        WORK: ("work", "work phone", "work number", "work no", "office phone", "office no",
               "office number", "business phone", "business number", "company phone",
               "direct line"),
        ALTERNATE: ("alternate", "alternate no", "alternate number", "alternate phone",
                    "alt no", "alt phone", "alt number", "other phone", "other number",
                    "phone 2", "second phone", "secondary phone", "additional phone",
                    "backup phone"),
        "first_name": ("first name", "first", "given name", "forename", "fname", "name",
                       "full name", "customer name", "contact name", "client name", "lead name"),
        "last_name": ("last name", "last", "surname", "family name", "lname"),
        "email": ("email", "email address", "mail", "email id"),
        "timezone": ("time zone", "tz"),
        "priority": ("priority", "prio"),
        "expires_on": ("expiry", "expires", "expiry date", "expires on", "expiration",
                       "expiration date", "valid until", "valid till"),
    },
    # Indian English: the abbreviations of Indian CRM exports, and romanised Hindi.
    "en-IN": {
        PHONE: ("ph no", "phone num", "contact num", "landline no", "resi phone", "resi no",
                "std phone"),
        MOBILE: ("mobile num", "mob num", "customer mobile", "customer mobile no",
                 "alt mobile no", "alternate mobile", "alternate mobile no", "whatsapp no",
                 "cell num"),
        WORK: ("off no", "off phone"),
        ALTERNATE: ("alt contact no", "alternate contact", "other contact no", "ph no 2"),
        "first_name": ("cust name", "naam", "party name", "customer full name"),
        "last_name": ("upnaam",),
        "email": ("mail id", "e mail id"),
        "expires_on": ("expiry dt", "validity", "valid upto"),
    },
    "de": {
        PHONE: ("telefon", "telefonnummer", "telefon nr", "telefonnr", "tel nr", "rufnummer",
                "kontaktnummer", "festnetznummer"),
        MOBILE: ("handy", "handynummer", "handy nr", "mobil", "mobilnummer", "mobiltelefon",
                 "mobilfunknummer"),
        HOME: ("festnetz", "privat", "telefon privat", "privatnummer"),
        WORK: ("büro", "telefon büro", "geschäftlich", "telefon geschäftlich", "dienstlich",
               "telefon dienstlich", "firmennummer"),
        ALTERNATE: ("zweitnummer", "weitere nummer", "weitere telefonnummer", "telefon 2",
                    "andere nummer"),
        "first_name": ("vorname", "name vorname", "kundenname", "vollständiger name"),
        "last_name": ("nachname", "familienname", "zuname"),
        "email": ("e mail adresse", "mailadresse"),
        "timezone": ("zeitzone",),
        "priority": ("priorität", "rang"),
        "expires_on": ("ablaufdatum", "gültig bis", "ablauf", "verfallsdatum"),
    },
    "he": {
        PHONE: ("טלפון", "מספר טלפון", "מס טלפון", "מספר", "טל", "טלפון ראשי", "טלפון קווי",
                "קווי"),
        MOBILE: ("נייד", "טלפון נייד", "סלולרי", "סלולר", "פלאפון", "מספר נייד"),
        HOME: ("בית", "טלפון בבית", "טלפון בית"),
        WORK: ("עבודה", "טלפון בעבודה", "טלפון עבודה", "טלפון משרד", "משרד"),
        ALTERNATE: ("טלפון נוסף", "מספר נוסף", "טלפון חלופי", "טלפון 2"),
        "first_name": ("שם פרטי", "שם", "שם מלא", "שם הלקוח", "שם לקוח"),
        "last_name": ("שם משפחה",),
        # דוא״ל is written with gershayim, a double quote or nothing: one key for all.
        "email": ('דוא"ל', "אימייל", "מייל", "דואר אלקטרוני", "כתובת מייל", 'כתובת דוא"ל'),
        "timezone": ("אזור זמן",),
        "priority": ("עדיפות", "קדימות"),
        "expires_on": ("תוקף", "תאריך תוקף", "בתוקף עד", "תאריך תפוגה", "תפוגה"),
    },
    # Hindi in Devanagari; फ़ is also typed without its nukta, so both spellings are here.
    "hi": {
        PHONE: ("फ़ोन", "फोन", "फ़ोन नंबर", "फोन नंबर", "फ़ोन नम्बर", "फोन नम्बर", "दूरभाष",
                "दूरभाष संख्या", "टेलीफ़ोन", "टेलीफोन", "संपर्क", "संपर्क नंबर", "संपर्क संख्या"),
        MOBILE: ("मोबाइल", "मोबाईल", "मोबाइल नंबर", "मोबाइल नम्बर", "मोबाइल संख्या",
                 "व्हाट्सएप", "व्हाट्सएप नंबर", "वैकल्पिक मोबाइल"),
        HOME: ("घर का फ़ोन", "घर का फोन", "घर का नंबर", "निवास फ़ोन"),
        WORK: ("कार्यालय फ़ोन", "कार्यालय फोन", "कार्यालय नंबर", "ऑफ़िस फ़ोन", "ऑफिस नंबर"),
        ALTERNATE: ("वैकल्पिक नंबर", "वैकल्पिक फ़ोन", "वैकल्पिक फोन", "दूसरा नंबर"),
        "first_name": ("नाम", "पहला नाम", "प्रथम नाम", "पूरा नाम", "ग्राहक का नाम", "ग्राहक नाम"),
        "last_name": ("उपनाम", "अंतिम नाम", "कुलनाम"),
        "email": ("ईमेल", "ईमेल पता", "ईमेल आईडी"),
        "timezone": ("समय क्षेत्र", "टाइम ज़ोन"),
        "priority": ("प्राथमिकता", "वरीयता"),
        "expires_on": ("समाप्ति तिथि", "समाप्ति", "वैधता", "मान्य तक"),
    },
    # Ukrainian ім'я is written with ', ’ or ʼ: one key for all (see header_key).
    "uk": {
        PHONE: ("телефон", "тел", "номер телефону", "контактний телефон", "контактний номер",
                "основний телефон"),
        MOBILE: ("мобільний", "мобільний телефон", "мобільний номер", "моб", "моб тел",
                 "вайбер"),
        HOME: ("домашній", "домашній телефон"),
        WORK: ("робочий", "робочий телефон", "службовий телефон"),
        ALTERNATE: ("додатковий телефон", "додатковий номер", "інший телефон",
                    "другий телефон", "телефон 2"),
        "first_name": ("ім'я", "піб", "повне ім'я", "ім'я клієнта"),
        "last_name": ("прізвище",),
        "email": ("електронна пошта", "ел пошта", "пошта", "імейл", "емейл"),
        "timezone": ("часовий пояс",),
        "priority": ("пріоритет",),
        "expires_on": ("термін дії", "дійсний до", "дата закінчення"),
    },
    "ru": {
        PHONE: ("номер телефона", "контактный телефон", "контактный номер", "основной телефон",
                "городской телефон"),
        MOBILE: ("мобильный", "мобильный телефон", "мобильный номер", "сотовый",
                 "сотовый телефон"),
        HOME: ("домашний", "домашний телефон"),
        WORK: ("рабочий", "рабочий телефон", "служебный телефон"),
        ALTERNATE: ("дополнительный телефон", "доп телефон", "другой телефон",
                    "второй телефон"),
        "first_name": ("имя", "фио", "полное имя", "имя клиента"),
        "last_name": ("фамилия",),
        "email": ("электронная почта", "эл почта", "почта", "емейл", "имейл"),
        "timezone": ("часовой пояс",),
        "priority": ("приоритет",),
        "expires_on": ("срок действия", "действителен до", "дата окончания"),
    },
}  # fmt: skip

# Apostrophe-like letters that Unicode does not class as punctuation: ʼ (U+02BC, the
# Ukrainian apostrophe by the book), ʻ and ʹ.
_APOSTROPHE_LETTERS = str.maketrans("", "", "\u02bc\u02bb\u02b9")
# Kept: letters, the combining marks Devanagari and Hebrew points need, and digits.
_DROPPED_CATEGORIES = ("P", "S", "Z", "C")
_TRAILING_NUMBER = re.compile(r"\d{1,2}$")


def header_key(name: str) -> str:
    """The matching key of a header: NFKC, casefolded, without punctuation, symbols,
    spacing or invisible characters, so "E-Mail", "e_mail" and "EMAIL " are one key."""
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    text = text.translate(_APOSTROPHE_LETTERS)
    return "".join(
        char for char in text if not unicodedata.category(char).startswith(_DROPPED_CATEGORIES)
    )


@cache
def _role_by_key() -> dict[str, str]:
    index: dict[str, str] = {}
    for roles in HEADER_SYNONYMS.values():
        for role, spellings in roles.items():
            for spelling in spellings:
                key = header_key(spelling)
                if index.setdefault(key, role) != role:
                    raise ValueError(f"Header {spelling!r} is listed as {index[key]} and {role}.")
    return index


def header_role(name: str) -> str | None:
    """The role a header names, or None. A phone header may carry a number ("Phone 1",
    "Mobile2") when that spelling is not listed on its own."""
    index = _role_by_key()
    key = header_key(name)
    role = index.get(key)
    if role is None and _TRAILING_NUMBER.search(key):
        role = index.get(_TRAILING_NUMBER.sub("", key))
        if role is not None and not role.startswith(("phone-like:", "alt:")):
            role = None
    return role


def is_known_header(name: str) -> bool:
    return header_role(name) is not None
