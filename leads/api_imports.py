"""Lead file imports over REST: list, upload (and start), read with progress, undo."""

from __future__ import annotations

import json

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from dialer_console.api_input import query_params_refuse_unknown
from dialer_console.errors import ApplicationError
from dialer_console.int_bounds import BoundedIntegersSerializer
from leads import selectors, services
from leads.api import (
    DUPLICATE_SCOPE_HELP,
    SCOPE_CAMPAIGN_HELP,
    LeadCursorPagination,
    import_counts,
)
from leads.importing.upload import install_upload_limit
from leads.models import DuplicatePolicy, DuplicateScope, ImportJob, ImportState


class ColumnSuggestionOutput(serializers.Serializer):
    class Meta:
        ref_name = "ImportColumnSuggestion"

    column = serializers.CharField()
    target = serializers.CharField(help_text="The column's target in the job's mapping.")
    source = serializers.CharField(
        help_text='"header", "content" or "template" when the target is the suggestion; '
        '"" when nothing was found, or the mapping was chosen.'
    )
    note = serializers.CharField(
        help_text='e.g. "found by content: 9 of 10 sampled values are valid DE numbers"'
    )


class ImportOutput(serializers.ModelSerializer):
    counts = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()
    suggestions = serializers.SerializerMethodField(
        help_text="Where each column's target came from, while the import waits to run "
        "(uploaded or queued); null afterwards."
    )

    class Meta:
        model = ImportJob
        fields = [
            "id", "lead_list", "original_name", "size_bytes", "file_format",
            "detected_encoding", "encoding", "detected_delimiter", "delimiter", "has_header",
            "header", "mapping", "default_country", "duplicate_policy", "duplicate_scope",
            "scope_campaign_id", "dnc_scrub", "state", "phase", "rows_total", "rows_read",
            "counts", "progress", "error_message", "created_at", "started_at", "finished_at",
            "suggestions",
        ]  # fmt: skip

    def get_counts(self, job: ImportJob) -> dict:
        return import_counts(job)

    @extend_schema_field(ColumnSuggestionOutput(many=True, allow_null=True))
    def get_suggestions(self, job: ImportJob) -> list[dict] | None:
        if not job.file or job.state not in (ImportState.UPLOADED, ImportState.QUEUED):
            return None
        suggestions = services.import_mapping_suggestions(job=job)
        return ColumnSuggestionOutput(suggestions, many=True).data

    def get_progress(self, job: ImportJob) -> dict:
        progress = selectors.import_progress(job=job, now=timezone.now())
        return {
            "percent": progress.percent,
            "rows_per_second": progress.rows_per_second,
            "seconds_left": progress.seconds_left,
            "stalled": progress.stalled,
        }


class ImportListOutput(ImportOutput):
    """An import in a list: everything but the mapping suggestions, which read the file."""

    class Meta(ImportOutput.Meta):
        ref_name = "ImportListItem"
        fields = [name for name in ImportOutput.Meta.fields if name != "suggestions"]


class ImportCursorPagination(LeadCursorPagination):
    ordering = "-id"  # newest first


