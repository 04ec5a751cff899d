"""Downloads of what the dialers did: a campaign's leads with their outcomes (all its
lists the user may see, or one). Written by the
console's one export writer (``dialer_console.exports``), read by keyset chunks."""

from __future__ import annotations

from collections.abc import Iterator

from campaigns.models import Campaign, DispositionCode, LeadDisposition
from dialer_console.exports import Safe, Table, keyset_chunks
from leads.models import Lead
from results.models import LeadResult

LEAD_EXPORT_HEADER = [
    "lead_id", "lead_list", "phone", "first_name", "last_name", "email", "lead_status",
    "attempts", "last_attempt_at", "dialer_status", "outcome_code", "outcome", "agent",
    "next_attempt_at", "dialer_done", "reported_by", "console_disposition",
    "console_disposition_at",
]  # fmt: skip

LEAD_FIELDS = ("id", "phone", "first_name", "last_name", "email", "status")
RESULT_FIELDS = (
    "lead_id", "attempts", "last_attempt_at", "last_result_raw", "last_result_code", "agent",
    "next_attempt_at", "done", "source",
)  # fmt: skip
DISPOSITION_FIELDS = ("lead_id", "code", "label", "recorded_at")


def campaign_leads_table(*, campaign: Campaign, lead_lists: list) -> Table:
    """Every lead of ``lead_lists`` (the campaign's lists the user may see) with the
    dialer's latest word on it and the latest outcome recorded in the console. One lead
    a row; a lead the dialer has not reported on has empty result cells."""
    labels = dict(
        DispositionCode.objects.filter(
            disposition_list_id=campaign.disposition_list_id
        ).values_list("code", "label")
    )
    name = f"campaign-{campaign.pk}-leads"
    if len(lead_lists) == 1:
        name = f"campaign-{campaign.pk}-list-{lead_lists[0].pk}-leads"
    return Table(name, LEAD_EXPORT_HEADER, _lead_rows(campaign, lead_lists, labels))


def _lead_rows(campaign: Campaign, lead_lists: list, labels: dict) -> Iterator[list]:
    # List by list: each read in id order through its (lead_list, id) index.
    for lead_list in lead_lists:
        # Only the exported fields: decoding every lead's JSON fields would double the cost.
        leads_of_list = Lead.objects.filter(lead_list_id=lead_list.pk).only(*LEAD_FIELDS)
        for leads in keyset_chunks(leads_of_list):
            ids = [lead.pk for lead in leads]
            results = {
                row.lead_id: row
                for row in LeadResult.objects.filter(campaign=campaign, lead_id__in=ids).only(
                    *RESULT_FIELDS
                )
            }
            latest: dict[int, LeadDisposition] = {}
            for disposition in (
                LeadDisposition.objects.filter(campaign=campaign, lead_id__in=ids)
                .only(*DISPOSITION_FIELDS)
                .order_by("lead_id", "-recorded_at", "-id")
            ):
                latest.setdefault(disposition.lead_id, disposition)
            for lead in leads:
                yield _lead_row(lead, lead_list, results.get(lead.pk), latest.get(lead.pk), labels)


def _lead_row(lead, lead_list, result, disposition, labels) -> list:
    # The phone is verified E.164 ("+" and digits): no formula can hide in it.
    cells = [lead.pk, lead_list.name, Safe(lead.phone), lead.first_name, lead.last_name]
    cells += [lead.email, lead.get_status_display()]
    if result is None:
        cells += [None] * 9
    else:
        code = result.last_result_code
        cells += [
            result.attempts,
            result.last_attempt_at,
            result.last_result_raw,
            code,
            labels.get(code, code),
            result.agent,
            result.next_attempt_at,
            "unknown" if result.done is None else result.done,
            result.get_source_display(),
        ]
    if disposition is None:
        return cells + [None, None]
    return cells + [f"{disposition.code}: {disposition.label}", disposition.recorded_at]
