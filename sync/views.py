"""Sync pages: the jobs list with filters and Retry, an account's Release button, and
the campaign sync panel the campaign page embeds (with Refresh and “push failed leads
again”). Every form posts without JavaScript; HTMX swaps the fragment that changed."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseStopPolling

from accounts.access import permission_required_or_403
from campaigns.selectors import campaign_queryset
from dialer_console.errors import ApplicationError
from dialer_console.exports import export_format, export_response, report_delimiter
from dialer_console.keyset import keyset_page
from leads.models import Lead
from sync import dialling, selectors, services, start_preview
from sync.exports import sync_jobs_table
from sync.models import JobState, Operation
from vendors.models import VendorAccount
from vendors.services import vendor_adapter_class

VIEW = "sync.view_syncjob"
CHANGE = "sync.change_syncjob"


def _campaign(request: HttpRequest, pk: int):
    return get_object_or_404(campaign_queryset(user=request.user), pk=pk)


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


@permission_required_or_403(VIEW)
def sync_job_list(request: HttpRequest) -> HttpResponse:
    filters = _job_filters(request)
    jobs = selectors.sync_job_list(user=request.user, **filters)
    page = keyset_page(request, jobs, sorting=selectors.SYNC_JOB_SORTING)
    # Each state's count under the other filters (the State picker shows them).
    others = selectors.sync_job_list(user=request.user, **{**filters, "state": ""})
    context = {
        "page": page,
        "filters": filters,
        "states": JobState.choices,
        "operations": Operation.choices,
        "accounts": VendorAccount.objects.all(),
        "counts": selectors.sync_job_state_counts(jobs=others, cap=selectors.STATE_COUNT_CAP),
        "badges": selectors.JOB_BADGE_CLASSES,
        "export_filters": {key: value for key, value in request.GET.items() if key in filters},
    }
    template = "sync/job_list.html#jobs" if request.htmx else "sync/job_list.html"
    return render(request, template, context)


def _job_filters(request: HttpRequest) -> dict:
    return {
        "state": request.GET.get("state", ""),
        "account": request.GET.get("account", ""),
        "operation": request.GET.get("operation", ""),
        "attention": request.GET.get("attention") == "1",
        "campaign": request.GET.get("campaign", ""),
        "routine": request.GET.get("routine") == "1",
    }


@permission_required_or_403(VIEW)
def sync_job_export(request: HttpRequest) -> HttpResponse:
    """The jobs the list shows (same filters), oldest first, as CSV or xlsx."""
    try:
        file_format = export_format(request.GET.get("file_format", ""))
    except ApplicationError as error:
        return HttpResponse(error.message, status=400, content_type="text/plain; charset=utf-8")
    jobs = selectors.sync_job_list(user=request.user, **_job_filters(request))
    delimiter = report_delimiter(request.GET.get("delimiter", ""))
    return export_response(sync_jobs_table(jobs=jobs), file_format=file_format, delimiter=delimiter)


@permission_required_or_403(CHANGE)
@require_POST
def sync_job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(selectors.sync_jobs_visible(user=request.user), pk=pk)
    try:
        services.sync_job_retry(job=job)
        messages.success(request, _("Job #%(pk)s is queued again.") % {"pk": job.pk})
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return _back(request, "sync:job-list")


@permission_required_or_403(CHANGE, "vendors.change_vendoraccount")
@require_POST
def sync_account_release(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(VendorAccount, pk=pk)
    released = services.sync_jobs_release_for_account(account=account)
    if released:
        messages.success(
            request,
            ngettext(
                "%(count)s held job of %(name)s is queued again.",
                "%(count)s held jobs of %(name)s are queued again.",
                released,
            )
            % {"count": released, "name": account.name},
        )
    else:
        messages.info(request, _("%(name)s has no held jobs.") % {"name": account.name})
    return _back(request, "sync:job-list")


# --- the campaign panel --------------------------------------------------------------------


def _panel_template(request: HttpRequest) -> str:
    return "sync/campaign_panel.html#panel" if request.htmx else "sync/campaign_panel.html"


def _panel_response(request: HttpRequest, campaign, *, status: int = 200) -> HttpResponse:
    panel = selectors.campaign_panel(campaign=campaign)
    response = render(request, _panel_template(request), {"panel": panel}, status=status)
    if request.htmx and request.GET.get("poll") and not panel.busy:
        # The last fragment is sent without the polling trigger, and 286 tells HTMX to
        # stop polling in any case.
        return HttpResponseStopPolling(response.content)
    return response


@permission_required_or_403(VIEW, "campaigns.view_campaign")
def campaign_panel(request: HttpRequest, pk: int) -> HttpResponse:
    return _panel_response(request, _campaign(request, pk))


@permission_required_or_403("campaigns.view_campaign")
def campaign_dialling(request: HttpRequest, pk: int) -> HttpResponse:
    """Why each lead is or is not on the dialer now: the campaign page loads it after its
    first paint (it reads every lead of the campaign), and it has a page of its own."""
    campaign = _campaign(request, pk)
    context = {
        "campaign": campaign,
        "breakdown": dialling.campaign_breakdown(campaign=campaign, user=request.user),
        "window_means": _window_means(campaign),
    }
    template = "sync/campaign_dialling.html"
    return render(request, f"{template}#dialling" if request.htmx else template, context)


@permission_required_or_403("campaigns.view_campaign")
def campaign_start_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Before a start: how many leads the calling window lets the dialer call now, later
    today, tomorrow, by time zone. Loaded after the campaign page's first paint, as the
    breakdown is (it reads every lead), and a page of its own."""
    campaign = _campaign(request, pk)
    context = {
        "campaign": campaign,
        "preview": start_preview.campaign_start_preview(campaign=campaign, user=request.user),
        "days_words": start_preview.DAYS_WORDS,
    }
    template = "sync/campaign_start_preview.html"
    return render(request, f"{template}#start_preview" if request.htmx else template, context)


