from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from dialer_console import views

api_v1 = [
    path("auth/", include("accounts.api_urls")),
    path("", include("accounts.api_users_urls")),
    path("", include("campaigns.api_urls")),
    path("", include("leads.api_urls")),
    path("", include("vendors.api_urls")),
    path("", include("sync.api_urls")),
    path("", include("results.api_urls")),
    path("", include("privacy.api_urls")),
    path("", include("webhooks.api_urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    # Django's set_language: the language picker of the pages before logging in.
    path("i18n/", include("django.conf.urls.i18n")),
    # Before the campaigns' own: their "<id>/<action>/" would take "<id>/results/".
    path("campaigns/", include("results.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("leads/", include("leads.urls")),
    path("dnc/", include("leads.dnc_urls")),
    path("vendors/", include("vendors.urls")),
    path("sync/", include("sync.urls")),
    path("audit/", include("audit.urls")),
    path("privacy/", include("privacy.urls")),
    path("results/", include("results.urls_inbound")),
    path("webhooks/", include("webhooks.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI's script comes from its own URL (the split view), so scripts stay strict;
    # both UIs set inline styles; ReDoc runs its search in a worker made from a blob.
    path(
        "api/docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    path(
        "api/redoc/",
        csp_update(
            {
                "style-src": [UNSAFE_INLINE],
                "worker-src": ["blob:"],
                # The bundle always shows its maker's logo from this host (only an image).
                "img-src": ["https://cdn.redoc.ly"],
            }
        )(SpectacularRedocView.as_view(url_name="api-schema")),
        name="api-redoc",
    ),
]

if settings.VENDOR_SANDBOX:
    urlpatterns.append(path("sandbox/", include("vendors.sandbox_urls")))

handler403 = "dialer_console.views.permission_denied"
handler404 = "dialer_console.views.page_not_found"
handler500 = "dialer_console.views.server_error"
