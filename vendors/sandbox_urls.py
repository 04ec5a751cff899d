from django.urls import path, re_path

from vendors import sandbox_views

urlpatterns = [
    re_path(
        r"^(?P<kind>[a-z]+)/(?P<action>_faults|_dial|_reset)/?$",
        sandbox_views.sandbox_control_view,
        name="sandbox-control",
    ),
    path("<slug:kind>/", sandbox_views.sandbox_view, name="sandbox-root"),
    path("<slug:kind>/<path:path>", sandbox_views.sandbox_view, name="sandbox"),
]
