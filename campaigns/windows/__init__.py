"""When a lead may be dialled: a campaign's calling window applied in the lead's place.

- ``places``: where a lead is, as far as its number and its list tell (time zone, country,
  and for North American numbers the state or province from the area code).
- ``rules``: ``WindowRule``, a calling window as a pure value: open or closed at an
  instant for a place (and why), the next opening, the open hours of a day, and the rule
  in words. No database access after ``WindowRule.of(window)``.
"""

from campaigns.windows.places import Place, place_key, place_of_key, place_of_lead
from campaigns.windows.rules import Closed, WindowRule

__all__ = ["Closed", "Place", "WindowRule", "place_key", "place_of_key", "place_of_lead"]
