"""Find any lead, and one lead with everything the console knows of it, over REST. The
same selectors as the pages (``selectors_search``, ``selectors_lead``), so the same team
scope and the same content."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from dialer_console.api_input import query_params_refuse_unknown
from leads import selectors_lead, selectors_search
from leads.api import LeadCursorPagination, LeadOutput
from leads.models import Lead


class LeadListRefOutput(serializers.Serializer):
    class Meta:
        ref_name = "LeadListRef"

    id = serializers.IntegerField()
    name = serializers.CharField()


class LeadSearchOutput(serializers.ModelSerializer):
    lead_list = LeadListRefOutput()
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = Lead
        ref_name = "LeadSearchResult"
        fields = [
            "id", "phone", "first_name", "last_name", "email", "status", "status_label",
            "lead_list",
        ]  # fmt: skip


SEARCH_DESCRIPTION = (
    "Leads of every lead list the caller may see that match `q`, in id order, on cursor "
    "pages (nothing is counted). `q` is read as an e-mail when it holds an @ (matched by "
    "its start, any case); as a phone number when it is made of digits and phone "
    "punctuation (a valid number in any format matches exactly, national numbers are read "
    "in the default country of each visible list; otherwise the typed digits match the "
    "start of numbers); otherwise as a name (every word starts the first or the last "
    "name). An empty or unreadable `q` answers 400 with a message; so does an unknown "
    "query parameter."
)


class LeadSearchApi(APIView):
    queryset = Lead.objects.all()
    pagination_class = LeadCursorPagination

    @extend_schema(
        operation_id="leads_search",
        summary="Find leads by number, name or e-mail",
        description=SEARCH_DESCRIPTION,
        parameters=[
            OpenApiParameter(
                "q",
                str,
                required=True,
                description="A phone number in any format or its first digits, a name, "
                f"or an e-mail; at most {selectors_search.SEARCH_MAX_LENGTH} characters.",
            )
        ],
        responses=LeadSearchOutput(many=True),
    )
    def get(self, request):
        paginator = self.pagination_class()
        query_params_refuse_unknown(request, known=("q",), paginator=paginator)
        search = selectors_search.lead_search_read(
            text=request.query_params.get("q", ""), user=request.user
        )
        leads = selectors_search.lead_search_queryset(search=search, user=request.user)
        page = paginator.paginate_queryset(leads, request, view=self)
        return paginator.get_paginated_response(LeadSearchOutput(page, many=True).data)


class LeadDetailApi(APIView):
    queryset = Lead.objects.all()

    class CampaignSyncOutput(serializers.Serializer):
        class Meta:
            ref_name = "LeadDetailCampaignSync"

        state = serializers.CharField()
        label = serializers.CharField(source="get_state_display")
        last_synced_at = serializers.DateTimeField(allow_null=True)

    class LeadSyncOutput(serializers.Serializer):
        class Meta:
            ref_name = "LeadDetailLeadSync"

        state = serializers.CharField()
        label = serializers.CharField(source="get_state_display")
        reason = serializers.CharField()
        remote_id = serializers.CharField(help_text="The dialer's id of the lead; '' if none.")
        attempts = serializers.IntegerField()
        pushed_at = serializers.DateTimeField(allow_null=True)

    class OutcomeOutput(serializers.Serializer):
        class Meta:
            ref_name = "LeadDetailOutcome"

        id = serializers.IntegerField()
        campaign = serializers.IntegerField(source="campaign_id")
        code = serializers.CharField()
        label = serializers.CharField()
        is_final = serializers.BooleanField()
        is_success = serializers.BooleanField()
        is_callback = serializers.BooleanField()
        is_do_not_call = serializers.BooleanField()
        callback_at = serializers.DateTimeField(allow_null=True)
        retry_at = serializers.DateTimeField(allow_null=True)
        note = serializers.CharField()
        call_result_job = serializers.IntegerField(source="call_result_job_id", allow_null=True)
        recorded_by = serializers.CharField(allow_null=True)
        recorded_at = serializers.DateTimeField()

    class CampaignOutput(serializers.Serializer):
        class Meta:
            ref_name = "LeadDetailCampaign"

        id = serializers.IntegerField(source="campaign.pk")
        name = serializers.CharField(source="campaign.name")
        status = serializers.CharField(source="campaign.status")
        vendor = serializers.CharField(source="campaign.vendor_kind")
        list_active = serializers.BooleanField()
        campaign_sync = serializers.SerializerMethodField()
        lead_sync = serializers.SerializerMethodField(
            help_text="The lead on this campaign's dialer; null: not queued yet."
        )
        latest_outcome = serializers.SerializerMethodField()
        dialer_result = serializers.SerializerMethodField(
            help_text="What the dialer reported about the lead (attempts, last attempt and "
            "result, raw and mapped, next attempt, done, agent): null values where it did "
            "not say, the fields its vendor never reports in not_reported; null: no dialer."
        )

        def get_dialer_result(self, item) -> dict | None:
            report = item.row.report
            return report.as_data() if report else None

        def get_campaign_sync(self, item) -> dict | None:
            remote = item.remote
            return LeadDetailApi.CampaignSyncOutput(remote).data if remote else None

        def get_lead_sync(self, item) -> dict | None:
            sync = item.row.sync
            return LeadDetailApi.LeadSyncOutput(sync).data if sync else None

        def get_latest_outcome(self, item) -> dict | None:
            outcome = item.row.disposition
            return LeadDetailApi.OutcomeOutput(outcome).data if outcome else None

    class DncOutput(serializers.Serializer):
        class Meta:
            ref_name = "LeadDetailDncListing"

        id = serializers.IntegerField(source="entry.pk")
        scope = serializers.CharField(source="entry.scope")
        applies_to = serializers.CharField(source="target_name", help_text="'' for everywhere")
        reason = serializers.CharField(source="entry.reason")
        created_at = serializers.DateTimeField(source="entry.created_at")
        expires_at = serializers.DateTimeField(source="entry.expires_at", allow_null=True)
        expired = serializers.BooleanField()

    class SyncJobOutput(serializers.Serializer):
        class Meta:
            ref_name = "LeadDetailSyncJob"

        id = serializers.IntegerField()
        campaign = serializers.IntegerField(source="campaign_id")
        operation = serializers.CharField()
        state = serializers.CharField()
        attempts = serializers.IntegerField()
        last_error = serializers.CharField()
        created_at = serializers.DateTimeField()
        finished_at = serializers.DateTimeField(allow_null=True)

    class HistoryOutput(serializers.Serializer):
        class Meta:
            ref_name = "LeadDetailHistoryEvent"

        at = serializers.DateTimeField()
        kind = serializers.CharField()
        text = serializers.CharField()

    class ActionOutput(serializers.Serializer):
        class Meta:
            ref_name = "LeadDetailAction"

        name = serializers.CharField()
        label = serializers.CharField()
        campaign = serializers.IntegerField(source="campaign_id", allow_null=True)
        api_url = serializers.CharField(help_text="'' where the API has no such call.")

    class Output(serializers.Serializer):
        class Meta:
            ref_name = "LeadDetail"

        lead = LeadOutput()
        lead_list = LeadListRefOutput(source="lead.lead_list")
        dnc_listed = serializers.SerializerMethodField(
            help_text="True when a listing of its number applies now."
        )
        dnc = serializers.SerializerMethodField()
        campaigns = serializers.SerializerMethodField()
        outcomes = serializers.SerializerMethodField()
        sync_jobs = serializers.SerializerMethodField()
        history = serializers.SerializerMethodField()
        actions = serializers.SerializerMethodField()

        def get_dnc_listed(self, detail) -> bool:
            return bool(detail.dnc_active)

        def get_dnc(self, detail) -> list[dict]:
            return LeadDetailApi.DncOutput(detail.dnc, many=True).data

        def get_campaigns(self, detail) -> list[dict]:
            return LeadDetailApi.CampaignOutput(detail.campaigns, many=True).data

        def get_outcomes(self, detail) -> list[dict]:
            return LeadDetailApi.OutcomeOutput(detail.outcomes, many=True).data

        def get_sync_jobs(self, detail) -> list[dict]:
            return LeadDetailApi.SyncJobOutput(detail.sync_jobs, many=True).data

        def get_history(self, detail) -> list[dict]:
            return LeadDetailApi.HistoryOutput(detail.history, many=True).data

        def get_actions(self, detail) -> list[dict]:
            actions = selectors_lead.lead_actions(detail=detail, user=self.context["user"])
            return LeadDetailApi.ActionOutput(actions, many=True).data

    @extend_schema(
        operation_id="leads_retrieve",
        summary="One lead with its campaigns, sync state, outcomes, DNC and history",
        description=(
            "A lead the caller may see (404 otherwise): its list; each campaign the caller "
            "may see that dials the list, with the campaign's sync state and the lead's "
            "state on that campaign's dialer and latest outcome; every outcome (newest "
            f"first, up to {selectors_lead.OUTCOMES_SHOWN}); the do-not-call listings of "
            "its number that apply to it; the sync jobs about this lead alone (up to "
            f"{selectors_lead.SYNC_JOBS_SHOWN}); its history as the console's records give "
            "it; and the actions the caller may take on it. The lead page shows the same."
        ),
        responses=Output,
    )
    def get(self, request, pk: int):
        query_params_refuse_unknown(request)
        lead = selectors_lead.lead_get(user=request.user, pk=pk)
        detail = selectors_lead.lead_detail(lead=lead, user=request.user)
        return Response(self.Output(detail, context={"user": request.user}).data)
