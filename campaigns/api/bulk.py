"""Pause, stop or archive several campaigns over the API: the service the campaign list
page calls, with its skip-and-report answer."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from campaigns import services as campaign_services


class CampaignBulkActionApi(APIView):
    """Pause, stop or archive several campaigns. Each goes through the single action's
    rules and gets its one sync job; a campaign the user may not change, or that cannot
    make the change, is skipped with the reason."""

    required_permissions = ("campaigns.view_campaign", "campaigns.change_campaign")

    class Input(serializers.Serializer):
        class Meta:
            ref_name = "CampaignBulkActionInput"

        action = serializers.ChoiceField(choices=campaign_services.BULK_CAMPAIGN_ACTIONS)
        ids = serializers.ListField(
            child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
            min_length=1,
            max_length=campaign_services.bulk.BULK_MAX_CAMPAIGNS,
        )

    @extend_schema(
        operation_id="campaigns_bulk_action",
        summary="Pause, stop or archive several campaigns",
        request=Input,
        responses={
            200: inline_serializer(
                "CampaignBulkActionResult",
                {
                    "action": serializers.CharField(),
                    "done": serializers.IntegerField(),
                    "skipped": serializers.IntegerField(),
                    "done_ids": serializers.ListField(child=serializers.IntegerField()),
                    "skipped_reasons": inline_serializer(
                        "CampaignBulkSkipped",
                        {
                            "id": serializers.IntegerField(),
                            "name": serializers.CharField(),
                            "reason": serializers.CharField(),
                        },
                        many=True,
                    ),
                },
            )
        },
    )
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        result = campaign_services.campaigns_bulk_transition(
            campaign_ids=data.validated_data["ids"],
            action=data.validated_data["action"],
            acting_user=request.user,
        )
        return Response(result.as_dict())
