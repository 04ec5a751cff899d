from django.urls import path

from campaigns.api import library
from campaigns.api.bulk import CampaignBulkActionApi
from campaigns.api.campaigns import CampaignDetailApi, CampaignListApi, action_view
from campaigns.api.leads import CampaignLeadDispositionApi, CampaignLeadListApi
from campaigns.selectors import ACTIONS
from leads.api_bulk import CampaignLeadsBulkActionApi


def _library(prefix: str, name: str, views: tuple) -> list:
    list_view, detail_view = views
    return [
        path(f"{prefix}/", list_view, name=f"api-{name}-list"),
        path(f"{prefix}/<int:pk>/", detail_view, name=f"api-{name}-detail"),
    ]


urlpatterns = [
    path("campaigns/", CampaignListApi.as_view(), name="api-campaign-list"),
    path("campaigns/bulk/", CampaignBulkActionApi.as_view(), name="api-campaigns-bulk"),
    path("campaigns/<int:pk>/", CampaignDetailApi.as_view(), name="api-campaign-detail"),
    path("campaigns/<int:pk>/leads/", CampaignLeadListApi.as_view(), name="api-campaign-leads"),
    path(
        "campaigns/<int:pk>/leads/actions/",
        CampaignLeadsBulkActionApi.as_view(),
        name="api-campaign-leads-actions",
    ),
    path(
        "campaigns/<int:pk>/leads/<int:lead_id>/disposition/",
        CampaignLeadDispositionApi.as_view(),
        name="api-campaign-lead-disposition",
    ),
    *[
        path(
            f"campaigns/<int:pk>/{action.name}/",
            action_view(action.name),
            name=f"api-campaign-{action.name}",
        )
        for action in ACTIONS
    ],
    *_library("agents", "agent", library.agent_views),
    *_library("disposition-lists", "disposition-list", library.disposition_list_views),
    *_library("pause-code-lists", "pause-code-list", library.pause_code_list_views),
    *_library("calling-windows", "calling-window", library.calling_window_views),
]
