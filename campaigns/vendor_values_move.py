"""Moving old vendor settings into the campaign (issue #12, the field map).

Before the field map, a vendor's settings held their own copy of what the campaign has
(retries, wrap-up, agents, the disposition list's id...), and the dialer got that copy.
Now the dialer gets the campaign's values. For each stored value of a derived field:

- the campaign's field is unset (no caller ID, no agents, no list): the value moves into it
  (agents and lists are found by their id on the account; a list the campaign has but
  without an id on the account gets the stored id);
- both are set and differ: the campaign wins, and ``Campaign.replaced_vendor_values``
  keeps what the dialer had, so the page can say "the dialer will get X at the next sync
  (it had Y)";
then the derived fields leave ``vendor_settings``.

Written against the models it is given, so the data migration runs it on historical
models and the tests on the real ones.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from vendors.adapters.field_map import Derived, FieldMap

FIELD_MAP_MODULES = {
    kind: f"vendors.adapters.{kind}.field_map"
    for kind in ("acefone", "voicenter", "webitel", "jtel", "ozonetel")
}


def field_map_of(kind: str) -> FieldMap | None:
    module = FIELD_MAP_MODULES.get(kind)
    return import_module(module).FIELD_MAP if module else None


def _unset(value: Any) -> bool:
    return value is None or value == ""


def _move_plain(campaign, row: Derived, stored: Any) -> bool:
    """A plain value (number, text, dial method). True when the dialer's differs."""
    try:
        wanted = row.to_campaign(stored)
    except (TypeError, ValueError):
        wanted = None
    current = getattr(campaign, row.source)
    if wanted is not None and _unset(current):
        setattr(campaign, row.source, wanted)
        return False
    return wanted is None or wanted != current


def _move_agents(campaign, stored: Any, agent_ids_model) -> bool:
    stored_ids = [str(item) for item in stored or []]
    owned = agent_ids_model.objects.filter(vendor_account_id=campaign.vendor_account_id)
    if not campaign.agents.exists():
        found = owned.filter(remote_id__in=stored_ids)
        campaign.agents.add(*[link.agent_id for link in found])
        return len(found) != len(set(stored_ids))
    current = set(owned.filter(agent__in=campaign.agents.all()).values_list("remote_id", flat=True))
    return current != set(stored_ids)


def _move_list_id(campaign, source: str, stored: Any, list_ids_model) -> bool:
    stored_id = str(stored)
    account_id = campaign.vendor_account_id
    owner_id = getattr(campaign, f"{source}_id")
    if owner_id is None:
        found = list_ids_model.objects.filter(
            vendor_account_id=account_id, remote_id=stored_id, **{f"{source}__isnull": False}
        ).first()
        if found is None:
            return True
        setattr(campaign, f"{source}_id", getattr(found, f"{source}_id"))
        return False
    link, _ = list_ids_model.objects.get_or_create(
        vendor_account_id=account_id,
        **{f"{source}_id": owner_id},
        defaults={"remote_id": stored_id},
    )
    return link.remote_id != stored_id


def vendor_values_move(*, campaign, agent_ids_model, list_ids_model) -> dict[str, Any]:
    """Move ``campaign``'s stored derived values (see the module's docstring); saves the
    campaign and answers what it recorded as replaced."""
    field_map = field_map_of(campaign.vendor_account.kind) if campaign.vendor_account_id else None
    if field_map is None:
        return {}
    settings = campaign.vendor_settings or {}
    replaced = dict(campaign.replaced_vendor_values or {})
    for row in field_map.derived:
        stored = field_map.stored_value(settings, row)
        if _unset(stored) or stored == []:
            continue
        list_source = getattr(row.value, "remote_id_of", "")
        if row.source == "agents":
            differs = _move_agents(campaign, stored, agent_ids_model)
        elif list_source:
            differs = _move_list_id(campaign, list_source, stored, list_ids_model)
        elif row.to_campaign is not None:
            differs = _move_plain(campaign, row, stored)
        else:
            differs = True  # no campaign value can hold it (Ozonetel's run times)
        if differs:
            replaced[row.field] = {"source": row.source, "had": stored}
    campaign.vendor_settings = field_map.strip(settings)
    campaign.replaced_vendor_values = replaced
    campaign.save()
    return replaced


def ozonetel_agent_skills_move(*, campaign, agent_ids_model) -> dict[str, Any]:
    """Ozonetel's old ``agent_skills`` rows ({agent_id, skill}, typed by hand) under the
    field map, where the agents are the campaign's (``ozonetel/field_map.py``): the
    agent ids move into the campaign's agents as ``vendor_values_move`` moves agents (an
    Agent with that Ozonetel id, only where the campaign has none; where both differ the
    campaign wins and ``replaced_vendor_values["agent_id"]`` keeps what the dialer had).
    Skills stay vendor-only: the agent rows' first skill becomes ``skill`` (one skill
    for every agent's leads; a second, different one is dropped and kept in
    ``replaced_vendor_values["agent_skills"]``), the skill-only rows become ``skills``.
    Saves the campaign; answers what it recorded as replaced."""
    settings = dict(campaign.vendor_settings or {})
    rows = settings.pop("agent_skills", None)
    if not isinstance(rows, list):
        return {}
    rows = [row for row in rows if isinstance(row, dict)]
    agent_ids = [str(row["agent_id"]) for row in rows if row.get("agent_id")]
    agent_skills = [str(row.get("skill") or "") for row in rows if row.get("agent_id")]
    skill_only = [str(row["skill"]) for row in rows if row.get("skill") and not row.get("agent_id")]
    replaced = dict(campaign.replaced_vendor_values or {})
    if agent_ids and _move_agents(campaign, agent_ids, agent_ids_model):
        replaced["agent_id"] = {"source": "agents", "had": agent_ids}
    skills = list(dict.fromkeys(skill for skill in agent_skills if skill))
    if skills and not settings.get("skill"):
        settings["skill"] = skills[0]
    if len(skills) > 1:
        replaced["agent_skills"] = {"source": "", "had": rows}
    if skill_only:
        settings["skills"] = list(settings.get("skills") or []) + skill_only
    campaign.vendor_settings = settings
    campaign.replaced_vendor_values = replaced
    campaign.save()
    return replaced
