"""The do-not-call list from a file and to a file over REST: upload a file of numbers
(read like a lead import; small files answer done, bigger ones queued with progress),
read the upload and its lines, download the visible list as CSV."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from dialer_console.api_input import query_params_refuse_unknown
from dialer_console.errors import ApplicationError
from dialer_console.export_api import EXPORT_RESPONSES, ExportParams
from dialer_console.exports import export_response
from leads import selectors_dnc_files
from leads.api import LeadCursorPagination
from leads.api_dnc import DncTargetInput, _target
from leads.importing.sniff import DELIMITER_CHOICES, ENCODING_CHOICES
from leads.importing.upload import install_upload_limit
from leads.models import DncEntry, DncFileJob, DncFileLine, DncLineOutcome, DncScope
from leads.services import dnc_files, upload_limit_message


class DncFileOutput(serializers.ModelSerializer):
    campaign = serializers.IntegerField(source="campaign_id", allow_null=True)
    lines = serializers.IntegerField(
        source="lines_count", help_text="Lines with a number or a problem (blank lines apart)."
    )

    class Meta:
        model = DncFileJob
        fields = [
            "id", "original_name", "size_bytes", "file_format", "encoding", "delimiter",
            "has_header", "phone_column", "phone_column_name", "country", "scope", "campaign",
            "lead_list", "reason", "expires_at", "state", "rows_total", "rows_read", "lines",
            "added_count", "renewed_count", "already_listed_count", "repeated_count",
            "refused_count", "blank_count", "leads_marked_count", "error_message",
            "created_at", "started_at", "finished_at",
        ]  # fmt: skip


class DncFileLineOutput(serializers.ModelSerializer):
    class Meta:
        model = DncFileLine
        fields = ["row_number", "text", "phone", "outcome", "detail"]


class DncFileCreateApi(APIView):
    """Upload a CSV or xlsx file of numbers to list in one scope. The column of numbers
    is found by its header name or its content; a file of bare numbers needs no header.
    Up to 2,000 lines are read at once (the reply says done); a bigger file is queued
    for a worker (the reply says queued: read the upload for its progress)."""

    queryset = DncEntry.objects.all()
    parser_classes = [MultiPartParser, FormParser]

    class Input(DncTargetInput):
        class Meta:
            ref_name = "DncFileCreateInput"

        file = serializers.FileField()
        encoding = serializers.ChoiceField(
            choices=ENCODING_CHOICES, required=False, help_text="Default: detected."
        )
        delimiter = serializers.ChoiceField(
            choices=DELIMITER_CHOICES,
            required=False,
            help_text="Default: detected.",
        )

    def initialize_request(self, request, *args, **kwargs):
        install_upload_limit(request)  # before anything parses the body
        return super().initialize_request(request, *args, **kwargs)

    @extend_schema(request=Input, responses={201: DncFileOutput})
    def post(self, request):
        data = self.Input(data=request.data)  # parsing the body runs the upload limit
        if request._request.lead_upload_too_large:
            raise ApplicationError(upload_limit_message(), {"code": "too_large"})
        data.is_valid(raise_exception=True)
        params = data.validated_data
        job = dnc_files.dnc_file_create(
            upload=params["file"],
            country=params["country"],
            target=_target(request, params),
            reason=params["reason"],
            expires_at=params["expires_at"],
            encoding=params.get("encoding", ""),
            delimiter=params.get("delimiter", ""),
            acting_user=request.user,
        )
        job = dnc_files.dnc_file_start(job=job)
        return Response(DncFileOutput(job).data, status=status.HTTP_201_CREATED)


class DncFileItemApi(APIView):
    """An upload of numbers: its state, progress (rows_read of about rows_total) and the
    count of each outcome. Supervisors read every upload, others their own and those for
    their team's lead lists."""

    queryset = DncEntry.objects.all()

    @extend_schema(responses=DncFileOutput)
    def get(self, request, pk: int):
        job = selectors_dnc_files.dnc_file_job_get(user=request.user, pk=pk)
        return Response(DncFileOutput(job).data)


class DncFileLinePagination(LeadCursorPagination):
    ordering = "row_number"


class DncFileLinesApi(APIView):
    """The lines of an upload in file order (cursor pages), each with its outcome and,
    for a line refused or repeated, why; ``outcome`` keeps one outcome."""

    queryset = DncEntry.objects.all()
    pagination_class = DncFileLinePagination

    class Filters(serializers.Serializer):
        class Meta:
            ref_name = "DncFileLineFilters"

        outcome = serializers.ChoiceField(choices=DncLineOutcome.choices, required=False)

    @extend_schema(parameters=[Filters], responses=DncFileLineOutput(many=True))
    def get(self, request, pk: int):
        paginator = self.pagination_class()
        filters = self.Filters(data=request.query_params)
        query_params_refuse_unknown(request, known=filters.fields, paginator=paginator)
        filters.is_valid(raise_exception=True)
        job = selectors_dnc_files.dnc_file_job_get(user=request.user, pk=pk)
        lines = job.lines.all()
        if outcome := filters.validated_data.get("outcome"):
            lines = lines.filter(outcome=outcome)
        page = paginator.paginate_queryset(lines, request, view=self)
        return paginator.get_paginated_response(DncFileLineOutput(page, many=True).data)


class DncExportApi(APIView):
    """The do-not-call entries the user may see as a CSV file, streamed: UTF-8 with a
    BOM, separated by ``delimiter`` (comma or semicolon), cells that could start a
    spreadsheet formula prefixed with an apostrophe. Columns: phone (E.164), scope,
    campaign_id, campaign, lead_list_id, lead_list, reason, source, expires_at, active,
    created_by, created_at."""

    queryset = DncEntry.objects.all()

    class Filters(ExportParams):
        class Meta:
            ref_name = "DncExportFilters"

        scope = serializers.ChoiceField(choices=DncScope.choices, required=False)
        active = serializers.BooleanField(required=False, allow_null=True, default=None)

    @extend_schema(
        parameters=[Filters],
        responses=EXPORT_RESPONSES,
    )
    def get(self, request):
        filters = self.Filters(data=request.query_params)
        query_params_refuse_unknown(request, known=filters.fields)
        filters.is_valid(raise_exception=True)
        params = filters.validated_data
        state = {True: "active", False: "expired", None: ""}[params["active"]]
        table = selectors_dnc_files.dnc_entries_table(
            user=request.user, now=timezone.now(), scope=params.get("scope", ""), state=state
        )
        return export_response(
            table, file_format=params["file_format"], delimiter=params["delimiter"]
        )
