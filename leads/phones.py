"""Phone numbers to E.164 with a time zone, at import speed.

Stock ``phonenumbers`` costs about 30 µs per number (parse, format, validate), so a
million-row import would spend half a minute in it. Most lead files are North American
numbers written in a handful of shapes, so those take a fast path that gives exactly what
``phonenumbers`` gives, by running the same metadata check ``is_valid_number`` runs and
nothing else. Anything the fast path is not sure of goes to ``phonenumbers`` itself.
``tests/leads/test_phones.py`` proves the two agree with hypothesis.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

import phonenumbers
from phonenumbers import PhoneNumberType
from phonenumbers import timezone as phone_timezone
from phonenumbers.phonenumberutil import (
    _GEO_MOBILE_COUNTRIES,
    PhoneMetadata,
    _number_type_helper,
)

UNKNOWN_TIME_ZONE = "Etc/Unknown"
E164_PATTERN = re.compile(r"^\+[1-9]\d{7,14}$")

# Shapes the fast path takes: 212-555-0100, (212) 555-0100, 212.555.0100, 2125550100,
# 1 212 555 0100 and +1 (212) 555-0100. Other text goes to phonenumbers.
_NANP_SHAPE = re.compile(
    r"^\s*(?P<plus>\+)?(?P<trunk>1)?[ .-]?(?:\((?P<npa_p>\d{3})\)|(?P<npa>\d{3}))"
    r"[ .-]?(?P<nxx>\d{3})[ .-]?(?P<line>\d{4})\s*$"
)
_NANP_REGIONS = frozenset(phonenumbers.COUNTRY_CODE_TO_REGION_CODE[1])
# phonenumbers decides a +1 number's region by trying the regions in this order; the
# first one is the US, which has no leading-digits shortcut, so a number that is a valid
# US number is US and valid without looking further.
_MAIN_NANP_REGION = phonenumbers.COUNTRY_CODE_TO_REGION_CODE[1][0]
_GEOGRAPHICAL_TYPES = frozenset({PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE})


class NormalisedPhone(NamedTuple):
    # A NamedTuple, not a frozen dataclass: built once per row, it costs a quarter as much.
    e164: str
    timezone: str  # "" unless phonenumbers names exactly one zone for the number


def phone_normalise(raw: str, region: str) -> NormalisedPhone | None:
    """E.164 and time zone of ``raw`` read with the default ``region`` (ISO country code),
    or None when phonenumbers would not call it a valid number."""
    fast = _nanp_fast_path(raw, region)
    if fast is not None:
        return fast
    return phone_normalise_reference(raw, region)


def phone_normalise_reference(raw: str, region: str) -> NormalisedPhone | None:
    """The slow, authoritative answer: phonenumbers end to end."""
    try:
        number = phonenumbers.parse(raw, region or None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    zones = phone_timezone.time_zones_for_number(number)
    return NormalisedPhone(
        e164=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
        timezone=_single_zone(zones),
    )


def is_e164(value: str) -> bool:
    return bool(E164_PATTERN.match(value))


def _single_zone(zones) -> str:
    if len(zones) == 1 and zones[0] != UNKNOWN_TIME_ZONE:
        return zones[0]
    return ""


def _nanp_fast_path(raw: str, region: str) -> NormalisedPhone | None:
    """The answer for a well-shaped +1 number that is a valid US number; None means
    "ask phonenumbers" (which may still find it valid, say for Canada)."""
    match = _NANP_SHAPE.match(raw)
    if match is None:
        return None
    plus, trunk, npa_in_parens, npa, nxx, line = match.groups()
    if plus:
        if not trunk:
            return None  # "+212..." is country code 212, not a NANP number
    elif region not in _NANP_REGIONS:
        return None
    national = (npa_in_parens or npa) + nxx + line
    if _ZONE_DEPENDS_ON_FIRST_SIX:
        # Type and zone both follow from NPA-NXX: one dict look-up per number.
        zone = _zone_by_first_six.get(national[:6])
        if zone is None:
            if len(_zone_by_first_six) >= _ZONE_CACHE_LIMIT:
                _zone_by_first_six.clear()  # bounded memory; a rebuild costs milliseconds
            zone = _zone_by_first_six[national[:6]] = _us_zone_or_invalid(national)
        if zone is _INVALID:
            return None
        return NormalisedPhone("+1" + national, zone)
    return _us_number_with_zone(national)


def _us_number_with_zone(national: str) -> NormalisedPhone | None:
    number_type = _us_number_type(national)
    if number_type == PhoneNumberType.UNKNOWN:
        return None
    e164 = "+1" + national
    return NormalisedPhone(e164=e164, timezone=_us_time_zone(e164, number_type))


_INVALID = object()  # marks an NPA-NXX with no valid US number in _zone_by_first_six
# NPA-NXX -> zone ("" when not exactly one) or _INVALID: a plain dict is cheaper per hit
# than functools caches. Real files use a few thousand NPA-NXX; the limit caps memory.
_ZONE_CACHE_LIMIT = 100_000
_zone_by_first_six: dict[str, object] = {}


def _us_zone_or_invalid(national: str) -> object:
    result = _us_number_with_zone(national)
    return _INVALID if result is None else result.timezone


def _us_number_type(national: str) -> int:
    if _US_TYPE_DEPENDS_ON_FIRST_SIX:
        return _us_number_type_by_prefix(national[:6])
    return _number_type_helper(national, PhoneMetadata.metadata_for_region(_MAIN_NANP_REGION))


@lru_cache(maxsize=65536)
def _us_number_type_by_prefix(prefix: str) -> int:
    # Any line number will do: _US_TYPE_DEPENDS_ON_FIRST_SIX proved it cannot matter.
    return _number_type_helper(
        prefix + "0000", PhoneMetadata.metadata_for_region(_MAIN_NANP_REGION)
    )


def _us_time_zone(e164: str, number_type: int) -> str:
    # Mirrors phonenumbers.timezone.time_zones_for_number for a number whose type is known.
    geographical = number_type in _GEOGRAPHICAL_TYPES or (
        number_type == PhoneNumberType.MOBILE and 1 in _GEO_MOBILE_COUNTRIES
    )
    return _zone_for_prefix(e164[1 : 1 + _NANP_ZONE_PREFIX_LENGTH] if geographical else "1")


# No +1 key in the zone table is longer than this, so the zone depends on these digits only.
_NANP_ZONE_PREFIX_LENGTH = max(len(key) for key in phone_timezone.TIMEZONE_DATA if key[0] == "1")


@lru_cache(maxsize=65536)
def _zone_for_prefix(digits: str) -> str:
    for length in range(len(digits), 0, -1):
        zones = phone_timezone.TIMEZONE_DATA.get(digits[:length])
        if zones is not None:
            return _single_zone(zones)
    return ""


def _top_level_alternatives(pattern: str) -> list[str]:
    parts, depth, in_class, start = [], 0, False, 0
    for index, char in enumerate(pattern):
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:index])
            start = index + 1
    parts.append(pattern[start:])
    return parts


_FIXED_TAIL = re.compile(r"\\d\{(\d+)\}$")


def us_type_depends_on_first_six() -> bool:
    """True when every US number pattern ends in at least four free digits (``…\\d{k}``,
    k >= 4), so that for a ten-digit number the type is decided by its first six digits
    and can be cached per NPA-NXX without ever disagreeing with phonenumbers."""
    metadata = PhoneMetadata.metadata_for_region(_MAIN_NANP_REGION)
    descs = (
        metadata.general_desc,
        metadata.premium_rate,
        metadata.toll_free,
        metadata.shared_cost,
        metadata.voip,
        metadata.personal_number,
        metadata.pager,
        metadata.uan,
        metadata.voicemail,
        metadata.fixed_line,
        metadata.mobile,
    )
    for desc in descs:
        if desc is None or desc.national_number_pattern is None:
            continue
        for alternative in _top_level_alternatives(desc.national_number_pattern):
            tail = _FIXED_TAIL.search(alternative)
            if tail is None or int(tail.group(1)) < 4:
                return False
    return True


_US_TYPE_DEPENDS_ON_FIRST_SIX = us_type_depends_on_first_six()
# The zone reads e164[1:1 + _NANP_ZONE_PREFIX_LENGTH], i.e. "1" and the first digits.
_ZONE_DEPENDS_ON_FIRST_SIX = _US_TYPE_DEPENDS_ON_FIRST_SIX and _NANP_ZONE_PREFIX_LENGTH <= 7
