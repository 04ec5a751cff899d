"""jtel's field map (``shared/vendors/jtel-dialler-campaigns.txt``): the clone's
``destination``, the new campaign's name on jtel, is the console campaign's name. The
template (``source``), ``userData`` and the run dates are vendor-only. jtel documents no
REST call for retries, agents or lists: those stay in jtel's own template campaign."""

from __future__ import annotations

from vendors.adapters.field_map import Derived, FieldMap

FIELD_MAP = FieldMap(
    vendor="jtel",
    derived=(Derived("destination", "name", lambda spec: spec.name, to_campaign=str),),
)
