import factory

from campaigns.models import Agent, Campaign, DispositionList, PauseCodeList
from leads.models import LeadList
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
