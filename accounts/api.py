from drf_spectacular.utils import extend_schema, inline_serializer
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
