"""Writes to what campaigns are built from: agents, disposition lists, pause-code lists
and calling windows."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from audit.services import audit_children_replaced
from campaigns.models import (
    Agent,
    AgentRemoteId,
    CallingWindow,
    CallingWindowDay,
    CallingWindowHoliday,
    DispositionCode,
    DispositionList,
    ListRemoteId,
    PauseCode,
    PauseCodeList,
)
from dialer_console.errors import ApplicationError


@transaction.atomic
def agent_save(
    *,
    agent: Agent | None = None,
    fields: dict[str, Any],
    remote_ids: dict[Any, str] | None = None,
) -> Agent:
    """Create or change an agent. ``remote_ids``: vendor account -> the agent's id there
    (an empty id removes it); None keeps them as they are."""
    agent = agent or Agent()
    for name, value in fields.items():
        setattr(agent, name, value)
    agent.full_clean()
    agent.save()
    _remote_ids_set(AgentRemoteId, {"agent": agent}, remote_ids)
    return agent


def _remote_ids_set(model, owner: dict[str, Any], remote_ids: dict[Any, str] | None) -> None:
    """The owner's id per vendor account (an empty id removes it; None keeps them)."""
    for account, remote_id in (remote_ids or {}).items():
        if remote_id:
            model.objects.update_or_create(
                **owner, vendor_account=account, defaults={"remote_id": remote_id}
            )
        else:
            model.objects.filter(**owner, vendor_account=account).delete()


def _in_use_check(obj, what: str) -> None:
    in_use = obj.campaigns.count()
    if in_use:
        raise ApplicationError(
            ngettext(
                "This %(what)s is used by %(count)s campaign and cannot be deleted.",
                "This %(what)s is used by %(count)s campaigns and cannot be deleted.",
                in_use,
            )
            % {"what": _(what), "count": in_use}
        )


@transaction.atomic
def agent_delete(*, agent: Agent) -> None:
    agent.delete()


# --- code lists (dispositions and pause codes) --------------------------------------------


def _rows_unique(rows: list[dict], what: str) -> None:
    codes = [row["code"] for row in rows]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise ApplicationError(
            _("Each %(what)s short code may appear once; repeated: %(value)s.")
            % {"what": _(what), "value": ", ".join(duplicates)},
            {"field": "codes"},
        )


@transaction.atomic
def disposition_list_save(
    *,
    disposition_list: DispositionList | None = None,
    fields: dict[str, Any],
    codes: list[dict],
    remote_ids: dict[Any, str] | None = None,
) -> DispositionList:
    """Create or change a disposition list and replace its codes with ``codes`` (in order).
    ``remote_ids``: vendor account -> the list's id there (Acefone's disposition_list)."""
    _rows_unique(codes, gettext_noop("disposition"))
    disposition_list = disposition_list or DispositionList()
    for name, value in fields.items():
        setattr(disposition_list, name, value)
    disposition_list.full_clean()
    disposition_list.save()
    with audit_children_replaced(instance=disposition_list, name="codes"):
        disposition_list.codes.all().delete()
        DispositionCode.objects.bulk_create(
            DispositionCode(disposition_list=disposition_list, position=position, **row)
            for position, row in enumerate(codes)
        )
    _remote_ids_set(ListRemoteId, {"disposition_list": disposition_list}, remote_ids)
    return disposition_list


@transaction.atomic
def disposition_list_delete(*, disposition_list: DispositionList) -> None:
    _in_use_check(disposition_list, gettext_noop("disposition list"))
    disposition_list.delete()


@transaction.atomic
def pause_code_list_save(
    *,
    pause_code_list: PauseCodeList | None = None,
    fields: dict[str, Any],
    codes: list[dict],
    remote_ids: dict[Any, str] | None = None,
) -> PauseCodeList:
    _rows_unique(codes, gettext_noop("pause"))
    pause_code_list = pause_code_list or PauseCodeList()
    for name, value in fields.items():
        setattr(pause_code_list, name, value)
    pause_code_list.full_clean()
    pause_code_list.save()
    with audit_children_replaced(instance=pause_code_list, name="codes"):
        pause_code_list.codes.all().delete()
        PauseCode.objects.bulk_create(
            PauseCode(pause_code_list=pause_code_list, position=position, **row)
            for position, row in enumerate(codes)
        )
    _remote_ids_set(ListRemoteId, {"pause_code_list": pause_code_list}, remote_ids)
    return pause_code_list


@transaction.atomic
def pause_code_list_delete(*, pause_code_list: PauseCodeList) -> None:
    _in_use_check(pause_code_list, gettext_noop("pause-code list"))
    pause_code_list.delete()


# --- calling windows -------------------------------------------------------------------


@transaction.atomic
def calling_window_save(
    *,
    calling_window: CallingWindow | None = None,
    fields: dict[str, Any],
    days: list[dict],
    holidays: list[dict],
    remote_ids: dict[Any, str] | None = None,
) -> CallingWindow:
    """Create or change a calling window, replacing its weekday rows and holidays."""
    weekdays = [row["weekday"] for row in days]
    if len(weekdays) != len(set(weekdays)):
        raise ApplicationError(_("Each weekday may have one row only."), {"field": "days"})
    for row in days:
        if row["end"] <= row["start"]:
            raise ApplicationError(_("Each day's end must be after its start."), {"field": "days"})
    dates = [row["date"] for row in holidays]
    if len(dates) != len(set(dates)):
        raise ApplicationError(_("Each holiday date may appear once."), {"field": "holidays"})
    calling_window = calling_window or CallingWindow()
    for name, value in fields.items():
        setattr(calling_window, name, value)
    calling_window.full_clean()
    calling_window.save()
    with audit_children_replaced(instance=calling_window, name="days"):
        calling_window.days.all().delete()
        CallingWindowDay.objects.bulk_create(
            CallingWindowDay(calling_window=calling_window, **row) for row in days
        )
    with audit_children_replaced(instance=calling_window, name="holidays"):
        calling_window.holidays.all().delete()
        CallingWindowHoliday.objects.bulk_create(
            CallingWindowHoliday(calling_window=calling_window, **row) for row in holidays
        )
    _remote_ids_set(ListRemoteId, {"calling_window": calling_window}, remote_ids)
    return calling_window


@transaction.atomic
def calling_window_delete(*, calling_window: CallingWindow) -> None:
    _in_use_check(calling_window, gettext_noop("calling window"))
    calling_window.delete()
