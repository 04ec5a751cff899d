from django.urls import path

from leads import views, views_bulk, views_search

app_name = "leads"
urlpatterns = [
    path("", views.lead_list_index, name="list"),
    path("new/", views.lead_list_create, name="create"),
    path("search/", views_search.lead_search, name="search"),
    path("lead/<int:pk>/", views_search.lead_detail, name="lead"),
    path("lead/<int:pk>/remove/", views_search.lead_remove, name="lead-remove"),
    path("<int:pk>/", views.lead_list_detail, name="detail"),
    path("<int:pk>/edit/", views.lead_list_edit, name="edit"),
    path("<int:pk>/delete/", views.lead_list_delete, name="delete"),
    path("<int:pk>/bulk/", views_bulk.lead_list_bulk, name="bulk"),
    path("actions/<int:pk>/", views_bulk.lead_bulk_run_detail, name="bulk-run"),
    path(
        "actions/<int:pk>/progress/",
        views_bulk.lead_bulk_run_progress,
        name="bulk-run-progress",
    ),
    path("<int:pk>/import/", views.import_upload, name="import-upload"),
    path("imports/", views.import_index, name="import-list"),
    path("imports/<int:pk>/", views.import_detail, name="import-detail"),
    path("imports/<int:pk>/file/", views.import_reread, name="import-reread"),
    path("imports/<int:pk>/mapping/", views.import_mapping, name="import-mapping"),
    path(
        "imports/<int:pk>/mapping/template/",
        views.import_apply_template,
        name="import-apply-template",
    ),
    path("imports/<int:pk>/progress/", views.import_progress, name="import-progress"),
    path("imports/<int:pk>/rejected.csv", views.import_report, name="import-report"),
    path("imports/<int:pk>/undo/", views.import_undo, name="import-undo"),
]
