from django.urls import path

from sync import views

app_name = "sync"

urlpatterns = [
    path("jobs/", views.sync_job_list, name="job-list"),
    path("jobs/export/", views.sync_job_export, name="job-export"),
    path("jobs/<int:pk>/retry/", views.sync_job_retry, name="job-retry"),
    path("accounts/<int:pk>/release/", views.sync_account_release, name="account-release"),
    path("campaigns/<int:pk>/panel/", views.campaign_panel, name="campaign-panel"),
    path("campaigns/<int:pk>/dialling/", views.campaign_dialling, name="campaign-dialling"),
    path(
        "campaigns/<int:pk>/start-preview/",
        views.campaign_start_preview,
        name="campaign-start-preview",
    ),
    path("campaigns/<int:pk>/refresh/", views.campaign_refresh, name="campaign-refresh"),
    path("campaigns/<int:pk>/link/", views.campaign_link, name="campaign-link"),
    path(
        "campaigns/<int:pk>/push-failed/",
        views.campaign_failed_requeue,
        name="campaign-push-failed",
    ),
    path(
        "campaigns/<int:pk>/reconcile/",
        views.campaign_reconcile_check,
        name="campaign-reconcile",
    ),
    path("campaigns/<int:pk>/repair/", views.campaign_reconcile_repair, name="campaign-repair"),
    path(
        "campaigns/<int:pk>/leads/<int:lead_pk>/terminate/",
        views.lead_terminate,
        name="lead-terminate",
    ),
]
