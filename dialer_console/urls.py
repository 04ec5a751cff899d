from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from dialer_console import views

api_v1 = [
    path("auth/", include("accounts.api_urls")),
    path("", include("campaigns.api_urls")),
    path("", include("leads.api_urls")),
    path("", include("vendors.api_urls")),
    path("", include("sync.api_urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("leads/", include("leads.urls")),
    path("dnc/", include("leads.dnc_urls")),
    path("vendors/", include("vendors.urls")),
    path("sync/", include("sync.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path(
        "api/redoc/",
        SpectacularRedocView.as_view(url_name="api-schema", template_name="api/redoc.html"),
        name="api-redoc",
    ),
]

if settings.VENDOR_SANDBOX:
    urlpatterns.append(path("sandbox/", include("vendors.sandbox_urls")))

handler403 = "dialer_console.views.permission_denied"
handler404 = "dialer_console.views.page_not_found"
handler500 = "dialer_console.views.server_error"
