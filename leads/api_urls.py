from django.urls import path

from leads import api, api_bulk, api_dnc, api_dnc_files, api_imports, api_search

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
    path(
        "lead-action-runs/<int:pk>/",
        api_bulk.LeadBulkRunApi.as_view(),
        name="api-lead-bulk-run",
    ),
    path("leads/", api.LeadCollectionApi.as_view(), name="api-leads"),
    path("leads/search/", api_search.LeadSearchApi.as_view(), name="api-leads-search"),
    path("leads/<int:pk>/", api_search.LeadDetailApi.as_view(), name="api-lead"),
    path("imports/", api_imports.ImportCollectionApi.as_view(), name="api-imports"),
    path("imports/<int:pk>/", api_imports.ImportItemApi.as_view(), name="api-import"),
    path("imports/<int:pk>/undo/", api_imports.ImportUndoApi.as_view(), name="api-import-undo"),
    path("dnc-entries/", api_dnc.DncEntryCollectionApi.as_view(), name="api-dnc-entries"),
    path("dnc-entries/bulk/", api_dnc.DncEntryBulkAddApi.as_view(), name="api-dnc-entries-bulk"),
    path(
        "dnc-entries/remove/",
        api_bulk.DncEntryBulkRemoveApi.as_view(),
        name="api-dnc-entries-remove",
    ),
    path("dnc-entries/<int:pk>/", api_dnc.DncEntryItemApi.as_view(), name="api-dnc-entry"),
    path("dnc-entries/export/", api_dnc_files.DncExportApi.as_view(), name="api-dnc-export"),
    path("dnc-files/", api_dnc_files.DncFileCreateApi.as_view(), name="api-dnc-files"),
    path("dnc-files/<int:pk>/", api_dnc_files.DncFileItemApi.as_view(), name="api-dnc-file"),
    path(
        "dnc-files/<int:pk>/lines/",
        api_dnc_files.DncFileLinesApi.as_view(),
        name="api-dnc-file-lines",
    ),
]
