"""The console's one way to show a page's header, a date-time and a number. Loaded as a
template builtin (settings.TEMPLATES), so every template has them without ``{% load %}``.

- ``{% page_header "Title" subtitle="…" back=url back_label="…" %}`` … ``{% endpage_header %}``:
  the header of every page (``includes/page_header.html``). What is between the tags is
  the page's actions; an optional ``{% page_subtitle %}`` section holds a subtitle with
  markup (links), instead of the ``subtitle`` text.
- ``{{ value|when }}``: a date-time as "3 Dec 2026, 08:17" in the console's time zone
  (a date alone as "3 Dec 2026"); "" for None, so ``|default:"never"`` can say what an
  empty one means. In the active language's own order and month names: WHEN_FORMATS.
- ``{{ value|num }}``: an integer with the active language's thousands separator, "36,854"
  (German "36.854", Ukrainian "36 854"); "unknown" (translated) for None.
- ``{{ value|phone }}``: a phone number isolated left-to-right (``<bdi dir="ltr">``), so
  "+972 …" keeps its order inside Hebrew text.
"""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.template.loader import render_to_string
from django.utils import dateformat, timezone
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()

DATETIME_FORMAT = "j M Y, H:i"
DATE_FORMAT = "j M Y"
# (date-time, date) per language: each language's usual order, with its own month
# abbreviation (M) or, in Ukrainian, the month's genitive (E: "3 грудня 2026"), which
# Django translates. A language not listed here uses English's.
WHEN_FORMATS = {
    "en": (DATETIME_FORMAT, DATE_FORMAT),
    "de": ("j. M Y, H:i", "j. M Y"),
    "he": ("j בF Y, H:i", "j בF Y"),
    "uk": ("j E Y, H:i", "j E Y"),
}


def _when_formats() -> tuple[str, str]:
    language = (get_language() or "en").split("-")[0]
    return WHEN_FORMATS.get(language, WHEN_FORMATS["en"])


@register.filter
def when(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return dateformat.format(value, _when_formats()[0])
    if isinstance(value, date):
        return dateformat.format(value, _when_formats()[1])
    return str(value)


@register.filter
def iso(value) -> str:
    """A machine-readable time for ``<time datetime>``: ISO 8601 with its offset."""
    if not isinstance(value, datetime):
        return ""
    return (timezone.localtime(value) if timezone.is_aware(value) else value).isoformat()


@register.filter
def num(value) -> str:
    if value is None or value == "":
        return _("unknown")
    try:
        number = int(value)
    except (TypeError, ValueError):
        return str(value)
    return number_format(number, force_grouping=True)


@register.filter
def phone(value) -> str:
    if value is None or value == "":
        return ""
    return format_html('<bdi dir="ltr" class="phone">{}</bdi>', value)


class PageHeaderNode(template.Node):
    def __init__(self, title, options: dict, actions, subtitle_nodes):
        self.title, self.options = title, options
        self.actions, self.subtitle_nodes = actions, subtitle_nodes

    def render(self, context) -> str:
        values = {name: value.resolve(context) for name, value in self.options.items()}
        subtitle = values.get("subtitle", "")
        # The sections are template output, escaped as they rendered: safe to insert.
        if self.subtitle_nodes is not None:
            subtitle = mark_safe(self.subtitle_nodes.render(context).strip())  # noqa: S308
        return render_to_string(
            "includes/page_header.html",
            {
                "title": self.title.resolve(context),
                "subtitle": subtitle,
                "back_url": values.get("back", ""),
                "back_label": values.get("back_label", ""),
                "actions": mark_safe(self.actions.render(context).strip()),  # noqa: S308
            },
        )


_OPTIONS = ("subtitle", "back", "back_label")


@register.tag
def page_header(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("page_header needs a title")
    title = parser.compile_filter(bits[1])
    options = {}
    for bit in bits[2:]:
        name, _, expression = bit.partition("=")
        if name not in _OPTIONS or not expression:
            raise template.TemplateSyntaxError(f"page_header does not take {bit!r}")
        options[name] = parser.compile_filter(expression)
    actions = parser.parse(("page_subtitle", "endpage_header"))
    subtitle_nodes = None
    if parser.next_token().contents == "page_subtitle":
        subtitle_nodes = parser.parse(("endpage_header",))
        parser.delete_first_token()
    return PageHeaderNode(title, options, actions, subtitle_nodes)
