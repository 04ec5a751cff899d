"""A dialer's own result codes mapped to the campaign's disposition codes (#12 point 3,
jtel): read, saved per campaign, and looked up when results come back.

jtel documents "Retrieve the Result Codes from a Dialler Campaign"
(``GET /dialler/campaigns/campaign/{id}/resultCodes``, jtel-dialler-campaigns.txt), so the
codes are read from the dialer, never typed. A campaign not yet on jtel reads those of
its template campaign, which the clone copies ("clones a dialler campaign including all
related data"). Vendors without such a call have no mapping page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from campaigns.models import Campaign, DispositionCode
from dialer_console.errors import ApplicationError
from results.models import ResultCodeMapping
from sync.models import CampaignRemote
from vendors.adapters.errors import VendorError
from vendors.adapters.types import RemoteRef
from vendors.models import VendorAccount
from vendors.services import vendor_adapter, vendor_adapter_class


@dataclass(frozen=True)
class DialerResultCode:
    code: str  # what results carry: the ExportKey, the ID where there is none
    label: str
    kind: str  # jtel's result-code type ("Abschluss", "Abbruch"...)
    final: bool


@dataclass(frozen=True)
class ResultCodesRead:
    """The dialer's codes, or ``None`` with ``note`` saying why; ``source`` says which
    jtel campaign they were read from."""

    codes: tuple[DialerResultCode, ...] | None
    source: str = ""
    note: str = ""


def result_codes_readable(account: VendorAccount | None) -> bool:
    """Whether the account's vendor documents a call that lists result codes."""
    if account is None:
        return False
    try:
        adapter = vendor_adapter_class(account.kind)
    except ApplicationError:
        return False
    return callable(getattr(adapter, "result_codes", None))


def result_codes_read(*, campaign: Campaign) -> ResultCodesRead:
    """The result codes of the campaign on the dialer, or of its template campaign
    while it is not there yet."""
    account = campaign.vendor_account
    if not result_codes_readable(account):
        return ResultCodesRead(
            None, note=_("This vendor documents no call that lists result codes.")
        )
    adapter = vendor_adapter(account=account)
    try:
        ref, source = _where(adapter, campaign)
        if ref is None:
            return ResultCodesRead(None, note=source)
        codes = adapter.result_codes(ref)
    except VendorError as exc:
        return ResultCodesRead(
            None,
            note=_("jtel could not be asked: %(error)s") % {"error": adapter.redact(exc.message)},
        )
    finally:
        adapter.client.close()
    read = tuple(
        DialerResultCode(
            code=code.export_key or code.remote_id,
            label=code.label,
            kind=code.kind,
            final=code.final,
        )
        for code in codes
        if code.export_key or code.remote_id
    )
    return ResultCodesRead(read, source=source)


def _where(adapter, campaign: Campaign) -> tuple[RemoteRef | None, str]:
    remote = CampaignRemote.objects.filter(campaign=campaign).first()
    ref = RemoteRef.from_json(remote.remote_ref) if remote else None
    if ref is not None:
        return ref, _("the campaign on jtel (id %(id)s)") % {"id": ref.remote_id}
    template = str((campaign.vendor_settings or {}).get("source") or "")
    if not template:
        return None, _("Choose the template campaign in the jtel settings first.")
    found = next((t for t in adapter.remote_items("templates") if t.name == template), None)
    if found is None:
        return None, _("jtel does not list the template campaign “%(name)s”.") % {"name": template}
    if not found.remote_id:
        return None, _(
            "jtel's listing shows no id for the template campaign “%(name)s”, so its "
            "result codes can be read only once the campaign is on jtel."
        ) % {"name": template}
    return RemoteRef(found.remote_id), _("the template campaign “%(name)s” (id %(id)s)") % {
        "name": template,
        "id": found.remote_id,
    }


def result_code_mappings(*, campaign: Campaign) -> dict[str, ResultCodeMapping]:
    """The campaign's stored mappings by the dialer's code."""
    rows = ResultCodeMapping.objects.filter(campaign=campaign).select_related("disposition_code")
    return {row.vendor_code: row for row in rows}


def result_code_lookup(*, campaign: Campaign) -> dict[str, str]:
    """The dialer's code → the console's disposition code, for results coming back."""
    return {
        vendor_code: row.disposition_code.code
        for vendor_code, row in result_code_mappings(campaign=campaign).items()
    }


@transaction.atomic
def result_code_mappings_save(
    *, campaign: Campaign, chosen: dict[str, int | None], labels: dict[str, str]
) -> int:
    """Store ``chosen`` (the dialer's code → a disposition code's id, or None to map it
    to nothing); each id must be a code of the campaign's disposition list. Returns how
    many codes are mapped."""
    allowed = set(
        DispositionCode.objects.filter(
            disposition_list_id=campaign.disposition_list_id
        ).values_list("pk", flat=True)
    )
    for vendor_code, code_id in chosen.items():
        if code_id is not None and code_id not in allowed:
            raise ApplicationError(
                _(
                    "“%(vendor_code)s” is mapped to a disposition code that is not in the "
                    "campaign's disposition list."
                )
                % {"vendor_code": vendor_code},
                extra={"vendor_code": vendor_code},
            )
    unmapped = [code for code, code_id in chosen.items() if code_id is None]
    ResultCodeMapping.objects.filter(campaign=campaign, vendor_code__in=unmapped).delete()
    for vendor_code, code_id in chosen.items():
        if code_id is None:
            continue
        ResultCodeMapping.objects.update_or_create(
            campaign=campaign,
            vendor_code=vendor_code,
            defaults={
                "disposition_code_id": code_id,
                "vendor_label": labels.get(vendor_code, "")[:200],
            },
        )
    return ResultCodeMapping.objects.filter(campaign=campaign).count()
