from django.urls import path

from accounts.api import TokenLoginApi, TokenRevokeAllApi, TokenRevokeApi

urlpatterns = [
    path("token/", TokenLoginApi.as_view(), name="api-token-login"),
    path("token/revoke/", TokenRevokeApi.as_view(), name="api-token-revoke"),
    path("token/revoke-all/", TokenRevokeAllApi.as_view(), name="api-token-revoke-all"),
]
