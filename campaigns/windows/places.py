"""Where a lead is: its time zone, its country and, where the number tells it, its region.

The zone is the lead's own (read from its number at import, ``Lead.timezone``), else its
list's default. The country comes from the number's calling code; for North American
(+1) numbers the area code also tells the country (US, Canada, the Caribbean) and the
state or province, which decides regional public holidays (a New York number observes
Lincoln's Birthday, a Texas one does not). Elsewhere only the country is taken: an area
code there names a city, not reliably a holiday region.

A number's place depends only on its first five characters (``place_key``: "+1212" for
+1 212 …, "+4930" for +49 30 …), so the breakdown groups leads by that key in SQL and
asks this module once per group, never once per lead.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import phonenumbers

from campaigns.windows.nanp_areas import AREA_SUBDIVISIONS

# Leads grouped by these first characters of the E.164 number share one place.
PLACE_KEY_LENGTH = 5
_NANP = "+1"
# A line number that completes any area code into a number phonenumbers can place
# (exchange 200 exists in every NANP area code's numbering plan).
_NANP_LINE = "2000000"


@dataclass(frozen=True)
class Place:
    zone: str = ""  # an IANA zone name; "" when neither the number nor the list tells it
    country: str = ""  # ISO 3166-1 alpha-2; "" when the number tells none
    subdivision: str = ""  # the ISO 3166-2 part after the country ("NY"), or ""


def place_key(phone: str) -> str:
    return phone[:PLACE_KEY_LENGTH]


def place_of_lead(*, phone: str, timezone: str = "", list_timezone: str = "") -> Place:
    country, subdivision = place_of_key(place_key(phone))
    return Place(zone=timezone or list_timezone, country=country, subdivision=subdivision)


@functools.lru_cache(maxsize=8192)
def place_of_key(key: str) -> tuple[str, str]:
    """(country, subdivision) for the first characters of an E.164 number."""
    if key.startswith(_NANP) and len(key) == PLACE_KEY_LENGTH:
        return _nanp_place(key[2:])
    digits = key.lstrip("+")
    for length in (1, 2, 3):
        regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(int(digits[:length] or 0))
        if regions:
            # The calling code's main country (+7: Russia, +44: the United Kingdom).
            return (regions[0] if regions[0] != "001" else "", "")
    return ("", "")


def _nanp_place(area_code: str) -> tuple[str, str]:
    try:
        number = phonenumbers.parse(f"{_NANP}{area_code}{_NANP_LINE}")
    except phonenumbers.NumberParseException:
        return ("", "")
    country = phonenumbers.region_code_for_number(number) or ""
    if country not in ("US", "CA"):
        return (country, "")
    # The area code's state or province (from phonenumbers' geocoder, see nanp_areas).
    return (country, AREA_SUBDIVISIONS.get(area_code, ""))


def geocoded_subdivision(country: str, description: str) -> str:
    """The ISO 3166-2 part of a geocoder description ("New York, NY", "Ontario"), or "":
    how ``nanp_areas`` was made, and how its test checks it."""
    head, _, tail = description.rpartition(", ")
    codes = _subdivisions(country)
    if head and tail.upper() in codes.values():
        return tail.upper()
    return codes.get(description.casefold(), "")


@functools.cache
def _subdivisions(country: str) -> dict[str, str]:
    """{name casefolded: code} of the country's ISO 3166-2 subdivisions (pycountry)."""
    import pycountry  # only to check nanp_areas against the geocoder: it costs memory

    return {
        item.name.casefold(): item.code.split("-", 1)[1]
        for item in pycountry.subdivisions.get(country_code=country) or ()
    }
