"""The home page's summary: one small count query per app the user may see.

Each app that wants a tile on the home page registers a selector in ``DASHBOARD_TILES``
as a dotted path to ``fn(*, user) -> list[Tile]``; apps are looked up lazily so the
project module imports no app code at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.module_loading import import_string

DASHBOARD_TILES: list[str] = [
    "campaigns.selectors.campaign_dashboard_tiles",
    "leads.selectors.lead_dashboard_tiles",
    "vendors.selectors.vendor_dashboard_tiles",
    "sync.selectors.sync_dashboard_tiles",
]


@dataclass(frozen=True)
class Tile:
    label: str
    value: int | str
    url: str = ""
    note: str = ""


def dashboard_summary(*, user) -> list[Tile]:
    tiles: list[Tile] = []
    for dotted in DASHBOARD_TILES:
        try:
            selector = import_string(dotted)
        except ImportError:
            continue
        tiles.extend(selector(user=user))
    return tiles
