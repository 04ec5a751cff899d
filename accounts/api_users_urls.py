from django.urls import path

from accounts import api_teams, api_users

urlpatterns = [
    path("users/", api_users.UserCollectionApi.as_view(), name="api-users"),
    path("users/<int:pk>/", api_users.UserItemApi.as_view(), name="api-user"),
    path(
        "users/<int:pk>/deactivate/",
        api_users.UserDeactivateApi.as_view(),
        name="api-user-deactivate",
    ),
    path(
        "users/<int:pk>/reactivate/",
        api_users.UserReactivateApi.as_view(),
        name="api-user-reactivate",
    ),
    path(
        "users/<int:pk>/password-link/",
        api_users.UserPasswordLinkApi.as_view(),
        name="api-user-password-link",
    ),
    path("users/<int:pk>/tokens/", api_users.UserTokenListApi.as_view(), name="api-user-tokens"),
    path(
        "users/<int:pk>/tokens/<str:token_key>/",
        api_users.UserTokenRevokeApi.as_view(),
        name="api-user-token-revoke",
    ),
    path("teams/", api_teams.TeamCollectionApi.as_view(), name="api-teams"),
    path("teams/<int:pk>/", api_teams.TeamItemApi.as_view(), name="api-team"),
    path("lockouts/", api_teams.LockoutListApi.as_view(), name="api-lockouts"),
    path(
        "lockouts/address/clear/",
        api_teams.LockoutAddressClearApi.as_view(),
        name="api-lockout-address-clear",
    ),
    path("lockouts/<int:pk>/", api_teams.LockoutClearApi.as_view(), name="api-lockout-clear"),
]
