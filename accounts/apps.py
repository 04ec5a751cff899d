from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        # Permissions exist only after post_migrate, so the roles get theirs here, after
        # every app's migrations: a model added later to an app is covered too.
        post_migrate.connect(_sync_roles, dispatch_uid="accounts.role_permissions_sync")


def _sync_roles(sender, app_config, using="default", **kwargs) -> None:
    if app_config.label != "accounts":
        return
    from accounts.roles import role_permissions_sync

    role_permissions_sync(using=using)
