"""Lead lists, leads, bulk add and imports over REST. One class per operation, nested
Input/Output serializers; permissions by RolePermissions and team scoping by selectors."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from dialer_console.api_input import BulkBodyMixin, query_params_refuse_unknown
from dialer_console.errors import ApplicationError
from dialer_console.int_bounds import BoundedIntegersSerializer
from leads import selectors, services
from leads.models import (
    DuplicatePolicy,
    DuplicateScope,
    ImportJob,
    Lead,
    LeadList,
    LeadStatus,
)
from leads.phones import phone_normalise


class LeadListOutput(serializers.ModelSerializer):
    class Meta:
        model = LeadList
        fields = [
            "id", "name", "description", "team", "default_country", "default_timezone",
            "total_count", "valid_count", "invalid_count", "duplicate_count", "dnc_count",
            "created_at", "updated_at",
        ]  # fmt: skip


class LeadListInput(serializers.ModelSerializer):
    class Meta:
        model = LeadList
        fields = ["name", "description", "team", "default_country", "default_timezone"]
        extra_kwargs = {"team": {"required": False}}


class LeadListCollectionApi(APIView):
    queryset = LeadList.objects.all()
    pagination_class = PageNumberPagination  # drf-spectacular documents its envelope

    @extend_schema(operation_id="lead_lists_list", responses=LeadListOutput(many=True))
    def get(self, request):
        paginator = self.pagination_class()
        query_params_refuse_unknown(request, paginator=paginator)
        lead_lists = selectors.lead_lists_visible(user=request.user).order_by("id")
        page = paginator.paginate_queryset(lead_lists, request, view=self)
        return paginator.get_paginated_response(LeadListOutput(page, many=True).data)

    @extend_schema(request=LeadListInput, responses={201: LeadListOutput})
    def post(self, request):
        data = LeadListInput(data=request.data)
        data.is_valid(raise_exception=True)
        lead_list = services.lead_list_create(data=data.validated_data, acting_user=request.user)
        return Response(LeadListOutput(lead_list).data, status=status.HTTP_201_CREATED)


class LeadListItemApi(APIView):
    queryset = LeadList.objects.all()

    @extend_schema(responses=LeadListOutput)
    def get(self, request, pk: int):
        return Response(LeadListOutput(selectors.lead_list_get(user=request.user, pk=pk)).data)

    @extend_schema(request=LeadListInput, responses=LeadListOutput)
    def patch(self, request, pk: int):
        lead_list = selectors.lead_list_get(user=request.user, pk=pk)
        data = LeadListInput(lead_list, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        lead_list = services.lead_list_update(
            lead_list=lead_list, data=data.validated_data, acting_user=request.user
        )
        return Response(LeadListOutput(lead_list).data)

    @extend_schema(request=LeadListInput, responses=LeadListOutput)
    def put(self, request, pk: int):
        return self.patch(request, pk)

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        services.lead_list_delete(lead_list=selectors.lead_list_get(user=request.user, pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class LeadCursorPagination(CursorPagination):
    """Cursor pages of 100 (up to 1,000 with ``page_size``) in id order; tables that may
    hold millions of rows are never counted or offset."""

    ordering = "id"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters


class LeadOutput(serializers.ModelSerializer):
    class Meta:
        model = Lead
        fields = [
            "id", "lead_list", "phone", "alternate_phones", "first_name", "last_name", "email",
            "timezone", "custom_fields", "priority", "expires_on", "status", "import_job",
            "source_row", "created_at", "updated_at",
        ]  # fmt: skip


class LeadCollectionApi(APIView):
    """Leads the user may see, by id (cursor pages). Filters: lead_list, status, phone
    (any format; read with the list's country), import (``import_job`` is the same)."""

    queryset = Lead.objects.all()
    pagination_class = LeadCursorPagination  # drf-spectacular documents its envelope

    class Filters(BoundedIntegersSerializer, serializers.Serializer):
        class Meta:
            ref_name = "LeadFilters"

        bounds_model = Lead

        lead_list = serializers.IntegerField(required=False)
        status = serializers.ChoiceField(choices=LeadStatus.choices, required=False)
        phone = serializers.CharField(required=False)
        country = serializers.CharField(required=False, default="US", max_length=2)
        import_job = serializers.IntegerField(required=False, help_text="Same as import.")
        # "import" is a Python keyword, so it is declared through the class namespace.
        vars()["import"] = serializers.IntegerField(
            required=False, help_text="The import job the leads came from (README's name)."
        )

        def validate(self, attrs: dict) -> dict:
            given = {attrs[name] for name in ("import", "import_job") if name in attrs}
            if len(given) > 1:
                raise ApplicationError(
                    gettext("import and import_job are the same filter; give one of them."),
                    {"field": "import"},
                )
            if given:
                attrs["import"] = given.pop()
            return attrs

    @extend_schema(parameters=[Filters], responses=LeadOutput(many=True))
    def get(self, request):
        paginator = self.pagination_class()
        filters = self.Filters(data=request.query_params)
        query_params_refuse_unknown(request, known=filters.fields, paginator=paginator)
        filters.is_valid(raise_exception=True)
        leads = selectors.leads_visible(user=request.user)
        params = filters.validated_data
        if "lead_list" in params:
            leads = leads.filter(lead_list_id=params["lead_list"])
        if "status" in params:
            leads = leads.filter(status=params["status"])
        if "import" in params:
            leads = leads.filter(import_job_id=params["import"])
        if params.get("phone"):
            normalised = phone_normalise(params["phone"], params["country"].upper())
            leads = leads.filter(phone=normalised.e164 if normalised else params["phone"])
        page = paginator.paginate_queryset(leads, request, view=self)
        return paginator.get_paginated_response(LeadOutput(page, many=True).data)


def import_counts(job: ImportJob) -> dict[str, int]:
    """An import's outcome counts, as the API shows them."""
    return {
        "imported": job.imported_count,
        "updated": job.updated_count,
        "duplicate": job.duplicate_count,
        "invalid_phone": job.invalid_phone_count,
        "dnc": job.dnc_count,
        "malformed": job.malformed_count,
        "blank": job.blank_count,
    }


DUPLICATE_SCOPE_HELP = _(
    "Where an existing lead with the same number counts as a duplicate (and, with "
    "duplicate_policy=update, is updated): this list, a campaign's lists, or everywhere. "
    "Always within the lead lists the caller may see: for a team's user, everywhere is "
    "every list of their team."
)
SCOPE_CAMPAIGN_HELP = _(
    "For duplicate_scope=campaign: a campaign the caller may see (another is refused)."
)


class LeadBulkAddApi(BulkBodyMixin, APIView):
    """Add up to 10,000 leads to a list; one result per lead, in order."""

    required_permissions = ("leads.add_lead",)

    class AlternatePhoneInput(BoundedIntegersSerializer, serializers.Serializer):
        class Meta:
            ref_name = "LeadAlternatePhoneInput"

        phone = serializers.CharField()
        kind = serializers.CharField(required=False, default="other")
        priority = serializers.IntegerField(required=False)

    class LeadInput(serializers.Serializer):
        class Meta:
            ref_name = "LeadBulkAddLead"

        # Values are checked by the import's own rules, so a bad one is a per-row result.
        phone = serializers.CharField(allow_blank=True)
        first_name = serializers.CharField(required=False, allow_blank=True)
        last_name = serializers.CharField(required=False, allow_blank=True)
        email = serializers.CharField(required=False, allow_blank=True)
        timezone = serializers.CharField(required=False, allow_blank=True)
        priority = serializers.CharField(required=False, allow_blank=True)
        expires_on = serializers.CharField(required=False, allow_blank=True, allow_null=True)
        custom_fields = serializers.DictField(required=False)

    class Input(BoundedIntegersSerializer, serializers.Serializer):
        class Meta:
            ref_name = "LeadBulkAddInput"

        leads = serializers.ListField(child=serializers.DictField(), max_length=10_000)
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
        country = serializers.CharField(
            required=False,
            allow_blank=True,
            default="",
            max_length=2,
            help_text="Country for numbers without a country code; blank: the list's default.",
        )

    class ResultOutput(serializers.Serializer):
        class Meta:
            ref_name = "LeadBulkAddResult"

        index = serializers.IntegerField()
        outcome = serializers.CharField()
        lead_id = serializers.IntegerField(allow_null=True)
        message = serializers.CharField()

    @extend_schema(
        request=Input,
        responses={
            201: inline_serializer(
                "LeadBulkAddOutput",
                {
                    "import_job": serializers.IntegerField(),
                    "counts": serializers.DictField(child=serializers.IntegerField()),
                    "results": ResultOutput(many=True),
                },
            )
        },
    )
    def post(self, request, pk: int):
        lead_list = selectors.lead_list_get(user=request.user, pk=pk)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        params = data.validated_data
        rows = self.LeadInput(data=params["leads"], many=True)
        rows.is_valid(raise_exception=True)
        for row, raw in zip(rows.validated_data, params["leads"], strict=True):
            row["alternate_phones"] = raw.get("alternate_phones") or []
        job, results = services.leads_bulk_add(
            lead_list=lead_list,
            leads=rows.validated_data,
            acting_user=request.user,
            duplicate_policy=params["duplicate_policy"],
            duplicate_scope=params["duplicate_scope"],
            scope_campaign_id=params.get("scope_campaign"),
            dnc_scrub=params["dnc_scrub"],
            country=params["country"],
        )
        return Response(
            {
                "import_job": job.pk,
                "counts": import_counts(job),
                "results": self.ResultOutput(results, many=True).data,
            },
            status=status.HTTP_201_CREATED,
        )
