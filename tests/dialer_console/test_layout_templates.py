"""One page header, one date-time format, one number format (issue #16, defect 8): every
page template shows its header through ``{% page_header %}``, no template writes its own
<h1> or formats a date or a number another way, and the filters say what they print."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError
from django.test import override_settings

from dialer_console.templatetags.console import num, when

ROOT = Path(settings.BASE_DIR)
APPS = ("accounts", "campaigns", "leads", "sync", "vendors")
# Error pages keep their own centred layout: the standalone ones render without the
# site's context (the error may be the database), the rest look like them.
EXEMPT = ("templates/errors/", "templates/includes/page_header.html")


def _templates() -> list[Path]:
    found = list((ROOT / "templates").rglob("*.html"))
    for app in APPS:
        found += (ROOT / app / "templates").rglob("*.html")
    return sorted(p for p in found if not str(p.relative_to(ROOT)).startswith(EXEMPT))


def _pages() -> list[Path]:
    return [path for path in _templates() if '{% extends "base.html" %}' in path.read_text()]


def test_there_are_pages_to_check():
    assert len(_pages()) >= 25


@pytest.mark.parametrize("path", _pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_page_shows_its_header_through_the_one_partial(path):
    text = path.read_text()
    assert "{% page_header" in text
    assert "<h1" not in text


@pytest.mark.parametrize("path", _templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_formats_dates_or_numbers_its_own_way(path):
    text = path.read_text()
    own_ways = re.findall(r"\|(?:date|time|naturaltime|naturalday|timesince|intcomma)\b", text)
    assert own_ways == []


@override_settings(TIME_ZONE="Europe/Berlin")
def test_a_date_time_reads_day_month_year_and_24_hour_time_in_the_consoles_zone():
    moment = datetime.datetime(2026, 12, 3, 7, 17, tzinfo=datetime.UTC)
    assert when(moment) == "3 Dec 2026, 08:17"
    assert (
        when(datetime.datetime(2026, 7, 14, 23, 5, tzinfo=ZoneInfo("UTC"))) == "15 Jul 2026, 01:05"
    )
    assert when(datetime.date(2026, 12, 3)) == "3 Dec 2026"
    assert when(None) == ""


@pytest.mark.parametrize(
    ("value", "shown"),
    [(36976, "36,976"), (0, "0"), (1234567, "1,234,567"), (-1200, "-1,200"), ("42", "42"),
     (None, "unknown")],
)  # fmt: skip
def test_a_number_has_thousands_separators(value, shown):
    assert num(value) == shown


def _render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_the_page_header_has_title_subtitle_back_link_and_actions():
    html = _render(
        '{% page_header title subtitle="Numbers never dialled" back="/x/" back_label="Up" %}'
        '<a href="/add/" role="button">Add</a>{% endpage_header %}',
        title="Do-not-call <list>",
    )
    assert '<header class="page-header">' in html
    assert "<h1>Do-not-call &lt;list&gt;</h1>" in html
    assert "<p>Numbers never dialled</p>" in html
    assert '<a href="/x/">← Up</a>' in html
    assert '<div class="page-actions"><a href="/add/" role="button">Add</a></div>' in html


def test_a_subtitle_section_keeps_its_markup_and_escapes_values():
    html = _render(
        '{% page_header "T" %}{% page_subtitle %}Into <a href="/l/">{{ name }}</a>'
        "{% endpage_header %}",
        name="<b>",
    )
    assert '<p>Into <a href="/l/">&lt;b&gt;</a></p>' in html
    assert "page-actions" not in html and "page-back" not in html


@pytest.mark.parametrize(
    "source",
    [
        "{% page_header %}{% endpage_header %}",
        '{% page_header "T" colour="red" %}{% endpage_header %}',
    ],
)
def test_a_page_header_without_a_title_or_with_an_unknown_option_is_a_template_error(source):
    with pytest.raises(TemplateSyntaxError):
        Template(source)
