"""Users over REST, for supervisors: list (cursor pages), add (invite or with a password),
read, change role, team and contact, deactivate, reactivate, e-mail a password link, list
and revoke API tokens. The same services as the pages, so the same rules and messages;
model permissions by RolePermissions (``accounts.view_user``/``add_user``/``change_user``)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.models import Team, User
from accounts.roles import Role
from dialer_console.api_input import query_params_refuse_unknown
from dialer_console.errors import ApplicationError
from dialer_console.int_bounds import BoundedIntegersSerializer

CHANGE_USERS = ("accounts.view_user", "accounts.change_user")
# API documentation, in English like the rest of the schema.
SUPERVISORS = "Supervisors only."


class UserCursorPagination(CursorPagination):
    ordering = "id"
    page_size = 100


class UserOutput(serializers.ModelSerializer):
    role = serializers.SerializerMethodField()
    team = serializers.IntegerField(source="team_id", allow_null=True)
    team_name = serializers.CharField(source="team.name", default=None, allow_null=True)
    has_password = serializers.BooleanField(
        source="has_usable_password", help_text="False until an invited user sets one."
    )

    class Meta:
        model = User
        fields = [
            "id", "username", "email", "first_name", "last_name", "role", "team", "team_name",
            "is_active", "has_password", "date_joined", "last_login", "language",
        ]  # fmt: skip

    def get_role(self, user: User) -> str | None:
        return selectors.role_of(user)


class TokenOutput(serializers.Serializer):
    token_key = serializers.CharField(help_text="The token's first characters (all stored).")
    created = serializers.DateTimeField()
    expiry = serializers.DateTimeField(allow_null=True)


class _UserFields(BoundedIntegersSerializer, serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)
    team = serializers.IntegerField(allow_null=True, required=False, default=None)
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    first_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=150)
    last_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=150)
    language = serializers.ChoiceField(
        choices=[code for code, _name in settings.LANGUAGES],
        required=False,
        allow_blank=True,
        default="",
        help_text="The console's language for the user; empty: the browser's language.",
    )


def _team(team_id: int | None) -> Team | None:
    if team_id is None:
        return None
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        raise ApplicationError(
            gettext("There is no team %(team_id)s.") % {"team_id": team_id}, {"field": "team"}
        )
    return team


class UserCollectionApi(APIView):
    queryset = User.objects.all()
    pagination_class = UserCursorPagination

    class Filters(serializers.Serializer):
        class Meta:
            ref_name = "UserFilters"

        active = serializers.BooleanField(required=False, allow_null=True, default=None)
        role = serializers.ChoiceField(choices=Role.choices, required=False)
        team = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)

    class Input(_UserFields):
        class Meta:
            ref_name = "UserCreateInput"

        username = serializers.RegexField(r"^[\w.@+-]+\Z", max_length=150)
        password = serializers.CharField(
            required=False,
            allow_blank=True,
            default="",
            write_only=True,
            max_length=128,
            trim_whitespace=False,
            help_text="Empty: the user is e-mailed an invitation (a one-time link).",
        )

    @extend_schema(
        operation_id="users_list",
        summary="List users",
        description="Every user, deactivated ones included, in the order they were added, "
        "100 a page (cursor pages); filter by ``active``, ``role`` and ``team``. " + SUPERVISORS,
        parameters=[Filters],
        responses=UserOutput(many=True),
    )
    def get(self, request):
        paginator = self.pagination_class()
        filters = self.Filters(data=request.query_params)
        query_params_refuse_unknown(request, known=filters.fields, paginator=paginator)
        filters.is_valid(raise_exception=True)
        params = filters.validated_data
        status_name = {True: "active", False: "inactive", None: ""}[params["active"]]
        users = selectors.user_list(
            role=params.get("role", ""), team_id=params.get("team"), status=status_name
        )
        page = paginator.paginate_queryset(users, request, view=self)
        return paginator.get_paginated_response(UserOutput(page, many=True).data)

    @extend_schema(
        summary="Add a user",
        description="Add a user with one role (and a team, which every role but Supervisor "
        "needs). With a ``password`` they can log in at once; without one they are e-mailed "
        "an invitation, a one-time link to choose it. A taken user name (any case), a weak "
        "password or a missing team: 400 with the reason. " + SUPERVISORS,
        request=Input,
        responses={201: UserOutput},
    )
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        params = {"email": "", **data.validated_data, "team": _team(data.validated_data["team"])}
        user = services.user_create(**params, acting_user=request.user)
        output = UserOutput(selectors.user_get(pk=user.pk)).data
        return Response(output, status=status.HTTP_201_CREATED)


class UserItemApi(APIView):
    queryset = User.objects.all()

    class Input(_UserFields):
        class Meta:
            ref_name = "UserChangeInput"

    @extend_schema(
        summary="Read a user",
        description="One user with role, team and status; 404 when there is none. " + SUPERVISORS,
        responses=UserOutput,
    )
    def get(self, request, pk: int):
        return Response(UserOutput(selectors.user_get(pk=pk)).data)

    @extend_schema(
        summary="Change a user",
        description="Change what is given: role, team (null for none), e-mail, names, language. "
        "A change that would leave no active supervisor is refused with 400 "
        "(code last_supervisor). " + SUPERVISORS,
        request=Input(partial=True),
        responses=UserOutput,
    )
    def patch(self, request, pk: int):
        user = selectors.user_get(pk=pk)
        data = self.Input(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        params = dict(data.validated_data)
        if "team" in params:
            params["team"] = _team(params["team"])
        services.user_change(user=user, acting_user=request.user, **params)
        return Response(UserOutput(selectors.user_get(pk=pk)).data)


class _UserStatusApi(APIView):
    """A button on the user: run ``service`` and answer with the user as it is now."""

    required_permissions = CHANGE_USERS
    service = None

    def post(self, request, pk: int):
        user = selectors.user_get(pk=pk)
        type(self).service(user=user, acting_user=request.user)
        return Response(UserOutput(selectors.user_get(pk=pk)).data)


@extend_schema_view(
    post=extend_schema(
        summary="Deactivate a user",
        description="Stop the user logging in and revoke their API tokens; users are never "
        "deleted. Refused with 400 when they are deactivated already or are the last active "
        "supervisor. " + SUPERVISORS,
        request=None,
        responses=UserOutput,
    )
)
class UserDeactivateApi(_UserStatusApi):
    service = services.user_deactivate


@extend_schema_view(
    post=extend_schema(
        summary="Reactivate a user",
        description="Let a deactivated user log in again (their revoked tokens stay revoked); "
        "400 when they are active. " + SUPERVISORS,
        request=None,
        responses=UserOutput,
    )
)
class UserReactivateApi(_UserStatusApi):
    service = services.user_reactivate


class UserPasswordLinkApi(APIView):
    required_permissions = CHANGE_USERS

    @extend_schema(
        summary="E-mail a user a password link",
        description="E-mail the user a one-time link to set a new password, valid for "
        "PASSWORD_LINK_HOURS and only until used; their password keeps working until then. "
        "400 for a deactivated user or one without an e-mail address. " + SUPERVISORS,
        request=None,
        responses={204: None},
    )
    def post(self, request, pk: int):
        user = selectors.user_get(pk=pk)
        services.user_password_reset_send(user=user, acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class UserTokenListApi(APIView):
    required_permissions = ("accounts.view_user",)

    @extend_schema(
        summary="List a user's API tokens",
        description="The user's API tokens, newest first: each one's first characters, "
        "creation and expiry (the token itself is never stored). " + SUPERVISORS,
        responses=TokenOutput(many=True),
    )
    def get(self, request, pk: int):
        user = selectors.user_get(pk=pk)
        return Response(TokenOutput(selectors.user_tokens(user=user), many=True).data)


class UserTokenRevokeApi(APIView):
    required_permissions = CHANGE_USERS

    @extend_schema(
        summary="Revoke a user's API token",
        description="Revoke one of the user's tokens, named by its first characters; it stops "
        "working at once. 400 when it is gone already. " + SUPERVISORS,
        responses={204: None},
    )
    def delete(self, request, pk: int, token_key: str):
        user = selectors.user_get(pk=pk)
        if not services.api_token_revoke(user=user, token_key=token_key):
            raise ApplicationError(
                gettext("That token is gone already (expired or revoked)."), {"field": "token_key"}
            )
        return Response(status=status.HTTP_204_NO_CONTENT)
