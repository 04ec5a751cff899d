"""The campaign results page and its download."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.access import get_visible_or_404, permission_required_or_403
from campaigns.selectors import campaign_queryset
from dialer_console.errors import ApplicationError
from dialer_console.exports import export_format, export_response, report_delimiter
from results.exports import campaign_leads_table
from results.forms import ResultsFilterForm, results_filter_or_error
from results.selectors import ResultsFilter, campaign_results, results_lead_lists

FILTER_NAMES = ("since", "until", "lead_list")


def _campaign(request: HttpRequest, pk: int):
    return get_visible_or_404(campaign_queryset(user=request.user), request.user, pk=pk)


@permission_required_or_403("campaigns.view_campaign")
def campaign_results_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Penetration, contact rate, outcomes by disposition, list and agent, the attempts
    histogram and outcomes over time. Bad filters are said on the page (status 400) and
    the figures shown unfiltered."""
    campaign = _campaign(request, pk)
    lead_lists = results_lead_lists(campaign=campaign, user=request.user)
    form = ResultsFilterForm(request.GET, lead_lists=lead_lists)
    filters, status = ResultsFilter(), 200
    if form.is_valid():
        filters = form.results_filter()
    else:
        status = 400
    results = campaign_results(
        campaign=campaign, user=request.user, filters=filters, lead_lists=lead_lists
    )
    kept = {name: request.GET[name] for name in ("lead_list",) if request.GET.get(name)}
    context = {
        "campaign": campaign,
        "results": results,
        "form": form,
        "filtered": any(request.GET.get(name) for name in FILTER_NAMES),
        "export_filters": kept if status == 200 else {},
    }
    return render(request, "results/campaign_results.html", context, status=status)


@permission_required_or_403("campaigns.view_campaign", "leads.view_lead")
def campaign_results_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The campaign's leads with their outcomes (``lead_list``: one of its lists), as
    CSV (``delimiter`` , or ;) or xlsx (``file_format``)."""
    campaign = _campaign(request, pk)
    lead_lists = results_lead_lists(campaign=campaign, user=request.user)
    try:
        filters = results_filter_or_error(request.GET, lead_lists=lead_lists)
        file_format = export_format(request.GET.get("file_format", ""))
    except ApplicationError as error:
        return HttpResponse(error.message, status=400, content_type="text/plain; charset=utf-8")
    if filters.lead_list_id is not None:
        lead_lists = [item for item in lead_lists if item.pk == filters.lead_list_id]
    table = campaign_leads_table(campaign=campaign, lead_lists=lead_lists)
    delimiter = report_delimiter(request.GET.get("delimiter", ""))
    return export_response(table, file_format=file_format, delimiter=delimiter)
