"""A campaign's leads over the API: each lead's sync state on the campaign's dialer and
its latest outcome (keyset pages), and recording an outcome."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import get_visible_or_404
from campaigns import selectors, services
from campaigns.models import Campaign
from dialer_console.api_input import query_params_refuse_unknown
from dialer_console.int_bounds import ID_RANGE


class DispositionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    lead = serializers.IntegerField(source="lead_id")
    code = serializers.CharField()
    label = serializers.CharField()
    is_final = serializers.BooleanField()
    is_success = serializers.BooleanField()
    is_callback = serializers.BooleanField()
    is_do_not_call = serializers.BooleanField()
    callback_at = serializers.DateTimeField(allow_null=True)
    callback_note = serializers.CharField(
        default="",
        read_only=True,
        help_text="Only when recorded: a warning that the callback time is outside the "
        "campaign's calling window.",
    )
    retry_at = serializers.DateTimeField(allow_null=True)
    note = serializers.CharField()
    call_result_job = serializers.IntegerField(
        source="call_result_job_id",
        allow_null=True,
        help_text="The sync job reporting the result to the dialer, when it waits for one.",
    )
    recorded_by = serializers.CharField(allow_null=True)
    recorded_at = serializers.DateTimeField()


class CampaignLeadOutput(serializers.Serializer):
    id = serializers.IntegerField(source="lead.pk")
    phone = serializers.CharField(source="lead.phone")
    first_name = serializers.CharField(source="lead.first_name")
    last_name = serializers.CharField(source="lead.last_name")
    lead_list = serializers.IntegerField(source="lead.lead_list_id")
    lead_status = serializers.CharField(source="lead.status")
    sync_state = serializers.SerializerMethodField(
        help_text="The lead’s state on this campaign’s dialer; not_queued before the sync "
        "took it up."
    )
    sync_reason = serializers.SerializerMethodField()
    remote_id = serializers.SerializerMethodField()
    done = serializers.BooleanField(help_text="A final outcome was recorded in this campaign.")
    disposition = DispositionOutput(allow_null=True)

    def get_sync_state(self, row) -> str:
        return row.sync.state if row.sync else selectors.NOT_QUEUED

    def get_sync_reason(self, row) -> str:
        return row.sync.reason if row.sync else ""

    def get_remote_id(self, row) -> str:
        return row.sync.remote_id if row.sync else ""


def _campaign(request, pk: int) -> Campaign:
    queryset = selectors.campaign_queryset(user=request.user).select_related("disposition_list")
    return get_visible_or_404(queryset, request.user, pk=pk)


class CampaignLeadListApi(APIView):
    """The leads of the campaign's active lists in id order, 50 a page: pass the
    ``next_after`` of one page as ``after`` to get the next. Nothing is counted per
    request; ``leads_in_lists`` is the lists' kept count."""

    queryset = Campaign.objects.none()
    required_permissions = ("campaigns.view_campaign", "leads.view_lead")

    class Output(serializers.Serializer):
        results = CampaignLeadOutput(many=True)
        next_after = serializers.IntegerField(allow_null=True)
        leads_in_lists = serializers.IntegerField()

        class Meta:
            ref_name = "CampaignLeadsPage"  # nested classes called Output would collide

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "state", str, enum=[value for value, _ in selectors.campaign_lead_filters()]
            ),
            OpenApiParameter(
                "after",
                {"type": "integer", "minimum": 0, "maximum": ID_RANGE[1]},
                description="A lead id: the page starts after it.",
            ),
        ],
        responses=Output,
    )
    def get(self, request, pk: int):
        query_params_refuse_unknown(request, known=("state", "after"))
        campaign = _campaign(request, pk)
        page = selectors.campaign_leads_page(
            campaign=campaign,
            user=request.user,
            state=request.query_params.get("state", ""),
            after=selectors.lead_page_after(request.query_params.get("after", "")),
        )
        data = {
            "results": page.rows,
            "next_after": page.next_after,
            "leads_in_lists": page.leads_in_lists,
        }
        return Response(self.Output(data).data)


class CampaignLeadDispositionApi(APIView):
    """Record a lead's outcome in the campaign: a code of the campaign's disposition list,
    a callback time for callback codes (default: the code's retry-after from now), a
    note. The same service and words as the page."""

    queryset = Campaign.objects.none()
    required_permissions = ("campaigns.view_campaign", "campaigns.add_leaddisposition")

    class Input(serializers.Serializer):
        code = serializers.CharField(max_length=20)
        callback_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
        note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")

    @extend_schema(request=Input, responses={201: DispositionOutput})
    def post(self, request, pk: int, lead_id: int):
        campaign = _campaign(request, pk)
        lead = selectors.lead_in_campaign_or_404(
            campaign=campaign, lead_id=lead_id, user=request.user
        )
        serializer = self.Input(data=request.data)
        serializer.is_valid(raise_exception=True)
        disposition = services.campaign_lead_disposition_record(
            campaign=campaign, lead=lead, acting_user=request.user, **serializer.validated_data
        )
        return Response(DispositionOutput(disposition).data, status=status.HTTP_201_CREATED)
