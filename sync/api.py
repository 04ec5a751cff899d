"""Sync API: list and read jobs, retry one, ask for fresh pending counts."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from campaigns.selectors import campaign_queryset
from dialer_console.api_input import query_params_refuse_unknown
from dialer_console.export_api import EXPORT_RESPONSES, ExportParams
from dialer_console.exports import export_response
from sync import dialling, selectors, services, start_preview
from sync.exports import sync_jobs_table
from sync.models import SyncJob


class JobOutput(serializers.ModelSerializer):
    account = serializers.CharField(source="account.name")

    class Meta:
        model = SyncJob
        fields = [
            "id",
            "operation",
            "reason",
            "account",
            "campaign",
            "lead_id",
            "state",
            "attempts",
            "max_attempts",
            "not_before",
            "started_at",
            "finished_at",
            "last_error",
            "needs_attention",
            "created_at",
            "updated_at",
        ]


class SyncJobCursorPagination(CursorPagination):
    """Keyset pages, most recently changed first: the (updated_at, id) index serves the
    order, and nothing is counted."""

    ordering = ("-updated_at", "-id")
    page_size = 50


class SyncJobListApi(ListAPIView):
    """Jobs, newest change first, in cursor pages (follow ``next``); filter with ?state=,
    ?account=, ?operation=, ?campaign=, ?attention=1."""

    serializer_class = JobOutput
    pagination_class = SyncJobCursorPagination
    queryset = SyncJob.objects.none()  # permissions read the model from it
    filter_backends: list = []
    filters = ("state", "account", "operation", "campaign", "attention")

    def list(self, request, *args, **kwargs):
        query_params_refuse_unknown(request, known=self.filters, paginator=self.paginator)
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        return selectors.sync_job_list(
            user=self.request.user,
            state=params.get("state", ""),
            account=params.get("account", ""),
            operation=params.get("operation", ""),
            campaign=params.get("campaign", ""),
            attention=params.get("attention") == "1",
        )


class SyncJobExportApi(APIView):
    """The jobs the list returns (same filters), oldest first, streamed as CSV or xlsx."""

    queryset = SyncJob.objects.none()

    class Params(ExportParams):
        state = serializers.CharField(required=False)
        account = serializers.CharField(required=False)
        operation = serializers.CharField(required=False)
        campaign = serializers.CharField(required=False)
        attention = serializers.CharField(required=False)

        class Meta:
            ref_name = "SyncJobExportParams"

    @extend_schema(parameters=[Params], responses=EXPORT_RESPONSES)
    def get(self, request):
        params = self.Params(data=request.query_params)
        query_params_refuse_unknown(request, known=params.fields)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        jobs = selectors.sync_job_list(
            user=request.user,
            state=data.get("state", ""),
            account=data.get("account", ""),
            operation=data.get("operation", ""),
            campaign=data.get("campaign", ""),
            attention=data.get("attention") == "1",
        )
        return export_response(
            sync_jobs_table(jobs=jobs),
            file_format=data["file_format"],
            delimiter=data["delimiter"],
        )


class SyncJobDetailApi(RetrieveAPIView):
    serializer_class = JobOutput
    queryset = SyncJob.objects.none()

    def get_queryset(self):
        return selectors.sync_jobs_visible(user=self.request.user)


class SyncJobRetryApi(APIView):
    required_permissions = ("sync.change_syncjob",)

    @extend_schema(request=None, responses={202: JobOutput})
    def post(self, request, pk: int):
        job = get_object_or_404(selectors.sync_jobs_visible(user=request.user), pk=pk)
        job = services.sync_job_retry(job=job)
        return Response(JobOutput(job).data, status=status.HTTP_202_ACCEPTED)


class CampaignPendingRefreshApi(APIView):
    """Queue a fetch of the campaign's pending calls from its dialer; read the result
    from GET /sync/campaigns/{id}/ once the job is done."""

    required_permissions = ("sync.change_syncjob",)

    @extend_schema(request=None, responses={202: JobOutput})
    def post(self, request, pk: int):
        campaign = get_object_or_404(campaign_queryset(user=request.user), pk=pk)
        job = services.sync_pending_refresh_enqueue(campaign=campaign)
        return Response(JobOutput(job).data, status=status.HTTP_202_ACCEPTED)


class DriftOutput(serializers.Serializer):
    """The last reconciliation (sync.services.reconcile); counts are null where the
    vendor's listing cannot tell, and all of it is null before the first check."""

    checked_at = serializers.DateTimeField(allow_null=True)
    held_after_removal = serializers.IntegerField(allow_null=True)
    missing = serializers.IntegerField(allow_null=True)
    unknown = serializers.IntegerField(allow_null=True)
    settings = serializers.CharField(
        allow_blank=True,
        help_text="Each setting the dialer holds differently, with both values: "
        '"maxTryCount: the dialer has 5, the console 3; …"; empty: none or not readable.',
    )
    note = serializers.CharField(
        allow_blank=True,
        help_text="How the leads were compared (counts first) and what could not be compared.",
    )
    words = serializers.ListField(child=serializers.CharField())


