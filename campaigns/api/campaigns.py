"""Campaign API: CRUD and the actions (start, pause, stop, archive, clone)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import get_visible_or_404
from accounts.models import Team
from campaigns import selectors, services
from campaigns.api.schema import VendorSettingsField, vendor_settings_schema
from campaigns.checks import CHECKED_FIELDS, FIELD_BOUNDS, campaign_field_errors
from campaigns.models import (
    Agent,
    CallingWindow,
    Campaign,
    DialMethod,
    DispositionList,
    PauseCodeList,
)
from campaigns.services import CAMPAIGN_FIELDS, LeadListLink
from campaigns.spec import campaign_spec_from_values, campaign_values, field_map_for
from campaigns.vendor_settings import vendor_form_from_api, vendor_settings_as_api
from dialer_console.api_input import query_params_refuse_unknown
from dialer_console.int_bounds import BoundedIntegersSerializer
from leads.models import LeadList
from sync.models import CampaignSyncState
from vendors.models import VendorAccount


class LeadListLinkSerializer(serializers.Serializer):
    lead_list = serializers.PrimaryKeyRelatedField(queryset=LeadList.objects.all())
    active = serializers.BooleanField(default=True)


class CampaignSyncOutput(serializers.Serializer):
    """The campaign's copy on its dialer, from the sync app."""

    state = serializers.ChoiceField(choices=CampaignSyncState.choices)
    label = serializers.CharField()
    last_synced_at = serializers.DateTimeField(allow_null=True)
    last_error = serializers.CharField()
    pending_calls = serializers.IntegerField(
        allow_null=True, help_text="Calls still pending on the dialer; null until fetched."
    )
    pending_fetched_at = serializers.DateTimeField(allow_null=True)
    pending_age_seconds = serializers.IntegerField(
        allow_null=True, help_text="How old pending_calls is."
    )
    note = serializers.CharField(help_text=f'"{selectors.NOT_SYNCED_YET}" when it never was.')


class CampaignOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    team = serializers.IntegerField(source="team_id", allow_null=True)
    vendor_account = serializers.IntegerField(source="vendor_account_id", allow_null=True)
    vendor_kind = serializers.CharField()
    dial_method = serializers.CharField()
    caller_id = serializers.CharField()
    agents = serializers.SerializerMethodField()
    lead_lists = LeadListLinkSerializer(many=True, source="list_links.all")
    disposition_list = serializers.IntegerField(source="disposition_list_id", allow_null=True)
    pause_code_list = serializers.IntegerField(source="pause_code_list_id", allow_null=True)
    calling_window = serializers.IntegerField(source="calling_window_id", allow_null=True)
    retry_count = serializers.IntegerField()
    retry_interval_minutes = serializers.IntegerField()
    wrap_up_seconds = serializers.IntegerField()
    ring_timeout_seconds = serializers.IntegerField()
    status = serializers.CharField()
    vendor_settings = serializers.SerializerMethodField()
    sync = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_agents(self, campaign) -> list[int]:
        return [agent.pk for agent in campaign.agents.all()]

    @extend_schema_field(vendor_settings_schema())
    def get_vendor_settings(self, campaign) -> dict:
        return vendor_settings_as_api(
            account=campaign.vendor_account, settings=campaign.vendor_settings
        )

    @extend_schema_field(CampaignSyncOutput)
    def get_sync(self, campaign) -> dict:
        # A list passes every row's status in the context (two queries for the page).
        statuses = self.context.get("sync_statuses")
        if statuses is None or campaign.pk not in statuses:
            statuses = selectors.campaign_sync_statuses(campaign_ids=[campaign.pk])
        status = statuses[campaign.pk]
        data = {
            **vars(status),
            "note": selectors.NOT_SYNCED_YET if status.never_synced else "",
        }
        return CampaignSyncOutput(data).data


def form_errors(form) -> dict[str, list[str]]:
    """A Django form's errors in DRF's shape, the messages word for word."""
    return {
        "non_field_errors" if field == "__all__" else field: [error["message"] for error in errors]
        for field, errors in form.errors.get_json_data().items()
    }


