"""The area-code table (``campaigns.windows.nanp_areas``) says what phonenumbers' geocoder
says, for every North American area code; the places read it without loading the
geocoder (about 100 MB per process)."""

from __future__ import annotations

import subprocess
import sys

import phonenumbers
from phonenumbers import geocoder

from campaigns.windows.nanp_areas import AREA_SUBDIVISIONS
from campaigns.windows.places import geocoded_subdivision, place_of_key


def _from_geocoder() -> dict[str, str]:
    found = {}
    for area in range(200, 1000):
        number = phonenumbers.parse(f"+1{area}2000000")
        country = phonenumbers.region_code_for_number(number) or ""
        if country in ("US", "CA"):
            description = geocoder.description_for_number(number, "en", region=country)
            subdivision = geocoded_subdivision(country, description)
            if subdivision:
                found[str(area)] = subdivision
    return found


def test_the_table_is_the_geocoders():
    expected = _from_geocoder()
    if expected != AREA_SUBDIVISIONS:
        entries = " ".join(f"{area}:{code}" for area, code in sorted(expected.items()))
        print(f"The table from the installed phonenumbers:\n{entries}")
    assert expected == AREA_SUBDIVISIONS
    assert len(expected) > 400


def test_places_of_numbers():
    assert place_of_key("+1212") == ("US", "NY")
    assert place_of_key("+1416") == ("CA", "ON")
    assert place_of_key("+1876") == ("JM", "")  # Jamaica: a NANP country, no state
    assert place_of_key("+4930") == ("DE", "")


def test_placing_a_number_does_not_load_the_geocoder():
    code = (
        "import sys; from campaigns.windows.places import place_of_key; "
        "place_of_key('+1212'); print('phonenumbers.geodata' in sys.modules)"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert loaded.stdout.strip() == "False", loaded.stderr