class CampaignSyncApi(APIView):
    """A campaign's sync state, pending calls on the dialer, the console's breakdown and
    the last reconciliation's drift (counts are null where the vendor cannot tell)."""

    required_permissions = ("sync.view_syncjob", "campaigns.view_campaign")

    class Output(serializers.Serializer):
        campaign = serializers.IntegerField()
        state = serializers.CharField()
        last_synced_at = serializers.DateTimeField(allow_null=True)
        last_error = serializers.CharField()
        pending_calls = serializers.IntegerField(allow_null=True)
        pending_total = serializers.IntegerField(allow_null=True)
        pending_fetched_at = serializers.DateTimeField(allow_null=True)
        open_jobs = serializers.IntegerField()
        breakdown = serializers.DictField(child=serializers.IntegerField())
        drift = DriftOutput()

    @extend_schema(responses={200: Output})
    def get(self, request, pk: int):
        campaign = get_object_or_404(campaign_queryset(user=request.user), pk=pk)
        panel = selectors.campaign_panel(campaign=campaign)
        remote = panel.remote
        data = {
            "campaign": campaign.pk,
            "state": panel.state,
            "last_synced_at": remote.last_synced_at if remote else None,
            "last_error": remote.last_error if remote else "",
            "pending_calls": remote.pending_calls if remote else None,
            "pending_total": remote.pending_total if remote else None,
            "pending_fetched_at": remote.pending_fetched_at if remote else None,
            "open_jobs": panel.open_jobs,
            "breakdown": vars(panel.breakdown),
            "drift": {
                "checked_at": remote.drift_checked_at if remote else None,
                "held_after_removal": remote.drift_held_after_removal if remote else None,
                "missing": remote.drift_missing if remote else None,
                "unknown": remote.drift_unknown if remote else None,
                "settings": remote.drift_settings if remote else "",
                "note": remote.drift_note if remote else "",
                "words": panel.drift,
            },
        }
        return Response(self.Output(data).data)


class DiallingReasonOutput(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    leads = serializers.IntegerField()


class DiallingWaitOutput(serializers.Serializer):
    zone = serializers.CharField()
    leads = serializers.IntegerField()
    opens_at = serializers.DateTimeField(allow_null=True)


class CampaignDiallingOutput(serializers.Serializer):
    campaign = serializers.IntegerField()
    at = serializers.DateTimeField()
    total = serializers.IntegerField()
    window = serializers.CharField(help_text="The calling window's rule in words, or ''.")
    reasons = DiallingReasonOutput(many=True)
    waiting = DiallingWaitOutput(many=True)


class CampaignDiallingApi(APIView):
    """Why each of the campaign's leads is or is not on the dialer now: one row per
    reason, every lead in exactly one (first reason that holds, in the listed order), the
    rows adding up to ``total``; and per time zone waiting for the calling window, when
    it opens next. Counts only the lists the caller may see."""

    required_permissions = ("campaigns.view_campaign",)

    @extend_schema(responses={200: CampaignDiallingOutput})
    def get(self, request, pk: int):
        campaign = get_object_or_404(campaign_queryset(user=request.user), pk=pk)
        breakdown = dialling.campaign_breakdown(campaign=campaign, user=request.user)
        data = {
            "campaign": campaign.pk,
            "at": breakdown.at,
            "total": breakdown.total,
            "window": breakdown.window_words,
            "reasons": [
                {"key": reason.key, "label": reason.label, "leads": count}
                for reason, count in breakdown.rows
            ],
            "waiting": [vars(wait) for wait in breakdown.waiting],
        }
        return Response(CampaignDiallingOutput(data).data)


class StartPreviewZoneOutput(serializers.Serializer):
    zone = serializers.CharField(source="label", help_text="The IANA zone, or 'unknown zone'.")
    now = serializers.IntegerField()
    later_today = serializers.IntegerField()
    tomorrow = serializers.IntegerField()
    later = serializers.IntegerField(help_text="After tomorrow.")
    never = serializers.IntegerField(help_text="Zone unknown, or no opening within a year.")
    total = serializers.IntegerField()
    opens_at = serializers.DateTimeField(
        allow_null=True, help_text="The earliest opening of its leads not open now."
    )


START_PREVIEW_FIGURES = (
    "at", "window_words", "now", "later_today", "tomorrow", "later", "never", "total",
    "within_24h", "nothing_soon", "zones",
)  # fmt: skip


class CampaignStartPreviewOutput(serializers.Serializer):
    campaign = serializers.IntegerField()
    at = serializers.DateTimeField()
    window = serializers.CharField(source="window_words", help_text="The rule in words, or ''.")
    days = serializers.CharField(help_text="Which calendar days 'today' and 'tomorrow' are.")
    now = serializers.IntegerField()
    later_today = serializers.IntegerField()
    tomorrow = serializers.IntegerField()
    later = serializers.IntegerField()
    never = serializers.IntegerField()
    total = serializers.IntegerField()
    within_24h = serializers.IntegerField(help_text="Leads callable at some moment of 24 hours.")
    nothing_soon = serializers.CharField(
        help_text="Why no lead is callable within 24 hours ('' when one is): POST "
        "/campaigns/{id}/start/ then answers 409 unless it says confirm=true."
    )
    zones = StartPreviewZoneOutput(many=True)


class CampaignStartPreviewApi(APIView):
    """Before a start: the campaign's leads callable by themselves, by when its calling
    window first lets the dialer call them (now, later today, tomorrow, later, never),
    per time zone (the lead's, else its list's; 'unknown zone' apart). 'Today' and
    'tomorrow' are calendar days in each lead's own zone (the window's fixed zone when it
    has one). The columns add up to ``total``. Counts only the lists the caller may see."""

    required_permissions = ("campaigns.view_campaign",)

    @extend_schema(responses={200: CampaignStartPreviewOutput})
    def get(self, request, pk: int):
        campaign = get_object_or_404(campaign_queryset(user=request.user), pk=pk)
        preview = start_preview.campaign_start_preview(campaign=campaign, user=request.user)
        data = {
            "campaign": campaign.pk,
            "days": start_preview.DAYS_WORDS,
            **{name: getattr(preview, name) for name in START_PREVIEW_FIGURES},
        }
        return Response(CampaignStartPreviewOutput(data).data)
