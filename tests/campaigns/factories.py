import datetime as dt

import factory

from campaigns.models import Agent, Campaign, DispositionList, PauseCodeList
from leads.models import LeadList
from vendors.adapters.types import WindowDayRef
from vendors.models import VendorAccount


class VendorAccountFactory(factory.django.DjangoModelFactory):
    """A bare account row: campaign tests need its kind, never its credentials."""

    class Meta:
        model = VendorAccount
        django_get_or_create = ("name",)

    name = factory.LazyAttribute(lambda account: f"{account.kind} test account")
    kind = "acefone"
    base_url = "http://127.0.0.1:9"


class AgentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agent

    name = factory.Sequence(lambda n: f"Agent {n}")
    email = factory.LazyAttribute(
        lambda agent: f"{agent.name.replace(' ', '').lower()}@example.test"
    )


class LeadListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeadList

    name = factory.Sequence(lambda n: f"Lead list {n}")


class DispositionListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DispositionList

    name = factory.Sequence(lambda n: f"Dispositions {n}")


class PauseCodeListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PauseCodeList

    name = factory.Sequence(lambda n: f"Pauses {n}")


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"Campaign {n}")


OUTCOMES = (
    {"code": "SALE", "label": "Sale", "is_final": True, "is_success": True},
    {"code": "CB", "label": "Call back", "is_callback": True, "retry_after_minutes": 120},
    {"code": "CBT", "label": "Call back at a time", "is_callback": True},
    {"code": "NA", "label": "No answer", "retry_after_minutes": 60},
    {"code": "DNC", "label": "Do not call", "is_final": True, "is_do_not_call": True},
)


def disposition_list_with_codes(name: str = "Outcomes") -> DispositionList:
    """A disposition list with one code per flag (through the service, as a page would)."""
    from campaigns.services import disposition_list_save

    flags = {"is_final": False, "is_success": False, "is_callback": False}
    flags |= {"is_do_not_call": False, "retry_after_minutes": None}
    return disposition_list_save(
        fields={"name": name, "description": ""}, codes=[{**flags, **row} for row in OUTCOMES]
    )


def attach_callable_leads(campaign: Campaign, *, leads: int = 1, active: bool = True) -> LeadList:
    """A lead list of ``leads`` new leads (its kept counts refreshed, as an import
    leaves them), attached to ``campaign``: what it needs before it may start."""
    from campaigns.models import CampaignLeadList
    from leads.models import Lead
    from leads.services import lead_list_counts_refresh

    lead_list = LeadListFactory(team=campaign.team)
    Lead.objects.bulk_create(
        Lead(lead_list=lead_list, phone=f"+1212555{n:04d}") for n in range(leads)
    )
    lead_list_counts_refresh(lead_list=lead_list)
    CampaignLeadList.objects.create(campaign=campaign, lead_list=lead_list, active=active)
    return lead_list


ALL_DAY = tuple(WindowDayRef(weekday, "00:00:00", "23:59:59") for weekday in range(7))


def campaign_as_spec(campaign: Campaign, spec=None) -> Campaign:
    """Give ``campaign`` the values of its vendor's test spec (``tests/vendors/<kind>/
    harness.py``) that the field map derives: dial method, caller ID, retries and times,
    agents with their ids on the account, and the lists with theirs. The campaign then
    has everything its vendor needs before sync, and the emulator takes what is sent."""
    from campaigns.models import AgentRemoteId, CallingWindow, CallingWindowDay, ListRemoteId
    from tests.vendors.harness import load_harness

    account = campaign.vendor_account
    spec = spec or load_harness(account.kind).campaign_spec()
    for name in ("dial_method", "caller_id", "retry_count", "retry_interval_minutes"):
        setattr(campaign, name, getattr(spec, name) or getattr(campaign, name))
    # The harness's caller ID is a vendor document's sample ("000000000"); the console
    # checks a caller ID as a phone number (campaigns.checks), so take its example.
    from campaigns.checks import CALLER_ID_FORMATS, caller_id_error

    if caller_id_error(campaign.caller_id, account.kind):
        campaign.caller_id = CALLER_ID_FORMATS[account.kind].example.split(" or ")[0]
    for name in ("wrap_up_seconds", "ring_timeout_seconds"):
        setattr(campaign, name, getattr(spec, name))
    for field in ("disposition_list", "pause_code_list"):
        ref = getattr(spec, field)
        if ref is not None:
            model = DispositionList if field == "disposition_list" else PauseCodeList
            owner = model.objects.create(name=f"{ref.name} {campaign.pk}")
            ListRemoteId.objects.create(
                **{field: owner}, vendor_account=account, remote_id=ref.remote_id
            )
            setattr(campaign, field, owner)
    if spec.calling_window is not None:
        days = spec.calling_window.days
        # A harness window without days stands for "any hour" (its vendor test is about
        # the id): every day, all day, in one fixed zone, so the calling-window gate
        # (sync/window_gate.py) lets every lead through whatever the hour and the zone.
        window = CallingWindow.objects.create(
            name=f"{spec.calling_window.name} {campaign.pk}",
            **({} if days else {"timezone_policy": "fixed", "fixed_timezone": "UTC"}),
        )
        for day in days or ALL_DAY:
            CallingWindowDay.objects.create(
                calling_window=window,
                weekday=day.weekday,
                start=dt.time.fromisoformat(day.start),
                end=dt.time.fromisoformat(day.end),
            )
        ListRemoteId.objects.create(
            calling_window=window, vendor_account=account, remote_id=spec.calling_window.remote_id
        )
        campaign.calling_window = window
    campaign.save()
    for ref in spec.agents:
        agent = AgentFactory(name=ref.name)
        AgentRemoteId.objects.create(agent=agent, vendor_account=account, remote_id=ref.remote_id)
        campaign.agents.add(agent)
    return campaign
