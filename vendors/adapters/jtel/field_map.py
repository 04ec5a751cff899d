"""jtel's field map (``shared/vendors/jtel-dialler-campaigns.txt``): the clone's
``destination``, the new campaign's name on jtel, is the console campaign's name. The
template (``source``), ``userData`` and the run dates are vendor-only. jtel documents no
REST call for retries, agents or lists: those stay in jtel's own template campaign."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy

from vendors.adapters.field_map import Derived, FieldMap
from vendors.adapters.types import WindowEnforcement, WindowMeans

FIELD_MAP = FieldMap(
    vendor="jtel",
    derived=(Derived("destination", "name", lambda spec: spec.name, to_campaign=str),),
)


def run_times(settings: dict) -> tuple[datetime | None, datetime | None]:
    """The campaign's Runs from / Runs to (dtFrom/dtTo, jtel's wall-clock format) as
    instants, read in ``RUN_TIMES_ZONE``; None for one not set or not readable."""
    return _instant(settings.get("dtFrom")), _instant(settings.get("dtTo"))


# The format of dtFrom/dtTo (jtel's wall-clock datetime, as its forms take it).
JTEL_DATETIME = "%Y-%m-%d %H:%M:%S"
# jtel documents no zone for dtFrom/dtTo: its portal's, taken to be Germany's [guess].
RUN_TIMES_ZONE = "Europe/Berlin"


def _instant(value) -> datetime | None:
    try:
        wall = datetime.strptime(str(value or ""), JTEL_DATETIME)
    except ValueError:
        return None
    return wall.replace(tzinfo=ZoneInfo(RUN_TIMES_ZONE))


# How the calling window is enforced on jtel (``types.WindowMeans``; see the vendor's
# document in shared/vendors/ and the README's calling-window section).
WINDOW_MEANS = WindowMeans(
    enforcement=WindowEnforcement.CAMPAIGN_TIME,
    enforced=gettext_lazy(
        "jtel documents no per-lead time and no start or stop; a campaign runs between its "
        "Runs from and Runs to (dtFrom/dtTo, set in its settings). The console pushes a "
        "contact only while its window is open and only when the rest of its window lies "
        "within those run times, and deletes a contact not dialled by its window's close."
    ),
    outside_control=gettext_lazy(
        "Between a window's close and the console's next check (every few minutes) jtel may "
        "still dial a contact; the console cannot pause the campaign. jtel's own call times "
        "live in its template campaign, which the console can neither read nor set; Runs "
        "from/to are read in Europe/Berlin (a guess: jtel documents no zone)."
    ),
    take_back=True,
    campaign_time_zone=RUN_TIMES_ZONE,
    campaign_time=run_times,
)
