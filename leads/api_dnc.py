"""The do-not-call list over REST: list (cursor pages), add one number or many (a result
per number), read, change reason and expiry, remove. Permissions by RolePermissions on
DncEntry (API consumers read only); visibility and team rules by the leads selectors and
services, as in the pages."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from dialer_console.api_input import BulkBodyMixin, query_params_refuse_unknown
from dialer_console.errors import ApplicationError
from dialer_console.int_bounds import BoundedIntegersSerializer
from leads import selectors, services
from leads.api import LeadCursorPagination
from leads.models import DncEntry, DncScope


class DncCursorPagination(LeadCursorPagination):
    ordering = "-id"  # newest first


class DncEntryOutput(serializers.ModelSerializer):
    campaign = serializers.IntegerField(source="campaign_id", allow_null=True)
    active = serializers.SerializerMethodField()
    created_by = serializers.CharField(
        source="created_by.username",
        default=None,
        allow_null=True,
        help_text="User name; null when no user added it, or the user was deleted.",
    )

    class Meta:
        model = DncEntry
        fields = [
            "id", "phone", "scope", "campaign", "lead_list", "reason", "source", "expires_at",
            "active", "created_by", "created_at",
        ]  # fmt: skip

    def get_active(self, entry: DncEntry) -> bool:
        return entry.is_active_at(timezone.now())


class DncTargetInput(BoundedIntegersSerializer, serializers.Serializer):
    """Where the numbers apply, and how they are read."""

    class Meta:
        ref_name = "DncTargetInput"

    scope = serializers.ChoiceField(choices=DncScope.choices, default=DncScope.EVERYWHERE)
    campaign = serializers.IntegerField(
        required=False, allow_null=True, help_text="The campaign, for the campaign scope."
    )
    lead_list = serializers.IntegerField(
        required=False, allow_null=True, help_text="The lead list, for the list scope."
    )
    country = serializers.CharField(
        default="US", max_length=2, help_text="Country for numbers without a country code."
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    expires_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


def _target(request, params: dict) -> services.DncTarget:
    lead_list = None
    if params["scope"] == DncScope.LIST and params.get("lead_list") is not None:
        lead_list = (
            selectors.dnc_lead_lists_manageable(user=request.user)
            .filter(pk=params["lead_list"])
            .first()
        )
        if lead_list is None:
            raise ApplicationError(
                _("There is no lead list %(lead_list)s you may list numbers on.")
                % {"lead_list": params["lead_list"]},
                {"field": "lead_list"},
            )
    return services.DncTarget(
        scope=params["scope"],
        campaign_id=params.get("campaign") if params["scope"] == DncScope.CAMPAIGN else None,
        lead_list=lead_list,
    )


def _add(request, params: dict, numbers: list[tuple[int, str]]) -> services.DncAddResult:
    return services.dnc_entries_add(
        numbers=numbers,
        country=params["country"],
        target=_target(request, params),
        reason=params["reason"],
        expires_at=params["expires_at"],
        source="api",
        acting_user=request.user,
    )


class DncEntryCollectionApi(APIView):
    """Entries the user may see, newest first (cursor pages). ``phone``: any format (read
    with ``country``) or the first digits; ``scope``; ``active`` true or false."""

    queryset = DncEntry.objects.all()
    pagination_class = DncCursorPagination  # drf-spectacular documents its envelope

    class Filters(serializers.Serializer):
        class Meta:
            ref_name = "DncEntryFilters"

        phone = serializers.CharField(required=False, max_length=64)
        country = serializers.CharField(required=False, default="US", max_length=2)
        scope = serializers.ChoiceField(choices=DncScope.choices, required=False)
        active = serializers.BooleanField(required=False, allow_null=True, default=None)

    class Input(DncTargetInput):
        class Meta:
            ref_name = "DncEntryCreateInput"

        phone = serializers.CharField(max_length=64)

    @extend_schema(parameters=[Filters], responses=DncEntryOutput(many=True))
    def get(self, request):
        paginator = self.pagination_class()
        filters = self.Filters(data=request.query_params)
        query_params_refuse_unknown(request, known=filters.fields, paginator=paginator)
        filters.is_valid(raise_exception=True)
        params = filters.validated_data
        now = timezone.now()
        entries = selectors.dnc_entries_visible(user=request.user)
        if params.get("phone"):
            query = selectors.phone_search_q(text=params["phone"], country=params["country"])
            entries = entries.filter(query)
        if params.get("scope"):
            entries = entries.filter(scope=params["scope"])
        if params["active"] is True:
            entries = entries.filter(selectors.dnc_active_q(now=now))
        elif params["active"] is False:
            entries = entries.filter(expires_at__lte=now)
        page = paginator.paginate_queryset(entries, request, view=self)
        return paginator.get_paginated_response(DncEntryOutput(page, many=True).data)

    @extend_schema(request=Input, responses={201: DncEntryOutput})
    def post(self, request):
        """List one number. Already listed (and active) in that scope, or not a valid
        number: 400 with the project's error shape."""
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        params = data.validated_data
        result = _add(request, params, [(1, params["phone"])])
        number = result.numbers[0]
        if not number.e164:
            raise ApplicationError(number.message, {"field": "phone"})
        entry_id = result.entry_ids[number.e164]
        if result.outcomes[number.e164] == "already_listed":
            raise ApplicationError(
                _("%(e164)s is already on the do-not-call list in this scope.")
                % {"e164": number.e164},
                {"field": "phone", "code": "already_listed", "entry": entry_id},
            )
        entry = selectors.dnc_entry_get(user=request.user, pk=entry_id)
        return Response(DncEntryOutput(entry).data, status=status.HTTP_201_CREATED)


