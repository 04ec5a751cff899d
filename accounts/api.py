from drf_spectacular.utils import extend_schema, inline_serializer
from knox import views as knox_views
from knox.views import LoginView as KnoxLoginView
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny
from rest_framework.throttling import ScopedRateThrottle


class TokenLoginApi(KnoxLoginView):
    """Exchange a username and password for an expiring API token."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(
        request=AuthTokenSerializer,
        responses=inline_serializer(
            "TokenLoginOutput",
            {"expiry": serializers.DateTimeField(), "token": serializers.CharField()},
        ),
    )
    def post(self, request, format=None):
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        request.user = serializer.validated_data["user"]
        return super().post(request, format=format)

    def get_user_serializer_class(self):
        return None


@extend_schema(request=None, responses={204: None})
class TokenRevokeApi(knox_views.LogoutView):
    """Revoke the token this request is authenticated with."""


@extend_schema(request=None, responses={204: None})
class TokenRevokeAllApi(knox_views.LogoutAllView):
    """Revoke every token of the authenticated user."""
