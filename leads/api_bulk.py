"""Bulk actions over the API, the same services and rules as the pages: act on leads of a
list or of a campaign (by ids, or every lead that matches a filter), remove several
do-not-call entries (campaigns: ``campaigns.api.bulk``). Each answers with what
was done and what was skipped, and why."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import get_visible_or_404
from campaigns.selectors import campaign_lead_filters, campaign_queryset
from dialer_console.errors import ApplicationError
from leads import selectors, services
from leads.models import LeadBulkRun, LeadStatus
from leads.selectors_bulk import (
    BULK_MAX_IDS,
    lead_bulk_run_get,
    lead_selection_for_campaign,
    lead_selection_for_list,
)
from leads.services.bulk_actions import ACTION_CHOICES, MOVE, RECYCLE
from leads.services.bulk_runs import leads_bulk_submit

IDS_HELP = f"Ids to act on, at most {BULK_MAX_IDS:,}. Give either ids or filter."

SkippedReason = inline_serializer(
    "BulkSkippedReason",
    {"reason": serializers.CharField(), "count": serializers.IntegerField()},
    many=True,
)
LeadBulkResult = inline_serializer(
    "LeadBulkActionResult",
    {
        "action": serializers.CharField(),
        "done": serializers.IntegerField(help_text="Leads the action was done to."),
        "skipped": serializers.IntegerField(help_text="Selected leads it did not apply to."),
        "skipped_reasons": SkippedReason,
        "campaigns_synced": serializers.IntegerField(
            help_text="Campaigns that got their one sync job."
        ),
    },
)


def _ids_or_filter(attrs: dict) -> dict:
    if ("ids" in attrs) == ("filter" in attrs):
        raise serializers.ValidationError(
            gettext("Give either ids or filter, not both or neither.")
        )
    return attrs


class _LeadBulkInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=ACTION_CHOICES)
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        min_length=1,
        max_length=BULK_MAX_IDS,
        required=False,
        help_text=IDS_HELP,
    )
    target_list = serializers.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, help_text="For move: the list's id."
    )
    campaign = serializers.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, help_text="For recycle: the campaign."
    )

    def validate(self, attrs):
        return _ids_or_filter(attrs)


def _targets(request, params: dict) -> dict:
    targets = {"target_list": None, "target_campaign": None}
    if params["action"] == MOVE and params.get("target_list"):
        targets["target_list"] = _visible(
            selectors.lead_lists_visible(user=request.user), params["target_list"], "target_list"
        )
    if params["action"] == RECYCLE and params.get("campaign"):
        targets["target_campaign"] = _visible(
            campaign_queryset(user=request.user), params["campaign"], "campaign"
        )
    return targets


def _visible(queryset, pk: int, field: str):
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise ApplicationError(
            gettext("There is no %(value)s %(pk)s you may use.")
            % {"value": field.replace("_", " "), "pk": pk},
            {"field": field},
        )
    return found


def _act(request, params: dict, select) -> Response:
    targets = _targets(request, params)
    try:
        services.leads_bulk_check(action=params["action"], acting_user=request.user, **targets)
    except ApplicationError as error:
        if error.extra.get("code") == "permission_denied":
            raise PermissionDenied(error.message) from error
        raise
    selection = select(params.get("ids"))
    outcome = leads_bulk_submit(
        selection=selection, action=params["action"], acting_user=request.user, **targets
    )
    if isinstance(outcome, LeadBulkRun):
        url = request.build_absolute_uri(reverse("api-lead-bulk-run", args=[outcome.pk]))
        outcome.url = url
        data = LeadBulkRunQueued(outcome).data
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": url})
    return Response(outcome.as_dict())


class LeadBulkRunOutput(serializers.ModelSerializer):
    processed = serializers.IntegerField(
        source="processed_count", help_text="Leads handled so far: done + skipped."
    )
    skipped_reasons = serializers.SerializerMethodField()
    selected_count = serializers.IntegerField(
        help_text="Leads the selection held when the action was asked for."
    )

    class Meta:
        model = LeadBulkRun
        fields = [
            "id", "action", "source", "lead_list", "campaign", "description", "target_list",
            "target_campaign", "state", "selected_count", "processed", "done_count",
            "skipped_count", "skipped_reasons", "campaigns_synced", "error_message",
            "attempts", "created_at", "started_at", "finished_at",
        ]  # fmt: skip

    @extend_schema_field(SkippedReason)
    def get_skipped_reasons(self, run: LeadBulkRun) -> list[dict]:
        return [{"reason": reason, "count": count} for reason, count in run.skipped_list]


class LeadBulkRunQueued(LeadBulkRunOutput):
    url = serializers.URLField(help_text="Where to read the run's state and counts.")

    class Meta(LeadBulkRunOutput.Meta):
        fields = [*LeadBulkRunOutput.Meta.fields, "url"]


ACT_RESPONSES = {200: LeadBulkResult, 202: LeadBulkRunQueued}


class LeadListBulkActionApi(APIView):
    """Delete, mark do-not-call, move or recycle leads of one list: the given ids, or every
    lead that matches the filter (as the list's page filters). Each campaign whose dialer
    must learn of it gets one sync job. A selection of more leads than the server's
    LEADS_BULK_INLINE_MAX (5,000 unless configured) is not acted on in the request: the
    answer is 202 with the queued run and its url (also in Location); a worker acts on it
    in batches, and the run tells its state and counts."""

    required_permissions = ("leads.view_leadlist", "leads.view_lead")

    class Input(_LeadBulkInput):
        class Meta:
            ref_name = "LeadListBulkActionInput"

        filter = inline_serializer(
            "LeadListBulkFilter",
            {
                "status": serializers.ChoiceField(
                    choices=LeadStatus.choices, required=False, allow_blank=True
                ),
                "phone": serializers.CharField(required=False, allow_blank=True, max_length=64),
            },
            required=False,
            help_text=_("Every lead of the list that matches; {} for all of them."),
        )

    @extend_schema(
        operation_id="lead_list_leads_bulk_action",
        summary="Act on many leads of a list",
        request=Input,
        responses=ACT_RESPONSES,
    )
    def post(self, request, pk: int):
        lead_list = selectors.lead_list_get(user=request.user, pk=pk)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        params = data.validated_data
        chosen = params.get("filter") or {}
        return _act(
            request,
            params,
            lambda ids: lead_selection_for_list(
                user=request.user,
                lead_list=lead_list,
                ids=ids,
                status=chosen.get("status", ""),
                phone=chosen.get("phone", ""),
            ),
        )


class CampaignLeadsBulkActionApi(APIView):
    """Delete, mark do-not-call, move or recycle leads of a campaign's active lists the
    user may see: the given ids, or every lead that matches the filter (the campaign's
    Leads page filter: its sync state for the campaign, not_queued, or done). As for a
    list, a selection of more than LEADS_BULK_INLINE_MAX leads answers 202 with the queued
    run and its url (also in Location)."""

    required_permissions = ("campaigns.view_campaign", "leads.view_lead")

    class Input(_LeadBulkInput):
        class Meta:
            ref_name = "CampaignLeadsBulkActionInput"

        filter = inline_serializer(
            "CampaignLeadsBulkFilter",
            {
                "state": serializers.ChoiceField(
                    choices=campaign_lead_filters(), required=False, allow_blank=True
                )
            },
            required=False,
            help_text=_("Every lead of the campaign that matches; {} for all of them."),
        )

    @extend_schema(
        operation_id="campaign_leads_bulk_action",
        summary="Act on many leads of a campaign",
        request=Input,
        responses=ACT_RESPONSES,
    )
    def post(self, request, pk: int):
        campaign = get_visible_or_404(campaign_queryset(user=request.user), request.user, pk=pk)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        params = data.validated_data
        state = (params.get("filter") or {}).get("state", "")
        return _act(
            request,
            params,
            lambda ids: lead_selection_for_campaign(
                user=request.user, campaign=campaign, ids=ids, state=state
            ),
        )


class DncEntryBulkRemoveApi(APIView):
    """Remove several do-not-call entries. An entry the user cannot see or may not manage
    is skipped with the reason; leads already marked do-not-call stay so."""

    required_permissions = ("leads.view_dncentry", "leads.delete_dncentry")

    class Input(serializers.Serializer):
        class Meta:
            ref_name = "DncEntryBulkRemoveInput"

        ids = serializers.ListField(
            child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
            min_length=1,
            max_length=BULK_MAX_IDS,
        )

    @extend_schema(
        operation_id="dnc_entries_bulk_remove",
        summary="Remove several do-not-call entries",
        request=Input,
        responses={
            200: inline_serializer(
                "DncEntryBulkRemoveResult",
                {
                    "done": serializers.IntegerField(),
                    "skipped": serializers.IntegerField(),
                    "skipped_reasons": inline_serializer(
                        "DncBulkSkipped",
                        {"id": serializers.IntegerField(), "reason": serializers.CharField()},
                        many=True,
                    ),
                },
            )
        },
    )
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.dnc_entries_bulk_delete(
            entry_ids=data.validated_data["ids"], acting_user=request.user
        )
        return Response(result.as_dict())


class LeadBulkRunApi(APIView):
    """A bulk action on leads run by a worker (a 202 of the leads' actions endpoints):
    its state (queued, running, done, failed), the leads the selection held when it was
    asked for, how many were handled so far, done and skipped (with each reason), and,
    once done, how many campaigns got their one sync job. Supervisors read every run,
    others their own and those over their team's leads."""

    required_permissions = ("leads.view_lead",)

    @extend_schema(
        operation_id="lead_bulk_run_read",
        summary="Read a bulk action's run",
        responses=LeadBulkRunOutput,
    )
    def get(self, request, pk: int):
        run = lead_bulk_run_get(user=request.user, pk=pk)
        return Response(LeadBulkRunOutput(run).data)
