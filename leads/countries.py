"""The country pickers' choices: every region phonenumbers can read, named in English
("Germany (DE)") and sorted by name. Names come from babel's CLDR data: Python's own
locale module has no country names."""

from __future__ import annotations

import unicodedata
from functools import cache

import phonenumbers
from babel import Locale


def _sort_key(name: str) -> str:
    # "Åland Islands" sorts with the A's, "Côte d’Ivoire" with the C's.
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


@cache
def country_choices() -> list[tuple[str, str]]:
    names = Locale("en").territories
    labelled = [
        (region, f"{names.get(region, region)} ({region})")
        for region in phonenumbers.SUPPORTED_REGIONS
    ]
    return sorted(labelled, key=lambda choice: _sort_key(choice[1]))
