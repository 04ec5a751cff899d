"""Teams and login lockouts over REST, beside the users API (``accounts.api_users``).

Teams: supervisors list, add and rename every team; a team lead reads their own team
and its members (read-only; another team is a 404, never a 403 that tells it exists).
Lockouts: supervisors list django-axes' failed-login records and the addresses at the
cap, and clear one record or one address. The same services as the pages."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.api_users import UserOutput
from accounts.models import Team
from dialer_console.api_input import query_params_refuse_unknown

LOCKOUTS = "Supervisors only."


class TeamCursorPagination(CursorPagination):
    ordering = "name"
    page_size = 100


class TeamOutput(serializers.ModelSerializer):
    class Meta:
        model = Team
        ref_name = "TeamOutput"
        fields = ["id", "name", "created_at"]


class TeamDetailOutput(TeamOutput):
    members = serializers.SerializerMethodField()

    class Meta(TeamOutput.Meta):
        ref_name = "TeamDetailOutput"
        fields = [*TeamOutput.Meta.fields, "members"]

    def get_members(self, team) -> list[dict]:
        members = selectors.team_members(team=team).order_by("username")
        return UserOutput(members, many=True).data


class TeamInput(serializers.Serializer):
    class Meta:
        ref_name = "TeamInput"

    name = serializers.CharField(max_length=120)


class TeamCollectionApi(APIView):
    # Model permissions by method (RolePermissions): view_team to read, add_team to add.
    queryset = Team.objects.all()
    pagination_class = TeamCursorPagination

    @extend_schema(
        operation_id="teams_list",
        summary="List teams",
        description="Every team for a supervisor, by name, 100 a page (cursor pages); a team "
        "lead's own team only.",
        responses=TeamOutput(many=True),
    )
    def get(self, request):
        paginator = self.pagination_class()
        query_params_refuse_unknown(request, known={}, paginator=paginator)
        teams = selectors.teams_visible(user=request.user)
        page = paginator.paginate_queryset(teams, request, view=self)
        return paginator.get_paginated_response(TeamOutput(page, many=True).data)

    @extend_schema(
        operation_id="teams_create",
        summary="Add a team",
        description="A name no other team has (any case); 400 with the reason otherwise. "
        "Supervisors only.",
        request=TeamInput,
        responses={201: TeamOutput},
    )
    def post(self, request):
        data = TeamInput(data=request.data)
        data.is_valid(raise_exception=True)
        team = services.team_create(name=data.validated_data["name"], acting_user=request.user)
        return Response(TeamOutput(team).data, status=status.HTTP_201_CREATED)


class TeamItemApi(APIView):
    # view_team to read (a team lead: their own team), change_team to rename.
    queryset = Team.objects.all()

    @extend_schema(
        operation_id="teams_read",
        summary="Read a team and its members",
        description="The team with each member's role and status. A team lead reads their "
        "own team only: another one is a 404.",
        responses=TeamDetailOutput,
    )
    def get(self, request, pk: int):
        team = selectors.team_get_visible(user=request.user, pk=pk)
        return Response(TeamDetailOutput(team).data)

    @extend_schema(
        operation_id="teams_rename",
        summary="Rename a team",
        description="A name no other team has (any case). Supervisors only.",
        request=TeamInput,
        responses=TeamOutput,
    )
    def patch(self, request, pk: int):
        team = selectors.team_get_visible(user=request.user, pk=pk)
        data = TeamInput(data=request.data)
        data.is_valid(raise_exception=True)
        team = services.team_rename(
            team=team, name=data.validated_data["name"], acting_user=request.user
        )
        return Response(TeamOutput(team).data)


class LockoutOutput(serializers.Serializer):
    class Meta:
        ref_name = "LockoutOutput"

    id = serializers.IntegerField()
    username = serializers.CharField()
    ip_address = serializers.CharField(allow_null=True)
    failures = serializers.IntegerField(source="failures_since_start")
    last_failure = serializers.DateTimeField(source="attempt_time")
    locked = serializers.SerializerMethodField(
        help_text="True: this user name is locked out from this address."
    )

    def get_locked(self, attempt) -> bool:
        return selectors.lockout_is_locked(attempt)


class AddressLockoutOutput(serializers.Serializer):
    class Meta:
        ref_name = "AddressLockoutOutput"

    address = serializers.CharField()
    failures = serializers.IntegerField()
    last_failure = serializers.DateTimeField()


class LockoutsOutput(serializers.Serializer):
    class Meta:
        ref_name = "LockoutsOutput"

    cooloff_minutes = serializers.IntegerField()
    user_limit = serializers.IntegerField()
    address_limit = serializers.IntegerField()
    addresses = AddressLockoutOutput(many=True)
    attempts = LockoutOutput(many=True)


LOCKOUT_LIST_MAX = 500


class LockoutListApi(APIView):
    required_permissions = ("accounts.view_user",)

    @extend_schema(
        operation_id="lockouts_list",
        summary="List login lockouts",
        description="Failed logins within the cool-off time: per user name and address "
        f"(newest first, at most {LOCKOUT_LIST_MAX}; ``locked`` says which reached the "
        "limit), and the addresses whose failures, any user name, reached the per-address "
        "cap. " + LOCKOUTS,
        responses=LockoutsOutput,
    )
    def get(self, request):
        query_params_refuse_unknown(request, known={})
        attempts = selectors.lockout_attempts().order_by("-attempt_time", "-id")
        output = {
            "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            "user_limit": settings.AXES_FAILURE_LIMIT,
            "address_limit": settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS,
            "addresses": selectors.lockout_addresses(),
            "attempts": attempts[:LOCKOUT_LIST_MAX],
        }
        return Response(LockoutsOutput(output).data)


class LockoutClearApi(APIView):
    required_permissions = ("accounts.view_user", "accounts.change_user")

    @extend_schema(
        operation_id="lockouts_clear",
        summary="Clear a login lockout",
        description="Forget one user name's failed logins from one address, which lifts its "
        "lockout; 400 when it is gone already. " + LOCKOUTS,
        responses={204: None},
    )
    def delete(self, request, pk: int):
        services.lockout_clear(attempt_id=pk, acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AddressClearedOutput(serializers.Serializer):
    class Meta:
        ref_name = "LockoutAddressClearedOutput"

    cleared = serializers.IntegerField(help_text="How many failed-login records went.")


class AddressInput(serializers.Serializer):
    class Meta:
        ref_name = "LockoutAddressInput"

    address = serializers.IPAddressField()


class LockoutAddressClearApi(APIView):
    required_permissions = ("accounts.view_user", "accounts.change_user")

    @extend_schema(
        operation_id="lockouts_address_clear",
        summary="Clear an address's failed logins",
        description="Forget every failed login from the address (any user name), which lifts "
        "the per-address cap and each user name's lockout from there; 400 when none is "
        "recorded. " + LOCKOUTS,
        request=AddressInput,
        responses=AddressClearedOutput,
    )
    def post(self, request):
        data = AddressInput(data=request.data)
        data.is_valid(raise_exception=True)
        cleared = services.lockout_address_clear(
            address=data.validated_data["address"], acting_user=request.user
        )
        return Response({"cleared": cleared})
