"""The home page's summary: one small count query per app the user may see.

Each app that wants a tile on the home page registers a selector in ``DASHBOARD_TILES``
as a dotted path to ``fn(*, user) -> list[Tile]``, imported when the page is rendered.
The results tiles come last, from the home view, which shares their figures with its
per-campaign table (``results.selectors.results_home``).
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
        tiles.extend(import_string(dotted)(user=user))
    return tiles
