"""The do-not-call list's pages, under /dnc/ (a top-level entry of the navigation)."""

from django.urls import path

from leads import views_dnc, views_dnc_files

app_name = "dnc"
urlpatterns = [
    path("", views_dnc.dnc_index, name="list"),
    path("add/", views_dnc.dnc_add, name="add"),
    path("upload/", views_dnc_files.dnc_upload, name="upload"),
    path("uploads/<int:pk>/", views_dnc_files.dnc_upload_detail, name="upload-detail"),
    path("uploads/<int:pk>/progress/", views_dnc_files.dnc_upload_progress, name="upload-progress"),
    path("uploads/<int:pk>/report.csv", views_dnc_files.dnc_upload_report, name="upload-report"),
    path("export.csv", views_dnc_files.dnc_export, name="export"),
    path("<int:pk>/edit/", views_dnc.dnc_edit, name="edit"),
    path("<int:pk>/delete/", views_dnc.dnc_delete, name="delete"),
    path("remove/", views_dnc.dnc_bulk_remove, name="bulk-remove"),
]
