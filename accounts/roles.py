"""The three roles and the permissions each one holds.

Roles are Django groups. Their permissions are given by app and action rather than
model by model, so a model added later to an app is covered without touching this file.
``role_permissions_sync`` runs after every ``migrate``.
"""

from __future__ import annotations

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy


class Role(TextChoices):
    # Labels given: the generated ones would read "Team Lead" and "Api Consumer".
    SUPERVISOR = "Supervisor", gettext_lazy("Supervisor")
    TEAM_LEAD = "Team lead", gettext_lazy("Team lead")
    API_CONSUMER = "API consumer", gettext_lazy("API consumer")


ALL_ACTIONS = ("view", "add", "change", "delete")

# role -> {app_label: actions}
ROLE_GRANTS: dict[str, dict[str, tuple[str, ...]]] = {
    # Users are never deleted (the audit trail names them): supervisors deactivate them.
    Role.SUPERVISOR: {
        "accounts": ("view", "add", "change"),
        "campaigns": ALL_ACTIONS,
        "leads": ALL_ACTIONS,
        "vendors": ALL_ACTIONS,
        "sync": ALL_ACTIONS,
        "webhooks": ALL_ACTIONS,
        # The audit trail is read-only for everyone: entries are never edited or deleted.
        "auditlog": ("view",),
        "audit": ("view",),
        # Erasing a person (privacy.services): records are made, never changed.
        "privacy": ("view", "add"),
    },
    Role.TEAM_LEAD: {
        "accounts": (),  # only its team's members, below
        "campaigns": ("view",),
        "sync": ("view",),
        "leads": ALL_ACTIONS,
        # Their own team's endpoints and delivery logs (webhooks.selectors scopes them).
        "webhooks": ("view",),
    },
    Role.API_CONSUMER: {
        "campaigns": ("view",),
        "sync": ("view",),
        "leads": ("view", "add", "change"),
    },
}

# role -> {"app_label.model": actions}: a model whose actions differ from its app's grant.
# The do-not-call list is compliance data: team leads add and remove entries of their own
# team's lists (the services enforce the team) but do not edit them, and API consumers
# only read it.
# A team lead sees the members of their own team (read-only; accounts.selectors scopes it).
ROLE_MODEL_GRANTS: dict[str, dict[str, tuple[str, ...]]] = {
    Role.TEAM_LEAD: {"leads.dncentry": ("view", "add", "delete"), "accounts.team": ("view",)},
    Role.API_CONSUMER: {"leads.dncentry": ("view",)},
}


def role_permissions_sync(using: str = "default") -> None:
    """Create the role groups if missing and set each one's permissions exactly."""
    from django.contrib.auth.models import Group, Permission

    for role, grants in ROLE_GRANTS.items():
        group, _ = Group.objects.using(using).get_or_create(name=role)
        model_grants = ROLE_MODEL_GRANTS.get(role, {})
        wanted = []
        for app_label, actions in grants.items():
            permissions = Permission.objects.using(using).filter(content_type__app_label=app_label)
            for perm in permissions.select_related("content_type"):
                model = f"{app_label}.{perm.content_type.model}"
                if perm.codename.split("_", 1)[0] in model_grants.get(model, actions):
                    wanted.append(perm)
        group.permissions.set(wanted)