def _window_means(campaign):
    """How the campaign's dialer enforces its calling window, None without a dialer (or
    with one whose adapter this build lacks)."""
    if campaign.vendor_account is None:
        return None
    try:
        return vendor_adapter_class(campaign.vendor_account.kind).window_means
    except ApplicationError:
        return None


def _panel_action(request: HttpRequest, pk: int, act) -> HttpResponse:
    """Run one panel button's service (``act(campaign)`` returns the message to show) and
    answer with the panel, or go back; a refused action shows its reason."""
    campaign = _campaign(request, pk)
    try:
        message, level = act(campaign), messages.SUCCESS
    except ApplicationError as exc:
        message, level = exc.message, messages.ERROR
    return _panel_or_back(request, campaign, message, level)


@permission_required_or_403(CHANGE, "campaigns.view_campaign")
@require_POST
def campaign_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    def act(campaign):
        services.sync_pending_refresh_enqueue(campaign=campaign)
        return _("Asking the dialer for its pending calls…")

    return _panel_action(request, pk, act)


@permission_required_or_403(CHANGE, "campaigns.change_campaign")
@require_POST
def campaign_link(request: HttpRequest, pk: int) -> HttpResponse:
    def act(campaign):
        services.sync_campaign_link(campaign=campaign, remote_id=request.POST.get("remote_id", ""))
        return _("Linked: the campaign will sync with that dialer id.")

    return _panel_action(request, pk, act)


@permission_required_or_403(CHANGE, "campaigns.view_campaign")
@require_POST
def campaign_failed_requeue(request: HttpRequest, pk: int) -> HttpResponse:
    def act(campaign):
        count = services.sync_failed_leads_requeue(campaign=campaign)
        return ngettext(
            "%(count)s failed lead will be pushed again.",
            "%(count)s failed leads will be pushed again.",
            count,
        ) % {"count": count}

    return _panel_action(request, pk, act)


@permission_required_or_403(CHANGE, "campaigns.view_campaign")
@require_POST
def campaign_reconcile_check(request: HttpRequest, pk: int) -> HttpResponse:
    def act(campaign):
        services.sync_reconcile_check_enqueue(campaign=campaign)
        return _("Comparing the campaign with the dialer…")

    return _panel_action(request, pk, act)


@permission_required_or_403(CHANGE, "campaigns.change_campaign")
@require_POST
def campaign_reconcile_repair(request: HttpRequest, pk: int) -> HttpResponse:
    def act(campaign):
        services.sync_reconcile_repair_enqueue(campaign=campaign)
        return _("Repairing the dialer's copy…")

    return _panel_action(request, pk, act)


@permission_required_or_403(CHANGE, "campaigns.view_campaign", "leads.view_lead")
@require_POST
def lead_terminate(request: HttpRequest, pk: int, lead_pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    lead = get_object_or_404(Lead, pk=lead_pk, syncs__campaign=campaign)
    try:
        services.sync_lead_terminate(campaign=campaign, lead=lead)
        messages.success(
            request, _("The dialer will stop calling %(phone)s.") % {"phone": lead.phone}
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return _back(request, "sync:job-list")


def _panel_or_back(request, campaign, message: str, level: int) -> HttpResponse:
    if request.htmx:
        panel = selectors.campaign_panel(campaign=campaign)
        context = {"panel": panel, "flash": message, "flash_error": level == messages.ERROR}
        return render(request, _panel_template(request), context)
    messages.add_message(request, level, message)
    return _back(request, "sync:job-list")
