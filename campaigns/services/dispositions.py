"""Recording a lead's outcome in a campaign."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import (
    Campaign,
    CampaignStatus,
    DispositionCode,
    LeadDisposition,
)
from dialer_console.errors import ApplicationError
from sync.services.hooks import (
    sync_on_lead_dispositioned,
    sync_on_lead_removed,
)
from webhooks.services.events import webhooks_on_disposition


def _disposition_code(campaign: Campaign, code: str) -> DispositionCode:
    if campaign.disposition_list_id is None:
        raise ApplicationError(
            _("This campaign has no disposition list: choose one on the campaign first."),
            {"field": "code"},
        )
    found = campaign.disposition_list.codes.filter(code=code).first()
    if found is None:
        raise ApplicationError(
            _("“%(code)s” is not a code of the disposition list “%(disposition_list)s”.")
            % {"code": code, "disposition_list": campaign.disposition_list},
            {"field": "code"},
        )
    return found


def _check_dispositionable(campaign: Campaign, lead) -> None:
    if campaign.status in (CampaignStatus.DRAFT, CampaignStatus.ARCHIVED):
        raise ApplicationError(
            _("The campaign is %(value)s: it has no calls to record an outcome for.")
            % {"value": campaign.get_status_display().lower()}
        )
    if not campaign.list_links.filter(lead_list_id=lead.lead_list_id).exists():
        raise ApplicationError(_("This lead is not in any of the campaign's lead lists."))
    final = LeadDisposition.objects.filter(campaign=campaign, lead=lead, is_final=True).first()
    if final is not None:
        raise ApplicationError(
            _(
                "This lead is done for this campaign: “%(code)s – %(label)s” (final) was "
                "recorded on %(value)s."
            )
            % {
                "code": final.code,
                "label": final.label,
                "value": format(timezone.localtime(final.recorded_at), "%Y-%m-%d %H:%M"),
            }
        )


def _callback_time(code: DispositionCode, callback_at: datetime | None, now: datetime):
    if not code.is_callback:
        if callback_at is not None:
            raise ApplicationError(
                _("“%(code)s” is not a callback code: leave the callback time empty.")
                % {"code": code.code},
                {"field": "callback_at"},
            )
        return None
    if callback_at is None:
        if code.retry_after_minutes is None:
            raise ApplicationError(
                _("“%(code)s” is a callback: give the time to call back.") % {"code": code.code},
                {"field": "callback_at"},
            )
        return now + timedelta(minutes=code.retry_after_minutes)
    if callback_at <= now:
        raise ApplicationError(
            _("The callback time must be in the future."), {"field": "callback_at"}
        )
    return callback_at


def _do_not_call(*, campaign: Campaign, lead, code: DispositionCode, acting_user) -> None:
    """A do-not-call outcome: the number goes on the DNC list everywhere, which takes
    every lead with it still waiting off the dialers (``leads.services.dnc_leads_apply``);
    this lead leaves every dialer that holds it whatever its status."""
    from leads.models import DncScope
    from leads.services import dnc_entry_create

    dnc_entry_create(
        phone=lead.phone,
        scope=DncScope.EVERYWHERE,
        reason=f"Disposition {code.code} ({code.label}) in campaign “{campaign.name}”",
        source="disposition",
        acting_user=acting_user,
    )
    lead.refresh_from_db(fields=["status"])
    sync_on_lead_removed(lead=lead)  # merged with the job the listing queued, if any


@transaction.atomic
def campaign_lead_disposition_record(
    *,
    campaign: Campaign,
    lead,
    code: str,
    acting_user,
    callback_at: datetime | None = None,
    note: str = "",
) -> LeadDisposition:
    """Record a lead's outcome in a campaign and apply the code's flags: do-not-call (see
    ``_do_not_call``), final (the lead is done for this campaign: no other outcome is
    taken), callback (a time, given or the code's retry-after from now) and retry-after
    (stored as the time it may be called again). When the campaign's dialer waits for
    call results (Webitel), the sync job that reports it is queued in this transaction."""
    from leads.models import Lead

    lead = Lead.objects.select_for_update().get(pk=lead.pk)  # one outcome at a time
    campaign = Campaign.objects.select_related("vendor_account", "disposition_list").get(
        pk=campaign.pk
    )
    chosen = _disposition_code(campaign, code)
    _check_dispositionable(campaign, lead)
    now = timezone.now()
    retry_at = None
    if chosen.retry_after_minutes is not None and not chosen.is_final:
        retry_at = now + timedelta(minutes=chosen.retry_after_minutes)
    disposition = LeadDisposition.objects.create(
        campaign=campaign,
        lead=lead,
        code=chosen.code,
        label=chosen.label,
        is_final=chosen.is_final,
        is_success=chosen.is_success,
        is_callback=chosen.is_callback,
        is_do_not_call=chosen.is_do_not_call,
        callback_at=_callback_time(chosen, callback_at, now),
        retry_at=retry_at,
        note=note.strip()[:500],
        recorded_by=acting_user,
    )
    job = sync_on_lead_dispositioned(
        lead=lead, campaign=campaign, disposition=chosen.code, success=chosen.is_success
    )
    if job is not None:
        disposition.call_result_job_id = job.pk
        disposition.save(update_fields=["call_result_job_id"])
    if chosen.is_do_not_call:
        _do_not_call(campaign=campaign, lead=lead, code=chosen, acting_user=acting_user)
    else:
        _recycle(disposition, now)
    webhooks_on_disposition(disposition=disposition)
    return disposition


def _recycle(disposition: LeadDisposition, now: datetime) -> None:
    """The outcome answers the lead's open callback in the campaign; a callback time
    opens a new one (results.recycling); any other outcome not final follows the
    campaign's recycling rule for its code."""
    from results.models import RecycleMatch
    from results.recycling.apply import (
        Fresh,
        callback_open,
        callback_window_note,
        callbacks_close_for_outcome,
        recycle_decide,
    )

    campaign, lead = disposition.campaign, disposition.lead
    if disposition.callback_at is not None:
        callback_open(disposition=disposition, when=disposition.callback_at)  # replaces it
        disposition.callback_note = callback_window_note(
            campaign=campaign, lead=lead, when=disposition.callback_at
        )
        return
    callbacks_close_for_outcome(campaign=campaign, lead=lead)
    if not disposition.is_final:
        recycle_decide(
            campaign=campaign,
            lead=lead,
            kind=RecycleMatch.DISPOSITION,
            fresh=Fresh(lead_id=lead.pk, code=disposition.code, at=now),
        )
