from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        # Permissions exist only after post_migrate, so the roles get theirs here, after
        # every app's migrations: a model added later to an app is covered too.
        post_migrate.connect(_sync_roles, dispatch_uid="accounts.role_permissions_sync")


def _sync_roles(sender, app_config, using="default", apps=None, **kwargs) -> None:
    from django.apps import apps as global_apps

    # post_migrate is sent once per app, and each app's permissions are created in its own
    # turn: sync on the last app's turn, when every permission exists.
    if app_config is not list(global_apps.get_app_configs())[-1]:
        return
    from accounts.roles import role_permissions_sync

    role_permissions_sync(using=using)