class DncEntryBulkAddApi(BulkBodyMixin, APIView):
    """List up to 10,000 numbers in one scope; one result per number, in order: added,
    renewed (was listed but expired), already_listed or invalid (with the reason).
    Invalid numbers do not stop the valid ones."""

    queryset = DncEntry.objects.all()

    class Input(DncTargetInput):
        class Meta:
            ref_name = "DncEntryBulkInput"

        phones = serializers.ListField(
            child=serializers.CharField(allow_blank=True, max_length=64),
            max_length=services.DNC_MAX_NUMBERS,
        )

    class ResultOutput(serializers.Serializer):
        class Meta:
            ref_name = "DncEntryBulkResult"

        index = serializers.IntegerField()
        phone = serializers.CharField(help_text="As given.")
        e164 = serializers.CharField(allow_blank=True)
        outcome = serializers.CharField()
        entry_id = serializers.IntegerField(allow_null=True)
        message = serializers.CharField(allow_blank=True)

    @extend_schema(
        request=Input,
        responses={
            201: inline_serializer(
                "DncEntryBulkOutput",
                {
                    "counts": serializers.DictField(child=serializers.IntegerField()),
                    "results": ResultOutput(many=True),
                },
            )
        },
    )
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        params = data.validated_data
        numbers = [(index + 1, phone) for index, phone in enumerate(params["phones"])]
        result = _add(request, params, numbers)
        results = [
            {
                "index": number.index,
                "phone": number.text,
                "e164": number.e164,
                "outcome": result.outcome_of(number),
                "entry_id": result.entry_ids.get(number.e164),
                "message": number.message,
            }
            for number in result.numbers
        ]
        return Response(
            {"counts": result.counts, "results": self.ResultOutput(results, many=True).data},
            status=status.HTTP_201_CREATED,
        )


class DncEntryItemApi(APIView):
    queryset = DncEntry.objects.all()

    class Input(serializers.Serializer):
        class Meta:
            ref_name = "DncEntryUpdateInput"

        reason = serializers.CharField(required=False, allow_blank=True, max_length=200)
        expires_at = serializers.DateTimeField(
            required=False, allow_null=True, help_text="null: never; a past time ends it now."
        )

    @extend_schema(responses=DncEntryOutput)
    def get(self, request, pk: int):
        return Response(DncEntryOutput(selectors.dnc_entry_get(user=request.user, pk=pk)).data)

    @extend_schema(request=Input, responses=DncEntryOutput)
    def patch(self, request, pk: int):
        entry = selectors.dnc_entry_get(user=request.user, pk=pk)
        data = self.Input(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        entry = services.dnc_entry_update(
            entry=entry, data=data.validated_data, acting_user=request.user
        )
        return Response(DncEntryOutput(entry).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        entry = selectors.dnc_entry_get(user=request.user, pk=pk)
        services.dnc_entry_delete(entry=entry, acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
