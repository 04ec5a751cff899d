"""Recycling rules, recycling by hand and callbacks over the API: the services the pages
call (``results.recycling``), with the same checks and words."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import get_visible_or_404
from campaigns.models import DispositionList
from campaigns.selectors import campaign_queryset
from dialer_console.int_bounds import ID_RANGE
from results.models import CallbackState, RecycleAction, RecycleMatch
from results.recycling import by_hand
from results.recycling.apply import missed_callbacks
from results.recycling.rules import (
    DIALER_OUTCOMES,
    MAX_DELAY_MINUTES,
    MAX_TIMES,
    rule_rows,
    rules_clean,
    rules_replace,
)

MAX_RULES = 50
MISSED_LISTED = 100


class RecycleRuleSerializer(serializers.Serializer):
    class Meta:
        ref_name = "RecycleRule"

    match_kind = serializers.ChoiceField(choices=RecycleMatch.choices)
    match_code = serializers.CharField(
        max_length=20,
        help_text="A code of the disposition list, or a dialer result: "
        + ", ".join(value for value, _ in DIALER_OUTCOMES),
    )
    action = serializers.ChoiceField(choices=RecycleAction.choices)
    delay_minutes = serializers.IntegerField(
        min_value=1, max_value=MAX_DELAY_MINUTES, allow_null=True, required=False, default=None
    )
    max_times = serializers.IntegerField(min_value=1, max_value=MAX_TIMES)


class RecycleRulesSerializer(serializers.Serializer):
    class Meta:
        ref_name = "RecycleRules"

    rules = RecycleRuleSerializer(many=True, max_length=MAX_RULES)


class _RulesApi(APIView):
    def _owner(self, request, pk: int) -> dict:
        raise NotImplementedError

    def _codes_list(self, owner: dict):
        raise NotImplementedError

    def get(self, request, pk: int):
        return Response({"rules": rule_rows(**self._owner(request, pk))})

    def put(self, request, pk: int):
        owner = self._owner(request, pk)
        data = RecycleRulesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rows = rules_clean(data.validated_data["rules"], disposition_list=self._codes_list(owner))
        rules_replace(rows=rows, **owner)
        return Response({"rules": rule_rows(**owner)})


class CampaignRecycleRulesApi(_RulesApi):
    """A campaign's recycling rules; each replaces its disposition list's rule for the
    same outcome. PUT replaces them all."""

    required_permissions = {
        "GET": ("campaigns.view_campaign",),
        "PUT": ("campaigns.view_campaign", "campaigns.change_campaign"),
    }

    def _owner(self, request, pk: int) -> dict:
        campaign = get_visible_or_404(campaign_queryset(user=request.user), request.user, pk=pk)
        return {"campaign": campaign}

    def _codes_list(self, owner: dict):
        return owner["campaign"].disposition_list

    @extend_schema(operation_id="campaigns_recycle_rules_retrieve",
                   responses={200: RecycleRulesSerializer})  # fmt: skip
    def get(self, request, pk: int):
        return super().get(request, pk)

    @extend_schema(operation_id="campaigns_recycle_rules_update",
                   request=RecycleRulesSerializer,
                   responses={200: RecycleRulesSerializer})  # fmt: skip
    def put(self, request, pk: int):
        return super().put(request, pk)


class DispositionListRecycleRulesApi(_RulesApi):
    """A disposition list's recycling rules, for every campaign using the list. PUT
    replaces them all."""

    required_permissions = {
        "GET": ("campaigns.view_dispositionlist",),
        "PUT": ("campaigns.view_dispositionlist", "campaigns.change_dispositionlist"),
    }

    def _owner(self, request, pk: int) -> dict:
        return {"disposition_list": get_object_or_404(DispositionList, pk=pk)}

    def _codes_list(self, owner: dict):
        return owner["disposition_list"]

    @extend_schema(operation_id="disposition_lists_recycle_rules_retrieve",
                   responses={200: RecycleRulesSerializer})  # fmt: skip
    def get(self, request, pk: int):
        return super().get(request, pk)

    @extend_schema(operation_id="disposition_lists_recycle_rules_update",
                   request=RecycleRulesSerializer,
                   responses={200: RecycleRulesSerializer})  # fmt: skip
    def put(self, request, pk: int):
        return super().put(request, pk)


class RecycleInput(serializers.Serializer):
    class Meta:
        ref_name = "CampaignRecycleInput"

    dialer_outcomes = serializers.ListField(
        child=serializers.ChoiceField(choices=[value for value, _ in DIALER_OUTCOMES]),
        required=False,
        default=list,
        max_length=len(DIALER_OUTCOMES),
    )
    disposition_codes = serializers.ListField(
        child=serializers.CharField(max_length=20), required=False, default=list, max_length=200
    )
    target_campaign = serializers.IntegerField(
        min_value=1, max_value=ID_RANGE[1], required=False, allow_null=True,
        help_text="Another campaign of the same team; empty: this campaign.",
    )  # fmt: skip
    preview = serializers.BooleanField(default=False, help_text="Count only; move nothing.")


class RecycleOutput(serializers.Serializer):
    class Meta:
        ref_name = "CampaignRecycleResult"

    leads = serializers.IntegerField(help_text="Leads chosen (preview) or sent again.")
    moved = serializers.BooleanField()
    target_campaign = serializers.IntegerField()


class CampaignRecycleApi(APIView):
    """Send a campaign's leads with the chosen outcomes again, to it or to another
    campaign of the same team; with ``preview`` only count them."""

    required_permissions = ("campaigns.view_campaign", "leads.change_lead")

    @extend_schema(operation_id="campaigns_recycle_create", request=RecycleInput,
                   responses={200: RecycleOutput})  # fmt: skip
    def post(self, request, pk: int):
        source = get_visible_or_404(campaign_queryset(user=request.user), request.user, pk=pk)
        data = RecycleInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        choice = by_hand.recycle_choice(
            source=source,
            target_id=values.get("target_campaign"),
            user=request.user,
            dialer_outcomes=values["dialer_outcomes"],
            disposition_codes=values["disposition_codes"],
        )
        if values["preview"]:
            count = by_hand.recycle_preview(choice=choice, user=request.user)
        else:
            count = by_hand.recycle_by_hand(choice=choice, user=request.user)
        return Response(
            {"leads": count, "moved": not values["preview"], "target_campaign": choice.target.pk}
        )


class MissedCallbackSerializer(serializers.Serializer):
    class Meta:
        ref_name = "MissedCallback"

    lead = serializers.IntegerField(source="lead_id")
    due_at = serializers.DateTimeField()
    via = serializers.CharField()


class CallbacksOutput(serializers.Serializer):
    class Meta:
        ref_name = "CampaignCallbacks"

    open = serializers.IntegerField()
    missed = serializers.IntegerField()
    missed_first = MissedCallbackSerializer(many=True)


class CampaignCallbacksApi(APIView):
    """A campaign's open and missed callbacks (missed: still open 15 minutes after their
    time), with the first missed ones, earliest first."""

    required_permissions = ("campaigns.view_campaign",)

    @extend_schema(operation_id="campaigns_callbacks_retrieve",
                   responses={200: CallbacksOutput})  # fmt: skip
    def get(self, request, pk: int):
        campaign = get_visible_or_404(campaign_queryset(user=request.user), request.user, pk=pk)
        missed = missed_callbacks(campaign=campaign)
        return Response(
            CallbacksOutput(
                {
                    "open": campaign.callbacks.filter(state=CallbackState.OPEN).count(),
                    "missed": missed.count(),
                    "missed_first": list(missed.order_by("due_at", "id")[:MISSED_LISTED]),
                }
            ).data
        )
