from django.urls import path
from knox import views as knox_views

from accounts.api import TokenLoginApi

urlpatterns = [
    path("token/", TokenLoginApi.as_view(), name="api-token-login"),
    path("token/revoke/", knox_views.LogoutView.as_view(), name="api-token-revoke"),
    path("token/revoke-all/", knox_views.LogoutAllView.as_view(), name="api-token-revoke-all"),
]
