from django.urls import path

from results import api

urlpatterns = [
    path(
        "campaigns/<int:pk>/results/", api.CampaignResultsApi.as_view(), name="api-campaign-results"
    ),
    path(
        "campaigns/<int:pk>/results/export/",
        api.CampaignResultsExportApi.as_view(),
        name="api-campaign-results-export",
    ),
]