class CampaignInput(BoundedIntegersSerializer, serializers.Serializer):
    bounds_model = Campaign

    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), required=False, allow_null=True, default=None
    )
    vendor_account = serializers.PrimaryKeyRelatedField(
        queryset=VendorAccount.objects.all(), required=False, allow_null=True, default=None
    )
    dial_method = serializers.ChoiceField(
        choices=DialMethod.choices, default=DialMethod.PROGRESSIVE
    )
    caller_id = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=40,
        default="",
        help_text="A phone number with its country code (Voicenter also takes an Israeli "
        "national number).",
    )
    agents = serializers.PrimaryKeyRelatedField(
        queryset=Agent.objects.all(), many=True, required=False, default=list
    )
    lead_lists = LeadListLinkSerializer(many=True, required=False, default=list)
    disposition_list = serializers.PrimaryKeyRelatedField(
        queryset=DispositionList.objects.all(), required=False, allow_null=True, default=None
    )
    pause_code_list = serializers.PrimaryKeyRelatedField(
        queryset=PauseCodeList.objects.all(), required=False, allow_null=True, default=None
    )
    calling_window = serializers.PrimaryKeyRelatedField(
        queryset=CallingWindow.objects.all(), required=False, allow_null=True, default=None
    )
    # The bounds are checked in validate() (campaigns.checks), in the form's words.
    retry_count = serializers.IntegerField(
        min_value=0, max_value=32767, default=3, help_text=FIELD_BOUNDS["retry_count"].words
    )
    retry_interval_minutes = serializers.IntegerField(
        min_value=0, default=60, help_text=FIELD_BOUNDS["retry_interval_minutes"].words
    )
    wrap_up_seconds = serializers.IntegerField(
        min_value=0, default=30, help_text=FIELD_BOUNDS["wrap_up_seconds"].words
    )
    ring_timeout_seconds = serializers.IntegerField(
        min_value=0, default=30, help_text=FIELD_BOUNDS["ring_timeout_seconds"].words
    )
    vendor_settings = VendorSettingsField(required=False)

    def validate(self, attrs: dict) -> dict:
        """The vendor form validates ``vendor_settings``: the rules and the words are the
        same as in the HTML form."""
        campaign: Campaign | None = self.context.get("campaign")
        account = attrs.get("vendor_account", campaign.vendor_account if campaign else None)
        self._check_campaign_fields(attrs, campaign, account)
        given = attrs.get("vendor_settings")
        account_changed = campaign is not None and account != campaign.vendor_account
        if account is None:
            if given:
                raise ValidationError(
                    {
                        "vendor_settings": [
                            gettext("Choose a vendor account before giving its settings.")
                        ]
                    }
                )
            return attrs
        if given is None and campaign is not None and not account_changed:
            return attrs  # keep what is stored
        form, refused = vendor_form_from_api(
            account=account, given=given or {}, derived=_derived(attrs, campaign, account)
        )
        if refused:
            raise ValidationError({"vendor_settings": refused})
        if not form.is_valid():
            raise ValidationError({"vendor_settings": form_errors(form)})
        attrs["vendor_settings"] = form.settings()
        return attrs

    def _check_campaign_fields(self, attrs: dict, campaign, account) -> None:
        """The campaign's checks (``campaigns.checks``), as the HTML form makes them: on
        the values the campaign will have, what is not given kept from it."""
        values = {
            name: attrs[name] if name in attrs else getattr(campaign, name, None)
            for name in CHECKED_FIELDS
        }
        errors = campaign_field_errors(values=values, vendor_kind=account.kind if account else "")
        if errors:
            raise ValidationError({name: [message] for name, message in errors.items()})


def _derived(attrs: dict, campaign: Campaign | None, account: VendorAccount) -> dict | None:
    """The field map's vendor values for the campaign as this request leaves it."""
    field_map = field_map_for(account.kind)
    if field_map is None:
        return None
    values = campaign_values(campaign or Campaign())
    values.update({name: attrs[name] for name in values if name in attrs})
    spec = campaign_spec_from_values(values=values, account_id=account.pk)
    return field_map.values(spec)


def _service_arguments(data: dict) -> dict:
    arguments = {"fields": {name: data[name] for name in CAMPAIGN_FIELDS if name in data}}
    if "vendor_settings" in data:
        arguments["vendor_settings"] = data["vendor_settings"]
    if "agents" in data:
        arguments["agents"] = list(data["agents"])
    if "lead_lists" in data:
        arguments["lead_lists"] = [
            LeadListLink(link["lead_list"], link["active"]) for link in data["lead_lists"]
        ]
    return arguments


def _campaigns(request) -> QuerySet[Campaign]:
    return selectors.campaign_queryset(user=request.user).prefetch_related("agents", "list_links")


