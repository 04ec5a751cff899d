from django.urls import path

from vendors import views

app_name = "vendors"
urlpatterns = [
    path("", views.account_list, name="account-list"),
    path("accounts/new/", views.account_create, name="account-create"),
    path("accounts/<int:account_id>/", views.account_detail, name="account-detail"),
    path("accounts/<int:account_id>/edit/", views.account_edit, name="account-edit"),
    path("accounts/<int:account_id>/test/", views.account_test, name="account-test"),
    path(
        "accounts/<int:account_id>/receiving/",
        views.account_receiving,
        name="account-receiving",
    ),
    path("accounts/<int:account_id>/calls/", views.account_calls, name="account-calls"),
]
