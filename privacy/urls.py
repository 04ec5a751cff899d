from django.urls import path

from privacy import views

app_name = "privacy"
urlpatterns = [
    path("erase/", views.person_erase, name="erase"),
    path("erasures/<int:erasure_id>/", views.erasure_detail, name="erasure"),
]
