"""Every model of the console's own apps is in the Django admin, with a list display."""

import pytest
from django.apps import apps
from django.contrib import admin

CONSOLE_APPS = (
    "dialer_console",
    "accounts",
    "campaigns",
    "leads",
    "vendors",
    "sync",
    "privacy",
    "webhooks",
)


def _console_models():
    for label in CONSOLE_APPS:
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        yield from config.get_models()


@pytest.mark.parametrize("model", list(_console_models()), ids=lambda m: m._meta.label)
def test_model_is_registered_with_a_useful_list(model):
    assert admin.site.is_registered(model), f"{model._meta.label} is not in the admin"
    model_admin = admin.site._registry[model]
    assert tuple(model_admin.list_display) != ("__str__",), f"{model._meta.label}: list_display"


@pytest.mark.django_db
@pytest.mark.parametrize("model", list(_console_models()), ids=lambda m: m._meta.label)
def test_admin_changelist_renders(admin_client, model):
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    assert admin_client.get(url).status_code == 200
