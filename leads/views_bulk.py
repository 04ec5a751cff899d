"""Bulk actions on leads, from a lead list's page and from a campaign's Leads page: the
leads ticked on the page, or every lead that matches the page's filter (kept in the
form). The first post shows what will happen to how many leads, counted by the very
query the action then runs; the second, with ``confirmed``, does it and goes back to
the page with its filter."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_visible_or_404, permission_required_or_403
from campaigns.models import CampaignStatus
from campaigns.selectors import campaign_queryset
from dialer_console.errors import ApplicationError
from leads import selectors, services
from leads.models import LeadBulkRun, LeadStatus
from leads.selectors_bulk import (
    LeadSelection,
    bulk_ids_read,
    lead_bulk_run_get,
    lead_selection_for_campaign,
    lead_selection_for_list,
)
from leads.services.bulk_actions import ACTION_EFFECTS, ACTION_PERMISSIONS, ACTIONS, MOVE
from leads.services.bulk_runs import leads_bulk_submit

CONFIRM_TEMPLATE = "leads/bulk_confirm.html"
RUN_TEMPLATE = "leads/bulk_run.html"


def lead_bulk_bar(request: HttpRequest, *, url: str, filters: dict, exclude_list=None) -> dict:
    """What the action bar of a leads page needs: the actions the user may take, where
    leads may be moved or recycled to, and the page's filter as hidden fields."""
    user = request.user
    actions = [
        (name, label) for name, label in ACTIONS.items() if user.has_perms(ACTION_PERMISSIONS[name])
    ]
    lists = selectors.lead_lists_visible(user=user).select_related(None).only("id", "name")
    if exclude_list is not None:
        lists = lists.exclude(pk=exclude_list.pk)
    campaigns = (
        campaign_queryset(user=user)
        .exclude(status=CampaignStatus.ARCHIVED)
        .select_related(None)
        .only("id", "name")
    )
    return {
        "url": url,
        "actions": actions,
        "target_lists": lists if actions else [],
        "campaigns": campaigns if actions else [],
        "filters": {key: value for key, value in filters.items() if value},
    }


def _chosen(request: HttpRequest, name: str, queryset):
    raw = request.POST.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdecimal():
        raise ApplicationError(
            _("“%(value)s” is not a choice.") % {"value": raw[:40]}, {"field": name}
        )
    found = queryset.filter(pk=int(raw)).first()
    if found is None:
        raise ApplicationError(_("That choice is not one you may use."), {"field": name})
    return found


def _targets(request: HttpRequest, action: str) -> dict:
    targets = {"target_list": None, "target_campaign": None}
    if action == MOVE:
        targets["target_list"] = _chosen(
            request, "target_list", selectors.lead_lists_visible(user=request.user)
        )
    elif action == "recycle":
        targets["target_campaign"] = _chosen(
            request, "campaign", campaign_queryset(user=request.user)
        )
    return targets


def _ids(request: HttpRequest) -> list[int] | None:
    if request.POST.get("scope") == "filter":
        return None
    return bulk_ids_read(request.POST.getlist("ids"))


def _breakdown(selection: LeadSelection) -> tuple[int, list[tuple[str, int]]]:
    """How many leads the selection holds, by status: one grouped count of the queryset
    the action runs on."""
    rows = selection.leads.values_list("status").annotate(n=Count("pk")).order_by()
    by_status = dict(rows)
    labels = dict(LeadStatus.choices)
    parts = [(labels.get(status, status), n) for status, n in sorted(by_status.items())]
    return sum(by_status.values()), parts


