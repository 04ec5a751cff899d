"""The do-not-call list's pages, under /dnc/ (a top-level entry of the navigation)."""

from django.urls import path

from leads import views_dnc

app_name = "dnc"
urlpatterns = [
    path("", views_dnc.dnc_index, name="list"),
    path("add/", views_dnc.dnc_add, name="add"),
    path("<int:pk>/edit/", views_dnc.dnc_edit, name="edit"),
    path("<int:pk>/delete/", views_dnc.dnc_delete, name="delete"),
    path("remove/", views_dnc.dnc_bulk_remove, name="bulk-remove"),
]
