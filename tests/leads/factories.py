import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from leads.models import DncEntry, ImportJob, Lead, LeadList
from tests.accounts.factories import TeamFactory


class LeadListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeadList

    name = factory.Sequence(lambda n: f"List {n}")
    team = factory.SubFactory(TeamFactory)
    default_country = "US"
    default_timezone = "America/New_York"


class LeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lead

    lead_list = factory.SubFactory(LeadListFactory)
    phone = factory.Sequence(lambda n: f"+1212555{n % 10000:04d}")
    first_name = "Ada"


class DncEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DncEntry

    phone = "+12125550199"
    scope = "everywhere"


def csv_upload(text: str | bytes, name: str = "leads.csv", encoding: str = "utf-8"):
    data = text.encode(encoding) if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")


class ImportJobFactory(factory.django.DjangoModelFactory):
    """An import's record without a stored file (as the API's bulk add leaves one)."""

    class Meta:
        model = ImportJob

    lead_list = factory.SubFactory(LeadListFactory)
    original_name = factory.Sequence(lambda n: f"leads-{n}.csv")
