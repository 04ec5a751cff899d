from django.urls import path

from results import views

app_name = "results"
urlpatterns = [path("receive/<str:token>/", views.receive, name="receive")]
