"""Matching numbers against the hashed do-not-call entries (``DncHashedEntry``).

A hashed entry is an erased person's number (``privacy.services``): the console keeps
only HMAC-SHA256(ERASURE_HASH_KEY, E.164), so the number cannot be read back, yet the same
number in a later import hashes to the same value and is refused as do-not-call. Changing
ERASURE_HASH_KEY makes every hashed entry stop matching (docs: README "Erasure").

The plain DNC scrub stays one SQL statement over ``leads_dncentry``; this step runs only
when hashed entries exist, hashes the span's distinct numbers in Python and looks them up
by the unique index, a chunk at a time."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

from leads.models_dnc_hashed import DncHashedEntry

LOOKUP_CHUNK = 1000


def phone_hash(e164: str) -> str:
    key = settings.ERASURE_HASH_KEY.encode()
    return hmac.new(key, e164.encode(), hashlib.sha256).hexdigest()


def hashed_dnc_add(e164: str) -> bool:
    """List ``e164`` by its hash; False when it was listed already."""
    _, created = DncHashedEntry.objects.get_or_create(phone_hash=phone_hash(e164))
    return created


def hashed_dnc_listed(phones: list[str]) -> set[str]:
    """The numbers of ``phones`` whose hash is listed."""
    if not phones or not DncHashedEntry.objects.exists():
        return set()
    listed = set()
    unique = sorted(set(phones))
    for start in range(0, len(unique), LOOKUP_CHUNK):
        by_hash = {phone_hash(phone): phone for phone in unique[start : start + LOOKUP_CHUNK]}
        found = DncHashedEntry.objects.filter(phone_hash__in=list(by_hash))
        listed.update(by_hash[value] for value in found.values_list("phone_hash", flat=True))
    return listed
