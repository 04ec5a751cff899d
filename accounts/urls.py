from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views, views_teams, views_users

app_name = "accounts"
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(success_url="/accounts/password/done/"),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("language/", views.language, name="language"),
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<str:token_key>/revoke/", views.token_revoke, name="token-revoke"),
    path(
        "password/set/<uidb64>/<token>/",
        views_teams.PasswordSetView.as_view(),
        name="password-set",
    ),
    path("users/", views_users.user_list, name="user-list"),
    path("users/add/", views_users.user_create, name="user-create"),
    path("users/<int:user_id>/", views_users.user_detail, name="user-detail"),
    path("users/<int:user_id>/change/", views_users.user_change, name="user-change"),
    path("users/<int:user_id>/deactivate/", views_users.user_deactivate, name="user-deactivate"),
    path("users/<int:user_id>/reactivate/", views_users.user_reactivate, name="user-reactivate"),
    path(
        "users/<int:user_id>/password-link/",
        views_users.user_password_reset,
        name="user-password-reset",
    ),
    path(
        "users/<int:user_id>/tokens/<str:token_key>/revoke/",
        views_users.user_token_revoke,
        name="user-token-revoke",
    ),
    path("teams/", views_teams.team_list, name="team-list"),
    path("teams/add/", views_teams.team_create, name="team-create"),
    path("teams/<int:team_id>/", views_teams.team_detail, name="team-detail"),
    path("teams/<int:team_id>/rename/", views_teams.team_rename, name="team-rename"),
    path("lockouts/", views_teams.lockout_list, name="lockouts"),
    path("lockouts/<int:attempt_id>/clear/", views_teams.lockout_clear, name="lockout-clear"),
    path(
        "lockouts/address/clear/", views_teams.lockout_address_clear, name="lockout-address-clear"
    ),
]
