from django.urls import path

from leads import api, api_bulk, api_dnc

urlpatterns = [
    path("lead-lists/", api.LeadListCollectionApi.as_view(), name="api-lead-lists"),
    path("lead-lists/<int:pk>/", api.LeadListItemApi.as_view(), name="api-lead-list"),
    path(
        "lead-lists/<int:pk>/leads/bulk/", api.LeadBulkAddApi.as_view(), name="api-leads-bulk-add"
    ),
    path(
        "lead-lists/<int:pk>/leads/actions/",
        api_bulk.LeadListBulkActionApi.as_view(),
        name="api-lead-list-leads-actions",
    ),
    path("leads/", api.LeadCollectionApi.as_view(), name="api-leads"),
    path("imports/", api.ImportCreateApi.as_view(), name="api-imports"),
    path("imports/<int:pk>/", api.ImportItemApi.as_view(), name="api-import"),
    path("imports/<int:pk>/undo/", api.ImportUndoApi.as_view(), name="api-import-undo"),
    path("dnc-entries/", api_dnc.DncEntryCollectionApi.as_view(), name="api-dnc-entries"),
    path("dnc-entries/bulk/", api_dnc.DncEntryBulkAddApi.as_view(), name="api-dnc-entries-bulk"),
    path(
        "dnc-entries/remove/",
        api_bulk.DncEntryBulkRemoveApi.as_view(),
        name="api-dnc-entries-remove",
    ),
    path("dnc-entries/<int:pk>/", api_dnc.DncEntryItemApi.as_view(), name="api-dnc-entry"),
]
