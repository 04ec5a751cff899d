from django.urls import path

from results import views, views_recycling

app_name = "results"

urlpatterns = [
    path("<int:pk>/results/", views.campaign_results_page, name="campaign"),
    path("<int:pk>/results/export/", views.campaign_results_export, name="campaign-export"),
    path("<int:pk>/recycle/", views_recycling.campaign_recycle, name="campaign-recycle"),
]
