"""Every string marked for translation is translated in each shipped language (issue 17).

``makemessages`` extracts the msgids of the project into a temporary folder (never over
the committed catalogs); each committed ``locale/<lang>/LC_MESSAGES/django.po`` of a
shipped language must hold every one of them, translated (every plural form) and not
fuzzy. A failure lists the msgids to translate: run ``python manage.py makemessages -l de
-l he -l uk --ignore=.venv/* --ignore=tests/*``, translate, and commit the .po files.
``compilemessages`` (dev.py, .ci/run; tests/conftest.py for a bare pytest) makes the .mo
files, which are not in git."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.template import Context, Template
from django.test import override_settings
from django.utils import translation

from dialer_console.templatetags.console import num, phone, when

ROOT = Path(settings.BASE_DIR)
SHIPPED = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# What makemessages reads: the project's own code and templates, not tests or the venv.
NOT_SOURCE = {".venv", "tests", "var", "locale", "bench", "staticfiles", "node_modules", ".git"}


def _key(entry: polib.POEntry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


def _label(key: tuple[str, str]) -> str:
    context, msgid = key
    return f"[{context}] {msgid!r}" if context else repr(msgid)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict[tuple[str, str], polib.POEntry]:
    """The msgids in the source today, by (context, msgid): makemessages run over links to
    the project's folders, so that it writes its catalog into the temporary folder."""
    work = tmp_path_factory.mktemp("extract")
    for entry in ROOT.iterdir():
        if entry.name not in NOT_SOURCE and not entry.name.startswith("."):
            (work / entry.name).symlink_to(entry)
    here = Path.cwd()
    os.chdir(work)
    try:
        with override_settings(LOCALE_PATHS=[str(work / "locale")]):
            call_command(
                "makemessages", locale=["de"], symlinks=True, no_location=True, verbosity=0
            )
    finally:
        os.chdir(here)
    catalog = polib.pofile(str(work / "locale" / "de" / "LC_MESSAGES" / "django.po"))
    return {_key(entry): entry for entry in catalog if not entry.obsolete}


def test_the_source_has_strings_marked_for_translation(extracted):
    assert len(extracted) > 300, len(extracted)
    assert ("", "Log in") in extracted


@pytest.mark.parametrize("language", SHIPPED)
def test_every_msgid_is_translated(extracted, language):
    path = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"{path} is missing: run makemessages -l {language}"
    committed = {_key(entry): entry for entry in polib.pofile(str(path)) if not entry.obsolete}
    missing = sorted(key for key in extracted if key not in committed)
    fuzzy = sorted(key for key in extracted if key in committed and committed[key].fuzzy)
    untranslated = sorted(
        key
        for key in extracted
        if key in committed and not committed[key].fuzzy and not committed[key].translated()
    )
    problems = [
        f"{what} ({len(keys)}): " + ", ".join(_label(key) for key in keys[:40])
        for what, keys in (("missing", missing), ("fuzzy", fuzzy), ("untranslated", untranslated))
        if keys
    ]
    assert not problems, f"locale/{language}: " + "; ".join(problems)


@pytest.mark.parametrize("language", SHIPPED)
def test_a_translation_keeps_the_placeholders(language):
    """A translated string names the same %(name)s and {{ name }} placeholders as its
    msgid (msgfmt checks python-format, not the templates' blocktranslate variables)."""
    import re

    pattern = re.compile(r"%\((\w+)\)[sd]")
    catalog = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))
    wrong = []
    for entry in catalog:
        if entry.obsolete or not entry.translated():
            continue
        wanted = set(pattern.findall(entry.msgid))
        strings = [entry.msgstr] if entry.msgstr else list(entry.msgstr_plural.values())
        for text in strings:
            if set(pattern.findall(text)) - wanted or (
                not entry.msgid_plural and wanted - set(pattern.findall(text))
            ):
                wrong.append(entry.msgid)
    assert not wrong, wrong


def test_the_compiled_catalogs_translate():
    """The .mo files are compiled and active: a page string comes out in each language."""
    for language in SHIPPED:
        with translation.override(language):
            assert translation.gettext("Log in") != "Log in", language


def test_dates_and_numbers_follow_the_language():
    moment = datetime(2026, 12, 3, 8, 17)
    expected = {
        "en": ("3 Dec 2026, 08:17", "36,854"),
        "de": ("3. Dez 2026, 08:17", "36.854"),
        "he": ("3 בדצמבר 2026, 08:17", "36,854"),
        "uk": ("3 грудня 2026, 08:17", "36\xa0854"),
    }
    with override_settings(USE_TZ=False):
        for language, (date_text, number_text) in expected.items():
            with translation.override(language):
                assert (when(moment), num(36854)) == (date_text, number_text), language


def test_a_phone_number_stays_left_to_right():
    assert str(phone("+972 3 555 0101")) == '<bdi dir="ltr" class="phone">+972 3 555 0101</bdi>'
    assert phone("<b>") == '<bdi dir="ltr" class="phone">&lt;b&gt;</bdi>'
    assert phone(None) == ""


@pytest.mark.parametrize(("language", "direction"), [("en", "ltr"), ("he", "rtl"), ("de", "ltr")])
def test_the_page_names_its_language_and_direction(client, language, direction):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<html lang="{language}" dir="{direction}"' in page


def test_templates_render_in_hebrew():
    with translation.override("he"):
        text = Template('{% translate "Log in" %}').render(Context())
    assert text not in ("", "Log in")
