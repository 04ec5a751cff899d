"""The three roles and the permissions each one holds.

Roles are Django groups. Their permissions are given by app and action rather than
model by model, so a model added later to an app is covered without touching this file.
``role_permissions_sync`` runs after every ``migrate``.
"""

from __future__ import annotations

from django.db.models import TextChoices


class Role(TextChoices):
    SUPERVISOR = "Supervisor"
    TEAM_LEAD = "Team lead"
    API_CONSUMER = "API consumer"


ALL_ACTIONS = ("view", "add", "change", "delete")

# role -> {app_label: actions}
ROLE_GRANTS: dict[str, dict[str, tuple[str, ...]]] = {
    Role.SUPERVISOR: {
        "accounts": ("view",),
        "campaigns": ALL_ACTIONS,
        "leads": ALL_ACTIONS,
        "vendors": ALL_ACTIONS,
        "sync": ALL_ACTIONS,
    },
    Role.TEAM_LEAD: {
        "campaigns": ("view",),
        "sync": ("view",),
        "leads": ALL_ACTIONS,
    },
    Role.API_CONSUMER: {
        "campaigns": ("view",),
        "sync": ("view",),
        "leads": ("view", "add", "change"),
    },
}


def role_permissions_sync(using: str = "default") -> None:
    """Create the role groups if missing and set each one's permissions exactly."""
    from django.contrib.auth.models import Group, Permission

    for role, grants in ROLE_GRANTS.items():
        group, _ = Group.objects.using(using).get_or_create(name=role)
        wanted = []
        for app_label, actions in grants.items():
            for perm in Permission.objects.using(using).filter(content_type__app_label=app_label):
                if perm.codename.split("_", 1)[0] in actions:
                    wanted.append(perm)
        group.permissions.set(wanted)
