from django.urls import path

from privacy import api

urlpatterns = [
    path("privacy/search/", api.PersonSearchApi.as_view(), name="api-privacy-search"),
    path("privacy/erasures/", api.ErasureCollectionApi.as_view(), name="api-privacy-erasures"),
    path("privacy/erasures/<int:pk>/", api.ErasureItemApi.as_view(), name="api-privacy-erasure"),
]
