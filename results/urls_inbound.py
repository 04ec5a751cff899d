from django.urls import path

from results import views_inbound as views

app_name = "results_inbound"
urlpatterns = [path("receive/<str:token>/", views.receive, name="receive")]
