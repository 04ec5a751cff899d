"""What the dialer said about a lead, as the lead pages show it: each result field with
its value, or why there is none: the vendor does not report it, it has not been read yet,
or the dialer left it unknown. Never a zero or "none yet" for what nobody said."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext, gettext_lazy

from results.models import LeadResult
from vendors.adapters.registry import UnknownVendor, adapter_class
from vendors.adapters.types import ResultField

RESULT_LABELS: dict[ResultField, Any] = {
    ResultField.ATTEMPTS: gettext_lazy("Attempts"),
    ResultField.LAST_ATTEMPT_AT: gettext_lazy("Last attempt"),
    ResultField.LAST_RESULT: gettext_lazy("Last result"),
    ResultField.NEXT_ATTEMPT_AT: gettext_lazy("Next attempt"),
    ResultField.DONE: gettext_lazy("Done"),
    ResultField.AGENT: gettext_lazy("Agent"),
}
# How each field is shown: a number, a time, or words.
_KINDS = {
    ResultField.ATTEMPTS: "number",
    ResultField.LAST_ATTEMPT_AT: "time",
    ResultField.NEXT_ATTEMPT_AT: "time",
}


@dataclass(frozen=True)
class ResultCell:
    label: str
    value: Any  # None: see ``note``
    kind: str  # number, time, text; "unknown" with a note
    note: str = ""


@dataclass(frozen=True)
class DialerReport:
    result: LeadResult | None
    vendor: str
    cells: tuple[ResultCell, ...]
    reported: frozenset[ResultField] = frozenset()

    def as_data(self) -> dict[str, Any]:
        """The API's form: each field's value (None where the dialer did not say, or it
        was not read yet: ``read``), and the fields this vendor never reports."""
        result = self.result
        values = {
            "attempts": result.attempts if result else None,
            "last_attempt_at": result.last_attempt_at if result else None,
            "last_result_raw": result.last_result_raw if result else "",
            "last_result_code": result.last_result_code if result else "",
            "next_attempt_at": result.next_attempt_at if result else None,
            "done": result.done if result else None,
            "agent": result.agent if result else "",
            "reported_at": result.reported_at if result else None,
        }
        not_reported = sorted(str(field) for field in RESULT_LABELS if field not in self.reported)
        return {"read": result is not None, **values, "not_reported": not_reported}


def _value(result: LeadResult, field: ResultField) -> Any:
    if field == ResultField.LAST_RESULT:
        raw, code = result.last_result_raw, result.last_result_code
        if not raw and not code:
            return None
        return f"{code} ({raw})" if code and raw and code != raw else (code or raw)
    if field == ResultField.DONE:
        if result.done is None:
            return None
        return gettext("Done") if result.done else gettext("Not done")
    if field == ResultField.AGENT:
        return result.agent or None
    return getattr(result, str(field))


def _cell(field: ResultField, result: LeadResult | None, reported: frozenset, vendor: str):
    label = str(RESULT_LABELS[field])
    if field not in reported:
        note = gettext("unknown: %(vendor)s does not report it") % {"vendor": vendor}
        return ResultCell(label, None, "unknown", note)
    if result is None:
        note = gettext("unknown: not read from the dialer yet")
        return ResultCell(label, None, "unknown", note)
    value = _value(result, field)
    if value is None:
        return ResultCell(label, None, "unknown", gettext("unknown: the dialer did not say"))
    return ResultCell(label, value, _KINDS.get(field, "text"))


def dialer_report(*, result: LeadResult | None, vendor_kind: str | None) -> DialerReport | None:
    """The dialer's word on one lead in one campaign; None when the campaign has no
    dialer."""
    if not vendor_kind:
        return None
    try:
        adapter = adapter_class(vendor_kind)
    except UnknownVendor:
        return None
    cells = tuple(
        _cell(field, result, adapter.result_fields, adapter.label) for field in RESULT_LABELS
    )
    return DialerReport(result, adapter.label, cells, adapter.result_fields)


def lead_results(*, campaign_ids, lead_ids) -> dict[tuple[int, int], LeadResult]:
    """The stored results by (campaign id, lead id), in one query; the callers pass only
    campaigns and leads the user may already see."""
    rows = LeadResult.objects.filter(campaign_id__in=campaign_ids, lead_id__in=lead_ids)
    return {(row.campaign_id, row.lead_id): row for row in rows}
