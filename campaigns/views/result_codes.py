"""The page that maps a dialer's own result codes (jtel's, read from the dialer) to the
campaign's disposition codes (#12 point 3)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import get_visible_or_404, permission_required_or_403
from campaigns.models import Campaign, DispositionCode
from dialer_console.errors import ApplicationError
from results.models import ResultCodeMapping
from results.result_code_map import (
    DialerResultCode,
    result_code_mappings,
    result_code_mappings_save,
    result_codes_read,
    result_codes_readable,
)

TEMPLATE = "campaigns/campaign_result_codes.html"


@dataclass(frozen=True)
class Row:
    code: str
    label: str
    kind: str
    final: bool | None  # None: not read from the dialer this time
    mapped: ResultCodeMapping | None


def _rows(read: tuple[DialerResultCode, ...] | None, stored: dict) -> list[Row]:
    rows = [
        Row(code.code, code.label, code.kind, code.final, stored.get(code.code))
        for code in read or ()
    ]
    seen = {row.code for row in rows}
    rows += [
        Row(code, mapping.vendor_label, "", None, mapping)
        for code, mapping in stored.items()
        if code not in seen
    ]
    return rows


def _chosen(request: HttpRequest, rows: list[Row]) -> dict[str, int | None]:
    chosen = {}
    for row in rows:
        raw = request.POST.get(f"map-{row.code}", "").strip()
        if raw and not raw.isdigit():
            raise ApplicationError(
                _("“%(code)s”: choose a disposition code from the list.") % {"code": row.code}
            )
        chosen[row.code] = int(raw) if raw else None
    return chosen


@permission_required_or_403("campaigns.view_campaign")
def campaign_result_codes(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_visible_or_404(
        Campaign.objects.select_related("vendor_account", "disposition_list"),
        request.user,
        "team",
        pk=pk,
    )
    readable = result_codes_readable(campaign.vendor_account)
    read = result_codes_read(campaign=campaign) if readable else None
    rows = _rows(read.codes if read else None, result_code_mappings(campaign=campaign))
    may_change = request.user.has_perm("campaigns.change_campaign")
    if request.method == "POST" and may_change and readable:
        try:
            mapped = result_code_mappings_save(
                campaign=campaign,
                chosen=_chosen(request, rows),
                labels={row.code: row.label for row in rows},
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Saved: %(mapped)s of %(count)s result codes mapped.")
                % {"mapped": mapped, "count": len(rows)},
            )
            return redirect("campaigns:result-codes", pk=pk)
    dispositions = DispositionCode.objects.filter(disposition_list_id=campaign.disposition_list_id)
    context = {
        "campaign": campaign,
        "readable": readable,
        "read": read,
        "rows": rows,
        "dispositions": list(dispositions) if campaign.disposition_list_id else [],
        "may_change": may_change,
    }
    return render(request, TEMPLATE, context)
