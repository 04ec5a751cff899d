from django.urls import path

from campaigns import views
from leads import views_bulk as lead_bulk_views

app_name = "campaigns"


def _library(prefix: str, name: str, list_view, edit_view, delete_view) -> list:
    return [
        path(f"{prefix}/", list_view, name=f"{name}-list"),
        path(f"{prefix}/new/", edit_view, name=f"{name}-new"),
        path(f"{prefix}/<int:pk>/edit/", edit_view, name=f"{name}-edit"),
        path(f"{prefix}/<int:pk>/delete/", delete_view, name=f"{name}-delete"),
    ]


urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("new/validate/", views.campaign_validate_field, name="validate-field"),
    path("new/vendor-fieldset/", views.campaign_vendor_fieldset, name="vendor-fieldset"),
    path("vendor-test/", views.campaign_vendor_test, name="vendor-test"),
    path("vendor-choices/<int:account_id>/", views.campaign_vendor_choices, name="vendor-choices"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/edit/", views.campaign_edit, name="edit"),
    path("<int:pk>/edit/validate/", views.campaign_validate_field, name="validate-field"),
    path("<int:pk>/edit/vendor-fieldset/", views.campaign_vendor_fieldset, name="vendor-fieldset"),
    path("bulk/", views.campaigns_bulk, name="bulk"),
    path("<int:pk>/leads/", views.campaign_leads, name="leads"),
    path("<int:pk>/leads/bulk/", lead_bulk_views.campaign_leads_bulk, name="leads-bulk"),
    path(
        "<int:pk>/leads/<int:lead_pk>/disposition/",
        views.campaign_lead_disposition,
        name="lead-disposition",
    ),
    path("<int:pk>/result-codes/", views.campaign_result_codes, name="result-codes"),
    path("<int:pk>/<slug:action>/", views.campaign_action, name="action"),
    *_library("agents", "agent", views.agent_list, views.agent_edit, views.agent_delete),
    *_library(
        "dispositions",
        "disposition-list",
        views.disposition_list_list,
        views.disposition_list_edit,
        views.disposition_list_delete,
    ),
    *_library(
        "pause-codes",
        "pause-code-list",
        views.pause_code_list_list,
        views.pause_code_list_edit,
        views.pause_code_list_delete,
    ),
    *_library(
        "calling-windows",
        "calling-window",
        views.calling_window_list,
        views.calling_window_edit,
        views.calling_window_delete,
    ),
]