class CampaignListApi(APIView):
    queryset = Campaign.objects.none()
    pagination_class = PageNumberPagination  # drf-spectacular documents its envelope

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Search in name and description."),
            OpenApiParameter("status", str, enum=[c for c, _ in Campaign.status.field.choices]),
            OpenApiParameter("vendor", str, description="A vendor kind, or none."),
            OpenApiParameter("sort", str, enum=list(selectors.CAMPAIGN_SORTS)),
        ],
        responses=CampaignOutput(many=True),
    )
    def get(self, request):
        paginator = self.pagination_class()
        query_params_refuse_unknown(
            request, known=("q", "status", "vendor", "sort"), paginator=paginator
        )
        campaigns = selectors.campaign_list(
            user=request.user,
            search=request.query_params.get("q", ""),
            status=request.query_params.get("status", ""),
            vendor=request.query_params.get("vendor", ""),
            sort=request.query_params.get("sort", "-updated"),
        ).prefetch_related("agents", "list_links")
        page = paginator.paginate_queryset(campaigns, request, view=self)
        statuses = selectors.campaign_sync_statuses(campaign_ids=[c.pk for c in page])
        output = CampaignOutput(page, many=True, context={"sync_statuses": statuses})
        return paginator.get_paginated_response(output.data)

    @extend_schema(request=CampaignInput, responses={201: CampaignOutput})
    def post(self, request):
        serializer = CampaignInput(data=request.data, context={"campaign": None})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        arguments = _service_arguments(data)
        arguments.setdefault("vendor_settings", {})
        campaign = services.campaign_create(**arguments, acting_user=request.user)
        return Response(CampaignOutput(campaign).data, status=status.HTTP_201_CREATED)


class CampaignDetailApi(APIView):
    queryset = Campaign.objects.none()

    def _get(self, request, pk: int) -> Campaign:
        return get_visible_or_404(_campaigns(request), request.user, pk=pk)

    @extend_schema(responses=CampaignOutput)
    def get(self, request, pk: int):
        return Response(CampaignOutput(self._get(request, pk)).data)

    @extend_schema(request=CampaignInput, responses=CampaignOutput)
    def patch(self, request, pk: int):
        campaign = self._get(request, pk)
        serializer = CampaignInput(data=request.data, partial=True, context={"campaign": campaign})
        serializer.is_valid(raise_exception=True)
        campaign = services.campaign_update(
            campaign=campaign,
            **_service_arguments(serializer.validated_data),
            acting_user=request.user,
        )
        return Response(CampaignOutput(_campaigns(request).get(pk=campaign.pk)).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        services.campaign_delete(campaign=self._get(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class CampaignActionApi(APIView):
    """POST /campaigns/{id}/<action>/. Refused with 400 and the reason in words when the
    status or the vendor does not allow it."""

    action_name = ""
    required_permissions: tuple[str, ...] = ("campaigns.change_campaign",)

    @extend_schema(request=None, responses={200: CampaignOutput, 201: CampaignOutput})
    def post(self, request, pk: int):
        campaign = get_visible_or_404(_campaigns(request), request.user, pk=pk)
        action = selectors.ACTIONS_BY_NAME[self.action_name]
        if action.to_status is None:
            clone = services.campaign_clone(campaign=campaign, acting_user=request.user)
            return Response(CampaignOutput(clone).data, status=status.HTTP_201_CREATED)
        services.campaign_transition(
            campaign=campaign, to_status=action.to_status, acting_user=request.user
        )
        return Response(CampaignOutput(_campaigns(request).get(pk=pk)).data)


class CampaignStartInput(serializers.Serializer):
    confirm = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Start even though no lead is callable within the next 24 hours "
        "(the reply was 409 without it).",
    )


class CampaignStartApi(CampaignActionApi):
    """A start where the calling window lets the dialer call none of the campaign's leads
    within the next 24 hours answers 409 with the reason (``extra.code``
    ``nothing_callable_soon``) until the body says ``{"confirm": true}``; GET
    /sync/campaigns/{id}/start-preview/ shows the counts first. A campaign with no active
    lead list, or no lead left to call, is refused with 400 and the reason."""

    @extend_schema(
        request=CampaignStartInput,
        responses={
            200: CampaignOutput,
            409: OpenApiResponse(
                response=inline_serializer(
                    "CampaignStartConfirmOutput",
                    {"message": serializers.CharField(), "extra": serializers.DictField()},
                ),
                description="No lead is callable within 24 hours: send confirm=true to "
                "start anyway.",
            ),
        },
    )
    def post(self, request, pk: int):
        campaign = get_visible_or_404(_campaigns(request), request.user, pk=pk)
        body = CampaignStartInput(data=request.data or {})
        body.is_valid(raise_exception=True)
        services.campaign_transition(
            campaign=campaign,
            to_status=selectors.ACTIONS_BY_NAME["start"].to_status,
            acting_user=request.user,
            ask_if_nothing_soon=not body.validated_data["confirm"],
        )
        return Response(CampaignOutput(_campaigns(request).get(pk=pk)).data)


def action_view(name: str):
    action = selectors.ACTIONS_BY_NAME[name]
    base = CampaignStartApi if name == "start" else CampaignActionApi
    words = (CampaignActionApi.__doc__ or "") + (
        " " + (base.__doc__ or "") if base is not CampaignActionApi else ""
    )
    view_class = type(
        f"Campaign{name.capitalize()}Api",
        (base,),
        {
            "action_name": name,
            "required_permissions": (action.permission,),
            "__doc__": f"{action.label} the campaign. {words}",
        },
    )
    return view_class.as_view()