class ImportCollectionApi(APIView):
    queryset = ImportJob.objects.all()
    parser_classes = [MultiPartParser, FormParser]
    pagination_class = ImportCursorPagination  # drf-spectacular documents its envelope

    class Filters(BoundedIntegersSerializer, serializers.Serializer):
        class Meta:
            ref_name = "ImportFilters"

        lead_list = serializers.IntegerField(required=False, help_text="One lead list's id.")
        state = serializers.ChoiceField(choices=ImportState.choices, required=False)

    @extend_schema(parameters=[Filters], responses=ImportListOutput(many=True))
    def get(self, request):
        """The imports the user may see (their team's lead lists; supervisors every
        list), newest first, on cursor pages; ``lead_list`` and ``state`` filter them.
        The mapping suggestions are left out here: read one import for them."""
        paginator = self.pagination_class()
        filters = self.Filters(data=request.query_params)
        query_params_refuse_unknown(request, known=filters.fields, paginator=paginator)
        filters.is_valid(raise_exception=True)
        params = filters.validated_data
        jobs = selectors.import_jobs_visible(user=request.user)
        if "lead_list" in params:
            jobs = jobs.filter(lead_list_id=params["lead_list"])
        if "state" in params:
            jobs = jobs.filter(state=params["state"])
        page = paginator.paginate_queryset(jobs, request, view=self)
        return paginator.get_paginated_response(ImportListOutput(page, many=True).data)

    class Input(BoundedIntegersSerializer, serializers.Serializer):
        class Meta:
            ref_name = "ImportCreateInput"

        file = serializers.FileField()
        lead_list = serializers.IntegerField()
        mapping = serializers.CharField(required=False, help_text="JSON list, one per column")
        encoding = serializers.CharField(required=False)
        delimiter = serializers.CharField(required=False, trim_whitespace=False)
        has_header = serializers.BooleanField(default=True)
        default_country = serializers.CharField(required=False, max_length=2)
        duplicate_policy = serializers.ChoiceField(
            choices=DuplicatePolicy.choices, default=DuplicatePolicy.SKIP
        )
        duplicate_scope = serializers.ChoiceField(
            choices=DuplicateScope.choices,
            default=DuplicateScope.LIST,
            help_text=DUPLICATE_SCOPE_HELP,
        )
        scope_campaign = serializers.IntegerField(
            required=False, allow_null=True, help_text=SCOPE_CAMPAIGN_HELP
        )
        dnc_scrub = serializers.BooleanField(default=True)
        start = serializers.BooleanField(default=True)

    def initialize_request(self, request, *args, **kwargs):
        install_upload_limit(request)  # before anything parses the body
        return super().initialize_request(request, *args, **kwargs)

    @extend_schema(request=Input, responses={201: ImportOutput})
    def post(self, request):
        """Upload a file into a list. With ``start`` (the default) the import is queued
        at once with the given mapping, or the suggested one; otherwise it waits, as in
        the browser."""
        data = self.Input(data=request.data)  # parsing the body runs the upload limit
        if request._request.lead_upload_too_large:
            raise ApplicationError(services.upload_limit_message(), {"code": "too_large"})
        data.is_valid(raise_exception=True)
        params = data.validated_data
        lead_list = selectors.lead_list_get(user=request.user, pk=params["lead_list"])
        job = services.import_job_create(
            lead_list=lead_list,
            upload=params["file"],
            acting_user=request.user,
            default_country=params.get("default_country", ""),
        )
        if params.get("encoding") or params.get("delimiter") or not params["has_header"]:
            services.import_job_reread(
                job=job,
                encoding=params.get("encoding") or job.encoding,
                delimiter=params.get("delimiter") or job.delimiter,
                has_header=params["has_header"],
            )
        if params["start"]:
            services.import_job_configure(
                job=job,
                mapping=_mapping(params.get("mapping"), job.mapping),
                default_country=params.get("default_country") or lead_list.default_country,
                duplicate_policy=params["duplicate_policy"],
                duplicate_scope=params["duplicate_scope"],
                scope_campaign_id=params.get("scope_campaign"),
                dnc_scrub=params["dnc_scrub"],
                acting_user=request.user,
            )
            services.import_job_start(job=job)
        return Response(ImportOutput(job).data, status=status.HTTP_201_CREATED)


def _mapping(raw: str | None, suggested: list[str]) -> list[str]:
    if not raw:
        return suggested
    try:
        mapping = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ApplicationError(_("mapping is not JSON: %(error)s") % {"error": error}) from error
    if not isinstance(mapping, list) or not all(isinstance(item, str) for item in mapping):
        raise ApplicationError(_("mapping must be a JSON list of strings, one per column."))
    return mapping


class ImportItemApi(APIView):
    queryset = ImportJob.objects.all()

    @extend_schema(responses=ImportOutput)
    def get(self, request, pk: int):
        return Response(ImportOutput(selectors.import_job_get(user=request.user, pk=pk)).data)


class ImportUndoApi(APIView):
    """Undo a finished import: its leads go, and those a dialer already holds are taken
    off it by the sync (they stay as removed leads until then)."""

    required_permissions = ("leads.delete_lead",)

    class Output(serializers.Serializer):
        class Meta:
            ref_name = "ImportUndoOutput"

        removed = serializers.IntegerField(help_text="Every lead the import created.")
        leaving_dialers = serializers.IntegerField(
            help_text="Of which dialers hold: kept as removed until the sync has taken them off."
        )
        job = ImportOutput()

    @extend_schema(request=None, responses=Output)
    def post(self, request, pk: int):
        job = selectors.import_job_get(user=request.user, pk=pk)
        undone = services.import_undo(job=job)
        job.refresh_from_db()
        return Response(self.Output({**undone._asdict(), "job": job}).data)