def _bulk(
    request: HttpRequest,
    *,
    select: Callable[[list[int] | None], LeadSelection],
    back_url: str,
    page_name: str,
) -> HttpResponse:
    action = request.POST.get("action", "")
    try:
        targets = _targets(request, action)
        services.leads_bulk_check(action=action, acting_user=request.user, **targets)
        selection = select(_ids(request))
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(back_url)
    if not request.POST.get("confirmed"):
        total, by_status = _breakdown(selection)
        context = {
            "action": action,
            "action_label": ACTIONS[action],
            "effects": ACTION_EFFECTS[action],
            "selection": selection,
            "total": total,
            "by_status": by_status,
            "posted": _posted(request),
            "back_url": back_url,
            "page_name": page_name,
            "in_background": total > settings.LEADS_BULK_INLINE_MAX,
            "inline_max": settings.LEADS_BULK_INLINE_MAX,
            **targets,
        }
        return render(request, CONFIRM_TEMPLATE, context)
    outcome = leads_bulk_submit(
        selection=selection, action=action, acting_user=request.user, **targets
    )
    if isinstance(outcome, LeadBulkRun):
        return redirect("leads:bulk-run", pk=outcome.pk)
    messages.success(request, outcome.summary)
    return redirect(back_url)


def _posted(request: HttpRequest) -> list[tuple[str, str]]:
    """The first post's fields, carried by the confirmation's form."""
    keep = ("action", "scope", "target_list", "campaign", "status", "phone", "state")
    fields = [(name, request.POST.get(name, "")) for name in keep if request.POST.get(name)]
    if request.POST.get("scope") != "filter":
        fields += [("ids", value) for value in request.POST.getlist("ids")]
    return fields


def _with_query(url: str, query: dict) -> str:
    query = {key: value for key, value in query.items() if value}
    return f"{url}?{urlencode(query)}" if query else url


@permission_required_or_403("leads.view_leadlist", "leads.view_lead")
@require_POST
def lead_list_bulk(request: HttpRequest, pk: int) -> HttpResponse:
    lead_list = selectors.lead_list_get(user=request.user, pk=pk)
    status, phone = request.POST.get("status", ""), request.POST.get("phone", "")
    back_url = _with_query(reverse("leads:detail", args=[pk]), {"status": status, "phone": phone})
    return _bulk(
        request,
        select=lambda ids: lead_selection_for_list(
            user=request.user, lead_list=lead_list, ids=ids, status=status, phone=phone
        ),
        back_url=back_url,
        page_name=lead_list.name,
    )


@permission_required_or_403("campaigns.view_campaign", "leads.view_lead")
@require_POST
def campaign_leads_bulk(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_visible_or_404(campaign_queryset(user=request.user), request.user, pk=pk)
    state = request.POST.get("state", "")
    back_url = _with_query(reverse("campaigns:leads", args=[pk]), {"state": state})
    return _bulk(
        request,
        select=lambda ids: lead_selection_for_campaign(
            user=request.user, campaign=campaign, ids=ids, state=state
        ),
        back_url=back_url,
        page_name=gettext("Leads of %(name)s") % {"name": campaign.name},
    )


def _run_context(request: HttpRequest, pk: int) -> dict:
    run = lead_bulk_run_get(user=request.user, pk=pk)
    back_url, page_name = reverse("leads:list"), gettext("Lead lists")
    if run.lead_list_id:
        back_url, page_name = reverse("leads:detail", args=[run.lead_list_id]), run.lead_list.name
    elif run.campaign_id:
        back_url = reverse("campaigns:leads", args=[run.campaign_id])
        page_name = gettext("Leads of %(name)s") % {"name": run.campaign.name}
    return {
        "run": run,
        "action_label": ACTIONS.get(run.action, run.action),
        "back_url": back_url,
        "page_name": page_name,
    }


@permission_required_or_403("leads.view_lead")
def lead_bulk_run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A bulk action run by a worker: its progress while it runs, then what was done and
    what was skipped, and why."""
    return render(request, RUN_TEMPLATE, _run_context(request, pk))


@permission_required_or_403("leads.view_lead")
def lead_bulk_run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The polled fragment; once the run is over it renders without its trigger."""
    return render(request, f"{RUN_TEMPLATE}#status", _run_context(request, pk))
