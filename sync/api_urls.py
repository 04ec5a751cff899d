from django.urls import path

from sync import api

urlpatterns = [
    path("sync/jobs/", api.SyncJobListApi.as_view(), name="api-sync-job-list"),
    path("sync/jobs/export/", api.SyncJobExportApi.as_view(), name="api-sync-job-export"),
    path("sync/jobs/<int:pk>/", api.SyncJobDetailApi.as_view(), name="api-sync-job-detail"),
    path("sync/jobs/<int:pk>/retry/", api.SyncJobRetryApi.as_view(), name="api-sync-job-retry"),
    path("sync/campaigns/<int:pk>/", api.CampaignSyncApi.as_view(), name="api-sync-campaign"),
    path(
        "sync/campaigns/<int:pk>/dialling/",
        api.CampaignDiallingApi.as_view(),
        name="api-sync-campaign-dialling",
    ),
    path(
        "sync/campaigns/<int:pk>/start-preview/",
        api.CampaignStartPreviewApi.as_view(),
        name="api-sync-campaign-start-preview",
    ),
    path(
        "sync/campaigns/<int:pk>/refresh/",
        api.CampaignPendingRefreshApi.as_view(),
        name="api-sync-campaign-refresh",
    ),
]
