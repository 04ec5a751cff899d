from django.urls import path

from results import api, api_recycling

urlpatterns = [
    path(
        "campaigns/<int:pk>/results/", api.CampaignResultsApi.as_view(), name="api-campaign-results"
    ),
    path(
        "campaigns/<int:pk>/results/export/",
        api.CampaignResultsExportApi.as_view(),
        name="api-campaign-results-export",
    ),
    path(
        "campaigns/<int:pk>/recycle-rules/",
        api_recycling.CampaignRecycleRulesApi.as_view(),
        name="api-campaign-recycle-rules",
    ),
    path(
        "campaigns/<int:pk>/recycle/",
        api_recycling.CampaignRecycleApi.as_view(),
        name="api-campaign-recycle",
    ),
    path(
        "campaigns/<int:pk>/callbacks/",
        api_recycling.CampaignCallbacksApi.as_view(),
        name="api-campaign-callbacks",
    ),
    path(
        "disposition-lists/<int:pk>/recycle-rules/",
        api_recycling.DispositionListRecycleRulesApi.as_view(),
        name="api-disposition-list-recycle-rules",
    ),
]
