"""A campaign's results over the API: the figures of the results page, and the leads with
their outcomes as a CSV or xlsx download. The same selectors, filters and words as the
page; the figures' meanings are in ``results.figures``."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import get_visible_or_404
from campaigns.models import Campaign
from campaigns.selectors import campaign_queryset
from dialer_console.api_input import query_params_refuse_unknown
from dialer_console.export_api import EXPORT_RESPONSES, ExportParams
from dialer_console.exports import export_response
from dialer_console.int_bounds import ID_RANGE
from results.exports import campaign_leads_table
from results.forms import results_filter_or_error
from results.selectors import campaign_results, results_lead_lists

_DAY = {"type": "string", "format": "date"}
FILTER_PARAMETERS = [
    OpenApiParameter("since", _DAY, description="Last attempt on or after this day."),
    OpenApiParameter("until", _DAY, description="Last attempt on or before this day."),
    OpenApiParameter(
        "lead_list",
        {"type": "integer", "minimum": 1, "maximum": ID_RANGE[1]},
        description="One of the campaign's lead lists.",
    ),
]


class PenetrationOutput(serializers.Serializer):
    leads = serializers.IntegerField(help_text="Leads of the campaign's active lists.")
    not_dialled = serializers.IntegerField()
    dialled = serializers.IntegerField()
    still_dialling = serializers.IntegerField()
    done = serializers.IntegerField()
    exhausted = serializers.IntegerField()
    state_unknown = serializers.IntegerField()
    contacted = serializers.IntegerField()
    penetration_percent = serializers.FloatField(allow_null=True)
    contact_rate_percent = serializers.FloatField(
        allow_null=True, help_text="null: unknown (no dialled lead's result maps to a code)."
    )


class OutcomeOutput(serializers.Serializer):
    code = serializers.CharField(help_text="The console code; empty: not mapped.")
    label = serializers.CharField()
    count = serializers.IntegerField()


class GroupOutput(serializers.Serializer):
    name = serializers.CharField()
    counts = serializers.ListField(
        child=serializers.IntegerField(), help_text="In the order of ``outcomes``."
    )
    total = serializers.IntegerField()


class HistogramOutput(serializers.Serializer):
    attempts = serializers.CharField(help_text="A number, or unknown.")
    leads = serializers.IntegerField()


def _campaign(request, pk: int) -> Campaign:
    return get_visible_or_404(campaign_queryset(user=request.user), request.user, pk=pk)


class CampaignResultsApi(APIView):
    """Penetration (always for all of the campaign's visible leads, or one list), contact
    rate, outcomes by disposition, per list and per agent, and the attempts histogram
    (of leads last dialled in ``since``..``until``)."""

    queryset = Campaign.objects.none()
    required_permissions = ("campaigns.view_campaign",)

    class Output(serializers.Serializer):
        penetration = PenetrationOutput()
        outcomes = OutcomeOutput(many=True)
        per_list = GroupOutput(many=True)
        per_agent = GroupOutput(many=True)
        agents_reported = serializers.BooleanField(
            help_text="False: the dialer reports no agents (per_agent is then unknown)."
        )
        histogram = HistogramOutput(many=True)

        class Meta:
            ref_name = "CampaignResults"

    @extend_schema(parameters=FILTER_PARAMETERS, responses=Output)
    def get(self, request, pk: int):
        query_params_refuse_unknown(request, known=("since", "until", "lead_list"))
        campaign = _campaign(request, pk)
        lead_lists = results_lead_lists(campaign=campaign, user=request.user)
        filters = results_filter_or_error(request.query_params, lead_lists=lead_lists)
        results = campaign_results(
            campaign=campaign, user=request.user, filters=filters, lead_lists=lead_lists
        )
        data = {
            "penetration": results.penetration,
            "outcomes": results.outcomes,
            "per_list": results.per_list,
            "per_agent": results.per_agent,
            "agents_reported": results.agents_reported,
            "histogram": [{"attempts": a, "leads": n} for a, n in results.histogram],
        }
        return Response(self.Output(data).data)


class CampaignResultsExportApi(APIView):
    """The campaign's leads with their outcomes (all its lists you may see, or
    ``lead_list``), streamed as CSV or xlsx: a lead a row."""

    queryset = Campaign.objects.none()
    required_permissions = ("campaigns.view_campaign", "leads.view_lead")

    class Params(ExportParams):
        lead_list = serializers.IntegerField(required=False, min_value=1, max_value=ID_RANGE[1])

        class Meta:
            ref_name = "CampaignResultsExportParams"

    @extend_schema(parameters=[Params], responses=EXPORT_RESPONSES)
    def get(self, request, pk: int):
        params = self.Params(data=request.query_params)
        query_params_refuse_unknown(request, known=params.fields)
        params.is_valid(raise_exception=True)
        campaign = _campaign(request, pk)
        lead_lists = results_lead_lists(campaign=campaign, user=request.user)
        filters = results_filter_or_error(request.query_params, lead_lists=lead_lists)
        if filters.lead_list_id is not None:
            lead_lists = [item for item in lead_lists if item.pk == filters.lead_list_id]
        table = campaign_leads_table(campaign=campaign, lead_lists=lead_lists)
        data = params.validated_data
        return export_response(table, file_format=data["file_format"], delimiter=data["delimiter"])
